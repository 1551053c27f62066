"""Check-in reminders on SQLite and PostgreSQL: once per poll, to who has not answered, or not at all."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import ManualClock
from tests.factories import make_network
from tests.factories import schedule_form
from tests.services.checkin_factories import FACILITATOR
from tests.services.checkin_factories import MEMBERS
from tests.services.checkin_factories import make_services
from tests.services.checkin_factories import open_poll
from tests.services.checkin_factories import posted
from tests.services.checkin_factories import react


def test_the_halfway_reminder_goes_once_to_who_has_not_answered(sessions, clock: ManualClock) -> None:
    _, services, post, ts = open_poll(sessions, clock)
    react(services, MEMBERS[0], "grinning", "Ev1", message_ts=ts)
    services.checkin_answers.save_answer(
        poll_id=post.poll_id, user_id=MEMBERS[1], question="could_be_better", text="X", signed=False
    )

    clock.advance(timedelta(hours=35))
    assert services.checkin_reminders.claim_due_reminders() == []
    clock.advance(timedelta(hours=1))
    [reminder] = services.checkin_reminders.claim_due_reminders()
    assert sorted(reminder.user_ids) == sorted([FACILITATOR, MEMBERS[2]])
    assert make_services(sessions, clock).checkin_reminders.claim_due_reminders() == []


def test_reminders_can_be_switched_off(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock)
    services = make_services(sessions, clock)
    services.checkin_schedule.change_schedule(
        network_id=network_id, user_id=FACILITATOR, form=schedule_form(reminders="off")
    )
    posted(services, services.checkin_polls.claim_manual_poll(network_id=network_id, user_id=FACILITATOR))
    clock.advance(timedelta(days=2))
    assert services.checkin_reminders.claim_due_reminders() == []
