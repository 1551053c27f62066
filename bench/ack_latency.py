"""How fast the bot acknowledges slash commands and clicks, and its memory, against a bare Bolt app.

    .venv/bin/python -m bench.ack_latency [--kind command|click] [--serving both|apart] [--clients 50]
        [--requests 40] [--rounds 3]

Three processes serve: the sandbox's Web API, our bot (on a temporary SQLite database, its channel
linked to a network) and the floor (a bare Bolt app behind the same waitress server). Two load
processes, each with half the clients on keep-alive connections, send correctly signed `/netwerk help`
commands (or, with --kind click, clicks on "accept the agreements" by a member who already accepted);
rounds alternate between the two apps so that drift on the machine hits both alike.
Latency is from sending a request to reading its whole answer. Our bot then finishes each request
after its ack (database, users.info, response_url), as in production; the floor does nothing. After each
round the bench waits until every process is idle, so that work left over from one app's round runs in
neither's next one, and reports the CPU each app's process (and the sandbox) spent per request.
With --serving apart, ours is two processes on a fresh PostgreSQL database (127.0.0.1:5432, dropped
afterwards): `web`, which records and acknowledges, and `worker`, which works; its CPU is both together.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import http.client
import json
import math
import multiprocessing
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from dataclasses import dataclass
from urllib.parse import urlencode
from urllib.parse import urlparse

from bench.networks import fresh_database
from bench.targets import CHANNEL_ID
from bench.targets import FACILITATOR
from bench.targets import SIGNING_SECRET
from bench.targets import TEAM_ID

USES_PER_RESPONSE_URL = 4
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@dataclass
class RoundResult:
    target: str
    latencies: list[float]
    failures: int
    seconds: float
    app_cpu_seconds: float = 0.0
    """CPU the app's process spent on the round, including what it finished after the last answer."""
    sandbox_cpu_seconds: float = 0.0
    """CPU the sandbox spent on it (the response_url posts and Web API calls the app made)."""


def start_target(*args: str) -> tuple[subprocess.Popen, dict]:
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.targets", *args],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        raise RuntimeError(f"bench target {args[0]} did not start")
    return process, json.loads(line)


def start_ours(slack: dict, database_url: str, *options: str) -> tuple[subprocess.Popen, dict]:
    """Our bot against the sandbox `slack` (its api_url and bot_token), on `database_url`."""
    return start_target(
        "ours",
        "--api-url",
        slack["api_url"],
        "--bot-token",
        slack["bot_token"],
        "--database-url",
        database_url,
        *options,
    )


def start_ours_serving(serving: str, slack: dict, stack: ExitStack) -> tuple[list[subprocess.Popen], dict]:
    """Ours `both` on a temporary SQLite file, or `apart`: a web process and a worker process on a fresh
    PostgreSQL database (several processes on one database is what PostgreSQL carries). The acknowledging
    process comes first; each stops before its database goes."""
    if serving == "both":
        folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="netwerkbot-bench-"))
        databases = [f"sqlite:///{folder}/bench.db"]
        servings: list[tuple[str, ...]] = [()]
    else:
        databases = [stack.enter_context(fresh_database(POSTGRES_URL))] * 2
        servings = [("--serving", "web"), ("--serving", "worker", "--no-seed")]
    started: list[tuple[subprocess.Popen, dict]] = []
    for database_url, options in zip(databases, servings, strict=True):
        started.append(start_ours(slack, database_url, *options))
        stack.callback(stop, started[-1][0])
    return [process for process, _ in started], started[0][1]


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=10)


def command_body(text: str, response_url: str) -> bytes:
    return urlencode(
        {
            "token": "bench",
            "team_id": TEAM_ID,
            "team_domain": "bench",
            "channel_id": CHANNEL_ID,
            "channel_name": "bench",
            "user_id": FACILITATOR,
            "user_name": "els",
            "command": "/netwerk",
            "text": text,
            "api_app_id": "A0NETWERK",
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": "1.2.bench",
        }
    ).encode()


