"""The trajectory's rules without a database: dates, the fair rotation, who is next in line, the form."""

from __future__ import annotations

from collections import Counter
from datetime import UTC
from datetime import date
from datetime import datetime

import pytest

from bot.services.journey_plan import JourneyForm
from bot.services.journey_plan import local_moment
from bot.services.journey_plan import next_in_line
from bot.services.journey_plan import rotate_roles
from bot.services.journey_plan import session_days
from bot.services.journey_plan import validate_journey_form
from storage.models.journey import Rhythm
from storage.models.journey import SessionRole

NOW = datetime(2026, 9, 14, 8, 0, tzinfo=UTC)


def test_monthly_sessions_keep_their_day_or_take_the_last_of_a_short_month() -> None:
    days = session_days(date(2027, 1, 31), Rhythm.MONTHLY, 4)
    assert days == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)]
    assert session_days(date(2026, 12, 15), Rhythm.MONTHLY, 2)[1] == date(2027, 1, 15)
    assert session_days(date(2026, 9, 24), Rhythm.EVERY_3_WEEKS, 2)[1] == date(2026, 10, 15)


def test_a_session_keeps_its_local_time_across_daylight_saving() -> None:
    summer = local_moment(date(2026, 10, 22), (13, 30), "Europe/Brussels")
    winter = local_moment(date(2026, 11, 5), (13, 30), "Europe/Brussels")
    assert (summer.hour, winter.hour) == (11, 12)


@pytest.mark.parametrize("members", [3, 4, 5, 7, 12])
def test_everyone_takes_a_turn_before_anyone_takes_a_second(members: int) -> None:
    member_ids = [f"U{index}" for index in range(members)]
    plan = rotate_roles(member_ids, 10)
    turns = [user for session in plan for _, _, user in session]
    for start in range(0, len(turns) - members + 1, members):
        assert sorted(turns[start : start + members]) == sorted(member_ids)
    counts = Counter(turns)
    assert max(counts.values()) - min(counts.values()) <= 1
    case_bringers = [role for role, _, _ in plan[0] if role == SessionRole.CASE]
    assert len(case_bringers) == (2 if members >= 5 else 1)
    if members >= 5:
        assert all(len({user for _, _, user in session}) == len(session) for session in plan)


def test_the_next_in_line_skips_who_passed_it_on_and_prefers_who_is_free() -> None:
    members = ["A", "B", "C", "D"]
    assert next_in_line(members, after="B", passed=["B"], busy=["C"]) == "D"
    assert next_in_line(members, after="D", passed=["D", "A"], busy=[]) == "B"
    assert next_in_line(members, after="X", passed=["X"], busy=["A", "B", "C", "D"]) == "A"
    assert next_in_line(["A"], after="A", passed=["A"], busy=[]) is None


def form(**changes: str) -> JourneyForm:
    values = dict(
        count="6", rhythm="monthly", first_day="2026-10-01", start="13:30", end="16:30", place="", link=""
    )
    values.update(changes)
    return JourneyForm(**values)


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({}, set()),
        ({"count": "0"}, {"count"}),
        ({"count": "53"}, {"count"}),
        ({"count": "zes"}, {"count"}),
        ({"rhythm": "daily"}, {"rhythm"}),
        ({"first_day": "2026-09-13"}, {"first_day"}),
        ({"first_day": ""}, {"first_day"}),
        ({"first_day": "2027-09-14"}, set()),
        ({"first_day": "2027-09-16"}, {"first_day"}),
        ({"first_day": "9999-12-01", "count": "52"}, {"first_day"}),  # past the calendar's end
        ({"end": "13:00"}, {"end"}),
        ({"end": "13:30"}, {"end"}),
        ({"link": "meet.example.org"}, {"link"}),
        ({"link": "javascript:alert(1)"}, {"link"}),
        ({"link": "https://meet.example.org/x"}, set()),
        ({"place": "x" * 301}, {"place"}),
    ],
)
def test_the_form_names_each_wrong_field(changes: dict[str, str], fields: set[str]) -> None:
    assert set(validate_journey_form(form(**changes), timezone="Europe/Brussels", now=NOW)) == fields
