"""Privacy by design: what is stored about a user, forgetting them, archiving and purging networks.

What forgetting keeps, and why:
- advice a user gave stays as a row without giver or text, marked removed (the views show a removal
  note in its place), so that the case's advice count stays true;
- their poll reactions and meeting scores stay as anonymous totals: the keyed hash that could find them
  again is replaced by a random one, so they still count as one respondent but are linked to no one;
- their written answers (anonymous or signed) and meeting takeaways are texts, not totals: deleted;
- their memberships are deleted: each closed poll already stored its member count;
- their intros, expectations, learning goals, votes, acceptances, recognitions and own cases go
  (a case as the cases service deletes it: an empty row, so its advisers' advice still counts);
- their look-backs at a network's wrap-up (how far they got, their lesson, their story) go too: the
  harvest is read from what remains.
"""

from __future__ import annotations

import secrets
from calendar import monthrange
from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.errors import LastFacilitatorCannotBeForgotten
from bot.errors import NetworkArchived
from bot.errors import NetworkGone
from bot.services import access
from bot.services.access import original_channel_id
from bot.services.archiving import archive_in
from bot.services.cases import CaseDeletion
from bot.services.cases import erase_case
from bot.services.journey_privacy import forget_in_journey
from bot.services.journey_privacy import journey_data
from bot.services.kickoff import record_group_changed
from bot.services.outbox import EffectKind
from bot.services.outbox import Requester
from bot.services.service import AnswerKeepingService
from bot.services.shortcuts import forget_saved_lessons
from bot.services.shortcuts import saved_lessons_data
from bot.services.thermometer import thermometer_answers_of
from bot.services.thermometer import unlink_thermometer_answers
from bot.services.wrap_up import look_backs_of
from storage import queries_follow_ups
from storage import queries_privacy
from storage import queries_safe
from storage.db import unit_of_work
from storage.models import AdviceSource
from storage.models import Case
from storage.models import CaseFollowUp
from storage.models import CheckinAnswer
from storage.models import CheckinReaction
from storage.models import Expectation
from storage.models import GoalVote
from storage.models import Intro
from storage.models import LearningGoal
from storage.models import MeetingEvaluation
from storage.models import Membership
from storage.models import Network
from storage.models import PairingMember
from storage.models import WrapUpAnswer

"""An archived network frees its channel: its channel_id becomes `<channel>#<network id>` (see archive)."""


@dataclass(frozen=True, slots=True)
class AdvicePost:
    """The bot's post of advice whose giver was forgotten: the removal note takes its place."""

    advice_id: int
    channel_id: str
    thread_ts: str
    language: str
    owner_id: str = ""
    """For a confidential case: the owner, in whose private messages the advice was posted."""


@dataclass(frozen=True, slots=True)
class Forgetting:
    """What forgetting a user erased that they are told about: their own cases."""

    cases: list[CaseDeletion] = field(default_factory=list)
    anything_stored: bool = True
    """False when nothing was stored about them: nothing changed, and their answer is not recorded."""


@dataclass(frozen=True, slots=True)
class Archival:
    network_id: int
    name: str
    channel_id: str
    language: str


