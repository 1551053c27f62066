"""The safe group's views: snapshots of what Slack receives, and a long case read in pages, never cut."""

from __future__ import annotations

import pytest

from bot.i18n import Texts
from bot.sandbox.blockkit import validate_blocks
from bot.sandbox.blockkit import validate_view
from bot.services.safe import CaseReading
from bot.services.safe import GuestList
from bot.services.safe import ReadAdvice
from bot.views.safe import PAGE_BLOCKS
from bot.views.safe import confidential_advice_message
from bot.views.safe import guest_invitation
from bot.views.safe import guests_modal
from bot.views.safe import privacy_message
from bot.views.safe import public_reply_note
from bot.views.safe import reading_modal
from bot.views.safe import reading_pages
from storage.models import CaseStatus
from tests.blocks import block_texts
from tests.snapshots import assert_matches_snapshot
from tests.snapshots import message_dict

LANGUAGES = ["nl", "en"]


def reading(**changes: object) -> CaseReading:
    fields: dict[str, object] = {
        "case_id": 7,
        "title": "Klacht na huisbezoek",
        "owner_id": "U2",
        "situation": "Een moeder dreigde met een klacht.",
        "question": "Hoe herstel ik het vertrouwen?",
        "tried": "Een gesprek met mijn teamleider.",
        "lesson": "",
        "status": CaseStatus.OPEN,
        "advice": [ReadAdvice("U3", "Nodig haar uit op neutraal terrein.", False), ReadAdvice("", "", True)],
        "language": "nl",
        "channel_id": "C1",
        "details_forgotten": False,
    }
    fields.update(changes)
    return CaseReading(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_reading_modal_and_the_guests_modal(language: str) -> None:
    texts = Texts(language)
    modal = reading_modal(texts, reading(language=language, lesson="Eerst luisteren."))
    guests = guests_modal(texts, GuestList(case_id=7, title="Klacht", guest_ids=["U9"], language=language))
    for view in (modal, guests):
        assert validate_view(view.to_dict()) == []
    assert_matches_snapshot(
        f"safe_modals_{language}", {"reading": modal.to_dict(), "guests": guests.to_dict()}
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_private_messages(language: str) -> None:
    texts = Texts(language)
    messages = {
        "invitation": guest_invitation(texts, owner_id="U2", title="Klacht", case_id=7),
        "public_reply": public_reply_note(texts, 7),
        "advice": confidential_advice_message(
            texts, giver_id="U3", title="Klacht", advice="Bel haar.", case_id=7
        ),
        "privacy": privacy_message(texts),
    }
    for message in messages.values():
        assert validate_blocks(message.blocks_as_dicts()) == []
    assert_matches_snapshot(
        f"safe_messages_{language}", {name: message_dict(m) for name, m in messages.items()}
    )


def test_a_forgotten_case_shows_its_title_and_lesson_only() -> None:
    modal = reading_modal(
        Texts("nl"),
        reading(situation="", question="", tried="", lesson="Eerst luisteren.", details_forgotten=True),
    )
    shown = " ".join(block_texts(modal.to_dict()["blocks"]))
    assert "gewist" in shown and "Eerst luisteren." in shown and "Een moeder" not in shown


def test_a_case_too_long_for_one_modal_is_split_into_pages_and_nothing_is_cut() -> None:
    advice = [ReadAdvice("U3", f"{n} " + "<&>" * 660, False) for n in range(30)]
    long_case = reading(advice=advice)
    pages = reading_pages(Texts("nl"), long_case)

    assert len(pages) > 1 and all(len(page) <= PAGE_BLOCKS for page in pages)
    shown = "".join(" ".join(block_texts([b.to_dict() for b in page])) for page in pages)
    # Pieces end between two characters, never inside an entity.
    assert [shown.count(entity) for entity in ("&lt;", "&amp;", "&gt;")] == [30 * 660] * 3
    for number in range(len(pages)):
        view = reading_modal(Texts("nl"), long_case, page=number).to_dict()
        assert validate_view(view) == [] and len(view["blocks"]) <= 100
