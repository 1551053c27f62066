"""The demo's kickoff act: its transcript shows the kickoff as a member would see it."""

from __future__ import annotations

import pytest

from bot.demo.kickoff import kickoff_act
from bot.demo.start import start_act
from tests.test_demo import channel_as_members_read_it
from tests.test_demo import transcript_of


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "nl",
            [
                "stelt zich voor",
                "== Verwachtingenkaart ==",
                "*Omgaan met agressie*\n  ●●●●●●●●●●● 11 stemmen · genoemd door 6 leden  [ Stem ]",
                "Je hebt je 3 stemmen al gebruikt.",
                "1. Vertrouwelijkheid: wat hier gezegd wordt, blijft hier.",
                "12 van de 13 leden hebben deze afspraken aanvaard.",
                "Welkom in het lerend netwerk *Lerend netwerk jeugdhulp Gent*, @Lotte Vermeulen!",
                "@Mehmet Yılmaz is nu facilitator in dit netwerk.",
                "• @Lotte Vermeulen · deelnemer · nog niet voorgesteld · afspraken nog niet aanvaard",
            ],
        ),
        (
            "en",
            [
                "introduces themselves",
                "== Expectations map ==",
                "You have used your 3 votes.",
                "1. Confidentiality: what is said here stays here.",
                "12 of the 13 members have accepted these agreements.",
            ],
        ),
    ],
)
def test_the_demo_plays_the_kickoff(language: str, expected: list[str]) -> None:
    transcript = transcript_of(language, (start_act, kickoff_act))
    for fragment in expected:
        assert fragment in transcript
    channel = channel_as_members_read_it(transcript)
    assert channel.count("stelt zich voor" if language == "nl" else "introduces themselves") == 12
    assert "only visible to" not in channel, "the channel as members read it shows no private answers"
