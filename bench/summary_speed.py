"""How fast the facilitator's summary is built for a network with two years of history.

    .venv/bin/python -m bench.summary_speed [--repeat 30] [--postgres-url URL | --no-postgres]

On SQLite and on PostgreSQL (a fresh database, dropped afterwards), in one process: a network of 15
members with 50 polls, 300 cases, 3,000 pieces of advice and 40 meetings (bench.summary_history), and
side by side two baselines measured the same way: `SELECT 1` through a session (one round trip) and the
build for a brand-new network. Then the build with the chart drawn (PNG bytes), and the number of queries
(SQLAlchemy's `before_cursor_execute`) for networks with 100 and with 300 cases.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from sqlalchemy import text

from bench.networks import counted_statements
from bench.networks import fresh_database
from bench.networks import network_details
from bench.summary_history import TWO_YEARS
from bench.summary_history import HistorySize
from bench.summary_history import write_history
from bot.charts import summary_chart
from bot.clock import ManualClock
from bot.i18n import Texts
from bot.services.networks import NetworkService
from bot.services.outbox import Outbox
from bot.services.summary import SummaryService
from storage.db import create_db_engine
from storage.db import migrate
from storage.db import session_factory

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
STARTED = datetime(2024, 11, 4, 9, 0, tzinfo=UTC)
NOW = STARTED + timedelta(days=730)
MEMBERS = [f"U0M{number:02d}" for number in range(14)]
FACILITATOR = "U0ELS"


def start_network(sessions, clock: ManualClock, channel_id: str) -> int:  # type: ignore[no-untyped-def]
    overview = NetworkService(sessions=sessions, clock=clock).link_channel(
        team_id="T0BENCH",
        channel_id=channel_id,
        facilitator_id=FACILITATOR,
        details=network_details(
            "Lerend netwerk jeugdhulp", goal="Samen sterker in moeilijke gesprekken met ouders"
        ),
        channel_member_ids=MEMBERS,
    )
    return overview.network.id or 0


def timed(work: Callable[[], object], repeat: int) -> list[float]:
    work()  # warm-up: statement caches, connection pool
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - started)
    return seconds


def count_queries(engine, work: Callable[[], object]) -> int:  # type: ignore[no-untyped-def]
    with counted_statements(engine) as statements:
        work()
    return len(statements)


def measure(url: str, repeat: int) -> dict[str, object]:
    engine = create_db_engine(url)
    try:
        migrate(engine)
        sessions = session_factory(engine)
        clock = ManualClock(STARTED)
        empty = start_network(sessions, clock, "C0LEEG")
        rich = start_network(sessions, clock, "C0RIJK")
        hundred = start_network(sessions, clock, "C0HONDERD")
        members = [FACILITATOR, *MEMBERS]
        write_history(sessions, network_id=rich, members=members, now=NOW, size=TWO_YEARS)
        write_history(
            sessions,
            network_id=hundred,
            members=members,
            now=NOW,
            size=HistorySize(polls=50, cases=100, advice=1000, meetings=40),
        )
        clock.set(NOW)
        service = SummaryService(sessions=sessions, clock=clock, outbox=Outbox(clock=clock, process_id=None))
        texts = Texts("nl")

        def select_one() -> None:
            with sessions() as session:
                session.execute(text("SELECT 1")).scalar()

        summary = service.build(network_id=rich)
        assert summary.cases.total == TWO_YEARS.cases and len(summary.trend) == 24
        return {
            "select_one": timed(select_one, repeat),
            "build_empty": timed(lambda: service.build(network_id=empty), repeat),
            "build": timed(lambda: service.build(network_id=rich), repeat),
            "build_chart": timed(
                lambda: summary_chart(texts, service.build(network_id=rich)), max(5, repeat // 3)
            ),
            "queries_100": count_queries(engine, lambda: service.build(network_id=hundred)),
            "queries_300": count_queries(engine, lambda: service.build(network_id=rich)),
            "queries_empty": count_queries(engine, lambda: service.build(network_id=empty)),
        }
    finally:
        engine.dispose()


def ms(values: list[float], q: str) -> float:
    if q == "p50":
        return statistics.median(values) * 1000
    return sorted(values)[max(0, round(len(values) * 0.95) - 1)] * 1000


def report(backend: str, figures: dict[str, object]) -> list[str]:
    base = statistics.median(figures["select_one"])  # type: ignore[arg-type]
    lines = []
    for key, label in (
        ("select_one", "`SELECT 1` (baseline)"),
        ("build_empty", "build, brand-new network (baseline)"),
        ("build", "build, two years of history"),
        ("build_chart", "build + chart (PNG)"),
    ):
        values = figures[key]
        lines.append(
            f"| {backend} | {label} | {ms(values, 'p50'):.1f} ms | {ms(values, 'p95'):.1f} ms "  # type: ignore[arg-type]
            f"| {statistics.median(values) / base:.0f}x |"  # type: ignore[arg-type]
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--no-postgres", action="store_true")
    options = parser.parse_args()

    results: dict[str, dict[str, object]] = {}
    with fresh_database(None) as url:
        results["SQLite"] = measure(url, options.repeat)
    if not options.no_postgres:
        with fresh_database(options.postgres_url) as url:
            results["PostgreSQL"] = measure(url, options.repeat)

    print(f"Machine: {platform.machine()}, Python {platform.python_version()}, {platform.platform()}")
    print(f"Date: {datetime.now(UTC).date().isoformat()}, {options.repeat} runs each after a warm-up")
    print()
    print("| database | what | p50 | p95 | p50 / `SELECT 1` |")
    print("| --- | --- | --- | --- | --- |")
    for backend, figures in results.items():
        for line in report(backend, figures):
            print(line)
    print()
    print("| database | queries, new network | queries, 100 cases | queries, 300 cases |")
    print("| --- | --- | --- | --- |")
    for backend, figures in results.items():
        counts = (figures[key] for key in ("queries_empty", "queries_100", "queries_300"))
        print(f"| {backend} | " + " | ".join(str(count) for count in counts) + " |")


if __name__ == "__main__":
    main()
