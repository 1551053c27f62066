"""The message shortcuts' views: the intake brought in from a message, the card's link back to it, the
consent question and its answer; snapshots of what Slack receives, its limits, and escaping."""

from __future__ import annotations

import pytest

from bot.i18n import Texts
from bot.sandbox.blockkit import validate_blocks
from bot.sandbox.blockkit import validate_view
from bot.services.shortcuts import ConsentQuestion
from bot.views.cases import SourcedIntakeContext
from bot.views.cases import case_card
from bot.views.cases import intake_modal
from bot.views.shortcuts import consent_answered_message
from bot.views.shortcuts import consent_question_message
from bot.views.shortcuts import saver_told_message
from tests.blocks import block_texts
from tests.snapshots import assert_matches_snapshot
from tests.snapshots import message_dict
from tests.views.builders import case_state

LANGUAGES = ["nl", "en"]
LINK = "https://netwerk.slack.com/archives/C1/p1700000000000100"
QUESTION = ConsentQuestion(
    lesson_id=3,
    author_id="U2",
    saver_id="U3",
    text="Eerst luisteren <!channel>, dan *pas* raad geven.\nEn dan nog eens luisteren.",
    channel_id="C1",
    language="nl",
)


@pytest.mark.parametrize("language", LANGUAGES)
def test_intake_brought_in_from_a_message(language: str) -> None:
    context = SourcedIntakeContext("C1", language, source_permalink=LINK)
    modal = intake_modal(Texts(language), context=context, situation="Wat er gebeurde <@U9>.").to_dict()
    assert validate_view(modal) == []
    assert SourcedIntakeContext.decode(modal["private_metadata"]) == context
    assert_matches_snapshot(f"shortcuts_intake_{language}", modal)


def test_an_unsafe_link_is_never_shown() -> None:
    context = SourcedIntakeContext("C1", "nl", source_permalink="https://x.be|<!channel>")
    modal = intake_modal(Texts("nl"), context=context, situation="x").to_dict()
    assert "<!channel>" not in str(modal["blocks"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_card_links_to_the_conversation_unless_confidential(language: str) -> None:
    card = case_card(Texts(language), case_state(language, source_permalink=LINK))
    assert validate_blocks(card.blocks_as_dicts()) == []
    assert f"<{LINK}|" in " ".join(block_texts(card.blocks_as_dicts()))
    assert_matches_snapshot(f"shortcuts_card_{language}", message_dict(card))
    confidential = case_card(Texts(language), case_state(language, source_permalink=LINK, confidential=True))
    assert LINK not in str(confidential.blocks_as_dicts())


@pytest.mark.parametrize("language", LANGUAGES)
def test_consent_question_and_its_answers(language: str) -> None:
    texts = Texts(language)
    messages = {
        "question": consent_question_message(texts, QUESTION),
        "yes": consent_answered_message(texts, consent=True),
        "no": consent_answered_message(texts, consent=False),
        **{
            answer: saver_told_message(texts, f"shortcuts.consent.{answer}", author="U2")
            for answer in ("saver_yes", "saver_no", "unreachable")
        },
    }
    for message in messages.values():
        assert validate_blocks(message.blocks_as_dicts()) == []
    question = " ".join(block_texts(messages["question"].blocks_as_dicts()))
    assert "<!channel>" not in question and "&lt;!channel&gt;" in question
    assert_matches_snapshot(
        f"shortcuts_consent_{language}", {key: message_dict(message) for key, message in messages.items()}
    )


def test_a_long_lesson_fits_the_question() -> None:
    long = ConsentQuestion(3, "U2", "U3", "&<>" * 700, "C1", "nl")
    assert validate_blocks(consent_question_message(Texts("nl"), long).blocks_as_dicts()) == []
