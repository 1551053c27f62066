"""Does a second process of ours on the same PostgreSQL database serve more, and answer sooner?

    .venv/bin/python -m bench.scale_out [--rates 50,100] [--seconds 60] [--postgres-url URL] [--smoke]

The sandbox's Web API in its own process; then, each on a fresh temporary database on the PostgreSQL server
(127.0.0.1:5432 by default, dropped afterwards): first one process of ours taking all the load (the
baseline), then two processes of ours, each behind its own port, the load split round robin over them.
The load and its mix are bench.answer_time's (open loop, `/netwerk help`, clicks, reactions); throughput is
the answers that reached the sandbox over the time from the first request due to the last answer.
With --serving web|worker (once the bot can serve apart from working) each process serves that way.

Two cores carry everything here: the load generator, the sandbox and every process of ours. A second
process can only help as far as the first left a core idle, or was waiting (on the database, on Slack).
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from bench.ack_latency import POSTGRES_URL
from bench.ack_latency import resident_mb
from bench.ack_latency import start_ours
from bench.ack_latency import wait_until_idle
from bench.answer_time import Level
from bench.answer_time import Sandbox
from bench.answer_time import machine
from bench.answer_time import run_level
from bench.answer_time import urls_needed
from bench.networks import fresh_database


def start_processes(sandbox: Sandbox, database_url: str, processes: int, serving: str) -> list[tuple]:
    """`processes` of ours on one database; the first links the channel, the others find it linked."""
    slack = sandbox.info
    started = []
    for number in range(processes):
        process, info = start_ours(
            slack,
            database_url,
            "--serving",
            serving,
            *(["--no-seed"] if number else []),
        )
        started.append((process, info))
    return started


def throughput(level: Level) -> float:
    """Answers a second, from the first request due to the last answer in."""
    if not level.arrivals:
        return 0.0
    first_due = min(request.due for request in level.sent)
    return len(level.arrivals) / (max(level.arrivals.values()) - first_due)


def measure(
    sandbox: Sandbox, args: argparse.Namespace, processes: int, rates: list[int], seconds: float
) -> dict:
    with fresh_database(args.postgres_url) as database_url:
        started = start_processes(sandbox, database_url, processes, args.serving)
        try:
            pids = [process.pid for process, _ in started]
            idle = [resident_mb(pid) for pid in pids]
            urls = [info["url"] for _, info in started]
            version = started[0][1]["agreements_version"]
            run_level("warm-up", urls, sandbox, rate=10, seconds=2, version=version)
            rows = []
            for rate in rates:
                wait_until_idle([*pids, sandbox.process.pid])
                level = run_level(
                    f"{processes}",
                    urls,
                    sandbox,
                    rate=rate,
                    seconds=seconds,
                    version=version,
                )
                rows.append({**level.summary(), "answers_per_s": round(throughput(level), 1)})
            loaded = [resident_mb(pid) for pid in pids]
        finally:
            for process, _ in started:
                process.terminate()
                process.wait(timeout=20)
    return {"processes": processes, "levels": rows, "memory": {"idle": idle, "after_load": loaded}}


def ratio(two: float | None, one: float | None) -> float | None:
    return round(two / one, 2) if two and one else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rates", default="50,100")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--postgres-url", default=POSTGRES_URL, help="a server; a fresh database is made on it"
    )
    parser.add_argument("--serving", default="both", choices=("both", "web", "worker"))
    parser.add_argument("--smoke", action="store_true", help="rate 10 for 4 s; exit 1 on a lost answer")
    args = parser.parse_args()
    rates = [10] if args.smoke else [int(rate) for rate in args.rates.split(",")]
    seconds = 4.0 if args.smoke else args.seconds
    sandbox = Sandbox(urls_needed(rates, seconds, apps=2))
    try:
        runs = [measure(sandbox, args, processes, rates, seconds) for processes in (1, 2)]
    finally:
        sandbox.stop()
    one, two = runs
    report = {
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "command": f"python -m bench.scale_out --rates {','.join(map(str, rates))} --seconds {seconds:g} "
        f"--serving {args.serving}",
        "database": "PostgreSQL, a fresh temporary database per configuration",
        "runs": runs,
        "ratio_two_to_one": [
            {
                "offered_rps": a["offered_rps"],
                "answers_per_s": ratio(b["answers_per_s"], a["answers_per_s"]),
                "answer_p99_ms": ratio(b["answer_p99_ms"], a["answer_p99_ms"]),
            }
            for a, b in zip(one["levels"], two["levels"], strict=True)
        ],
    }
    print(json.dumps(report, indent=2))
    lost = any(
        row["answers"].split("/")[0] != row["answers"].split("/")[1] or row["failed_acks"]
        for run in runs
        for row in run["levels"]
    )
    return 1 if args.smoke and lost else 0


if __name__ == "__main__":
    sys.exit(main())