def click_body(version_id: int, response_url: str) -> bytes:
    """A member clicking "accept the agreements" under the agreements message in the network's channel."""
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "bench"},
        "user": {"id": FACILITATOR, "username": "els", "team_id": TEAM_ID},
        "api_app_id": "A0NETWERK",
        "token": "bench",
        "container": {"type": "message", "message_ts": "1789000000.000100", "channel_id": CHANNEL_ID},
        "trigger_id": "1.2.bench",
        "channel": {"id": CHANNEL_ID, "name": "bench"},
        "message": {"type": "message", "ts": "1789000000.000100", "text": "afspraken"},
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "action_id": "kickoff_accept_agreements",
                "block_id": "agreements_actions",
                "value": str(version_id),
                "action_ts": "1789000001.000200",
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


def signed_headers(body: bytes) -> dict[str, str]:
    stamp = str(int(time.time()))
    signature = hmac.new(SIGNING_SECRET.encode(), f"v0:{stamp}:".encode() + body, hashlib.sha256).hexdigest()
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={signature}",
    }


class KeptConnection:
    """One keep-alive connection a sender holds to the app, as Slack's senders do; after a broken request
    it starts afresh, so one failure costs that request only."""

    def __init__(self, url: str) -> None:
        target = urlparse(url)
        self.host, self.port, self.path = target.hostname, target.port, target.path
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)

    def post(self, body: bytes, headers: dict[str, str]) -> bool:
        """Whether the app answered the POST with a 200; the answer is read whole."""
        try:
            self.connection.request("POST", self.path, body=body, headers=headers)
            answer = self.connection.getresponse()
            answer.read()
            return answer.status == 200
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
            return False

    def close(self) -> None:
        self.connection.close()


