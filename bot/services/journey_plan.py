"""The trajectory's rules that need no database: the form, the session dates, the fair rotation of
roles and who is next in line for a role passed on."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from bot.services.checkin_schedule import parse_time_of_day
from bot.services.input_checks import Problems
from bot.services.input_checks import check_length
from bot.services.input_checks import whole_number_between
from bot.services.workforms import find_work_form
from storage.models.checkins import TOPIC_MAX
from storage.models.journey import PLACE_MAX
from storage.models.journey import WORKFORM_MAX
from storage.models.journey import Rhythm
from storage.models.journey import SessionRole

SESSIONS_MIN = 1
SESSIONS_MAX = 52
CASE_BRINGERS_FROM = 5
FIRST_DAY_AT_MOST = timedelta(days=366)
"""The first session lies within a year: a trajectory is planned for the group as it is now."""
"""From this many members on, two members bring a case to each session; below it, one."""


@dataclass(frozen=True, slots=True)
class JourneyForm:
    """What a facilitator entered in the trajectory modal; raw strings until validated."""

    count: str
    rhythm: str
    first_day: str
    start: str
    end: str
    place: str
    link: str


@dataclass(frozen=True, slots=True)
class SessionEdit:
    """A session's theme and work form as edited in the modal."""

    session_id: int
    theme: str
    workform: str


def session_days(first: date, rhythm: Rhythm, count: int) -> list[date]:
    """The local dates of `count` sessions from `first`; a monthly one keeps its day of the month
    (the last day where a month is shorter)."""
    if rhythm == Rhythm.MONTHLY:
        days = []
        for index in range(count):
            month_index = first.month - 1 + index
            year, month = first.year + month_index // 12, month_index % 12 + 1
            days.append(date(year, month, min(first.day, calendar.monthrange(year, month)[1])))
        return days
    weeks = {Rhythm.WEEKLY: 1, Rhythm.EVERY_2_WEEKS: 2, Rhythm.EVERY_3_WEEKS: 3, Rhythm.EVERY_4_WEEKS: 4}
    return [first + timedelta(weeks=weeks[rhythm] * index) for index in range(count)]


def local_moment(day: date, hour_minute: tuple[int, int], timezone: str) -> datetime:
    """The moment in UTC of a local time on a local day: each session at its local time, summer or
    winter."""
    return datetime.combine(day, time(*hour_minute), tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def is_link(text: str) -> bool:
    parsed = urlparse(text.strip())
    return parsed.scheme in {"http", "https"} and "." in parsed.netloc and " " not in text.strip()


def validate_journey_form(form: JourneyForm, *, timezone: str, now: datetime) -> Problems:
    """The problems with `form`, by field name; empty if none."""
    problems: Problems = {}
    count = form.count.strip()
    if not whole_number_between(count, SESSIONS_MIN, SESSIONS_MAX):
        problems["count"] = ("journey.validation.count", {"most": SESSIONS_MAX})
    if form.rhythm not in {rhythm.value for rhythm in Rhythm}:
        problems["rhythm"] = ("validation.choose_one", {})
    try:
        first = date.fromisoformat(form.first_day.strip())
    except ValueError:
        problems["first_day"] = ("validation.required", {})
        first = None
    start, end = parse_time_of_day(form.start), parse_time_of_day(form.end)
    for name, parsed in (("start", start), ("end", end)):
        if parsed is None:
            problems[name] = ("checkins.validation.time", {})
    if start is not None and end is not None and end <= start:
        problems["end"] = ("checkins.validation.end_before_start", {})
    if first is not None and start is not None and local_moment(first, start, timezone) <= now:
        problems["first_day"] = ("checkins.validation.in_the_past", {})
    elif first is not None and first > now.astimezone(ZoneInfo(timezone)).date() + FIRST_DAY_AT_MOST:
        problems["first_day"] = ("journey.validation.too_far", {})
    check_length(problems, "place", form.place.strip(), PLACE_MAX)
    if form.link.strip() and (not is_link(form.link) or len(form.link.strip()) > PLACE_MAX):
        problems["link"] = ("journey.validation.link", {})
    return problems


def validate_session_edits(edits: Sequence[SessionEdit]) -> Problems:
    """The problems with edited themes and work forms, by field name `theme-<id>` / `workform-<id>`."""
    problems: Problems = {}
    for edit in edits:
        check_length(problems, f"theme-{edit.session_id}", edit.theme.strip(), TOPIC_MAX)
        workform = f"workform-{edit.session_id}"
        check_length(problems, workform, edit.workform.strip(), WORKFORM_MAX)
        if workform not in problems and edit.workform.strip() and find_work_form(edit.workform) is None:
            problems[workform] = ("journey.validation.workform", {})
    return problems


def workform_key(typed: str) -> str:
    """The catalogue key of the work form a facilitator typed (Dutch or English, forgivingly); "" for none."""
    form = find_work_form(typed) if typed.strip() else None
    return form.key if form is not None else ""


def session_slots(member_count: int) -> list[tuple[SessionRole, int]]:
    """The roles of one session, in the order they are handed out."""
    slots = [
        (SessionRole.LEAD, 0),
        (SessionRole.TIMEKEEPER, 0),
        (SessionRole.NOTES, 0),
        (SessionRole.CASE, 0),
    ]
    if member_count >= CASE_BRINGERS_FROM:
        slots.append((SessionRole.CASE, 1))
    return slots


def rotate_roles(member_ids: Sequence[str], session_count: int) -> list[list[tuple[SessionRole, int, str]]]:
    """Roles for each session, handed out round the members in turn: over the trajectory everyone
    takes a turn, and nobody a second before all others had their first."""
    if not member_ids:
        return [[] for _ in range(session_count)]
    slots = session_slots(len(member_ids))
    plan, turn = [], 0
    for _ in range(session_count):
        roles = []
        for role, slot in slots:
            roles.append((role, slot, member_ids[turn % len(member_ids)]))
            turn += 1
        plan.append(roles)
    return plan


def next_in_line(
    member_ids: Sequence[str], *, after: str, passed: Sequence[str], busy: Sequence[str]
) -> str | None:
    """Who is asked when `after` passes a role on: the next member in the rotation who did not pass it
    on before, preferring one without a role in that session (`busy`); None when nobody is left."""
    if not member_ids:
        return None
    start = member_ids.index(after) + 1 if after in member_ids else 0
    in_turn = [member_ids[(start + step) % len(member_ids)] for step in range(len(member_ids))]
    candidates = [user for user in in_turn if user != after and user not in passed]
    free = [user for user in candidates if user not in busy]
    return (free or candidates or [None])[0]