def months_before(moment: datetime, months: int) -> datetime:
    """The same time `months` calendar months earlier (the 31st becomes the month's last day)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return moment.replace(year=year, month=month, day=min(moment.day, monthrange(year, month)[1]))


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _owned_case(case: Case) -> dict[str, Any]:
    return {
        "id": case.id,
        "title": case.title,
        "situation": case.situation,
        "question": case.question,
        "tried": case.tried,
        "help_wanted": case.help_wanted,
        "confidential": case.confidential,
        "status": str(case.status),
        "lesson": case.lesson,
        "lesson_shared": case.lesson_shared,
        "source_permalink": case.source_permalink,
        "created_at": _iso(case.created_at),
        "closed_at": _iso(case.closed_at),
    }


def _follow_up(follow_up: CaseFollowUp) -> dict[str, Any]:
    return {
        "case_id": follow_up.case_id,
        "plan": follow_up.plan,
        "due_at": _iso(follow_up.due_at),
        "state": str(follow_up.state),
        "outcome": str(follow_up.outcome) if follow_up.outcome else None,
        "answer": follow_up.answer,
        "answered_at": _iso(follow_up.answered_at),
    }


class PrivacyService(AnswerKeepingService):
    # ------------------------------------------------------------------ my data

    def send_my_data(self, *, team_id: str, user_id: str, requester: Requester, language: str) -> None:
        """Record that the user's data goes to their DM as a file, built when it is sent (see my_data)."""
        with unit_of_work(self._sessions) as session:
            self._outbox.record(
                session,
                EffectKind.PRIVACY_MY_DATA,
                team_id=team_id,
                user_id=user_id,
                requester=requester,
                language=language,
            )

    def my_data(self, *, team_id: str, user_id: str) -> dict[str, Any]:
        """All that is stored about the user in every network of the workspace they are or were in.

        Anonymous reactions, answers and evaluations are found by recomputing the keyed hash per poll
        and meeting: only this running bot can do that. Nothing about other people is included.
        """
        with unit_of_work(self._sessions) as session:
            networks = [
                entry
                for network in queries_privacy.networks_of_team(session=session, team_id=team_id)
                if (entry := self._network_data(session, network, user_id)) is not None
            ]
        return {
            "user_id": user_id,
            "team_id": team_id,
            "exported_at": self._clock.now().isoformat(),
            "networks": networks,
        }

    def _network_data(self, session: Any, network: Network, user_id: str) -> dict[str, Any] | None:
        network_id = network.id or 0
        mine = {"session": session, "network_id": network_id, "user_id": user_id}
        memberships = queries_privacy.rows_of_user(model=Membership, **mine)
        data: dict[str, Any] = {
            "memberships": [
                {"role": str(m.role), "joined_at": _iso(m.joined_at), "left_at": _iso(m.left_at)}
                for m in memberships
            ],
            "intros": [
                {
                    "job_role": i.job_role,
                    "organisation": i.organisation,
                    "gives": i.gives,
                    "wants": i.wants,
                    "practice_question": i.practice_question,
                    "updated_at": _iso(i.updated_at),
                }
                for i in queries_privacy.rows_of_user(model=Intro, **mine)
            ],
            "expectations": [
                {"text": e.text, "updated_at": _iso(e.updated_at)}
                for e in queries_privacy.rows_of_user(model=Expectation, **mine)
            ],
            "learning_goals": [g.text for g in queries_privacy.rows_of_user(model=LearningGoal, **mine)],
            "votes": [v.goal_key for v in queries_privacy.rows_of_user(model=GoalVote, **mine)],
            "agreement_acceptances": [
                {"version": version.version, "accepted_at": _iso(acceptance.accepted_at)}
                for acceptance, version in queries_privacy.acceptances_of_user(**mine)
            ],
            "cases": [_owned_case(c) for c in queries_privacy.cases_owned(**mine)],
            "rounds_led": [c.id for c in queries_privacy.rounds_led(**mine)],
            "advice_given": [
                {"case_id": a.case_id, "text": a.text, "created_at": _iso(a.created_at)}
                for a in queries_privacy.advice_given(**mine)
            ],
            "recognitions": [
                {"case_id": r.case_id, "created_at": _iso(r.created_at)}
                for r in queries_privacy.recognitions_given(**mine)
            ],
            "guest_invitations": [
                {"case_id": g.case_id, "invited_at": _iso(g.invited_at)}
                for g in queries_safe.invitations_of_user(**mine)
            ],
            "follow_ups": [_follow_up(f) for f in queries_follow_ups.of_owner(**mine)],
            "pairing_rounds": len(queries_privacy.rows_of_user(model=PairingMember, **mine)),
            # The network, meetings, schedules, agreements and the like that they set up (forget-me
            # takes their name off them; the records stay with the group).
            "records_set_up": queries_privacy.records_set_up_by(**mine),
            **self._anonymous_data(session, network_id, user_id),
            **journey_data(session, network_id, user_id),
            "thermometer_answers": thermometer_answers_of(
                session, self._respondents, network_id=network_id, user_id=user_id
            ),
            "saved_lessons": saved_lessons_data(session, network_id, user_id),
            "look_backs": look_backs_of(session, network_id=network_id, user_id=user_id),
        }
        if not any(data.values()):
            return None
        return {"network": _network_header(network), **data}

    def _anonymous_data(self, session: Session, network_id: int, user_id: str) -> dict[str, list[Any]]:
        reactions, answers, evaluations = self._anonymous_rows(session, network_id, user_id)
        return {
            "poll_reactions": [{"poll_id": r.poll_id, "emoji": r.emoji} for r in reactions],
            "poll_answers": [
                {
                    "poll_id": a.poll_id,
                    "question": str(a.question),
                    "text": a.text,
                    "signed": a.signed_by == user_id,
                }
                for a in answers
            ],
            "meeting_evaluations": [
                {"meeting_id": e.meeting_id, "usefulness": e.usefulness, "takeaway": e.takeaway}
                for e in evaluations
            ],
        }

    def _anonymous_rows(
        self, session: Session, network_id: int, user_id: str
    ) -> tuple[list[CheckinReaction], list[CheckinAnswer], list[MeetingEvaluation]]:
        """Their reactions, written answers and evaluations, poll by poll and meeting by meeting: found by
        recomputing the keyed hash (written answers also by their signature)."""
        reactions: list[CheckinReaction] = []
        answers: list[CheckinAnswer] = []
        for poll in queries_privacy.polls_of_network(session=session, network_id=network_id):
            poll_id = poll.id or 0
            respondent = self._respondents.of_poll(poll_id, user_id)
            reactions += queries_privacy.reactions_of(session=session, poll_id=poll_id, respondent=respondent)
            answers += queries_privacy.answers_of(
                session=session, poll_id=poll_id, respondent=respondent, user_id=user_id
            )
        evaluations: list[MeetingEvaluation] = []
        for meeting in queries_privacy.meetings_of_network(session=session, network_id=network_id):
            meeting_id = meeting.id or 0
            respondent = self._respondents.of_meeting(meeting_id, user_id)
            evaluations += queries_privacy.evaluations_of(
                session=session, meeting_id=meeting_id, respondent=respondent
            )
        return reactions, answers, evaluations

    # ------------------------------------------------------------------ forget me

    def forget(
        self, *, team_id: str, user_id: str, requester: Requester | None = None, language: str = ""
    ) -> Forgetting:
        """Erase the user's personal data in every network of the workspace, in one unit of work, and
        record the clean-up in Slack: their case cards and intro cards go, the bot's posts of their
        advice make way for the removal note, and `requester` is told (in `language`) unless nothing
        was stored about them (the caller answers then: nothing changed).

        Raises LastFacilitatorCannotBeForgotten (naming the network) when they are the only active
        facilitator of a network that is not archived: nothing is erased then.
        """
        now = self._clock.now()
        deletions: list[CaseDeletion] = []
        with unit_of_work(self._sessions) as session:
            networks = queries_privacy.networks_of_team(session=session, team_id=team_id)
            for network in networks:
                if network.archived_at is not None:
                    continue
                if access.facilitator_ids(session, network.id or 0) == [user_id]:
                    raise LastFacilitatorCannotBeForgotten(network=network.name)
            stored = any(self._network_data(session, network, user_id) for network in networks)
            for network in networks:
                deletions += self._forget_in(session, network, user_id, now)
            forgetting = Forgetting(cases=deletions, anything_stored=stored)
            if requester is not None and stored:
                self._outbox.record(
                    session,
                    EffectKind.PRIVACY_FORGOTTEN,
                    requester=requester,
                    language=language,
                    cases=len(deletions),
                )
        return forgetting

    def _forget_in(
        self, session: Session, network: Network, user_id: str, now: datetime
    ) -> list[CaseDeletion]:
        network_id = network.id or 0
        mine = {"session": session, "network_id": network_id, "user_id": user_id}
        channel_id = original_channel_id(network)
        intros = queries_privacy.rows_of_user(model=Intro, **mine)
        for intro in intros:
            if intro.card_ts:
                self._outbox.record(
                    session, EffectKind.PRIVACY_DELETE_POST, channel_id=channel_id, ts=intro.card_ts
                )
        deletions = [
            erase_case(session, case, network, now=now, outbox=self._outbox)
            for case in queries_privacy.cases_owned(**mine, for_update=True)
        ]
        for case in queries_privacy.rounds_led(**mine):
            case.round_lead_id = None
            session.add(case)
        for advice, card_ts in queries_privacy.advice_given_with_card(**mine):
            if advice.source == AdviceSource.MODAL and card_ts:
                self._outbox.record(session, EffectKind.PRIVACY_ADVICE_REMOVED, advice_id=advice.id)
            advice.giver_id = ""
            advice.text = ""
            advice.removed = True
            advice.message_ts = None
            session.add(advice)
        took_part = bool(queries_privacy.rows_of_user(model=Membership, **mine))
        forget_in_journey(session, self._outbox, network, user_id, now)
        self._forget_answers_and_rows(session, network, user_id, intros)
        unlink_thermometer_answers(session, self._respondents, network_id=network_id, user_id=user_id)
        forget_saved_lessons(session, network_id, user_id)
        if took_part:
            # Their words and votes leave the map, their acceptance the agreements' count, and their name,
            # goals and lessons the charter.
            record_group_changed(self._outbox, session, network_id)
            # The agendas posted for meetings to come name them in a role, by their topics or their cases.
            for meeting in queries_privacy.meetings_of_network(session=session, network_id=network_id):
                if meeting.agenda_ts is not None and meeting.starts_at > now:
                    self._outbox.record(session, EffectKind.MEETING_AGENDA_REFRESH, meeting_id=meeting.id)
        return deletions

    def _forget_answers_and_rows(
        self, session: Session, network: Network, user_id: str, intros: list[Intro]
    ) -> None:
        network_id = network.id or 0
        mine = {"session": session, "network_id": network_id, "user_id": user_id}
        rows: list[object] = [
            *intros,
            *queries_privacy.rows_of_user(model=Expectation, **mine),
            *queries_privacy.rows_of_user(model=LearningGoal, **mine),
            *queries_privacy.rows_of_user(model=GoalVote, **mine),
            *queries_privacy.rows_of_user(model=Membership, **mine),
            *queries_privacy.recognitions_given(**mine),
            *queries_privacy.rows_of_user(model=PairingMember, **mine),
            *(acceptance for acceptance, _ in queries_privacy.acceptances_of_user(**mine)),
            *queries_safe.invitations_of_user(**mine),
            # Their look-backs at the wrap-up (how far they got, the lesson, the story) go with them.
            *queries_privacy.rows_of_user(model=WrapUpAnswer, **mine),
        ]
        reactions, answers, evaluations = self._anonymous_rows(session, network_id, user_id)
        # A poll's reactions stay one respondent's, though nobody can tell whose any more.
        unlinked: defaultdict[int, str] = defaultdict(_random_respondent)
        for reaction in reactions:
            reaction.respondent = unlinked[reaction.poll_id]
            session.add(reaction)
        rows += answers
        for evaluation in evaluations:
            evaluation.respondent = _random_respondent()
            evaluation.takeaway = ""
            session.add(evaluation)
        queries_privacy.delete_rows(session=session, rows=rows)
        # Others' votes for a goal only this user proposed carry its wording: the goal is gone, so are they.
        queries_privacy.delete_rows(
            session=session,
            rows=list(queries_privacy.votes_without_goal(session=session, network_id=network_id)),
        )
        queries_privacy.blank_user_in_network_records(**mine)

    # ------------------------------------------------------------------ archive and purge

    def check_can_archive(self, *, team_id: str, channel_id: str, user_id: str) -> Archival:
        """The channel's network, if `user_id` may archive it. Raises ChannelNotLinked, NotAMember or
        NotAFacilitator."""
        with unit_of_work(self._sessions) as session:
            network = access.linked_network(session, team_id=team_id, channel_id=channel_id)
            access.facilitator(session, network, user_id)
            return _archival(network)

    def archive(self, *, network_id: int, by_user_id: str, requester: Requester | None = None) -> Archival:
        """Archive the network; only its facilitators may. The channel is freed: `/netwerk start` there
        links a new network, and nothing new happens in the archived one. The channel is told, and
        `requester` too. Raises NetworkArchived (also when it was archived before), NotAMember or
        NotAFacilitator.
        """
        with unit_of_work(self._sessions) as session:
            network = queries_privacy.get_network_for_update(session=session, network_id=network_id)
            if network is None or network.archived_at is not None:
                raise NetworkArchived()
            access.facilitator(session, network, by_user_id)
            archive_in(session, network, by_user_id=by_user_id, now=self._clock.now(), outbox=self._outbox)
            if requester is not None:
                self._outbox.record(
                    session,
                    EffectKind.PRIVACY_ARCHIVE_DONE,
                    network_id=network_id,
                    requester=requester,
                )
            return _archival(network)

    def archival(self, *, network_id: int) -> Archival:
        """An archived network as its announcement shows it. Raises NetworkGone once it is purged."""
        with unit_of_work(self._sessions) as session:
            network = session.get(Network, network_id)
            if network is None:
                raise NetworkGone()
            return _archival(network)

    def removed_advice(self, *, advice_id: int) -> AdvicePost | None:
        """The bot's post of removed advice, to show the removal note in; None when there is none to
        change (the advice or its case's card is gone)."""
        with unit_of_work(self._sessions) as session:
            found = queries_privacy.removed_advice_post(session=session, advice_id=advice_id)
            if found is None:
                return None
            network, card_ts, owner_id = found
            return AdvicePost(
                advice_id=advice_id,
                channel_id=original_channel_id(network),
                thread_ts=card_ts,
                language=network.language,
                owner_id=owner_id,
            )

    def purge_expired(self, *, retention_months: int) -> list[int]:
        """Purge as of now (see purge)."""
        return self.purge(now=self._clock.now(), retention_months=retention_months)

    def purge(self, *, now: datetime, retention_months: int) -> list[int]:
        """Delete every network archived more than `retention_months` before `now`, with all under it.

        One unit of work: all of them or none. Returns the ids of the networks purged.
        """
        cutoff = months_before(now, retention_months)
        with unit_of_work(self._sessions) as session:
            networks = queries_privacy.archived_before(session=session, cutoff=cutoff)
            purged = [network.id or 0 for network in networks]
            for network_id in purged:
                queries_privacy.delete_network(session=session, network_id=network_id)
        return purged


def _archival(network: Network) -> Archival:
    return Archival(
        network_id=network.id or 0,
        name=network.name,
        channel_id=original_channel_id(network),
        language=network.language,
    )


def _random_respondent() -> str:
    """A respondent no key can reproduce: the row still counts once, for no one."""
    return secrets.token_hex(32)


def _network_header(network: Network) -> dict[str, Any]:
    return {
        "id": network.id,
        "name": network.name,
        "channel_id": original_channel_id(network),
        "archived_at": _iso(network.archived_at),
    }