def load_process(
    url: str, clients: int, requests: int, response_urls: list[str], kind: str, version: int, queue
) -> None:  # type: ignore[no-untyped-def]
    """One load process: `clients` threads, each sending `requests` commands (or clicks) one after another."""
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()
    start = threading.Barrier(clients)

    def client(number: int) -> None:
        nonlocal failures
        connection = KeptConnection(url)
        mine: list[float] = []
        bad = 0
        start.wait()
        for sequence in range(requests):
            index = (number * requests + sequence) // USES_PER_RESPONSE_URL
            response_url = response_urls[index % len(response_urls)]
            body = (
                command_body("help", response_url) if kind == "command" else click_body(version, response_url)
            )
            began = time.perf_counter()
            if not connection.post(body, signed_headers(body)):
                bad += 1
            mine.append(time.perf_counter() - began)
        connection.close()
        with lock:
            latencies.extend(mine)
            failures += bad

    threads = [threading.Thread(target=client, args=(number,)) for number in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put((latencies, failures))


def run_round(
    name: str, url: str, *, clients: int, requests: int, response_urls: list[str], kind: str, version: int
) -> RoundResult:
    processes = 2
    queue: multiprocessing.Queue = multiprocessing.Queue()
    share = len(response_urls) // processes
    workers = [
        multiprocessing.Process(
            target=load_process,
            args=(
                url,
                clients // processes,
                requests,
                response_urls[i * share : (i + 1) * share],
                kind,
                version,
                queue,
            ),
        )
        for i in range(processes)
    ]
    began = time.perf_counter()
    for worker in workers:
        worker.start()
    results = [queue.get() for _ in workers]
    seconds = time.perf_counter() - began
    for worker in workers:
        worker.join()
    latencies = [value for part, _ in results for value in part]
    return RoundResult(name, latencies, sum(bad for _, bad in results), seconds)


def resident_mb(pid: int) -> dict[str, float]:
    """The process's resident set now and at its peak (Linux /proc), in MB."""
    fields = memory_fields_mb(pid)
    return {"now_mb": round(fields["VmRSS"], 1), "peak_mb": round(fields["VmHWM"], 1)}


def memory_fields_mb(pid: int) -> dict[str, float]:
    """The resident set now (`VmRSS`) and at its peak (`VmHWM`) in MB, of those the kernel reports: a
    process that has exited but was not waited for reports neither."""
    fields: dict[str, float] = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                fields[name] = int(value.split()[0]) / 1024
    return fields


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc/<pid>/stat)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_until_idle(pids: list[int], *, timeout: float = 120.0) -> None:
    """Until no process works: what one round left over after its last answer must not run in the next."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        before = [cpu_seconds(pid) for pid in pids]
        time.sleep(0.5)
        if all(cpu_seconds(pid) - used < 0.02 for pid, used in zip(pids, before, strict=True)):
            return


def measured_round(name: str, url: str, app_pids: list[int], sandbox_pid: int, **options) -> RoundResult:  # type: ignore[no-untyped-def]
    app_before, sandbox_before = sum(map(cpu_seconds, app_pids)), cpu_seconds(sandbox_pid)
    result = run_round(name, url, **options)
    wait_until_idle([*app_pids, sandbox_pid])
    result.app_cpu_seconds = sum(map(cpu_seconds, app_pids)) - app_before
    result.sandbox_cpu_seconds = cpu_seconds(sandbox_pid) - sandbox_before
    return result


def summarise(rounds: list[RoundResult], target: str) -> dict:
    mine = [r for r in rounds if r.target == target]
    latencies = [value for r in mine for value in r.latencies]
    total = len(latencies)
    return {
        "requests": total,
        "failures": sum(r.failures for r in mine),
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p95_ms": percentile(latencies, 0.95) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "throughput_rps": total / sum(r.seconds for r in mine),
        "app_cpu_ms_per_request": sum(r.app_cpu_seconds for r in mine) / total * 1000,
        "sandbox_cpu_ms_per_request": sum(r.sandbox_cpu_seconds for r in mine) / total * 1000,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=40, help="per client per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--kind", choices=("command", "click"), default="command")
    parser.add_argument("--serving", choices=("both", "apart"), default="both")
    args = parser.parse_args()
    per_round = args.clients * args.requests
    needed = (per_round * (args.rounds + 1)) // USES_PER_RESPONSE_URL + args.clients * 2
    with ExitStack() as stack:
        emulator, slack = start_target("emulator", "--response-urls", str(needed))
        stack.callback(stop, emulator)
        ours, ours_info = start_ours_serving(args.serving, slack, stack)
        floor, floor_info = start_target(
            "floor", "--api-url", slack["api_url"], "--bot-token", slack["bot_token"]
        )
        stack.callback(stop, floor)
        idle = {"ours": resident_mb(ours[0].pid), "floor": resident_mb(floor.pid)}
        urls = slack["response_urls"]
        chunk = len(urls) // (args.rounds + 1)
        warm = min(10, args.requests)
        versions = {"floor": floor_info["agreements_version"], "ours": ours_info["agreements_version"]}
        load = {"clients": args.clients, "kind": args.kind}
        for name, info in (("floor", floor_info), ("ours", ours_info)):
            run_round(
                name, info["url"], requests=warm, response_urls=urls[:chunk], version=versions[name], **load
            )
        wait_until_idle([*(process.pid for process in ours), floor.pid, emulator.pid])
        rounds: list[RoundResult] = []
        for number in range(args.rounds):
            batch = urls[(number + 1) * chunk : (number + 2) * chunk]
            order = [
                ("floor", floor_info["url"], [floor.pid]),
                ("ours", ours_info["url"], [process.pid for process in ours]),
            ]
            for name, url, pids in order if number % 2 == 0 else reversed(order):
                measured = measured_round(
                    name,
                    url,
                    pids,
                    emulator.pid,
                    requests=args.requests,
                    response_urls=batch,
                    version=versions[name],
                    **load,
                )
                rounds.append(measured)
        loaded = {"ours": resident_mb(ours[0].pid), "floor": resident_mb(floor.pid)}
        if len(ours) > 1:
            loaded["ours_worker"] = resident_mb(ours[1].pid)
    floor_summary, ours_summary = summarise(rounds, "floor"), summarise(rounds, "ours")
    report = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "command": "python -m bench.ack_latency "
        f"--kind {args.kind} --serving {args.serving} --clients {args.clients} --requests {args.requests} "
        f"--rounds {args.rounds}",
        "floor": floor_summary,
        "ours": ours_summary,
        "ratio": {
            "p50": ours_summary["p50_ms"] / floor_summary["p50_ms"],
            "p95": ours_summary["p95_ms"] / floor_summary["p95_ms"],
            "p99": ours_summary["p99_ms"] / floor_summary["p99_ms"],
            "throughput": ours_summary["throughput_rps"] / floor_summary["throughput_rps"],
        },
        "memory": {
            "idle": idle,
            "after_load": loaded,
            "ratio_peak": loaded["ours"]["peak_mb"] / loaded["floor"]["peak_mb"],
        },
    }
    print(json.dumps(report, indent=2))
    return 0 if ours_summary["failures"] == 0 and floor_summary["failures"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
