"""Expectations and learning goals, and the expectations map on which members dot-vote the goals."""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime

from sqlmodel import Session

from bot.errors import GoalNotOnMap
from bot.errors import InvalidInput
from bot.errors import NothingToMap
from bot.errors import VotesUsedUp
from bot.services import access
from bot.services import lookups
from bot.services.input_checks import Problems
from bot.services.input_checks import check_length
from bot.services.kickoff import retry_on_conflict
from bot.services.outbox import EffectKind
from bot.services.outbox import Requester
from bot.services.service import Service
from storage import queries
from storage import queries_kickoff as kq
from storage.db import unit_of_work
from storage.models import Expectation
from storage.models import ExpectationsMap
from storage.models import GoalVote
from storage.models import LearningGoal
from storage.models import Network
from storage.models.kickoff import EXPECTATION_MAX
from storage.models.kickoff import GOAL_KEY_MAX
from storage.models.kickoff import LEARNING_GOAL_MAX
from storage.models.kickoff import LEARNING_GOALS_PER_MEMBER
from storage.models.kickoff import VOTES_PER_MEMBER


def goal_key(text: str) -> str:
    """The wording of a learning goal with what does not make it another goal taken out: case,
    accents (Unicode NFKD, combining marks dropped), punctuation and symbols, and extra spacing."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(
        character
        for character in decomposed
        if not unicodedata.combining(character) and unicodedata.category(character)[0] not in "PS"
    )
    return " ".join(kept.split())[:GOAL_KEY_MAX]


def goal_ref(key: str) -> str:
    """A short, stable name for a goal, for buttons and options (whose values Slack limits)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class ExpectationAnswers:
    """What a member fills in: their expectations of the network and up to three learning goals."""

    text: str
    goals: tuple[str, ...] = ()


def validate_expectations(answers: ExpectationAnswers) -> Problems:
    """Problems by field name (`text`, `goal_1` … `goal_3`) as catalog keys with values; empty if none."""
    problems: Problems = {}
    check_length(problems, "text", answers.text.strip(), EXPECTATION_MAX, required=True)
    if len(answers.goals) > LEARNING_GOALS_PER_MEMBER:
        raise ValueError(f"at most {LEARNING_GOALS_PER_MEMBER} learning goals")
    for position, goal in enumerate(answers.goals, 1):
        goal = goal.strip()
        name = f"goal_{position}"
        check_length(problems, name, goal, LEARNING_GOAL_MAX)
        if name not in problems and goal and not goal_key(goal):
            problems[name] = ("kickoff.expectations.goal_without_words", {})
    return problems


@dataclass(frozen=True, slots=True)
class MapGoal:
    """One learning goal on the map: every wording of it grouped, with the current members' votes."""

    key: str
    text: str
    """The wording most members used; the first one written when there is a tie."""
    wordings: tuple[str, ...]
    proposer_ids: tuple[str, ...]
    voter_ids: tuple[str, ...]
    first_written_at: datetime

    @property
    def votes(self) -> int:
        return len(self.voter_ids)

    @property
    def ref(self) -> str:
        return goal_ref(self.key)


@dataclass(frozen=True, slots=True)
class GoalLine:
    """A learning goal as the summary and the charter list it: its wording and its votes."""

    text: str
    votes: int


def group_goals(
    goals: Iterable[LearningGoal], votes: Iterable[GoalVote], *, voter_ids: set[str]
) -> list[MapGoal]:
    """The learning goals grouped by key, most-voted first (then most proposed, then oldest).

    Only the votes of `voter_ids` (the current members) count: who left takes their dots along, and
    gets them back on returning.
    """
    by_key: dict[str, list[LearningGoal]] = {}
    for goal in sorted(goals, key=lambda g: (g.created_at, g.id or 0)):
        by_key.setdefault(goal.goal_key, []).append(goal)
    voters: dict[str, list[str]] = {}
    for vote in votes:
        if vote.user_id in voter_ids and vote.goal_key in by_key:
            voters.setdefault(vote.goal_key, []).append(vote.user_id)
    grouped = []
    for key, written in by_key.items():
        wordings = list(dict.fromkeys(goal.text for goal in written))
        counts = Counter(goal.text for goal in written)
        most_used = max(wordings, key=lambda wording: counts[wording])  # max keeps the first of a tie
        grouped.append(
            MapGoal(
                key=key,
                text=most_used,
                wordings=tuple(wordings),
                proposer_ids=tuple(dict.fromkeys(goal.user_id for goal in written)),
                voter_ids=tuple(sorted(voters.get(key, []))),
                first_written_at=written[0].created_at,
            )
        )
    grouped.sort(key=lambda g: (-g.votes, -len(g.proposer_ids), g.first_written_at, g.key))
    return grouped


