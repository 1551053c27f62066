"""Requests acknowledged before their work: recorded, claimed by one process, settled with their work.

A request is settled (its row deleted) in the same transaction as the first write its work makes, so
after a crash it is either done, with all it wrote, or still here to be worked again from the start.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement
from sqlalchemy import Connection
from sqlalchemy import and_
from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import update
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite
from sqlmodel import Session
from sqlmodel import col
from sqlmodel import select

from storage.models import BotProcess
from storage.models import InboundRequest
from storage.rows import Backlog
from storage.rows import changed_one


class RequestTakenOver(BaseException):
    """Another process took this request over while it was being worked: this work must vanish.

    A BaseException so that no error boundary on the way (Bolt's, ours) tells the user about it: the
    transaction is rolled back and the process that owns the request now does the work, once.
    """


@dataclass(frozen=True, slots=True)
class NewRequest:
    kind: str
    content_type: str
    body: str
    received_at: datetime
    key: str | None = None
    team_id: str | None = None
    retry_num: str | None = None


def record(*, connection: Connection, request: NewRequest, owner: str | None) -> int | None:
    """Insert the request (already owned by `owner`, if given); None when its key was recorded before."""
    dialect = sqlite if connection.dialect.name == "sqlite" else postgresql
    statement = (
        dialect.insert(InboundRequest)
        .values(
            kind=request.kind,
            key=request.key,
            team_id=request.team_id,
            content_type=request.content_type,
            body=request.body,
            retry_num=request.retry_num,
            received_at=request.received_at,
            owner=owner,
            attempts=1 if owner else 0,
        )
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(InboundRequest.id)  # type: ignore[arg-type]
    )
    return connection.execute(statement).scalar_one_or_none()


def withdraw(*, connection: Connection, request_id: int) -> None:
    """Take back a request recorded in this transaction: it is answered another way."""
    connection.execute(delete(InboundRequest).where(col(InboundRequest.id) == request_id))


def _claimable(owner: str, live_since: datetime) -> ColumnElement[bool]:
    """Left to the workers by a web-only process, or owned by a process that stopped beating; never
    one of `owner`'s own, which its workers have in hand already."""
    live = select(BotProcess.id).where(col(BotProcess.beat_at) >= live_since)
    return or_(
        col(InboundRequest.owner).is_(None),
        and_(col(InboundRequest.owner) != owner, col(InboundRequest.owner).not_in(live.scalar_subquery())),
    )


def claimable_ids(*, session: Session, owner: str, live_since: datetime, limit: int) -> list[int]:
    statement = (
        select(InboundRequest.id)
        .where(_claimable(owner, live_since))
        .order_by(col(InboundRequest.id))
        .limit(limit)
    )
    return [int(request_id) for request_id in session.exec(statement) if request_id is not None]


def claim(*, session: Session, request_id: int, owner: str, live_since: datetime) -> InboundRequest | None:
    """Take the request for `owner` if nobody live holds it (one UPDATE: of two racers, one wins)."""
    result = session.execute(
        update(InboundRequest)
        .where(and_(col(InboundRequest.id) == request_id, _claimable(owner, live_since)))
        .values(owner=owner, attempts=col(InboundRequest.attempts) + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return session.exec(
        select(InboundRequest)
        .where(col(InboundRequest.id) == request_id)
        .execution_options(populate_existing=True)
    ).one()


def finish(*, session: Session, request_id: int, owner: str) -> bool:
    """Delete the request if `owner` still holds it; False when another process took it over."""
    still_held = col(InboundRequest.id) == request_id, col(InboundRequest.owner) == owner
    return changed_one(session, delete(InboundRequest).where(*still_held))


WaitingKind = Backlog
"""The requests of one kind not yet worked."""


def waiting_by_kind(*, session: Session) -> list[WaitingKind]:
    """The requests not yet worked, by kind, the kind with the oldest first (for `status`)."""
    rows = session.exec(
        select(
            InboundRequest.kind,
            func.count(col(InboundRequest.id)),
            func.min(col(InboundRequest.received_at)),
        ).group_by(col(InboundRequest.kind))
    ).all()
    waiting = [WaitingKind(kind=kind, count=int(count), oldest=oldest) for kind, count, oldest in rows]
    return sorted(waiting, key=lambda row: row.oldest)


@dataclass(slots=True)
class Working:
    """The request this thread works on; `settled` once its deletion committed with the work's write."""

    request_id: int
    owner: str
    settled: bool = False


_working: ContextVar[Working | None] = ContextVar("inbound_working", default=None)
_SETTLING = "inbound_settling"


@contextmanager
def working_on(request_id: int, owner: str) -> Iterator[Working]:
    working = Working(request_id=request_id, owner=owner)
    token = _working.set(working)
    try:
        yield working
    finally:
        _working.reset(token)


def settle_with(session: Session, *, wrote: bool) -> None:
    """Before a commit: if this thread works a request and the session wrote, settle it in the same
    transaction. Raises RequestTakenOver when another process holds the request now."""
    working = _working.get()
    if working is None or working.settled or not wrote:
        return
    if not finish(session=session, request_id=working.request_id, owner=working.owner):
        raise RequestTakenOver(working.request_id)
    session.info[_SETTLING] = working


def settled_committed(session: Session) -> None:
    working = session.info.pop(_SETTLING, None)
    if working is not None:
        working.settled = True


def forget_rolled_back(session: Session) -> None:
    session.info.pop(_SETTLING, None)
