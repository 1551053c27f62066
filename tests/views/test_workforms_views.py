"""The catalogue of work forms as Block Kit: snapshots in both languages, and within Slack's limits."""

from __future__ import annotations

import pytest

from bot.i18n import Texts
from bot.sandbox.blockkit import validate_blocks
from bot.services.workforms import WORK_FORMS
from bot.services.workforms import work_form
from bot.views.workforms import workform_card
from bot.views.workforms import workforms_catalogue
from tests.snapshots import assert_matches_snapshot
from tests.snapshots import message_dict


@pytest.mark.parametrize("language", ["nl", "en", "fr"])
def test_the_catalogue_and_one_method(language: str) -> None:
    texts = Texts(language)
    assert_matches_snapshot(
        f"workforms_{language}",
        {
            "catalogue": message_dict(workforms_catalogue(texts)),
            "unknown": message_dict(workforms_catalogue(texts, unknown_word="yoga")),
            "incident": message_dict(workform_card(texts, work_form("incident"))),
            "socratic": message_dict(workform_card(texts, work_form("socratic"))),
        },
    )


@pytest.mark.parametrize("language", ["nl", "en", "fr"])
def test_every_form_fits_slacks_limits(language: str) -> None:
    texts = Texts(language)
    messages = [workforms_catalogue(texts, unknown_word="x" * 500)]
    messages += [workform_card(texts, form) for form in WORK_FORMS]
    for message in messages:
        assert len(message.blocks) <= 50
        assert validate_blocks(message.blocks_as_dicts()) == []


def test_an_unknown_word_is_echoed_harmlessly() -> None:
    message = workforms_catalogue(Texts("nl"), unknown_word="<!channel> `x`")
    first = message.blocks_as_dicts()[0]["text"]["text"]
    assert "<!channel>" not in first and "&lt;!channel&gt;" in first
