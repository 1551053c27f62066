"""Factories for the check-in service tests: a network with four members, the services, a schedule form."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from bot.clock import ManualClock
from bot.services import Services, build_services
from bot.services.checkin_answers import Respondents, derive_answer_key
from bot.services.checkin_export import export_polls
from bot.services.checkin_polls import PollPost
from bot.services.checkin_schedule import ScheduleForm
from bot.services.networks import NetworkDetails, NetworkService
from storage.db import unit_of_work

FACILITATOR = "U0ELS"
MEMBERS = ("U0JOKE", "U0MEHMET", "U0SARAH")
KEY = derive_answer_key("test-signing-secret")


def make_network(sessions, clock: ManualClock, *, channel_id: str = "C0NETWERK", language: str = "nl") -> int:
    """A network started now (by default Monday 14 September 2026, 10:00 in Brussels) with four members."""
    overview = NetworkService(sessions=sessions, clock=clock).link_channel(
        team_id="T0NETWERK",
        channel_id=channel_id,
        facilitator_id=FACILITATOR,
        details=NetworkDetails(
            name="Jeugdhulp",
            goal="",
            origin="organised",
            composition="same_role",
            language=language,
            timezone="Europe/Brussels",
        ),
        channel_member_ids=list(MEMBERS),
    )
    return overview.network.id or 0


def make_services(sessions, clock: ManualClock, key: bytes = KEY) -> Services:
    return build_services(sessions=sessions, clock=clock, respondents=Respondents(key))


def form(**changes: str) -> ScheduleForm:
    values = {
        "frequency": "weekly",
        "weekday": "0",
        "time": "10:00",
        "open_days": "3",
        "reminders": "on",
        "anonymity_threshold": "3",
    }
    return ScheduleForm(**{**values, **changes})


def posted(services: Services, post: PollPost, ts: str = "1789000000.000100") -> str:
    services.checkin_polls.record_posted(poll_id=post.poll_id, message_ts=ts)
    services.checkin_polls.record_opened(poll_id=post.poll_id)
    return ts


def exported_polls(sessions, network_id: int) -> list[dict]:
    with unit_of_work(sessions) as session:
        return export_polls(session=session, network_id=network_id)


def all_rows(sessions, model: type) -> list:
    with sessions() as session:
        return list(session.exec(select(model)))


def at(clock: ManualClock, *args: int) -> None:
    clock.set(datetime(*args, tzinfo=UTC))
