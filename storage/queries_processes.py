"""The bot processes' heartbeats."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy import update
from sqlmodel import Session
from sqlmodel import col
from sqlmodel import select

from storage.models import BotProcess
from storage.rows import changed_rows


def beat(*, session: Session, process_id: str, now: datetime, leader: bool = False) -> None:
    """Record that the process is alive now, and whether it leads (its row is made on its first beat)."""
    result = session.execute(
        update(BotProcess).where(col(BotProcess.id) == process_id).values(beat_at=now, leader=leader)
    )
    if result.rowcount == 0:  # type: ignore[attr-defined]
        session.add(BotProcess(id=process_id, started_at=now, beat_at=now, leader=leader))


def forget(*, session: Session, process_id: str) -> None:
    session.execute(delete(BotProcess).where(col(BotProcess.id) == process_id))


def forget_silent(*, session: Session, silent_since: datetime) -> int:
    """Drop the rows of processes that stopped beating long ago (killed, never said goodbye)."""
    return changed_rows(session, delete(BotProcess).where(col(BotProcess.beat_at) < silent_since))


def live_process_ids(*, session: Session, beating_since: datetime) -> set[str]:
    return set(session.exec(select(BotProcess.id).where(col(BotProcess.beat_at) >= beating_since)))


def live_processes(*, session: Session, beating_since: datetime) -> list[BotProcess]:
    """The processes that beat recently, the longest running first."""
    return list(
        session.exec(
            select(BotProcess)
            .where(col(BotProcess.beat_at) >= beating_since)
            .order_by(col(BotProcess.started_at))
        )
    )
