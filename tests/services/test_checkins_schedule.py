"""The check-in schedule on SQLite and PostgreSQL: the default, who changes it, the threshold, the rhythm."""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta

import pytest

from bot.clock import ManualClock
from bot.errors import InvalidInput
from bot.errors import NotAFacilitator
from tests.factories import make_network
from tests.factories import schedule_form
from tests.services.checkin_factories import FACILITATOR
from tests.services.checkin_factories import MEMBERS
from tests.services.checkin_factories import at
from tests.services.checkin_factories import make_services


def test_the_default_schedule_starts_with_the_first_monday_after_the_kickoff(
    sessions, clock: ManualClock
) -> None:
    network_id = make_network(sessions, clock=clock)
    services = make_services(sessions, clock)

    overview = services.checkin_schedule.schedule_overview(network_id=network_id)

    assert overview.is_default and overview.open_days == 3 and overview.anonymity_threshold == 3
    assert overview.next_run == datetime(2026, 9, 21, 8, 0, tzinfo=UTC)
    assert (
        services.checkin_polls.claim_scheduled_poll(network_id=network_id) is None
    )  # the kickoff itself is not polled
    at(clock, 2026, 9, 28, 8, 0)
    assert (
        services.checkin_polls.claim_scheduled_poll(network_id=network_id) is None
    )  # every two weeks: not this Monday


def test_the_threshold_goes_up_never_down_and_only_facilitators_change_the_schedule(
    sessions, clock: ManualClock
) -> None:
    network_id = make_network(sessions, clock=clock)
    services = make_services(sessions, clock)

    with pytest.raises(NotAFacilitator):
        services.checkin_schedule.change_schedule(
            network_id=network_id, user_id=MEMBERS[0], form=schedule_form()
        )
    services.checkin_schedule.change_schedule(
        network_id=network_id, user_id=FACILITATOR, form=schedule_form(anonymity_threshold="5")
    )
    with pytest.raises(InvalidInput) as lower:
        services.checkin_schedule.change_schedule(
            network_id=network_id, user_id=FACILITATOR, form=schedule_form(anonymity_threshold="4")
        )
    assert lower.value.problems == {
        "anonymity_threshold": ("checkins.validation.threshold_lower", {"current": 5})
    }
    with pytest.raises(InvalidInput) as bad:
        services.checkin_schedule.change_schedule(
            network_id=network_id,
            user_id=FACILITATOR,
            form=schedule_form(
                frequency="daily",
                weekday="7",
                time="24:00",
                open_days="30",
                reminders="maybe",
                anonymity_threshold="5",
            ),
        )
    assert set(bad.value.problems) == {"frequency", "weekday", "time", "open_days", "reminders"}
    assert services.checkin_schedule.schedule_overview(network_id=network_id).anonymity_threshold == 5


def test_changing_only_the_threshold_keeps_the_rhythm(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock)
    services = make_services(sessions, clock)
    before = services.checkin_schedule.change_schedule(
        network_id=network_id, user_id=FACILITATOR, form=schedule_form(frequency="biweekly")
    )
    clock.advance(timedelta(days=8))
    after = services.checkin_schedule.change_schedule(
        network_id=network_id,
        user_id=FACILITATOR,
        form=schedule_form(frequency="biweekly", anonymity_threshold="6"),
    )
    assert after.rule.anchor == before.rule.anchor
    retimed = services.checkin_schedule.change_schedule(
        network_id=network_id,
        user_id=FACILITATOR,
        form=schedule_form(frequency="biweekly", time="11:00", anonymity_threshold="6"),
    )
    assert retimed.rule.anchor == date(2026, 9, 28)
