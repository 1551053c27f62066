"""Introductions: each member introduces themselves once and may edit it; one card per member."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import col

from bot.errors import InvalidInput
from bot.services import access
from bot.services import lookups
from bot.services.input_checks import Problems
from bot.services.input_checks import check_length
from bot.services.kickoff import retry_on_conflict
from bot.services.outbox import EffectKind
from bot.services.outbox import Requester
from bot.services.service import Service
from storage import queries_kickoff as kq
from storage.db import unit_of_work
from storage.models import Intro
from storage.models.kickoff import INTRO_ANSWER_MAX
from storage.models.kickoff import JOB_ROLE_MAX
from storage.models.kickoff import ORGANISATION_MAX

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


def validate_intro(answers: IntroAnswers) -> Problems:
    """The problems with `answers`, by field name, as catalog keys with their values; empty if none."""
    problems: Problems = {}
    cleaned = answers.cleaned()
    for name, (limit, required) in INTRO_FIELDS.items():
        check_length(problems, name, getattr(cleaned, name), limit, required=required)
    return problems


@dataclass(frozen=True, slots=True)
class SavedIntro:
    intro: Intro
    created: bool
    """True for a first introduction, False for an edit."""


@dataclass(frozen=True, slots=True)
class IntroCard:
    """An introduction as its card shows it, and where."""

    intro: Intro
    channel_id: str
    language: str


class IntroService(Service):
    def current(self, *, network_id: int, user_id: str) -> Intro | None:
        """The member's introduction so far, or None. Raises ChannelNotLinked or NotAMember."""
        with unit_of_work(self._sessions) as session:
            lookups.member_network(session, network_id, user_id)
            return kq.get_intro(session=session, network_id=network_id, user_id=user_id)

    def save(
        self, *, network_id: int, user_id: str, answers: IntroAnswers, requester: Requester | None = None
    ) -> SavedIntro:
        """Write the member's introduction, or replace it (the card's ts stays), and that its card is to
        show it.

        Raises InvalidInput, ChannelNotLinked or NotAMember; writes nothing then.
        """
        InvalidInput.raise_if_any(validate_intro(answers))
        cleaned = answers.cleaned()

        def write() -> SavedIntro:
            now = self._clock.now()
            with unit_of_work(self._sessions) as session:
                network = lookups.member_network(session, network_id, user_id)
                intro = kq.get_intro(session=session, network_id=network_id, user_id=user_id)
                created = intro is None
                if intro is None:
                    intro = Intro(network_id=network_id, user_id=user_id, created_at=now, updated_at=now)
                for name in INTRO_FIELDS:
                    setattr(intro, name, getattr(cleaned, name))
                intro.updated_at = now
                kq.add(session=session, row=intro)
                self._outbox.record(
                    session,
                    EffectKind.INTRO_CARD,
                    intro_id=intro.id,
                    requester=requester,
                    language=network.language,
                )
                return SavedIntro(intro=intro, created=created)

        return retry_on_conflict(write)

    def card(self, *, intro_id: int) -> IntroCard | None:
        """The introduction as its card is to show it; None when it or its network is gone."""
        with unit_of_work(self._sessions) as session:
            intro = kq.get_intro_by_id(session=session, intro_id=intro_id)
            if intro is None:
                return None
            network = access.find_live_network(session, intro.network_id)
            if network is None:
                return None
            return IntroCard(intro=intro, channel_id=network.channel_id, language=network.language)

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