def network_goals(session: Session, network_id: int, *, voter_ids: set[str]) -> list[MapGoal]:
    """The network's learning goals as group_goals groups them, counting the votes of `voter_ids`."""
    return group_goals(
        kq.list_learning_goals(session=session, network_id=network_id),
        kq.list_votes(session=session, network_id=network_id),
        voter_ids=voter_ids,
    )


@dataclass(frozen=True, slots=True)
class ExpectationsOverview:
    """All the expectations map shows, and where it is posted."""

    network: Network
    goals: list[MapGoal]
    expectations: list[Expectation]
    map_message: ExpectationsMap | None
    votes_per_member: int = VOTES_PER_MEMBER

    def goal(self, ref: str) -> MapGoal | None:
        return next((goal for goal in self.goals if goal.ref == ref), None)


@dataclass(frozen=True, slots=True)
class MemberExpectations:
    expectation: Expectation | None
    goals: list[LearningGoal] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class VoteOutcome:
    goal: MapGoal
    """The goal as it stands after the vote."""
    added: bool
    """True when the click added a vote, False when it took one back."""
    votes_left: int
    overview: ExpectationsOverview


class ExpectationService(Service):
    def current(self, *, network_id: int, user_id: str) -> MemberExpectations:
        """What the member wrote so far. Raises ChannelNotLinked or NotAMember."""
        with unit_of_work(self._sessions) as session:
            lookups.member_network(session, network_id, user_id)
            return MemberExpectations(
                expectation=kq.get_expectation(session=session, network_id=network_id, user_id=user_id),
                goals=kq.list_learning_goals(session=session, network_id=network_id, user_id=user_id),
            )

    def save(
        self,
        *,
        network_id: int,
        user_id: str,
        answers: ExpectationAnswers,
        requester: Requester | None = None,
    ) -> ExpectationsOverview:
        """Write the member's expectations and learning goals, replacing earlier ones, in one go.

        A goal written twice by the same member counts once. Votes on a goal that nobody proposes any
        more are dropped, so their voters can use them again. A posted map is to show the change, and
        the requester is told. Returns the map as it now stands.
        Raises InvalidInput, ChannelNotLinked or NotAMember; writes nothing then.
        """
        InvalidInput.raise_if_any(validate_expectations(answers))
        text = answers.text.strip()
        goals: dict[str, str] = {}
        for goal in (goal.strip() for goal in answers.goals):
            if goal:
                goals.setdefault(goal_key(goal), goal)

        def write() -> ExpectationsOverview:
            now = self._clock.now()
            with unit_of_work(self._sessions) as session:
                network = lookups.member_network(session, network_id, user_id)
                expectation = kq.get_expectation(session=session, network_id=network_id, user_id=user_id)
                if expectation is None:
                    expectation = Expectation(
                        network_id=network_id, user_id=user_id, text=text, created_at=now, updated_at=now
                    )
                expectation.text = text
                expectation.updated_at = now
                kq.add(session=session, row=expectation)
                kq.replace_learning_goals(
                    session=session,
                    network_id=network_id,
                    user_id=user_id,
                    goals=[(wording, key) for key, wording in goals.items()],
                    now=now,
                )
                kq.delete_votes_for_missing_goals(session=session, network_id=network_id)
                self._outbox.charter_changed(session, network_id)
                overview = self._overview(session, network_id)
                if overview.map_message is not None:
                    self._outbox.record(session, EffectKind.EXPECTATIONS_MAP_REFRESH, network_id=network_id)
                saved = "saved_map_updated" if overview.map_message else "saved"
                self._outbox.notice(
                    session, requester, f"kickoff.expectations.{saved}", language=network.language
                )
                return overview

        return retry_on_conflict(write)

    def overview(self, *, network_id: int, user_id: str) -> ExpectationsOverview:
        """The map to post. Raises ChannelNotLinked, NotAMember, or NothingToMap while nobody has
        written expectations or learning goals."""
        with unit_of_work(self._sessions) as session:
            return self._mappable(session, network_id, user_id)

    def post_map(
        self, *, network_id: int, user_id: str, channel_id: str, requester: Requester | None = None
    ) -> None:
        """Record that the map is to be posted in `channel_id`, replacing the one posted before.

        Raises ChannelNotLinked, NotAMember, or NothingToMap (writes nothing then).
        """
        with unit_of_work(self._sessions) as session:
            network = self._mappable(session, network_id, user_id).network
            self._outbox.record(
                session,
                EffectKind.EXPECTATIONS_MAP,
                network_id=network_id,
                channel_id=channel_id,
                posted_by=user_id,
                requester=requester,
                language=network.language,
            )

    def current_map(self, *, network_id: int) -> ExpectationsOverview:
        """The map as it stands now, to post it. Raises ChannelNotLinked."""
        with unit_of_work(self._sessions) as session:
            return self._overview(session, network_id)

    def posted_map(self, *, network_id: int) -> ExpectationsOverview | None:
        """The map as it stands, to refresh its message after the group changed (only the current
        members' votes count); None when no map is posted (or the network is purged).

        An archived network's map follows too: its group changes only when someone is forgotten, and
        their words and votes leave the message that is still in the channel.
        """
        with unit_of_work(self._sessions) as session:
            network = kq.get_network(session=session, network_id=network_id)
            if network is None:
                return None
            overview = self._overview(session, network_id, network=network)
        return overview if overview.map_message is not None else None

    def record_map(
        self, *, network_id: int, channel_id: str, message_ts: str, posted_by: str
    ) -> ExpectationsMap | None:
        """Make the posted message the network's map; returns the map it replaces, if any."""

        def write() -> ExpectationsMap | None:
            with unit_of_work(self._sessions) as session:
                current = kq.get_expectations_map(session=session, network_id=network_id)
                previous = None
                if current is None:
                    current = ExpectationsMap(network_id=network_id)
                else:
                    previous = ExpectationsMap.model_validate(current.model_dump())
                current.channel_id = channel_id
                current.message_ts = message_ts
                current.posted_by = posted_by
                current.posted_at = self._clock.now()
                kq.add(session=session, row=current)
                return previous

        return retry_on_conflict(write)

    def toggle_vote(
        self, *, network_id: int, user_id: str, ref: str, requester: Requester | None = None
    ) -> VoteOutcome:
        """Add the member's vote to the goal, or take it back if they had voted for it; the voter is
        told what the click did, and the map is to show it.

        Each member has three votes. The check and the write happen in one unit of work under unique
        keys, so clicks that race (even from several bot processes) never lose a vote nor grant a
        fourth. Raises ChannelNotLinked, NotAMember (also for a member who left), GoalNotOnMap, or
        VotesUsedUp.
        """

        def write() -> VoteOutcome:
            with unit_of_work(self._sessions) as session:
                lookups.member_network(session, network_id, user_id)
                overview = self._overview(session, network_id)
                goal = overview.goal(ref)
                if goal is None:
                    raise GoalNotOnMap()
                mine = kq.list_votes(session=session, network_id=network_id, user_id=user_id)
                existing = next((vote for vote in mine if vote.goal_key == goal.key), None)
                if existing is not None:
                    kq.delete_vote(session=session, vote=existing)
                    added = False
                    used = len(mine) - 1
                else:
                    taken = {vote.slot for vote in mine}
                    free = [slot for slot in range(1, VOTES_PER_MEMBER + 1) if slot not in taken]
                    if not free:
                        raise VotesUsedUp(votes=VOTES_PER_MEMBER)
                    kq.add(
                        session=session,
                        row=GoalVote(
                            network_id=network_id,
                            user_id=user_id,
                            goal_key=goal.key,
                            slot=free[0],
                            created_at=self._clock.now(),
                        ),
                    )
                    added = True
                    used = len(mine) + 1
                after = self._overview(session, network_id)
                outcome = VoteOutcome(
                    goal=after.goal(ref) or goal,
                    added=added,
                    votes_left=VOTES_PER_MEMBER - used,
                    overview=after,
                )
                self._record_vote_effects(session, outcome, requester)
                return outcome

        return retry_on_conflict(write)

    def _record_vote_effects(
        self, session: Session, outcome: VoteOutcome, requester: Requester | None
    ) -> None:
        network = outcome.overview.network
        if requester is not None:
            self._outbox.record(
                session,
                EffectKind.VOTE_FEEDBACK,
                requester=requester,
                network_id=network.id,
                ref=outcome.goal.ref,
                added=outcome.added,
                votes_left=outcome.votes_left,
                language=network.language,
            )
        self._outbox.record(session, EffectKind.EXPECTATIONS_MAP_REFRESH, network_id=network.id)
        self._outbox.charter_changed(session, network.id or 0)

    def goal(self, *, network_id: int, ref: str) -> MapGoal | None:
        """The goal as the map shows it now, or None when nobody proposes it any more."""
        with unit_of_work(self._sessions) as session:
            return self._overview(session, network_id).goal(ref)

    def _mappable(self, session: Session, network_id: int, user_id: str) -> ExpectationsOverview:
        lookups.member_network(session, network_id, user_id)
        overview = self._overview(session, network_id)
        if not overview.goals and not overview.expectations:
            raise NothingToMap()
        return overview

    def _overview(
        self, session: Session, network_id: int, network: Network | None = None
    ) -> ExpectationsOverview:
        """The map of the live network (raises ChannelNotLinked when archived), or of `network` as given."""
        network = network or access.live_network(session, network_id)
        members = {m.user_id for m in queries.list_memberships(session=session, network_id=network_id)}
        goals = network_goals(session, network_id, voter_ids=members)
        expectations = [
            expectation
            for expectation in kq.list_expectations(session=session, network_id=network_id)
            if expectation.user_id in members
        ]
        return ExpectationsOverview(
            network=network,
            goals=goals,
            expectations=expectations,
            map_message=kq.get_expectations_map(session=session, network_id=network_id),
        )
