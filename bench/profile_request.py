"""Where the CPU of one request goes: `/netwerk help` and a click on "accept the agreements".

    .venv/bin/python -m bench.profile_request [--requests 200] [--top 25] [--kind command|click|both]

In one process, one request after another: correctly signed requests through the real WSGI app
(`bot.web.make_wsgi_app` over the runtime's Bolt app) on a temporary SQLite database whose channel is
linked to a network, as in bench.targets; the sandbox's Web API runs in a process of its own, so that
its CPU is not counted. Each request is followed to its end (the work after the ack, the response_url
answer), then the next one is sent. A first pass measures the CPU of the whole process per request and
counts the SQL statements; a second pass runs under cProfile (in the request thread and in every
listener thread) and names the functions where the time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from bench.ack_latency import click_body
from bench.ack_latency import command_body
from bench.ack_latency import signed_headers
from bench.ack_latency import start_target
from bench.networks import counted_statements
from bench.targets import SIGNING_SECRET
from bench.targets import seed_network
from bot.clock import SystemClock
from bot.executor import TrackingExecutor
from bot.runtime import Runtime
from bot.runtime import build_runtime
from bot.settings import Settings
from bot.web import SLACK_EVENTS_PATH
from bot.web import make_wsgi_app

KINDS = ("command", "click")


@dataclass
class Measured:
    kind: str
    requests: int
    cpu_ms_per_request: float
    wall_ms_per_request: float
    sql_per_request: float
    failures: int
    top: list[dict[str, Any]]


def linked_runtime(folder: str, api_url: str, bot_token: str) -> tuple[Runtime, int]:
    """The bot on a fresh SQLite database, its channel linked, the agreements posted and accepted by the
    facilitator (whose click is then the repeated one the bench sends)."""
    settings = Settings(
        slack_bot_token=bot_token,
        slack_signing_secret=SIGNING_SECRET,
        slack_app_token=None,
        slack_api_url=api_url,
        database_url=f"sqlite:///{folder}/profile.db",
        language="nl",
        timezone="Europe/Brussels",
        host="127.0.0.1",
        port=0,
        retention_months=12,
    )
    runtime = build_runtime(settings, clock=SystemClock(), timed_jobs=False)
    version_id = seed_network(runtime, name="Profile", agreements_text="Wat hier gezegd wordt.")
    runtime.settle()
    return runtime, version_id


def send(wsgi: Callable[..., Any], body: bytes) -> int:
    """One signed POST through the WSGI app, as waitress would hand it over; the HTTP status."""
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": SLACK_EVENTS_PATH,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "3000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "CONTENT_LENGTH": str(len(body)),
    }
    for name, value in signed_headers(body).items():
        key = name.upper().replace("-", "_")
        environ[key if key == "CONTENT_TYPE" else f"HTTP_{key}"] = value
    status: list[str] = []
    answer = wsgi(environ, lambda line, headers, exc_info=None: status.append(line))
    b"".join(answer)
    return int(status[0].split()[0])


@contextmanager
def profiled_listeners(executor: TrackingExecutor, profiles: list[cProfile.Profile]) -> Iterator[None]:
    """Every piece of work the executor runs, under a profiler of its own (cProfile sees one thread)."""
    original = executor._in_scope
    lock = threading.Lock()

    def in_scope(fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        profile = cProfile.Profile()
        with lock:
            profiles.append(profile)
        profile.enable()
        try:
            return original(fn, *args, **kwargs)
        finally:
            profile.disable()

    executor._in_scope = in_scope  # type: ignore[method-assign]
    try:
        yield
    finally:
        executor._in_scope = original  # type: ignore[method-assign]


def measure(
    runtime: Runtime, kind: str, version_id: int, response_urls: list[str], *, requests: int, top: int
) -> Measured:
    wsgi = make_wsgi_app(runtime.app, health=runtime.health, signing_secret=SIGNING_SECRET)

    def body(number: int) -> bytes:
        url = response_urls[number % len(response_urls)]
        return command_body("help", url) if kind == "command" else click_body(version_id, url)

    def run(offset: int) -> int:
        failures = 0
        for number in range(requests):
            if send(wsgi, body(offset + number)) != 200:
                failures += 1
            runtime.settle()
        return failures

    run(requests)  # warm: imports, caches, the first connections
    with counted_statements(runtime.engine) as statements:
        cpu, wall = time.process_time(), time.perf_counter()
        failures = run(2 * requests)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall

    profiles: list[cProfile.Profile] = [cProfile.Profile()]
    with profiled_listeners(runtime.executor, profiles):
        profiles[0].enable()
        try:
            failures += run(3 * requests)
        finally:
            profiles[0].disable()
    return Measured(
        kind=kind,
        requests=requests,
        cpu_ms_per_request=cpu / requests * 1000,
        wall_ms_per_request=wall / requests * 1000,
        sql_per_request=len(statements) / requests,
        failures=failures,
        top=top_functions(profiles, requests, top),
    )


def top_functions(profiles: list[cProfile.Profile], requests: int, top: int) -> list[dict[str, Any]]:
    """The functions with the most cumulative time per request (profiler time, inflated alike for all)."""
    stats = pstats.Stats(profiles[0])
    for profile in profiles[1:]:
        stats.add(profile)
    rows = []
    for (filename, line, name), (_, calls, _, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append((cumulative, calls, _short(filename), line, name))
    rows.sort(reverse=True)
    return [
        {
            "function": f"{where}:{line}({name})",
            "cumulative_ms_per_request": round(cumulative / requests * 1000, 3),
            "calls_per_request": round(calls / requests, 2),
        }
        for cumulative, calls, where, line, name in rows[:top]
    ]


def _short(filename: str) -> str:
    for marker in ("site-packages/", "/lib/python3"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return os.path.relpath(filename) if filename.startswith("/") else filename


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="per pass and kind")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--kind", choices=(*KINDS, "both"), default="both")
    args = parser.parse_args(argv)
    kinds = KINDS if args.kind == "both" else (args.kind,)
    # Each response_url takes five answers; each request gives one.
    emulator, slack = start_target("emulator", "--response-urls", str(3 * args.requests * len(kinds)))
    try:
        with tempfile.TemporaryDirectory(prefix="netwerkbot-profile-") as folder:
            runtime, version_id = linked_runtime(folder, slack["api_url"], slack["bot_token"])
            try:
                urls = slack["response_urls"]
                share = len(urls) // len(kinds)
                results = [
                    measure(
                        runtime,
                        kind,
                        version_id,
                        urls[number * share : (number + 1) * share],
                        requests=args.requests,
                        top=args.top,
                    )
                    for number, kind in enumerate(kinds)
                ]
            finally:
                runtime.close()
    finally:
        emulator.terminate()
        emulator.wait(timeout=10)
    report = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "command": f"python -m bench.profile_request --requests {args.requests} --kind {args.kind}",
        **{
            result.kind: {
                "requests": result.requests,
                "failures": result.failures,
                "cpu_ms_per_request": round(result.cpu_ms_per_request, 3),
                "wall_ms_per_request": round(result.wall_ms_per_request, 3),
                "sql_per_request": round(result.sql_per_request, 2),
                "top_cumulative": result.top,
            }
            for result in results
        },
    }
    print(json.dumps(report, indent=2))
    return 0 if all(result.failures == 0 for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
