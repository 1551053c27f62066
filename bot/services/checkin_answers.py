"""The answers to a check-in poll: reactions of the scale and written answers, kept anonymous.

Who answered is kept only as `Respondents` computes it: a keyed hash of the poll and the member, with a
key the database never holds. A reaction is counted once however often Slack delivers it, and when the
poll closes the reactions on its message are reconciled with the counted ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.errors import InvalidInput
from bot.errors import PollClosed
from bot.errors import PollNotFound
from bot.services import access
from bot.services import lookups
from bot.services.checkin_common import SCALE
from bot.services.checkin_common import active_memberships
from bot.services.checkin_common import normalise_emoji
from bot.services.input_checks import Problems
from bot.services.input_checks import text_problems
from bot.services.outbox import Requester
from bot.services.service import AnswerKeepingService
from storage import queries
from storage import queries_checkins as q
from storage.db import unit_of_work
from storage.models import CheckinAnswer
from storage.models import CheckinPoll
from storage.models import CheckinReaction
from storage.models.checkins import ANSWER_MAX
from storage.models.checkins import PollStatus
from storage.models.checkins import Question


@dataclass(frozen=True, slots=True)
class AnswerDraft:
    poll_id: int
    question: Question
    language: str
    text: str
    signed: bool


def validate_answer_text(text: str) -> Problems:
    return text_problems("text", text.strip(), ANSWER_MAX, required=True)


class CheckinAnswerService(AnswerKeepingService):
    # ------------------------------------------------------------------ reactions

    def record_reaction(
        self,
        *,
        channel_id: str,
        message_ts: str,
        user_id: str,
        emoji: str,
        added: bool,
        event_id: str,
        reacted_at: datetime | None = None,
    ) -> bool:
        """Count (or uncount) a reaction; True if it changed a poll's answers.

        Only reactions on a poll still taking answers, in a network not archived, with an emoji of the
        scale, by a member of the network count; an event delivered before (the same event_id) or a
        reaction already counted changes nothing. A respondent's answer is the scale emoji they added
        last and still have.
        """
        now = self._clock.now()
        name = normalise_emoji(emoji)
        if name not in SCALE:
            return False
        try:
            with unit_of_work(self._sessions) as session:
                poll = q.get_poll_by_message(session=session, channel_id=channel_id, message_ts=message_ts)
                if poll is None or poll.status not in (PollStatus.POSTED, PollStatus.OPEN):
                    return False
                if access.find_live_network(session, poll.network_id) is None:
                    return False  # an archived network takes no answers
                members = active_memberships(session, poll.network_id)
                if not any(m.user_id == user_id for m in members):
                    return False
                if not queries.claim_event(session=session, event_id=event_id, received_at=now):
                    return False
                poll_id = poll.id or 0
                respondent = self._respondents.of_poll(poll_id, user_id)
                if not added:
                    return q.remove_reaction(
                        session=session, poll_id=poll_id, respondent=respondent, emoji=name
                    )
                if (
                    q.get_reaction(session=session, poll_id=poll_id, respondent=respondent, emoji=name)
                    is not None
                ):
                    return False
                reaction = CheckinReaction(
                    poll_id=poll_id, respondent=respondent, emoji=name, reacted_at=reacted_at or now
                )
                q.add_reaction(session=session, reaction=reaction)
        except IntegrityError:
            # The same reaction, delivered twice at once: the other delivery counted it.
            return False
        return True

    def reconcile_reactions(self, *, poll_id: int, on_message: Mapping[str, Iterable[str]]) -> bool:
        """Make the members' counted answers match the reactions on the poll message; True if any changed.

        `on_message` is emoji name → the users who have it on the message now, as Slack tells when the
        poll closes. An event Slack gave up re-delivering (the bot was down longer than its retries, or
        the database was) is counted this way after all, and a removal that never arrived is undone. A
        reaction found only now counts as added at this moment. Only members' reactions are looked at:
        someone who left or was forgotten is not brought back.
        """
        now = self._clock.now()
        with unit_of_work(self._sessions) as session:
            poll = q.get_poll(session=session, poll_id=poll_id)
            if poll is None or poll.status not in (PollStatus.POSTED, PollStatus.OPEN, PollStatus.CLOSING):
                return False
            members = {m.user_id for m in active_memberships(session, poll.network_id)}
            key_of = {user_id: self._respondents.of_poll(poll_id, user_id) for user_id in members}
            present = {
                (key_of[user_id], normalise_emoji(emoji))
                for emoji, user_ids in on_message.items()
                if normalise_emoji(emoji) in SCALE
                for user_id in user_ids
                if user_id in key_of
            }
            counted = {
                (r.respondent, r.emoji)
                for r in q.list_reactions(session=session, poll_ids=[poll_id])
                if r.respondent in key_of.values()
            }
            for respondent, emoji in counted - present:
                q.remove_reaction(session=session, poll_id=poll_id, respondent=respondent, emoji=emoji)
            for respondent, emoji in sorted(present - counted):
                q.add_reaction(
                    session=session,
                    reaction=CheckinReaction(
                        poll_id=poll_id, respondent=respondent, emoji=emoji, reacted_at=now
                    ),
                )
            return counted != present

    # ------------------------------------------------------------------ written answers

    def answer_draft(self, *, poll_id: int, user_id: str, question: str) -> AnswerDraft:
        """What the member wrote before to `question` (empty if nothing), to edit in the modal.

        Raises PollNotFound, PollClosed, ChannelNotLinked (an archived network), or NotAMember.
        """
        with unit_of_work(self._sessions) as session:
            poll = self._answerable_poll(session, poll_id, user_id, question)
            existing = q.get_answer(
                session=session,
                poll_id=poll_id,
                question=Question(question),
                respondent=self._respondents.of_poll(poll_id, user_id),
            )
            return AnswerDraft(
                poll_id=poll_id,
                question=Question(question),
                language=poll.language,
                text=existing.text if existing else "",
                signed=bool(existing and existing.signed_by),
            )

    def save_answer(
        self,
        *,
        poll_id: int,
        user_id: str,
        question: str,
        text: str,
        signed: bool,
        requester: Requester | None = None,
    ) -> str:
        """Keep the member's written answer (replacing an earlier one), and thank `requester` once it is
        kept; returns the poll's language.

        Anonymous unless `signed`: then the member's user id is kept with it, to be shown beside it.
        Raises InvalidInput (empty or too long), PollNotFound, PollClosed, ChannelNotLinked (an archived
        network), or NotAMember.
        """
        InvalidInput.raise_if_any(validate_answer_text(text))
        try:
            with unit_of_work(self._sessions) as session:
                poll = self._answerable_poll(session, poll_id, user_id, question)
                respondent = self._respondents.of_poll(poll_id, user_id)
                answer = q.get_answer(
                    session=session, poll_id=poll_id, question=Question(question), respondent=respondent
                ) or CheckinAnswer(
                    poll_id=poll_id, question=Question(question), respondent=respondent, text=""
                )
                answer.text = text.strip()
                answer.signed_by = user_id if signed else None
                q.save_answer(session=session, answer=answer)
                self._outbox.notice(session, requester, "checkins.answer.thanks", language=poll.language)
                return poll.language
        except IntegrityError:
            # The same person submitted twice at once; the other submission is kept.
            return self.poll_language(poll_id=poll_id) or "nl"

    def _answerable_poll(self, session: Session, poll_id: int, user_id: str, question: str) -> CheckinPoll:
        if question not in set(Question):
            raise PollNotFound()
        poll = q.get_poll(session=session, poll_id=poll_id)
        if poll is None:
            raise PollNotFound()
        if poll.status not in (PollStatus.POSTED, PollStatus.OPEN):
            raise PollClosed()
        lookups.member_network(session, poll.network_id, user_id)
        return poll

    def poll_language(self, *, poll_id: int) -> str | None:
        with unit_of_work(self._sessions) as session:
            poll = q.get_poll(session=session, poll_id=poll_id)
            return poll.language if poll else None
