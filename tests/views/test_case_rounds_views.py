"""A case's round by a method as Block Kit: the start modal, its steps in the thread (snapshots in both
languages), the button that carries the step's index, and a confidential case's thread without names."""

from __future__ import annotations

import pytest

from bot.i18n import Texts
from bot.sandbox.blockkit import validate_blocks
from bot.sandbox.blockkit import validate_view
from bot.services.workforms import WORK_FORMS
from bot.services.workforms import WorkFormKind
from bot.views.case_rounds import round_start_modal
from bot.views.case_rounds import round_step_done
from bot.views.case_rounds import round_step_post
from bot.views.cases import CaseModalContext
from bot.views.cases import case_card
from tests.snapshots import assert_matches_snapshot
from tests.snapshots import message_dict
from tests.views.builders import case_state

LANGUAGES = ["nl", "en", "fr"]


def in_round(language: str = "nl", *, method: str = "incident", index: int = 0, **changes: object):
    return case_state(language, round_method=method, round_step_index=index, round_lead_id="U1", **changes)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_start_modal_and_the_round_in_the_thread(language: str) -> None:
    texts = Texts(language)
    modal = round_start_modal(
        texts,
        context=CaseModalContext("C1", language, case_id=7),
        state=case_state(language),
        starter_id="U1",
    ).to_dict()
    assert validate_view(modal) == []
    posts = {
        "incident_questions": round_step_post(texts, in_round(language, index=2), index=2),
        "incident_advice": round_step_post(texts, in_round(language, index=4), index=4),
        "incident_last": round_step_post(texts, in_round(language, index=6), index=6),
        "incident_finished": round_step_post(texts, in_round(language, index=7), index=7),
        "incident_done": round_step_done(texts, in_round(language, index=3), index=2, moved_on_by="U1"),
        "confidential_lead": round_step_post(texts, in_round(language, index=3, confidential=True), index=3),
    }
    for post in posts.values():
        assert validate_blocks(post.blocks_as_dicts()) == []
    assert_matches_snapshot(
        f"case_round_{language}",
        {"modal": modal, "posts": {key: message_dict(post) for key, post in posts.items()}},
    )


def test_every_step_of_every_method_fits_slacks_limits() -> None:
    for language in LANGUAGES:
        for form in (f for f in WORK_FORMS if f.kind == WorkFormKind.PEER_CONSULTATION):
            for index in range(len(form.steps) + 1):
                post = round_step_post(
                    Texts(language), in_round(language, method=form.key, index=index), index=index
                )
                assert validate_blocks(post.blocks_as_dicts()) == []


def test_the_button_names_the_step_it_moves_on_from() -> None:
    def button(index: int) -> tuple[str, str] | None:
        blocks = round_step_post(Texts("nl"), in_round(index=index), index=index).blocks_as_dicts()
        actions = [block for block in blocks if block["type"] == "actions"]
        element = actions[0]["elements"][0] if actions else None
        return (element["text"]["text"], element["value"]) if element else None

    assert button(0) == ("Volgende stap", "7:0")
    assert button(6) == ("Ronde afronden", "7:6")
    assert button(7) is None


def test_a_confidential_case_names_nobody_in_its_round() -> None:
    texts = Texts("nl")
    for index in range(8):
        post = round_step_post(texts, in_round(index=index, confidential=True), index=index)
        assert "<@" not in str(post.blocks_as_dicts())


def test_the_card_says_where_the_round_stands() -> None:
    card = str(case_card(Texts("nl"), in_round(index=4)).blocks_as_dicts())
    assert "Incidentmethode: Adviesronde" in card
    assert "Intervisieronde starten" not in card
