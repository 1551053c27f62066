"""The demo's cases act: the transcript shows a case from intake to lesson learned."""

from __future__ import annotations

import pytest

from bot.demo.cases import CONTENT
from bot.demo.cases import cases_act
from bot.demo.start import start_act
from tests.test_demo import channel_as_members_read_it
from tests.test_demo import transcript_of


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_demo_shows_a_case_from_intake_to_lesson(language: str) -> None:
    transcript = transcript_of(language, (start_act, cases_act))
    channel = channel_as_members_read_it(transcript)
    content = CONTENT[language]

    expected = {
        "nl": [
            f"== Casus: {content['title']} ==",
            "*Advies van @Mehmet Yılmaz*",
            "*Advies van @Sarah Dubois*",
            "Pieter de Vries",
            ":bulb: 3 adviezen",
            ":raised_hand: 1 collega herkent dit",
            "*Afgesloten.*",
            "*Wat @Joke Janssens vooral meeneemt*",
            "*Roddelmethode, stap 3 van 5: Roddelen*",
            "Afgerond door @Mehmet Yılmaz.",
            "*De ronde volgens de Roddelmethode is afgerond*",
        ],
        "en": [
            f"== Case: {content['title']} ==",
            "*Advice from @Mehmet Yılmaz*",
            ":bulb: 3 pieces of advice",
            "*What @Joke Janssens mainly takes away*",
            "*Gossip method, step 3 of 5: Gossip*",
            "*The round by the Gossip method is finished*",
        ],
    }[language]
    for fragment in expected:
        assert fragment in channel, fragment
    assert channel.index(content["situation"][:40]) < channel.index(content["lesson"][:40])
    assert ("/case lijst" if language == "nl" else "/case list") in transcript
