"""The lessons: what members took away, gathered from the cases, their follow-ups and the meetings.

A case's lesson ("wat ik vooral meeneem"), a follow-up's answer, and a meeting take-away its writer chose
to share (without their name), newest first, grouped by theme where one exists (a meeting's topic).
A confidential case's lesson only where its owner shared it, and never what followed it; nothing
confidential on the charter or in the export.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlmodel import Session

from bot.services import lookups
from bot.services.service import Service
from storage import queries_follow_ups as q
from storage import queries_saved_lessons
from storage import queries_wrap_up
from storage.db import unit_of_work

PAGE_SIZE = 10


class LessonSource(StrEnum):
    CASE = "case"
    FOLLOW_UP = "follow_up"
    MEETING = "meeting"
    SAVED = "saved"
    """A message in the channel a member saved ("Bewaar als les"), with its author's consent."""
    CLOSING = "closing"
    """The closing round of the wrap-up: what a member mainly takes away from the network."""


@dataclass(frozen=True, slots=True)
class Lesson:
    text: str
    source: LessonSource
    title: str
    """The case's title or the meeting's topic; "" for a confidential case."""
    theme: str | None
    at: datetime
    outcome: str | None = None
    """A follow-up's outcome."""
    confidential: bool = False
    credited_to: str | None = None
    """Who saved it, for a lesson saved from a message."""


@dataclass(frozen=True, slots=True)
class LessonLine:
    """A lesson as the summary and the charter list it, under the title it was learnt by ("" for none)."""

    case_title: str
    lesson: str


@dataclass(frozen=True, slots=True)
class LessonsPage:
    lessons: list[Lesson]
    page: int
    total: int
    has_more: bool
    language: str
    timezone: str


def gather_lessons(*, session: Session, network_id: int) -> list[Lesson]:
    """All the network's lessons members may read, grouped by theme (the group with the newest lesson
    first, lessons without a theme as a group of their own), newest first within each."""
    lessons = [
        Lesson(
            text=case.lesson,
            source=LessonSource.CASE,
            title="" if case.confidential else case.title,
            theme=None,
            at=case.closed_at or case.created_at,
            confidential=case.confidential,
        )
        for case in q.case_lessons(session=session, network_id=network_id)
    ]
    lessons += [
        Lesson(
            text=follow_up.answer,
            source=LessonSource.FOLLOW_UP,
            title=case.title,
            theme=None,
            at=follow_up.answered_at or follow_up.created_at,
            outcome=str(follow_up.outcome),
        )
        for follow_up, case in q.follow_up_lessons(session=session, network_id=network_id)
    ]
    lessons += [
        Lesson(
            text=takeaway,
            source=LessonSource.MEETING,
            title=meeting.topic,
            theme=meeting.topic,
            at=meeting.ends_at,
        )
        for takeaway, meeting in q.shared_takeaways(session=session, network_id=network_id)
    ]
    lessons += [
        Lesson(
            text=saved.text,
            source=LessonSource.SAVED,
            title="",
            theme=None,
            at=saved.approved_at or saved.saved_at,
            credited_to=saved.saver_id,
        )
        for saved in queries_saved_lessons.approved(session=session, network_id=network_id)
    ]
    lessons += [
        Lesson(text=answer.lesson, source=LessonSource.CLOSING, title="", theme=None, at=answer.answered_at)
        for answer in queries_wrap_up.answers_of_network(session=session, network_id=network_id)
        if answer.lesson
    ]
    return by_theme(lessons)


def by_theme(lessons: list[Lesson]) -> list[Lesson]:
    newest = sorted(lessons, key=lambda lesson: lesson.at, reverse=True)
    groups: dict[str | None, list[Lesson]] = {}
    for lesson in newest:
        groups.setdefault(lesson.theme, []).append(lesson)
    return [lesson for group in groups.values() for lesson in group]


def latest_open_lessons(*, session: Session, network_id: int, limit: int) -> list[Lesson]:
    """The newest lessons outside confidential cases, for the charter."""
    lessons = [
        lesson for lesson in gather_lessons(session=session, network_id=network_id) if not lesson.confidential
    ]
    return sorted(lessons, key=lambda lesson: lesson.at, reverse=True)[:limit]


def export_lessons(*, session: Session, network_id: int) -> list[dict[str, Any]]:
    """The contract's `lessons`: confidential cases' lessons stay out, shared or not."""
    return [
        {
            "text": lesson.text,
            "source": str(lesson.source),
            "title": lesson.title,
            "theme": lesson.theme,
            "at": lesson.at.isoformat(),
            **({"outcome": lesson.outcome} if lesson.outcome else {}),
            **({"saved_by": lesson.credited_to} if lesson.credited_to else {}),
        }
        for lesson in gather_lessons(session=session, network_id=network_id)
        if not lesson.confidential
    ]


class LessonService(Service):
    def page(self, *, team_id: str, channel_id: str, user_id: str, page: int = 0) -> LessonsPage:
        """One page of the network's lessons for `/netwerk lessen`; raises ChannelNotLinked or NotAMember."""
        with unit_of_work(self._sessions) as session:
            network = lookups.linked_member_network(
                session, team_id=team_id, channel_id=channel_id, user_id=user_id
            )
            lessons = gather_lessons(session=session, network_id=network.id or 0)
        page = max(0, min(page, max(0, (len(lessons) - 1) // PAGE_SIZE)))
        start = page * PAGE_SIZE
        return LessonsPage(
            lessons=lessons[start : start + PAGE_SIZE],
            page=page,
            total=len(lessons),
            has_more=start + PAGE_SIZE < len(lessons),
            language=network.language,
            timezone=network.timezone,
        )
