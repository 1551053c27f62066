"""Meetings on SQLite and PostgreSQL: planning, the agenda and the evaluation each once, evaluations."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest

from bot.clock import ManualClock
from bot.errors import EvaluationClosed
from bot.errors import InvalidInput
from bot.errors import MeetingNotFound
from bot.errors import NotAFacilitator
from bot.errors import NotAMember
from bot.services.meetings import CLAIM_TIMEOUT
from bot.services.meetings import MeetingService
from bot.services.respondents import Respondents
from tests.factories import make_network
from tests.factories import meeting_form
from tests.services.checkin_factories import FACILITATOR
from tests.services.checkin_factories import KEY
from tests.services.checkin_factories import MEMBERS


def meetings_service(sessions, clock: ManualClock) -> MeetingService:
    return MeetingService(sessions=sessions, clock=clock, respondents=Respondents(KEY))


def test_a_facilitator_plans_a_meeting_in_the_networks_time(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock)
    meetings = meetings_service(sessions, clock)

    meeting = meetings.plan(network_id=network_id, user_id=FACILITATOR, form=meeting_form())

    assert meeting.starts_at == datetime(2026, 9, 24, 11, 30, tzinfo=UTC)
    assert meeting.ends_at == datetime(2026, 9, 24, 14, 30, tzinfo=UTC)
    assert meeting.cases_text == "Een vader\nEen tiener"
    with pytest.raises(NotAFacilitator):
        meetings.plan(network_id=network_id, user_id=MEMBERS[0], form=meeting_form())


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"day": "2026-09-13"}, {"day"}),  # yesterday
        ({"end": "12:00"}, {"end"}),
        ({"start": "", "day": "morgen"}, {"start", "day"}),
        ({"topic": "  "}, {"topic"}),
        ({"topic": "t" * 151, "cases": "c" * 1001}, {"topic", "cases"}),
    ],
)
def test_a_meeting_that_cannot_be_is_refused_field_by_field(
    sessions, clock: ManualClock, changes: dict[str, str], fields: set[str]
) -> None:
    network_id = make_network(sessions, clock=clock)
    meetings = meetings_service(sessions, clock)
    assert set(meetings.validate(meeting_form(**changes), timezone="Europe/Brussels")) == fields
    with pytest.raises(InvalidInput):
        meetings.plan(network_id=network_id, user_id=FACILITATOR, form=meeting_form(**changes))


def test_the_agenda_goes_out_the_day_before_and_the_evaluation_at_the_end_each_once(
    sessions, clock: ManualClock
) -> None:
    network_id = make_network(sessions, clock=clock)
    meetings = meetings_service(sessions, clock)
    meeting = meetings.plan(network_id=network_id, user_id=FACILITATOR, form=meeting_form())

    clock.set(meeting.starts_at - timedelta(days=1, minutes=1))
    assert list(meetings.claim_due_steps()) == []
    clock.advance(timedelta(minutes=1))
    [agenda] = meetings.claim_due_steps()
    assert agenda.step == "agenda" and list(meetings_service(sessions, clock).claim_due_steps()) == []
    meetings.record_posted(meeting_id=meeting.meeting_id, step="agenda", ts="1.000100")

    clock.set(meeting.ends_at)
    [evaluation] = meetings.claim_due_steps()
    assert evaluation.step == "evaluation" and list(meetings.claim_due_steps()) == []


def test_a_meeting_planned_for_tomorrow_gets_its_agenda_at_once_and_a_claim_left_behind_is_taken_up(
    sessions, clock: ManualClock
) -> None:
    network_id = make_network(sessions, clock=clock)
    meetings = meetings_service(sessions, clock)
    meeting = meetings.plan(
        network_id=network_id,
        user_id=FACILITATOR,
        form=meeting_form(day="2026-09-15", start="09:00", end="12:00"),
    )

    [agenda] = meetings.claim_due_steps()  # ...and the process dies before posting it
    assert agenda.step == "agenda"
    assert meetings.stale_claims() == []
    clock.advance(CLAIM_TIMEOUT + timedelta(seconds=1))
    [again] = meetings.stale_claims()
    assert again.step == "agenda" and again.recovering and again.meeting.meeting_id == meeting.meeting_id
    assert meetings.stale_claims() == []


def test_evaluations_are_anonymous_one_per_member_and_summarised(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock)
    meetings = meetings_service(sessions, clock)
    meeting = meetings.plan(network_id=network_id, user_id=FACILITATOR, form=meeting_form())

    with pytest.raises(EvaluationClosed):
        meetings.evaluation_draft(meeting_id=meeting.meeting_id, user_id=MEMBERS[0])
    clock.set(meeting.ends_at)
    meetings.save_evaluation(
        meeting_id=meeting.meeting_id, user_id=MEMBERS[0], usefulness="2", takeaway="Bellen"
    )
    meetings.save_evaluation(
        meeting_id=meeting.meeting_id, user_id=MEMBERS[0], usefulness="4", takeaway="Bellen!"
    )
    meetings.save_evaluation(meeting_id=meeting.meeting_id, user_id=MEMBERS[1], usefulness="5", takeaway="")
    with pytest.raises(InvalidInput):
        meetings.save_evaluation(
            meeting_id=meeting.meeting_id, user_id=MEMBERS[2], usefulness="6", takeaway=""
        )
    with pytest.raises(NotAMember):
        meetings.save_evaluation(
            meeting_id=meeting.meeting_id, user_id="U0KAREL", usefulness="3", takeaway=""
        )
    with pytest.raises(MeetingNotFound):
        meetings.evaluation_draft(meeting_id=999, user_id=MEMBERS[0])
    draft = meetings.evaluation_draft(meeting_id=meeting.meeting_id, user_id=MEMBERS[0])
    assert (draft.usefulness, draft.takeaway) == (4, "Bellen!")

    [exported] = meetings.export_sessions(network_id=network_id)
    assert exported["evaluation"] == {
        "responses": 2,
        "average_usefulness": 4.5,
        "usefulness": {"1": 0, "2": 0, "3": 0, "4": 1, "5": 1},
        "takeaways": ["Bellen!"],
    }
    assert exported["starts_at"] == "2026-09-24T11:30:00+00:00" and MEMBERS[0] not in str(exported)
    clock.advance(timedelta(days=8))
    with pytest.raises(EvaluationClosed):
        meetings.save_evaluation(
            meeting_id=meeting.meeting_id, user_id=MEMBERS[2], usefulness="3", takeaway=""
        )


def test_agendas_due_together_are_claimed_one_at_a_time_as_they_are_posted(
    sessions, clock: ManualClock
) -> None:
    meetings = meetings_service(sessions, clock)
    planned = [
        meetings.plan(
            network_id=make_network(sessions, clock=clock, channel_id=f"C0NET{n}"),
            user_id=FACILITATOR,
            form=meeting_form(),
        )
        for n in range(3)
    ]
    clock.set(planned[0].starts_at - timedelta(days=1))

    steps = meetings.claim_due_steps()
    first = next(steps)
    # The others are not claimed before their turn: a slow first post leaves them nothing to go stale.
    clock.advance(CLAIM_TIMEOUT + timedelta(seconds=1))
    [stale] = meetings.stale_claims()
    assert stale.meeting.meeting_id == first.meeting.meeting_id
    assert sorted(step.meeting.meeting_id for step in steps) == sorted(
        m.meeting_id for m in planned if m.meeting_id != first.meeting.meeting_id
    )
