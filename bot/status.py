"""`python -m bot status`: what an operator needs to see at a glance, read from the database alone.

The database, the process that runs the timed jobs, the live processes, the requests acknowledged and
not yet worked, and the outbox: what is still
to be carried out (by kind, the oldest first) and what failed for good, with Slack's reasons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime

from sqlalchemy import Engine

from bot.clock import Clock
from bot.services.processes import LEASE
from bot.workspace import WORKSPACE_NOT_INSTALLED
from storage import queries_inbound
from storage import queries_installations
from storage import queries_outbox
from storage import queries_processes
from storage.db import session_factory
from storage.db import unit_of_work
from storage.models import BotProcess
from storage.models import OutboxItem
from storage.queries_inbound import WaitingKind
from storage.queries_outbox import PendingKind

FAILED_LISTED = 200
"""How many failed items `status` lists, the oldest first; it counts them all."""


@dataclass(frozen=True, slots=True)
class Status:
    database: str
    now: datetime
    processes: list[BotProcess]
    pending: list[PendingKind]
    failed: list[OutboxItem]
    """The oldest FAILED_LISTED failed items."""
    failed_count: int
    """How many failed in all."""
    installed_workspaces: int = 0
    """With many workspaces: how many have the bot installed now."""
    waiting: list[WaitingKind] = field(default_factory=list)
    """Requests acknowledged and not yet worked, by kind."""

    @property
    def healthy(self) -> bool:
        return not self.failed_count


def read_status(engine: Engine, clock: Clock) -> Status:
    now = clock.now()
    with unit_of_work(session_factory(engine)) as session:
        return Status(
            database=engine.url.render_as_string(hide_password=True),
            now=now,
            processes=queries_processes.live_processes(session=session, beating_since=now - LEASE),
            pending=queries_outbox.pending_by_kind(session=session),
            failed=queries_outbox.failed_items(session=session, limit=FAILED_LISTED),
            failed_count=queries_outbox.count_failed(session=session),
            installed_workspaces=len(queries_installations.installed_team_ids(session=session)),
            waiting=queries_inbound.waiting_by_kind(session=session),
        )


def retry_failed(engine: Engine, clock: Clock, *, item_id: int | None) -> int:
    """Make failed items (one, or all) pending again for any live process; how many."""
    with unit_of_work(session_factory(engine)) as session:
        return queries_outbox.retry_failed(session=session, now=clock.now(), item_id=item_id)


def format_status(status: Status) -> str:
    leader = next((p for p in status.processes if p.leader), None)
    lines = [
        f"database: {status.database}",
        f"leader: {leader.id if leader else 'none (the timed jobs wait for one)'}",
        f"live processes: {len(status.processes)}",
    ]
    if status.installed_workspaces:
        lines.insert(1, f"installed in workspaces: {status.installed_workspaces}")
    lines += [
        f"  {p.id}  started {_ago(status.now, p.started_at)} ago, beat {_ago(status.now, p.beat_at)} ago"
        for p in status.processes
    ]
    lines += _by_kind("requests acknowledged, not yet worked", status.waiting, status.now)
    lines += _by_kind("pending outbox items", status.pending, status.now)
    lines.append(f"failed outbox items: {status.failed_count}")
    lines += [
        f"  #{item.id} {item.kind} ({item.key}), {_ago(status.now, item.created_at)} old: {item.reason}"
        + (f" (workspace {item.team_id})" if item.reason == WORKSPACE_NOT_INSTALLED else "")
        for item in status.failed
    ]
    if status.failed_count > len(status.failed):
        lines.append(f"  and {status.failed_count - len(status.failed)} more, newer than these")
    if status.failed:
        lines.append("  retry with `python -m bot retry ITEM_ID` (or `--all`) once the cause is mended")
    return "\n".join(lines)


def _by_kind(heading: str, kinds: Sequence[WaitingKind | PendingKind], now: datetime) -> list[str]:
    """How many wait in all, then a line for each kind with how long its oldest has waited."""
    return [
        f"{heading}: {sum(kind.count for kind in kinds)}",
        *(f"  {kind.kind}: {kind.count}, the oldest {_ago(now, kind.oldest)} old" for kind in kinds),
    ]


def _ago(now: datetime, then: datetime) -> str:
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    if seconds < 172800:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} d"
