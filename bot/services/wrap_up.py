"""Closing the network: the closing ritual over a period a facilitator chooses, then the harvest and the
archive.

Each active member looks back: how far they got on the learning goals most voted for at the kickoff
(1 to 5 each), what they mainly take away as a lesson from the network (the closing round), and, if they
wish, a short value story (what they took part in, what they did differently because of it, what it
yielded). At the close the harvest is posted: the goals and how far the group got, the lessons, the
stories their writers chose to share, the figures of the network's life; then the network is archived.

Exactly once, across restarts and processes: a network has at most one wrap-up (a unique key), created in
the transaction that records its announcement and invitations; its close is a compare-and-set of its
status, in the transaction that records the harvest and archives the network. The harvest is read from
the database when it is shown, so what forget-me erased is not in it.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.errors import InvalidInput
from bot.errors import WrapUpAlreadyStarted
from bot.errors import WrapUpClosed
from bot.errors import WrapUpNotFound
from bot.services import access
from bot.services import lookups
from bot.services.answer_periods import answerable
from bot.services.answer_periods import close_once
from bot.services.answer_periods import record_message
from bot.services.archiving import archive_in
from bot.services.checkin_common import active_memberships
from bot.services.expectations import network_goals
from bot.services.input_checks import Problems
from bot.services.input_checks import check_length
from bot.services.input_checks import whole_number_between
from bot.services.lessons import LessonSource
from bot.services.lessons import gather_lessons
from bot.services.outbox import EffectKind
from bot.services.outbox import Requester
from bot.services.service import Service
from bot.services.thermometer import round_history
from storage import queries_wrap_up as q
from storage.db import unit_of_work
from storage.models import Network
from storage.models import WrapUp
from storage.models import WrapUpAnswer
from storage.models.base import AnswerPeriodStatus
from storage.models.wrap_up import LOOK_BACK_TEXT_MAX
from storage.models.wrap_up import STORY_PART_MAX

DEFAULT_PERIOD = timedelta(days=14)
"""The ritual takes two weeks unless the facilitator chooses otherwise."""
LONGEST_PERIOD = timedelta(days=92)
"""About three months: a later end is a typing error more likely than a plan."""
CLOSE_AT = time(17, 0)
"""The ritual closes at the end of the working day of its last day, local time."""
TOP_GOALS = 5
LEVEL_MIN, LEVEL_MAX = 1, 5
REMIND_BEFORE = timedelta(days=3)
"""Who has not looked back yet is reminded this long before the close, unless the ritual is this short
that the invitation still reads as fresh."""
STORY_FIELDS = ("took_part", "did_differently", "yielded")


@dataclass(frozen=True, slots=True)
class GoalRef:
    key: str
    text: str


@dataclass(frozen=True, slots=True)
class WrapUpPlan:
    """What the confirmation shows: the network, its goals, and the default last day."""

    network: Network
    today: date
    default_ends_on: date
    goals: list[GoalRef]


@dataclass(frozen=True, slots=True)
class WrapUpPost:
    wrap_up_id: int
    key: str
    channel_id: str
    language: str
    timezone: str
    network_name: str
    closes_at: datetime
    status: AnswerPeriodStatus
    message_ts: str | None
    goals: list[GoalRef]


@dataclass(frozen=True, slots=True)
class LookBackDraft:
    wrap_up_id: int
    language: str
    goals: list[GoalRef]
    levels: dict[str, int]
    lesson: str = ""
    story: dict[str, str] = field(default_factory=dict)
    shared: bool = False


@dataclass(frozen=True, slots=True)
class HarvestGoal:
    text: str
    average: float | None
    answers: int


@dataclass(frozen=True, slots=True)
class Story:
    took_part: str
    did_differently: str
    yielded: str


@dataclass(frozen=True, slots=True)
class ThermometerPoint:
    closed_at: datetime
    average: float


@dataclass(frozen=True, slots=True)
class Harvest:
    post: WrapUpPost
    """The ritual's announcement, closed by the harvest's post."""
    closed_at: datetime | None
    member_count: int
    respondents: int
    goals: list[HarvestGoal]
    closing_lessons: list[str]
    earlier_lessons: list[str]
    stories: list[Story]
    figures: dict[str, int]
    thermometer: list[ThermometerPoint]

    @property
    def has_chart(self) -> bool:
        return any(goal.average is not None for goal in self.goals) or bool(self.thermometer)


def closes_at_of(ends_on: date, timezone: str) -> datetime:
    """The moment the ritual closes: its last day at CLOSE_AT in the network's zone (summer or winter
    time as that day has it)."""
    return datetime.combine(ends_on, CLOSE_AT, tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def validate_period(ends_on: date | None, *, today: date) -> Problems:
    if ends_on is None:
        return {"ends_on": ("validation.required", {})}
    if ends_on <= today:
        return {"ends_on": ("wrap_up.validation.past", {})}
    if ends_on > today + LONGEST_PERIOD:
        return {"ends_on": ("wrap_up.validation.too_far", {"days": LONGEST_PERIOD.days})}
    return {}


def validate_look_back(
    goal_count: int, levels: Sequence[str], lesson: str, story: Mapping[str, str]
) -> Problems:
    """A field error for each goal without a level from 1 to 5, a missing lesson, and a too long text."""
    problems: Problems = {}
    for position in range(goal_count):
        raw = str(levels[position] if position < len(levels) else "").strip()
        if not whole_number_between(raw, LEVEL_MIN, LEVEL_MAX):
            problems[f"goal-{position}"] = ("validation.choose_one", {})
    check_length(problems, "lesson", lesson.strip(), LOOK_BACK_TEXT_MAX, required=True)
    for name in STORY_FIELDS:
        check_length(problems, name, str(story.get(name) or "").strip(), STORY_PART_MAX)
    return problems


def top_goals(session: Session, network_id: int, *, keys: list[str] | None = None) -> list[GoalRef]:
    """The learning goals most voted for at the kickoff; with `keys`, those goals (as far as they still
    exist: a goal whose every proposer was forgotten is gone)."""
    members = {m.user_id for m in active_memberships(session, network_id)}
    grouped = network_goals(session, network_id, voter_ids=members)
    if keys is None:
        return [GoalRef(key=g.key, text=g.text) for g in grouped if g.votes][:TOP_GOALS]
    by_key = {g.key: g.text for g in grouped}
    return [GoalRef(key=key, text=by_key[key]) for key in keys if key in by_key]


def wrap_up_key(wrap_up_id: int) -> str:
    return f"wrap-up/{wrap_up_id}"


class WrapUpService(Service):
    # ------------------------------------------------------------------ opening

    def plan(self, *, network_id: int, user_id: str) -> WrapUpPlan:
        """What the facilitator confirms. Raises ChannelNotLinked, NotAMember, NotAFacilitator or
        WrapUpAlreadyStarted."""
        with unit_of_work(self._sessions) as session:
            network = lookups.facilitator_network(session, network_id, user_id)
            if q.wrap_up_of_network(session=session, network_id=network_id) is not None:
                raise WrapUpAlreadyStarted()
            today = self._today(network)
            return WrapUpPlan(
                network=network,
                today=today,
                default_ends_on=today + DEFAULT_PERIOD,
                goals=top_goals(session, network_id),
            )

    def open(self, *, network_id: int, user_id: str, ends_on: date | None) -> None:
        """Start the closing ritual until `ends_on`: announce it in the channel and invite each active
        member privately (through the outbox).

        Raises InvalidInput (no day, a day not after today, or more than about three months away),
        ChannelNotLinked, NotAMember, NotAFacilitator, or WrapUpAlreadyStarted (also when a double
        submit or another facilitator was first).
        """
        now = self._clock.now()
        try:
            with unit_of_work(self._sessions) as session:
                network = lookups.facilitator_network(session, network_id, user_id, lock=True)
                if q.wrap_up_of_network(session=session, network_id=network_id) is not None:
                    raise WrapUpAlreadyStarted()
                problems = validate_period(ends_on, today=self._today(network))
                if problems or ends_on is None:
                    raise InvalidInput(problems)
                self._open(session, network, user_id=user_id, ends_on=ends_on, now=now)
        except IntegrityError:
            raise WrapUpAlreadyStarted() from None

    def _open(
        self, session: Session, network: Network, *, user_id: str, ends_on: date, now: datetime
    ) -> None:
        network_id = network.id or 0
        wrap_up = q.add_wrap_up(
            session=session,
            wrap_up=WrapUp(
                network_id=network_id,
                status=AnswerPeriodStatus.OPEN,
                started_by=user_id,
                opened_at=now,
                closes_at=closes_at_of(ends_on, network.timezone),
                goal_keys="\n".join(goal.key for goal in top_goals(session, network_id)),
            ),
        )
        key = wrap_up_key(wrap_up.id or 0)
        self._outbox.record(session, EffectKind.WRAP_UP_ANNOUNCE, key=key, wrap_up_id=wrap_up.id)
        for membership in active_memberships(session, network_id):
            self._outbox.record(
                session,
                EffectKind.WRAP_UP_INVITE,
                key=f"{key}/invite/{membership.user_id}",
                wrap_up_id=wrap_up.id,
                user_id=membership.user_id,
            )

    def post(self, *, wrap_up_id: int) -> WrapUpPost | None:
        with unit_of_work(self._sessions) as session:
            wrap_up = q.get_wrap_up(session=session, wrap_up_id=wrap_up_id)
            network = lookups.network_of(session, wrap_up)
            if wrap_up is None or network is None:
                return None
            return _post_of(session, wrap_up, network)

    def invitation(
        self, *, wrap_up_id: int, user_id: str, unless_answered: bool = False
    ) -> WrapUpPost | None:
        """The post to invite (or remind) `user_id` with; None once they left or were forgotten, or it
        closed, and with `unless_answered` once they looked back."""
        with unit_of_work(self._sessions) as session:
            wrap_up = q.get_wrap_up(session=session, wrap_up_id=wrap_up_id)
            network = access.find_live_network(session, wrap_up.network_id) if wrap_up else None
            if wrap_up is None or network is None or wrap_up.status != AnswerPeriodStatus.OPEN:
                return None
            if not access.takes_part(session, network, user_id):
                return None
            if unless_answered and q.get_answer(session=session, wrap_up_id=wrap_up_id, user_id=user_id):
                return None
            return _post_of(session, wrap_up, network)

    def record_posted(self, *, wrap_up_id: int, message_ts: str) -> None:
        with unit_of_work(self._sessions) as session:
            record_message(session, q.get_wrap_up(session=session, wrap_up_id=wrap_up_id), message_ts)

    # ------------------------------------------------------------------ looking back

    def look_back_draft(self, *, wrap_up_id: int, user_id: str) -> LookBackDraft:
        """What the member answered before (nothing yet: empty), to change in the modal.

        Raises WrapUpNotFound, WrapUpClosed, or NotAMember.
        """
        with unit_of_work(self._sessions) as session:
            wrap_up, network = self._answerable(session, wrap_up_id, user_id)
            goals = top_goals(session, wrap_up.network_id, keys=wrap_up.goal_key_list)
            answer = q.get_answer(session=session, wrap_up_id=wrap_up_id, user_id=user_id)
            if answer is None:
                return LookBackDraft(wrap_up_id=wrap_up_id, language=network.language, goals=goals, levels={})
            levels = {
                p.goal_key: p.level for p in q.progress_of(session=session, answer_ids=[answer.id or 0])
            }
            return LookBackDraft(
                wrap_up_id=wrap_up_id,
                language=network.language,
                goals=goals,
                levels=levels,
                lesson=answer.lesson,
                story=_story_of(answer),
                shared=answer.story_shared,
            )

    def save_look_back(
        self,
        *,
        wrap_up_id: int,
        user_id: str,
        levels: Sequence[str],
        lesson: str,
        story: Mapping[str, str],
        shared: bool,
        requester: Requester | None = None,
    ) -> None:
        """Keep the member's look-back, replacing an earlier one; thank `requester` once it is kept.

        `levels` holds a level from 1 to 5 for each goal, in the modal's order. Raises InvalidInput,
        WrapUpNotFound, WrapUpClosed or NotAMember.
        """
        try:
            with unit_of_work(self._sessions) as session:
                wrap_up, network = self._answerable(session, wrap_up_id, user_id)
                keys = [g.key for g in top_goals(session, wrap_up.network_id, keys=wrap_up.goal_key_list)]
                InvalidInput.raise_if_any(validate_look_back(len(keys), levels, lesson, story))
                answer = q.get_answer(
                    session=session, wrap_up_id=wrap_up_id, user_id=user_id
                ) or WrapUpAnswer(
                    wrap_up_id=wrap_up_id,
                    network_id=wrap_up.network_id,
                    user_id=user_id,
                    answered_at=self._clock.now(),
                )
                answer.lesson = lesson.strip()
                answer.story_took_part = str(story.get("took_part") or "").strip()
                answer.story_did_differently = str(story.get("did_differently") or "").strip()
                answer.story_yielded = str(story.get("yielded") or "").strip()
                answer.story_shared = shared
                answer.answered_at = self._clock.now()
                q.save(session=session, row=answer)
                q.replace_progress(
                    session=session,
                    answer_id=answer.id or 0,
                    levels={key: int(str(levels[position]).strip()) for position, key in enumerate(keys)},
                )
                self._outbox.notice(session, requester, "wrap_up.look_back.thanks", language=network.language)
                # The closing round's lesson is one of the network's latest lessons on its charter.
                self._outbox.charter_changed(session, wrap_up.network_id)
        except IntegrityError:
            # The same member submitted twice at once: the other submission is kept.
            return

    def _answerable(self, session: Session, wrap_up_id: int, user_id: str) -> tuple[WrapUp, Network]:
        return answerable(
            session,
            q.get_wrap_up(session=session, wrap_up_id=wrap_up_id),
            user_id,
            now=self._clock.now(),
            not_found=WrapUpNotFound,
            closed=WrapUpClosed,
        )

    # ------------------------------------------------------------------ the reminder

    def remind_due(self) -> int:
        """Remind, once per ritual, the members who have not looked back when its close is near."""
        return self._claim_each(
            lambda session, now: q.due_to_remind(session=session, now=now, until=now + REMIND_BEFORE),
            self._remind,
        )

    def _remind(self, session: Session, wrap_up_id: int, now: datetime) -> bool:
        wrap_up = q.get_wrap_up(session=session, wrap_up_id=wrap_up_id)
        if wrap_up is None or not q.claim_reminder(session=session, wrap_up_id=wrap_up_id, now=now):
            return False
        if wrap_up.closes_at - wrap_up.opened_at <= 2 * REMIND_BEFORE:
            return True
        answered = {answer.user_id for answer in q.answers_of(session=session, wrap_up_id=wrap_up_id)}
        key = wrap_up_key(wrap_up_id)
        for membership in active_memberships(session, wrap_up.network_id):
            if membership.user_id not in answered:
                self._outbox.record(
                    session,
                    EffectKind.WRAP_UP_REMIND,
                    key=f"{key}/remind/{membership.user_id}",
                    wrap_up_id=wrap_up_id,
                    user_id=membership.user_id,
                )
        return True

    # ------------------------------------------------------------------ closing

    def close_due(self) -> int:
        """Close every ritual whose period is over; how many this process closed."""
        return self._claim_each(lambda session, now: q.due_to_close(session=session, now=now), self._close)

    def _close(self, session: Session, wrap_up_id: int, now: datetime) -> bool:
        """Close the ritual (once, whoever races for it), record its harvest, and archive the network."""
        wrap_up = close_once(session, q.get_wrap_up(session=session, wrap_up_id=wrap_up_id), now=now)
        if wrap_up is None:
            return False
        network = access.find_live_network(session, wrap_up.network_id, lock=True)
        if network is None:
            # Archived by hand meanwhile: its channel hears nothing more; the harvest stays in the export.
            return True
        key = wrap_up_key(wrap_up_id)
        self._outbox.record(session, EffectKind.WRAP_UP_HARVEST, key=f"{key}/harvest", wrap_up_id=wrap_up_id)
        facilitators = access.facilitator_ids(session, wrap_up.network_id)
        for user_id in facilitators:
            self._outbox.record(
                session,
                EffectKind.WRAP_UP_FILE,
                key=f"{key}/file/{user_id}",
                wrap_up_id=wrap_up_id,
                user_id=user_id,
            )
        # The archive is announced in the name of whoever started the ritual, while they facilitate still
        # (a forgotten one is named nowhere any more); else of a facilitator who does.
        archived_by = (
            wrap_up.started_by if wrap_up.started_by in facilitators else next(iter(facilitators), "")
        )
        archive_in(session, network, by_user_id=archived_by, now=now, outbox=self._outbox)
        return True

    # ------------------------------------------------------------------ the harvest

    def harvest(self, *, wrap_up_id: int) -> Harvest | None:
        with unit_of_work(self._sessions) as session:
            wrap_up = q.get_wrap_up(session=session, wrap_up_id=wrap_up_id)
            return harvest_of(session, wrap_up) if wrap_up is not None else None


def harvest_of(session: Session, wrap_up: WrapUp) -> Harvest:
    """The harvest as it stands in the database now: nothing that names who wrote what."""
    network = session.get(Network, wrap_up.network_id)
    assert network is not None
    post = _post_of(session, wrap_up, network)
    answers = q.answers_of(session=session, wrap_up_id=wrap_up.id or 0)
    progress = q.progress_of(session=session, answer_ids=[a.id or 0 for a in answers])
    goals = []
    for goal in post.goals:
        levels = [p.level for p in progress if p.goal_key == goal.key]
        average = round(statistics.fmean(levels), 1) if levels else None
        goals.append(HarvestGoal(text=goal.text, average=average, answers=len(levels)))
    earlier = [
        lesson.text
        for lesson in gather_lessons(session=session, network_id=wrap_up.network_id)
        if not lesson.confidential and lesson.source != LessonSource.CLOSING
    ]
    return Harvest(
        post=post,
        closed_at=wrap_up.closed_at,
        member_count=wrap_up.member_count or 0,
        respondents=len(answers),
        goals=goals,
        closing_lessons=[a.lesson for a in answers if a.lesson],
        earlier_lessons=earlier,
        stories=[
            Story(
                took_part=a.story_took_part, did_differently=a.story_did_differently, yielded=a.story_yielded
            )
            for a in answers
            if a.story_shared and any(_story_of(a).values())
        ],
        figures=q.life_counts(session=session, network_id=wrap_up.network_id),
        thermometer=[
            ThermometerPoint(closed_at=r.closed_at, average=round(statistics.fmean(r.averages.values()), 1))
            for r in round_history(session, wrap_up.network_id)
            if r.shows_answers and r.closed_at is not None
        ],
    )


def export_harvest(*, session: Session, network_id: int) -> dict[str, Any] | None:
    """The contract's `harvest`: null until the ritual closed; never a user id."""
    wrap_up = q.wrap_up_of_network(session=session, network_id=network_id)
    if wrap_up is None or wrap_up.status != AnswerPeriodStatus.CLOSED:
        return None
    harvest = harvest_of(session, wrap_up)
    return {
        "closed_at": harvest.closed_at.isoformat() if harvest.closed_at else None,
        "members": harvest.member_count,
        "respondents": harvest.respondents,
        "goals": [{"text": g.text, "average": g.average, "answers": g.answers} for g in harvest.goals],
        "lessons": [{"text": text, "source": "closing"} for text in harvest.closing_lessons]
        + [{"text": text, "source": "earlier"} for text in harvest.earlier_lessons],
        "stories": [
            {"took_part": s.took_part, "did_differently": s.did_differently, "yielded": s.yielded}
            for s in harvest.stories
        ],
        "figures": {
            **harvest.figures,
            "thermometer": [
                {"closed_at": p.closed_at.isoformat(), "average": p.average} for p in harvest.thermometer
            ],
        },
    }


