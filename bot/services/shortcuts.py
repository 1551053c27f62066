"""Message shortcuts: "Breng in als casus" and "Bewaar als les" on a message in a network's channel.

Rules kept here, free of Slack:
- a shortcut works on a message a person wrote, with text, in the channel of a live network, for one of
  its members; a bot's message, Slack's own (a join), a DM or another channel get a clear refusal;
- bringing a message in as a case follows `/case`'s rules (the agreements first), with the message's
  text as the situation and a link back to it;
- saving a lesson credits the member who saves it. Their own message is a lesson at once; someone
  else's waits for its author's yes, asked privately (their saving it too is a yes), and goes when they
  say no. A message is saved once per network (its ts is unique there): a double click, a re-delivery
  or a second saver hears that it is saved already, and its author is asked once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.errors import LessonAlreadySaved
from bot.errors import LessonAwaitingConsent
from bot.errors import LessonConsentGone
from bot.errors import ShortcutOnBotMessage
from bot.errors import ShortcutOnEmptyMessage
from bot.errors import ShortcutOutsideNetwork
from bot.services import access
from bot.services.cases import IntakeOpening
from bot.services.cases import intake_opening
from bot.services.outbox import EffectKind
from bot.services.outbox import Requester
from bot.services.service import Service
from bot.text import truncate
from storage import queries_saved_lessons as q
from storage.db import unit_of_work
from storage.models import Network
from storage.models import SavedLesson
from storage.models import SavedLessonStatus
from storage.models.saved_lessons import SAVED_LESSON_MAX

# Message subtypes a person writes; every other one (a join, a topic, a bot's post) is not theirs.
PERSON_SUBTYPES = frozenset({"", "thread_broadcast", "file_share", "me_message"})


@dataclass(frozen=True, slots=True)
class ShortcutMessage:
    """The message a shortcut was used on, as plain values from the payload."""

    channel_id: str
    ts: str
    text: str
    """As a person reads it (bot.text.readable_message_text)."""
    author_id: str
    bot_id: str = ""
    subtype: str = ""


@dataclass(frozen=True, slots=True)
class ConsentQuestion:
    """What the author of a message saved by someone else is asked."""

    lesson_id: int
    author_id: str
    saver_id: str
    text: str
    channel_id: str
    language: str


def check_message(message: ShortcutMessage) -> None:
    """Refuse a message no person wrote, or one without text."""
    if message.bot_id or message.subtype not in PERSON_SUBTYPES or not message.author_id:
        raise ShortcutOnBotMessage()
    if not message.text.strip() or not message.ts:
        raise ShortcutOnEmptyMessage()


def _network_of(session: Session, team_id: str, message: ShortcutMessage) -> Network:
    network = access.find_linked_network(session, team_id=team_id, channel_id=message.channel_id)
    if network is None:
        raise ShortcutOutsideNetwork()
    return network


class ShortcutService(Service):
    def open_case_intake(self, *, team_id: str, user_id: str, message: ShortcutMessage) -> IntakeOpening:
        """Whether the member may bring `message` in as a case, as `/case` decides (the agreements first).

        Raises ShortcutOnBotMessage, ShortcutOnEmptyMessage, ShortcutOutsideNetwork or NotAMember.
        """
        check_message(message)
        with unit_of_work(self._sessions) as session:
            return intake_opening(session, _network_of(session, team_id, message), user_id)

    def save_lesson(
        self, *, team_id: str, saver_id: str, message: ShortcutMessage, requester: Requester | None
    ) -> SavedLessonStatus:
        """Save `message` as a lesson of the channel's network, credited to `saver_id`: at once when it
        is their own, else pending while its author is asked (privately, once).

        Raises ShortcutOnBotMessage, ShortcutOnEmptyMessage, ShortcutOutsideNetwork, NotAMember, or
        LessonAlreadySaved / LessonAwaitingConsent when the message was saved before.
        """
        check_message(message)
        try:
            with unit_of_work(self._sessions) as session:
                network = _network_of(session, team_id, message)
                access.member(session, network, saver_id)
                saved = q.of_message(session=session, network_id=network.id or 0, message_ts=message.ts)
                if saved is not None and _asked_of(saved, saver_id):
                    return self._saved_by_its_author(session, saved, network, requester)
                _refuse_saved(saved)
                own = message.author_id == saver_id
                lesson = q.add(
                    session=session,
                    lesson=SavedLesson(
                        network_id=network.id or 0,
                        channel_id=message.channel_id,
                        message_ts=message.ts,
                        author_id=message.author_id,
                        saver_id=saver_id,
                        text=truncate(message.text.strip(), SAVED_LESSON_MAX),
                        status=SavedLessonStatus.APPROVED if own else SavedLessonStatus.PENDING,
                        saved_at=self._clock.now(),
                        approved_at=self._clock.now() if own else None,
                    ),
                )
                self._record_saved(session, network, lesson, requester)
                return lesson.status
        except IntegrityError:
            # Saved at the same moment by another click or delivery: that one counts.
            raise LessonAlreadySaved() from None

    def _record_saved(
        self, session: Session, network: Network, lesson: SavedLesson, requester: Requester | None
    ) -> None:
        if lesson.status == SavedLessonStatus.APPROVED:
            self._outbox.charter_changed(session, network.id or 0)
            self._outbox.notice(session, requester, "shortcuts.saved.own", language=network.language)
            return
        self._outbox.record(
            session, EffectKind.LESSON_CONSENT_ASK, key=f"lesson-consent-{lesson.id}", lesson_id=lesson.id
        )
        self._outbox.notice(
            session, requester, "shortcuts.saved.asked", language=network.language, author=lesson.author_id
        )

    def answer_consent(
        self, *, lesson_id: int, user_id: str, consent: bool, question: tuple[str, str] | None
    ) -> None:
        """The author says yes (the lesson is the network's) or no (it is deleted); the saver hears it,
        and the `question` (its channel and ts) shows the answer in place of its buttons.

        Raises LessonConsentGone when the lesson is gone, answered, or not `user_id`'s message.
        """
        with unit_of_work(self._sessions) as session:
            lesson = q.get(session=session, lesson_id=lesson_id, for_update=True)
            if lesson is None or lesson.author_id != user_id or lesson.status != SavedLessonStatus.PENDING:
                raise LessonConsentGone()
            network = access.live_network(session, lesson.network_id)
            if consent:
                self._approve(session, lesson, network)
            else:
                q.delete(session=session, rows=[lesson])
                self._tell_saver(session, lesson, network, "shortcuts.consent.saver_no")
            if question is not None:
                self._outbox.record(
                    session,
                    EffectKind.LESSON_CONSENT_ANSWERED,
                    consent=consent,
                    channel_id=question[0],
                    ts=question[1],
                    language=network.language,
                )

    def _saved_by_its_author(
        self, session: Session, lesson: SavedLesson, network: Network, requester: Requester | None
    ) -> SavedLessonStatus:
        """Its author saves the message they were asked about: that is their yes."""
        self._approve(session, lesson, network)
        agreed = "shortcuts.saved.agreed"
        self._outbox.notice(session, requester, agreed, language=network.language, saver=lesson.saver_id)
        return lesson.status

    def _approve(self, session: Session, lesson: SavedLesson, network: Network) -> None:
        """The author said yes: the lesson is the network's, and its saver hears so."""
        lesson.status = SavedLessonStatus.APPROVED
        lesson.approved_at = self._clock.now()
        q.save(session=session, row=lesson)
        self._outbox.charter_changed(session, network.id or 0)
        self._tell_saver(session, lesson, network, "shortcuts.consent.saver_yes")

    def drop_unasked(self, *, lesson_id: int) -> None:
        """A lesson whose author Slack will not let us ask (a deactivated account, no DM) is not kept
        without their consent: it goes, and its saver hears why."""
        with unit_of_work(self._sessions) as session:
            lesson = q.get(session=session, lesson_id=lesson_id, for_update=True)
            if lesson is None or lesson.status != SavedLessonStatus.PENDING:
                return
            q.delete(session=session, rows=[lesson])
            network = access.find_live_network(session, lesson.network_id)
            if network is not None:
                self._tell_saver(session, lesson, network, "shortcuts.consent.unreachable")

    def _tell_saver(self, session: Session, lesson: SavedLesson, network: Network, text_key: str) -> None:
        """Tell the member who saved the lesson, in their DM, what became of it."""
        self._outbox.record(
            session,
            EffectKind.LESSON_SAVER_TOLD,
            network_id=network.id,
            saver_id=lesson.saver_id,
            author_id=lesson.author_id,
            text_key=text_key,
            language=network.language,
        )

    def consent_question(self, *, lesson_id: int) -> ConsentQuestion | None:
        """The question for the lesson's author, while it waits for their answer; None otherwise."""
        with unit_of_work(self._sessions) as session:
            lesson = q.get(session=session, lesson_id=lesson_id)
            if lesson is None or lesson.status != SavedLessonStatus.PENDING:
                return None
            network = access.find_live_network(session, lesson.network_id)
            if network is None:
                return None
            return ConsentQuestion(
                lesson_id=lesson_id,
                author_id=lesson.author_id,
                saver_id=lesson.saver_id,
                text=lesson.text,
                channel_id=lesson.channel_id,
                language=network.language,
            )


def _asked_of(saved: SavedLesson, user_id: str) -> bool:
    """Whether the saved message waits for `user_id`'s answer as its author."""
    return saved.status == SavedLessonStatus.PENDING and saved.author_id == user_id


def _refuse_saved(saved: SavedLesson | None) -> None:
    if saved is None:
        return
    if saved.status == SavedLessonStatus.PENDING:
        raise LessonAwaitingConsent(author=saved.author_id)
    raise LessonAlreadySaved()


# ---------------------------------------------------------------------- my data and forget me


def saved_lessons_data(session: Session, network_id: int, user_id: str) -> list[dict[str, Any]]:
    """The lessons the user saved or wrote in the network, for `/netwerk mijn-gegevens`."""
    return [
        {
            "text": lesson.text,
            "saved_by_me": lesson.saver_id == user_id,
            "written_by_me": lesson.author_id == user_id,
            "status": str(lesson.status),
            "saved_at": lesson.saved_at.isoformat(),
        }
        for lesson in q.of_user(session=session, network_id=network_id, user_id=user_id)
    ]


def forget_saved_lessons(session: Session, network_id: int, user_id: str) -> None:
    """The lessons the user saved or wrote go: a lesson credited to nobody, or someone's words kept
    after they asked to be forgotten, is not the network's to keep."""
    q.delete(session=session, rows=q.of_user(session=session, network_id=network_id, user_id=user_id))
