"""The charter's views: snapshots of the canvas and the pinned message, Slack's limits for a long
charter, and user text that stays literal in both."""

from __future__ import annotations

import pytest

from bot.i18n import Texts
from bot.sandbox.blockkit import validate_blocks
from bot.services.lessons import LessonLine
from bot.views.charter import charter_markdown
from bot.views.charter import charter_message
from tests.snapshots import assert_matches_snapshot
from tests.snapshots import message_dict
from tests.views.builders import charter


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_charter_as_canvas_and_as_pinned_message(language: str) -> None:
    texts = Texts(language)
    message = charter_message(texts, charter(language=language))
    assert_matches_snapshot(
        f"charter_{language}",
        {
            "markdown": charter_markdown(texts, charter(language=language)),
            "message": message_dict(message),
        },
    )


def test_a_new_network_says_what_is_still_to_come() -> None:
    texts = Texts("nl")
    markdown = charter_markdown(texts, charter(agreements="", accepted=0, top_goals=[], lessons=[]))
    assert "Nog geen groepsafspraken." in markdown
    assert "Nog geen stemmen op leerdoelen." in markdown and "Nog geen lessen." in markdown


def test_a_long_charter_stays_within_slacks_limits_as_a_message() -> None:
    long = "Een afspraak die heel lang is. " * 60
    message = charter_message(
        Texts("nl"),
        charter(
            name="N" * 200,
            agreements="\n".join([long] * 20),
            lessons=[LessonLine("T" * 300, long)] * 3,
        ),
    )
    assert validate_blocks(message.blocks_as_dicts()) == []
    assert len(message.blocks) <= 50


def test_user_text_is_literal_in_both() -> None:
    hostile = "<!channel> *vet* # kop ![](@U0KAREL) [link](https://x.test)"
    texts = Texts("nl")
    shown = charter(name=hostile, goal=hostile, agreements=hostile, lessons=[LessonLine(hostile, hostile)])
    markdown = charter_markdown(texts, shown)
    assert "![](@U0KAREL)" not in markdown and "[link](" not in markdown and "\n# kop" not in markdown
    assert markdown.count("\n# ") == 0 and markdown.startswith("# ")
    message = charter_message(texts, shown)
    header, *rest = message.blocks_as_dicts()
    assert header["text"]["type"] == "plain_text"
    assert "<!channel>" not in message.text + str(rest) and "&lt;!channel&gt;" in str(rest)
