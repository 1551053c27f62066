"""The outbox's items: recorded with a write, claimed by one process at a time, then done or failed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy import and_
from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import type_coerce
from sqlalchemy import update
from sqlmodel import Session
from sqlmodel import col
from sqlmodel import select

from storage.models import BotProcess
from storage.models import OutboxItem
from storage.models import OutboxStatus
from storage.models.outbox import OUTBOX_REASON_MAX
from storage.rows import Backlog
from storage.rows import changed_rows
from storage.types import UTCDateTime


def add(
    *,
    session: Session,
    kind: str,
    key: str,
    payload: dict[str, Any],
    owner: str | None,
    now: datetime,
    not_before: datetime,
    team_id: str | None = None,
) -> OutboxItem:
    """Record an effect to carry out once this transaction commits; flushed, so it has its id.

    Until `not_before` it is left to the thread that recorded it: no retry loop takes it before.
    `team_id` is the workspace whose token carries it out (with many workspaces).
    """
    item = OutboxItem(
        key=key,
        team_id=team_id,
        kind=kind,
        payload=json.dumps(payload, sort_keys=True, separators=(",", ":")),
        owner=owner,
        created_at=now,
        not_before=not_before,
    )
    session.add(item)
    session.flush()
    note_recorded(session=session, item_id=item.id or 0)
    return item


def exists(*, session: Session, key: str) -> bool:
    return session.exec(select(OutboxItem.id).where(col(OutboxItem.key) == key)).first() is not None


def _claimable(process_id: str, now: datetime, live_since: datetime) -> ColumnElement[bool]:
    """Pending, and either ours and due, or left by a process that stopped beating (or never had one)."""
    live = select(BotProcess.id).where(col(BotProcess.beat_at) >= live_since)
    return and_(
        col(OutboxItem.status) == OutboxStatus.PENDING,
        or_(
            and_(col(OutboxItem.owner) == process_id, col(OutboxItem.not_before) <= now),
            col(OutboxItem.owner).is_(None),
            col(OutboxItem.owner).not_in(live.scalar_subquery()),
        ),
    )


def claimable_ids(
    *, session: Session, process_id: str, now: datetime, live_since: datetime, limit: int
) -> list[int]:
    """The items this process may take now, oldest first."""
    statement = (
        select(OutboxItem.id)
        .where(_claimable(process_id, now, live_since))
        .order_by(col(OutboxItem.id))
        .limit(limit)
    )
    return [int(item_id) for item_id in session.exec(statement) if item_id is not None]


def claim(
    *,
    session: Session,
    item_id: int,
    process_id: str,
    now: datetime,
    live_since: datetime,
    until: datetime,
    first: bool = False,
) -> OutboxItem | None:
    """Take the item for this process until `until`, if nobody else holds it; None when they do.

    `first` takes an item of ours that nobody has tried yet, even before it is due: the request that
    recorded it carries it out at once. One UPDATE with the claim's conditions in its WHERE: of two
    processes racing for an item, the database lets one change the row, and the other's no longer hold.
    """
    if first:
        claimable = and_(
            col(OutboxItem.status) == OutboxStatus.PENDING,
            col(OutboxItem.owner) == process_id,
            col(OutboxItem.attempts) == 0,
        )
    else:
        claimable = _claimable(process_id, now, live_since)
    # RETURNING hands back the claimed row with the UPDATE itself (SQLite 3.35+, PostgreSQL): one
    # statement per claim, on the path of every request's own effects.
    return (
        session.exec(
            update(OutboxItem)
            .where(col(OutboxItem.id) == item_id, claimable)
            .values(owner=process_id, not_before=until, attempts=col(OutboxItem.attempts) + 1)
            .returning(OutboxItem)
            .execution_options(synchronize_session=False, populate_existing=True)
        )
        .scalars()
        .first()
    )


def finish(*, session: Session, item_id: int, now: datetime) -> None:
    session.execute(
        update(OutboxItem)
        .where(col(OutboxItem.id) == item_id)
        .values(status=OutboxStatus.DONE, done_at=now, reason=None)
    )


def postpone(*, session: Session, item_id: int, until: datetime, reason: str) -> None:
    session.execute(
        update(OutboxItem)
        .where(col(OutboxItem.id) == item_id)
        .values(not_before=until, reason=reason[:OUTBOX_REASON_MAX])
    )


def fail(*, session: Session, item_id: int, reason: str, now: datetime) -> None:
    session.execute(
        update(OutboxItem)
        .where(col(OutboxItem.id) == item_id)
        .values(status=OutboxStatus.FAILED, reason=reason[:OUTBOX_REASON_MAX], done_at=now)
    )


def retry_failed(*, session: Session, now: datetime, item_id: int | None = None) -> int:
    """Make failed items pending again (one, or all), for any live process to carry out.

    Each starts over on its attempts but one: it was tried before and may have reached Slack then (a post
    whose answer was lost), so its next attempt looks for what landed before it posts again."""
    statement = update(OutboxItem).where(col(OutboxItem.status) == OutboxStatus.FAILED)
    if item_id is not None:
        statement = statement.where(col(OutboxItem.id) == item_id)
    return changed_rows(
        session,
        statement.values(status=OutboxStatus.PENDING, owner=None, not_before=now, attempts=1, done_at=None),
    )


def purge_done(*, session: Session, done_before: datetime) -> int:
    return changed_rows(
        session,
        delete(OutboxItem).where(
            col(OutboxItem.status) == OutboxStatus.DONE, col(OutboxItem.done_at) < done_before
        ),
    )


PendingKind = Backlog
"""The pending items of one kind."""


def pending_by_kind(*, session: Session) -> list[PendingKind]:
    """Pending items per kind, the kind with the oldest item first."""
    # The column's type does not survive min(): SQLite would hand back a string.
    oldest = type_coerce(func.min(col(OutboxItem.created_at)), UTCDateTime())
    rows = session.exec(
        select(OutboxItem.kind, func.count(), oldest)  # type: ignore[call-overload]
        .where(col(OutboxItem.status) == OutboxStatus.PENDING)
        .group_by(col(OutboxItem.kind))
        .order_by(oldest)
    )
    return [PendingKind(kind=kind, count=int(count), oldest=at) for kind, count, at in rows]


def failed_items(*, session: Session, limit: int = 200) -> list[OutboxItem]:
    """Failed items, oldest first."""
    return list(
        session.exec(
            select(OutboxItem)
            .where(col(OutboxItem.status) == OutboxStatus.FAILED)
            .order_by(col(OutboxItem.created_at), col(OutboxItem.id))
            .limit(limit)
        )
    )


def count_failed(*, session: Session) -> int:
    return int(session.exec(select(func.count()).where(col(OutboxItem.status) == OutboxStatus.FAILED)).one())


def get(*, session: Session, item_id: int) -> OutboxItem | None:
    return session.get(OutboxItem, item_id)


# Which items this thread's request recorded, so that it can carry them out itself once it has answered
# Slack. A ContextVar, because every listener and job runs on a thread of its own.
_committed_here: ContextVar[list[int] | None] = ContextVar("outbox_committed_here", default=None)
_RECORDED = "outbox_recorded"


def note_recorded(*, session: Session, item_id: int) -> None:
    session.info.setdefault(_RECORDED, []).append(item_id)


def hand_over_committed(session: Session) -> None:
    """Called once the session committed: its items become this thread's to carry out."""
    recorded = session.info.pop(_RECORDED, None)
    collected = _committed_here.get()
    if recorded and collected is not None:
        collected.extend(recorded)


def forget_rolled_back(session: Session) -> None:
    session.info.pop(_RECORDED, None)


@contextmanager
def collecting_committed() -> Iterator[list[int]]:
    """Collect the ids of the items committed in this thread while the block runs."""
    collected: list[int] = []
    token = _committed_here.set(collected)
    try:
        yield collected
    finally:
        _committed_here.reset(token)
