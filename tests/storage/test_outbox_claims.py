"""Outbox items are claimed by one UPDATE: of processes racing for the same items, each item goes to one."""

from __future__ import annotations

import threading
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from sqlalchemy import Engine

from storage import queries_outbox
from storage import queries_processes
from storage.db import session_factory
from storage.db import unit_of_work

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
LEASE = timedelta(seconds=30)


def record_items(engine: Engine, *, owner: str, count: int) -> list[int]:
    with unit_of_work(session_factory(engine)) as session:
        return [
            queries_outbox.add(
                session=session, kind="notice", key=f"k-{n}", payload={}, owner=owner, now=NOW, not_before=NOW
            ).id
            or 0
            for n in range(count)
        ]


def claim_all(engine: Engine, process_id: str, item_ids: list[int], won: list[int]) -> None:
    sessions = session_factory(engine)
    for item_id in item_ids:
        with unit_of_work(sessions) as session:
            claimed = queries_outbox.claim(
                session=session,
                item_id=item_id,
                process_id=process_id,
                now=NOW,
                live_since=NOW - LEASE,
                until=NOW + timedelta(minutes=5),
            )
        if claimed is not None:
            won.append(item_id)


def test_processes_racing_for_a_dead_processs_items_each_get_every_item_once(engine: Engine) -> None:
    item_ids = record_items(engine, owner="dead-process", count=60)
    with unit_of_work(session_factory(engine)) as session:
        for alive in ("first", "second", "third"):
            queries_processes.beat(session=session, process_id=alive, now=NOW)
    won: dict[str, list[int]] = {name: [] for name in ("first", "second", "third")}
    racers = [threading.Thread(target=claim_all, args=(engine, name, item_ids, won[name])) for name in won]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()

    claimed = [item_id for items in won.values() for item_id in items]
    assert sorted(claimed) == sorted(item_ids)


def test_a_live_owners_item_is_left_to_it_until_it_stops_beating(engine: Engine) -> None:
    [item_id] = record_items(engine, owner="owner", count=1)
    sessions = session_factory(engine)
    with unit_of_work(sessions) as session:
        queries_processes.beat(session=session, process_id="owner", now=NOW)
        assert (
            queries_outbox.claimable_ids(
                session=session, process_id="other", now=NOW, live_since=NOW - LEASE, limit=10
            )
            == []
        )
    later = NOW + LEASE + timedelta(seconds=1)
    with unit_of_work(sessions) as session:
        assert queries_outbox.claimable_ids(
            session=session, process_id="other", now=later, live_since=later - LEASE, limit=10
        ) == [item_id]
