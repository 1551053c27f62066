"""`/netwerk lessen`: a page of the network's lessons, grouped by theme, with a button for the next."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import Block

from bot.i18n import Texts
from bot.services.lessons import PAGE_SIZE
from bot.services.lessons import Lesson
from bot.services.lessons import LessonsPage
from bot.text import fit_user_text
from bot.views import ids
from bot.views.checkins import format_date
from bot.views.common import Message
from bot.views.common import button_block
from bot.views.common import context_line
from bot.views.common import mrkdwn_section
from bot.views.follow_ups import quoted

LESSON_ROOM = 2_000
TITLE_ROOM = 200


def lessons_message(texts: Texts, page: LessonsPage) -> Message:
    """One page: a heading where the theme changes, each lesson in a section of its own (at most
    PAGE_SIZE of them, well within a message's 50 blocks), and "more" while lessons are left."""
    blocks: list[Block] = [mrkdwn_section(texts("lessons.heading", count=page.total))]
    if not page.lessons:
        blocks.append(mrkdwn_section(texts("lessons.none")))
    theme: str | None = None
    for position, lesson in enumerate(page.lessons):
        if lesson.theme != theme or position == 0:
            theme = lesson.theme
            heading = (
                texts("lessons.theme", theme=fit_user_text(theme, TITLE_ROOM, one_line=True))
                if theme is not None
                else texts("lessons.no_theme")
            )
            blocks.append(context_line(heading))
        blocks.append(mrkdwn_section(_lesson_text(texts, lesson, page.timezone)))
    if page.has_more:
        blocks.append(
            button_block(texts("lessons.more"), action_id=ids.LessonActions.MORE, value=str(page.page + 1))
        )
    first = page.page * PAGE_SIZE + 1
    text = (
        texts("lessons.text", first=first, last=first + len(page.lessons) - 1, count=page.total)
        if page.lessons
        else texts("lessons.none")
    )
    return Message(text=text, blocks=blocks)


def _lesson_text(texts: Texts, lesson: Lesson, timezone: str) -> str:
    day = format_date(texts, lesson.at.astimezone(ZoneInfo(timezone)).date())
    title = (
        texts("lessons.confidential_case")
        if lesson.confidential
        else fit_user_text(lesson.title, TITLE_ROOM, one_line=True)
    )
    source = texts(
        f"lessons.source.{lesson.source.value}", title=title, date=day, saver=lesson.credited_to or ""
    )
    if lesson.outcome:
        source += " · " + texts(f"follow_ups.outcome.{lesson.outcome}")
    return source + "\n" + texts("lessons.quote", text=quoted(lesson.text, LESSON_ROOM))
