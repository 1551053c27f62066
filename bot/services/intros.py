"""Introductions: each member introduces themselves once and may edit it; one card per member."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import update
from sqlmodel import col

from bot.clock import Clock
from bot.errors import InvalidInput
from bot.services.kickoff import active_member, active_network, retry_on_conflict
from storage import queries_kickoff as kq
from storage.db import SessionFactory, unit_of_work
from storage.models import Intro
from storage.models.kickoff import INTRO_ANSWER_MAX, JOB_ROLE_MAX, ORGANISATION_MAX

# Field name → (longest answer, whether an answer is required).
INTRO_FIELDS: dict[str, tuple[int, bool]] = {
    "job_role": (JOB_ROLE_MAX, True),
    "organisation": (ORGANISATION_MAX, True),
    "gives": (INTRO_ANSWER_MAX, True),
    "wants": (INTRO_ANSWER_MAX, True),
    "practice_question": (INTRO_ANSWER_MAX, False),
}


@dataclass(frozen=True, slots=True)
class IntroAnswers:
    """What a member fills in to introduce themselves; raw strings until validated."""

    job_role: str
    organisation: str
    gives: str
    wants: str
    practice_question: str = ""

    def cleaned(self) -> IntroAnswers:
        return IntroAnswers(**{name: getattr(self, name).strip() for name in INTRO_FIELDS})


def validate_intro(answers: IntroAnswers) -> dict[str, tuple[str, dict[str, Any]]]:
    """The problems with `answers`, by field name, as catalog keys with their values; empty if none."""
    problems: dict[str, tuple[str, dict[str, Any]]] = {}
    cleaned = answers.cleaned()
    for name, (limit, required) in INTRO_FIELDS.items():
        value = getattr(cleaned, name)
        if required and not value:
            problems[name] = ("validation.required", {})
        elif len(value) > limit:
            problems[name] = ("validation.too_long", {"limit": limit, "length": len(value)})
    return problems


@dataclass(frozen=True, slots=True)
class SavedIntro:
    intro: Intro
    created: bool
    """True for a first introduction, False for an edit."""


class IntroService:
    def __init__(self, *, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    def current(self, *, network_id: int, user_id: str) -> Intro | None:
        """The member's introduction so far, or None. Raises ChannelNotLinked or NotAMember."""
        with unit_of_work(self._sessions) as session:
            active_network(session, network_id)
            active_member(session, network_id, user_id)
            return kq.get_intro(session=session, network_id=network_id, user_id=user_id)

    def save(self, *, network_id: int, user_id: str, answers: IntroAnswers) -> SavedIntro:
        """Write the member's introduction, or replace it; the card's ts stays.

        Raises InvalidInput, ChannelNotLinked or NotAMember; writes nothing then.
        """
        problems = validate_intro(answers)
        if problems:
            raise InvalidInput(problems)
        cleaned = answers.cleaned()

        def write() -> SavedIntro:
            now = self._clock.now()
            with unit_of_work(self._sessions) as session:
                active_network(session, network_id)
                active_member(session, network_id, user_id)
                intro = kq.get_intro(session=session, network_id=network_id, user_id=user_id)
                created = intro is None
                if intro is None:
                    intro = Intro(network_id=network_id, user_id=user_id, created_at=now, updated_at=now)
                for name in INTRO_FIELDS:
                    setattr(intro, name, getattr(cleaned, name))
                intro.updated_at = now
                kq.add(session=session, row=intro)
                return SavedIntro(intro=intro, created=created)

        return retry_on_conflict(write)

    def attach_card(self, *, intro_id: int, ts: str, replace: bool = False) -> str:
        """Remember the card showing the introduction; returns the ts of the card that stands.

        Unless `replace`, a card attached before wins: a second card, posted by a request racing this
        one, is the caller's to remove.
        """
        with unit_of_work(self._sessions) as session:
            statement = update(Intro).where(col(Intro.id) == intro_id).values(card_ts=ts)
            if not replace:
                statement = statement.where(col(Intro.card_ts).is_(None))
            session.execute(statement)
            intro = kq.get_intro_by_id(session=session, intro_id=intro_id)
            return intro.card_ts if intro is not None and intro.card_ts else ts
