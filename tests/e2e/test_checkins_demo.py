"""The demo's check-in act: the transcript shows a poll answered, closed, and its results in the thread."""

from __future__ import annotations

import pytest

from bot.demo.checkins import checkins_act
from bot.demo.start import start_act
from tests.test_demo import channel_as_members_read_it
from tests.test_demo import transcript_of


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "nl",
            [
                "== Even stilstaan: hoe gaat het met ons netwerk? ==",
                "*1. Zijn we goed bezig?*",
                "Deze peiling is gesloten.",
                "== Resultaten van de peiling ==",
                "5 van de 12 leden antwoordden (42%).",
                ":grinning: heel goed: ██████████ 3",
                ":slightly_smiling_face: goed: ███████ 2",
                "• Iedereen durft zijn twijfels te delen.",
                "• Een vaste tijd voor de casus van de week. (@Ann Claes)",
                "plande een bijeenkomst: *Moeilijke gesprekken met ouders*",
            ],
        ),
        (
            "en",
            [
                "== Time to pause: how is our network doing? ==",
                "== Check-in results ==",
                "5 of the 12 members answered (42%).",
                "• Everyone dares to share their doubts.",
            ],
        ),
    ],
)
def test_the_demo_shows_a_check_in_from_poll_to_results(language: str, expected: list[str]) -> None:
    transcript = transcript_of(language, (start_act, checkins_act))
    channel = channel_as_members_read_it(transcript)
    for fragment in expected:
        assert fragment in channel, fragment
    # Who wrote an answer stays out of the results, unless they signed it.
    results = channel.split("Resultaten van de peiling" if language == "nl" else "Check-in results")[1]
    assert "Joke" not in results and "Mehmet" not in results
