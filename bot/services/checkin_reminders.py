"""The halfway reminder of a check-in poll: once per poll, to the members who have not answered yet."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from bot.services import access
from bot.services.checkin_common import active_memberships
from bot.services.checkin_common import respondents_of
from bot.services.checkin_polls import PollPost
from bot.services.checkin_polls import poll_post
from bot.services.pauses import covers_in
from bot.services.service import AnswerKeepingService
from storage import queries_checkins as q
from storage.db import unit_of_work
from storage.models import CheckinPoll
from storage.models import Network


@dataclass(frozen=True, slots=True)
class Reminder:
    post: PollPost
    user_ids: list[str]


class CheckinReminderService(AnswerKeepingService):
    def claim_due_reminders(self) -> list[Reminder]:
        """Claim the halfway reminder of every open poll due one: at most one reminder per poll, ever.

        Each comes with the members who have not answered yet (neither a reaction nor a written answer).
        """
        now = self._clock.now()
        reminders: list[Reminder] = []
        with unit_of_work(self._sessions) as session:
            due = q.polls_due_a_reminder(session=session, now=now)
        for candidate in due:
            with unit_of_work(self._sessions) as session:
                # A reminder that falls in a pause, or in an archived network, is claimed all the same:
                # skipped, never sent later.
                claimed = q.claim_reminder(session=session, poll_id=candidate.id or 0, now=now)
                network = access.find_live_network(session, candidate.network_id)
                skipped = network is None or covers_in(session, network, candidate.remind_at or now)
                if claimed and not skipped:
                    reminders.append(self._reminder(session, candidate))
        return reminders

    def _reminder(self, session: Session, poll: CheckinPoll) -> Reminder:
        poll_id = poll.id or 0
        answered = respondents_of(
            q.list_reactions(session=session, poll_ids=[poll_id]),
            q.list_answers(session=session, poll_ids=[poll_id]),
        )
        members = active_memberships(session, poll.network_id)
        return Reminder(
            post=poll_post(poll, session.get(Network, poll.network_id)),
            user_ids=[
                m.user_id for m in members if self._respondents.of_poll(poll_id, m.user_id) not in answered
            ],
        )
