"""The case views: snapshots of what Slack receives, escaping, and Slack's limits with many cases."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest

from bot.i18n import Texts
from bot.sandbox.blockkit import validate_blocks
from bot.sandbox.blockkit import validate_view
from bot.services.cases import CaseListing
from bot.services.cases import CaseSummary
from bot.views.cases import CaseModalContext
from bot.views.cases import advice_modal
from bot.views.cases import advice_post
from bot.views.cases import case_card
from bot.views.cases import case_details
from bot.views.cases import case_list
from bot.views.cases import close_modal
from bot.views.cases import intake_modal
from bot.views.cases import lesson_post
from storage.models import CaseStatus
from tests.blocks import block_texts
from tests.snapshots import assert_matches_snapshot
from tests.snapshots import message_dict
from tests.views.builders import case_state

NOW = datetime(2026, 9, 14, 8, 0, tzinfo=UTC)
LANGUAGES = ["nl", "en"]


def assert_slack_accepts_message(message) -> None:
    assert validate_blocks(message.blocks_as_dicts()) == []
    assert len(message.blocks) <= 50 and len(message.text) <= 40_000


@pytest.mark.parametrize("language", LANGUAGES)
def test_intake_modal(language: str) -> None:
    modal = intake_modal(
        Texts(language), context=CaseModalContext("C1", language), title="Ouders die niet opdagen"
    ).to_dict()
    assert validate_view(modal) == []
    assert_matches_snapshot(f"case_intake_modal_{language}", modal)


def test_intake_modal_cuts_a_long_title_to_what_the_input_allows() -> None:
    modal = intake_modal(Texts("nl"), context=CaseModalContext("C1", "nl"), title="t" * 500).to_dict()
    title = next(block for block in modal["blocks"] if block.get("block_id") == "case_title")
    assert len(title["element"]["initial_value"]) == 120
    assert validate_view(modal) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_case_card_open(language: str) -> None:
    card = case_card(
        Texts(language),
        case_state(language, round_method="incident", round_step_index=4, round_lead_id="U1", on_agenda=True),
    )
    assert_slack_accepts_message(card)
    assert_matches_snapshot(f"case_card_open_{language}", message_dict(card))


@pytest.mark.parametrize("language", LANGUAGES)
def test_case_card_closed_and_confidential(language: str) -> None:
    card = case_card(
        Texts(language),
        case_state(
            language, status=CaseStatus.CLOSED, confidential=True, lesson="Zelf bellen", advice_count=1
        ),
    )
    assert_slack_accepts_message(card)
    assert_matches_snapshot(f"case_card_closed_{language}", message_dict(card))


@pytest.mark.parametrize("language", LANGUAGES)
def test_thread_posts(language: str) -> None:
    texts = Texts(language)
    current = case_state(language, lesson="Zelf bellen werkt.")
    posts = {
        "details": case_details(texts, current),
        "advice": advice_post(texts, giver_id="U3", advice="Bel ze zelf op."),
        "lesson": lesson_post(texts, current),
    }
    for post in posts.values():
        assert_slack_accepts_message(post)
    assert_matches_snapshot(f"case_thread_posts_{language}", {k: message_dict(v) for k, v in posts.items()})


@pytest.mark.parametrize("language", LANGUAGES)
def test_advice_and_close_modals(language: str) -> None:
    texts = Texts(language)
    context = CaseModalContext("C1", language, case_id=7)
    advice = advice_modal(texts, context=context, state=case_state(language)).to_dict()
    closing = close_modal(texts, context=context, state=case_state(language, confidential=True)).to_dict()
    assert validate_view(advice) == [] and validate_view(closing) == []
    assert_matches_snapshot(f"case_modals_{language}", {"advice": advice, "close": closing})


def test_modal_context_round_trips_through_private_metadata() -> None:
    for context in (CaseModalContext("C9", "en"), CaseModalContext("C9", "nl", case_id=12)):
        assert CaseModalContext.decode(context.encode()) == context


def test_every_user_text_is_shown_literally() -> None:
    hostile = "<!channel> *vet* <@U9> & <https://x.example|klik>"
    current = case_state(title=hostile, question=hostile, situation=hostile, tried=hostile, lesson=hostile)
    texts = Texts("nl")
    messages = [
        case_card(texts, current),
        case_details(texts, current),
        advice_post(texts, giver_id="U3", advice=hostile),
        lesson_post(texts, current),
    ]
    views = [
        advice_modal(texts, context=CaseModalContext("C1", "nl", 7), state=current).to_dict(),
        close_modal(texts, context=CaseModalContext("C1", "nl", 7), state=current).to_dict(),
    ]
    rendered = " ".join(
        [m.text for m in messages]
        + block_texts([m.blocks_as_dicts() for m in messages], mrkdwn_only=True)
        + block_texts(views, mrkdwn_only=True)
    )
    for control in ("<!channel>", "<@U9>", "<https://"):
        assert control not in rendered
    assert "&lt;!channel&gt; *\u200bvet*\u200b &lt;@U9&gt; &amp;" in rendered


def test_texts_that_grow_when_escaped_still_fit_a_section() -> None:
    worst = "&" * 2000
    current = case_state(question="<" * 1000, situation=worst, tried=">" * 1000, lesson=worst)
    texts = Texts("en")
    for message in (
        case_card(texts, current),
        case_details(texts, current),
        advice_post(texts, giver_id="U3", advice=worst),
        lesson_post(texts, current),
    ):
        assert_slack_accepts_message(message)
    assert (
        validate_view(advice_modal(texts, context=CaseModalContext("C1", "en", 7), state=current).to_dict())
        == []
    )


def summaries(count: int, *, start: datetime = NOW) -> list[CaseSummary]:
    return [
        CaseSummary(
            id=number,
            title=f"Casus {number} " + "&" * 80,
            status=CaseStatus.OPEN if number % 3 else CaseStatus.CLOSED,
            confidential=number % 2 == 0,
            advice_count=number % 4,
            created_at=start - timedelta(days=number),
            closed_at=start if number % 3 == 0 else None,
            on_agenda=number % 5 == 0,
        )
        for number in range(1, count + 1)
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_case_list(language: str) -> None:
    listing = CaseListing(
        cases=[
            CaseSummary(7, "Ouders die niet opdagen", CaseStatus.OPEN, True, 0, NOW, None, True),
            CaseSummary(
                3, "Een team zonder overleg", CaseStatus.OPEN, False, 1, NOW - timedelta(days=1), None, False
            ),
            CaseSummary(
                2, "Te veel dossiers", CaseStatus.CLOSED, False, 4, NOW - timedelta(days=20), NOW, False
            ),
        ],
        now=NOW + timedelta(hours=3),
    )
    message = case_list(Texts(language), listing)
    assert_slack_accepts_message(message)
    assert_matches_snapshot(f"case_list_{language}", message_dict(message))


def test_a_list_of_hundreds_of_cases_stays_within_slacks_limits() -> None:
    message = case_list(Texts("nl"), CaseListing(cases=summaries(600), now=NOW))

    assert_slack_accepts_message(message)
    shown = "\n".join(block_texts(message.blocks_as_dicts(), mrkdwn_only=True))
    assert shown.count("• *Casus ") == 30
    assert "En nog 570 casussen die hier niet meer bij passen." in str(message.blocks_as_dicts())


def test_an_empty_list_says_how_to_begin() -> None:
    message = case_list(Texts("en"), CaseListing(cases=[], now=NOW))
    assert message.text == "There are no cases yet. Bring one with `/case`."
