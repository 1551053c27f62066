"""The network's charter: as Markdown for the channel's canvas, and as a message to pin where the
workspace cannot have a canvas. Both come from the same sections, so they say the same."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import Block
from slack_sdk.models.blocks import DividerBlock
from slack_sdk.models.blocks import HeaderBlock
from slack_sdk.models.blocks import SectionBlock

from bot.i18n import Texts
from bot.i18n.formats import clock_time
from bot.services.charter import Charter
from bot.text import escape_markdown
from bot.text import fit_user_text
from bot.text import truncate
from bot.views.checkins import format_date
from bot.views.common import Message
from bot.views.common import context_line
from bot.views.common import mrkdwn_sections
from storage.models.journey import SessionRole

Syntax = Literal["markdown", "mrkdwn"]


@dataclass(frozen=True, slots=True)
class CharterSection:
    heading: str
    lines: list[str]


def charter_markdown(texts: Texts, charter: Charter) -> str:
    """The whole charter as a canvas's Markdown: a title, then one section under each heading."""
    parts = [f"# {escape_markdown(texts('charter.title', name=charter.name))}"]
    for section in charter_sections(texts, charter, "markdown"):
        parts.append(f"## {section.heading}")
        parts.extend(section.lines)
    parts.append(texts("charter.kept_by_bot"))
    return "\n".join(parts) + "\n"


def charter_message(texts: Texts, charter: Charter) -> Message:
    """The charter as a message, for the pin where there is no canvas."""
    # The header is plain text, shown as typed; the notification text is mrkdwn, so escaped.
    title = texts("charter.title", name=charter.name)
    fallback = texts(
        "charter.title", name=fit_user_text(charter.name, HeaderBlock.text_max_length, one_line=True)
    )
    blocks: list[Block] = [HeaderBlock(text=truncate(title, HeaderBlock.text_max_length))]
    for section in charter_sections(texts, charter, "mrkdwn"):
        blocks.append(DividerBlock())
        body = [f"*{section.heading}*", *section.lines]
        blocks += mrkdwn_sections(body)
    blocks.append(context_line(texts("charter.kept_by_bot")))
    return Message(text=fallback, blocks=blocks)


def charter_sections(texts: Texts, charter: Charter, syntax: Syntax) -> list[CharterSection]:
    """The charter's sections with their lines, user text made literal for `syntax`."""
    return [
        CharterSection(texts("charter.goal.heading"), _paragraphs(charter.goal, syntax)),
        CharterSection(texts("charter.people.heading"), _people(texts, charter, syntax)),
        CharterSection(texts("charter.journey.heading"), _journey(texts, charter, syntax)),
        CharterSection(texts("charter.agreements.heading"), _agreements(texts, charter, syntax)),
        CharterSection(texts("charter.goals.heading"), _goals(texts, charter, syntax)),
        CharterSection(texts("charter.lessons.heading"), _lessons(texts, charter, syntax)),
    ]


# A line of user text in the pinned message: half a section, so that a line with its bullet or
# heading always fits in one.
_LINE_MAX = SectionBlock.text_max_length // 2


def _literal(text: str, syntax: Syntax, limit: int = _LINE_MAX) -> str:
    if syntax == "markdown":
        return escape_markdown(text)
    return fit_user_text(text, limit, one_line=True)


def _mention(user_id: str, syntax: Syntax) -> str:
    return f"![](@{user_id})" if syntax == "markdown" else f"<@{user_id}>"


def _paragraphs(text: str, syntax: Syntax) -> list[str]:
    return [_literal(line, syntax) for line in text.splitlines() if line.strip()]


def _people(texts: Texts, charter: Charter, syntax: Syntax) -> list[str]:
    lines = [
        texts(
            "charter.people.started",
            origin=texts(f"start.origin.{charter.origin}"),
            composition=texts(f"start.composition.{charter.composition}"),
            date=format_date(texts, charter.started_on),
        ),
        texts("charter.people.members", count=charter.member_count),
    ]
    if charter.facilitator_ids:
        names = ", ".join(_mention(user_id, syntax) for user_id in charter.facilitator_ids)
        lines.append(texts("charter.people.facilitators", names=names, count=len(charter.facilitator_ids)))
    if charter.expert_ids:
        names = ", ".join(_mention(user_id, syntax) for user_id in charter.expert_ids)
        lines.append(texts("charter.people.experts", names=names, count=len(charter.expert_ids)))
    return [_bullet(line, syntax) for line in lines]


def _journey(texts: Texts, charter: Charter, syntax: Syntax) -> list[str]:
    if not charter.journey:
        return [texts("charter.journey.none")]
    lines = []
    for planned in charter.journey:
        local = planned.starts_at.astimezone(ZoneInfo(charter.timezone))
        roles = " · ".join(
            texts(f"journey.role.{role.value}")
            + " "
            + ", ".join(_mention(user_id, syntax) for user_id in planned.holders(role))
            for role in SessionRole
            if planned.holders(role)
        )
        line = texts(
            "charter.journey.line",
            date=format_date(texts, local.date()),
            time=clock_time(texts, local, charter.timezone),
            theme=_literal(planned.theme, syntax) or texts("journey.no_theme"),
        )
        lines.append(_bullet(f"{line} — {roles}" if roles else line, syntax))
    return lines


def _agreements(texts: Texts, charter: Charter, syntax: Syntax) -> list[str]:
    if not charter.agreements.strip():
        return [texts("charter.agreements.none")]
    lines = [
        _bullet(_literal(line, syntax), syntax) for line in charter.agreements.splitlines() if line.strip()
    ]
    lines.append(texts("charter.agreements.accepted", count=charter.accepted, members=charter.member_count))
    return lines


def _goals(texts: Texts, charter: Charter, syntax: Syntax) -> list[str]:
    if not charter.top_goals:
        return [texts("charter.goals.none")]
    return [
        texts("charter.goals.line", position=position, goal=_literal(goal.text, syntax), count=goal.votes)
        for position, goal in enumerate(charter.top_goals, start=1)
    ]


def _lessons(texts: Texts, charter: Charter, syntax: Syntax) -> list[str]:
    if not charter.lessons:
        return [texts("charter.lessons.none")]
    return [
        _bullet(
            texts(
                "charter.lessons.line",
                title=_strong(_literal(lesson.case_title, syntax), syntax),
                lesson=_literal(lesson.lesson, syntax),
            )
            # A lesson saved from a message has no case or meeting to name.
            if lesson.case_title
            else _literal(lesson.lesson, syntax),
            syntax,
        )
        for lesson in charter.lessons
    ]


def _strong(text: str, syntax: Syntax) -> str:
    return f"**{text}**" if syntax == "markdown" else f"*{text}*"


def _bullet(line: str, syntax: Syntax) -> str:
    return f"- {line}" if syntax == "markdown" else f"• {line}"