def _post_of(session: Session, wrap_up: WrapUp, network: Network) -> WrapUpPost:
    return WrapUpPost(
        wrap_up_id=wrap_up.id or 0,
        key=wrap_up_key(wrap_up.id or 0),
        channel_id=access.original_channel_id(network),
        language=network.language,
        timezone=network.timezone,
        network_name=network.name,
        closes_at=wrap_up.closes_at,
        status=AnswerPeriodStatus(wrap_up.status),
        message_ts=wrap_up.message_ts,
        goals=top_goals(session, wrap_up.network_id, keys=wrap_up.goal_key_list),
    )


def _story_of(answer: WrapUpAnswer) -> dict[str, str]:
    return {
        "took_part": answer.story_took_part,
        "did_differently": answer.story_did_differently,
        "yielded": answer.story_yielded,
    }


# ---------------------------------------------------------------------- privacy (bot.services.privacy)


def look_backs_of(session: Session, *, network_id: int, user_id: str) -> list[dict[str, Any]]:
    """The user's own look-backs: for their my-data file."""
    found = []
    for answer in q.answers_of_network(session=session, network_id=network_id):
        if answer.user_id != user_id:
            continue
        progress = q.progress_of(session=session, answer_ids=[answer.id or 0])
        found.append(
            {
                "wrap_up_id": answer.wrap_up_id,
                "progress": {p.goal_key: p.level for p in progress},
                "lesson": answer.lesson,
                "story": _story_of(answer),
                "story_shared": answer.story_shared,
                "answered_at": answer.answered_at.isoformat(),
            }
        )
    return found
