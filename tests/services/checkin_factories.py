"""Helpers for the check-in service tests: the services, a posted poll, the export; the network and the
schedule form come from `tests.factories`."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from typing import NamedTuple

from sqlmodel import select

from bot.clock import ManualClock
from bot.services import Services
from bot.services import build_services
from bot.services.checkin_common import SCALE
from bot.services.checkin_export import export_polls
from bot.services.checkin_polls import PollPost
from bot.services.respondents import Respondents
from bot.services.respondents import derive_answer_key
from storage.db import unit_of_work
from tests.factories import FACILITATOR_ID
from tests.factories import MEMBER_IDS
from tests.factories import make_network

# The factories' network (`tests.factories.make_network`, started now: by default Monday 14 September 2026,
# 10:00 in Brussels) has these four.
FACILITATOR = FACILITATOR_ID
MEMBERS = MEMBER_IDS
KEY = derive_answer_key("test-signing-secret")


def make_services(sessions, clock: ManualClock, key: bytes = KEY) -> Services:
    return build_services(sessions=sessions, clock=clock, respondents=Respondents(key))


def posted(services: Services, post: PollPost, ts: str = "1789000000.000100") -> str:
    services.checkin_polls.record_posted(poll_id=post.poll_id, message_ts=ts)
    services.checkin_polls.record_opened(poll_id=post.poll_id)
    return ts


class OpenPoll(NamedTuple):
    network_id: int
    services: Services
    post: PollPost
    ts: str


def open_poll(sessions, clock: ManualClock) -> OpenPoll:
    """The factories' network, with a poll its facilitator asked for by hand, posted and open."""
    network_id = make_network(sessions, clock=clock)
    services = make_services(sessions, clock)
    post = services.checkin_polls.claim_manual_poll(network_id=network_id, user_id=FACILITATOR)
    return OpenPoll(network_id, services, post, posted(services, post))


def react(
    services: Services,
    user_id: str,
    emoji: str,
    event_id: str,
    *,
    message_ts: str,
    channel_id: str = "C0NETWERK",
    added: bool = True,
    reacted_at: datetime | None = None,
) -> bool:
    """A reaction on the message `message_ts` as Slack's event delivers it; whether it changed a poll's
    answers."""
    return services.checkin_answers.record_reaction(
        channel_id=channel_id,
        message_ts=message_ts,
        user_id=user_id,
        emoji=emoji,
        added=added,
        event_id=event_id,
        reacted_at=reacted_at,
    )


def on_the_scale(**counts: int) -> dict[str, int]:
    """A poll's distribution of answers: `counts` by face, and none for every other face of the scale."""
    return {emoji: counts.get(emoji, 0) for emoji in SCALE}


def exported_polls(sessions, network_id: int) -> list[dict]:
    with unit_of_work(sessions) as session:
        return export_polls(session=session, network_id=network_id)


def all_rows(sessions, model: type) -> list:
    with sessions() as session:
        return list(session.exec(select(model)))


def at(clock: ManualClock, *args: int) -> None:
    clock.set(datetime(*args, tzinfo=UTC))
