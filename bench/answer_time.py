"""How soon a member sees the bot's answer, at steady open-loop offered loads, against a floor app.

    .venv/bin/python -m bench.answer_time [--rates 20,50,100] [--seconds 60] [--serving both] [--smoke]

Three processes serve, as in bench.ack_latency: the sandbox's Web API, our bot (a temporary SQLite
database, its channel linked to a network) and the floor: a bare Bolt app behind the same web layer that
acknowledges each request and then answers it through its response_url with one ephemeral line.
The load is open loop: request i is due at start + i / rate whatever became of the ones before, so a slow
app cannot slow the load down; 64 sender threads on keep-alive connections carry it, and every time is
taken from when the request was due, so a request that waited for a free sender counts that wait.
The mix, in turn: `/netwerk help` (answered through the response_url), a member's click on "accept the
agreements" under the agreements message (answered through the response_url), a member submitting their
intro modal (answered by their intro card, chat.postMessage or chat.update; the floor posts the typed job
role), and a reaction_added event on the agreements message. A reaction has no visible answer, in ours or
in the floor: only its ack is timed. Time to answer runs from when the request was due to when its answer
reached the sandbox (the sandbox records the arrival time, which response_url was posted to, and the
marker the bench wrote into the intro; both clocks are this machine's).

An app saturates at a level when it falls behind the offered rate: fewer than 95 % of the level's answers
arrive within 5 s of its last request being due, or the median answer time of the level's last third is
more than twice that of its first third (a queue that keeps growing).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from dataclasses import field
from urllib.parse import urlencode

from bench.ack_latency import KeptConnection
from bench.ack_latency import click_body
from bench.ack_latency import command_body
from bench.ack_latency import percentile
from bench.ack_latency import resident_mb
from bench.ack_latency import signed_headers
from bench.ack_latency import start_ours
from bench.ack_latency import start_target
from bench.ack_latency import wait_until_idle
from bench.targets import CHANNEL_ID
from bench.targets import FACILITATOR
from bench.targets import MEMBERS
from bench.targets import TEAM_ID
from bot.views.ids import INTRO_MODAL
from bot.views.ids import IntroBlocks

SENDERS = 64
MIX = ("command", "click", "intro", "reaction", "command", "click")
ANSWERED = {"command", "click", "intro"}
GRACE_SECONDS = 5.0
AGREEMENTS_TS = "1789000000.000100"


@dataclass
class Sent:
    kind: str
    due: float
    """Wall-clock time (time.time) the request was due to be sent."""
    token: str | None
    ack_s: float | None = None
    """From due to the whole ack read; None when the request failed."""


@dataclass
class Level:
    app: str
    rate: int
    seconds: float
    sent: list[Sent]
    arrivals: dict[str, float] = field(default_factory=dict)

    def answer_times(self, within: float | None = None) -> list[float]:
        times = []
        for request in self.sent:
            arrived = self.arrivals.get(request.token or "")
            if arrived is not None and (within is None or arrived <= within):
                times.append(arrived - request.due)
        return times

    def summary(self) -> dict:
        answerable = [r for r in self.sent if r.token is not None]
        acks = [r.ack_s for r in self.sent if r.ack_s is not None]
        answers = self.answer_times()
        last_due = max(r.due for r in self.sent)
        in_time = len(self.answer_times(within=last_due + GRACE_SECONDS))
        third = len(answerable) // 3
        first = [self.arrivals[r.token] - r.due for r in answerable[:third] if r.token in self.arrivals]
        last = [self.arrivals[r.token] - r.due for r in answerable[-third:] if r.token in self.arrivals]
        growing = bool(first and last) and percentile(last, 0.5) > 2 * percentile(first, 0.5)
        return {
            "offered_rps": self.rate,
            "requests": len(self.sent),
            "failed_acks": len(self.sent) - len(acks),
            "ack_p99_ms": round(percentile(acks, 0.99) * 1000, 1) if acks else None,
            "answers": f"{len(answers)}/{len(answerable)}",
            "answer_p50_ms": round(percentile(answers, 0.50) * 1000, 1) if answers else None,
            "answer_p99_ms": round(percentile(answers, 0.99) * 1000, 1) if answers else None,
            "answered_within_grace": round(in_time / len(answerable), 3) if answerable else None,
            "saturated": (in_time < 0.95 * len(answerable)) or growing,
            "answer_p99_ms_by_kind": {
                kind: round(percentile(times, 0.99) * 1000, 1)
                for kind in sorted(ANSWERED)
                if (
                    times := [
                        self.arrivals[r.token] - r.due
                        for r in answerable
                        if r.kind == kind and r.token in self.arrivals
                    ]
                )
            },
        }


def reaction_body(event_number: int) -> bytes:
    """A member's reaction on the agreements message (not a poll): acknowledged, nothing to show."""
    member = MEMBERS[event_number % len(MEMBERS)]
    return json.dumps(
        {
            "token": "bench",
            "team_id": TEAM_ID,
            "api_app_id": "A0NETWERK",
            "type": "event_callback",
            "event_id": f"Ev0BENCH{event_number:08d}",
            "event_time": int(time.time()),
            "event": {
                "type": "reaction_added",
                "user": member,
                "reaction": "thumbsup",
                "item_user": FACILITATOR,
                "item": {"type": "message", "channel": CHANNEL_ID, "ts": AGREEMENTS_TS},
                "event_ts": f"{time.time():.6f}",
            },
        }
    ).encode()


def intro_body(member: str, marker: str) -> bytes:
    """A member submitting the intro modal; the marker in their job role shows in the card that answers."""
    answers = {
        IntroBlocks.JOB_ROLE: f"Coach {marker}",
        IntroBlocks.ORGANISATION: "Scholengroep Noord",
        IntroBlocks.GIVES: "Ervaring met intervisie",
        IntroBlocks.WANTS: "Ideeën voor het eerste jaar",
        IntroBlocks.PRACTICE_QUESTION: "",
    }
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "bench"},
        "user": {"id": member, "username": member.lower(), "team_id": TEAM_ID},
        "api_app_id": "A0NETWERK",
        "token": "bench",
        "trigger_id": "1.2.bench",
        "view": {
            "id": "V0BENCH",
            "team_id": TEAM_ID,
            "type": "modal",
            "callback_id": INTRO_MODAL,
            "private_metadata": json.dumps({"channel_id": CHANNEL_ID, "language": "nl"}),
            "state": {
                "values": {
                    block: {"value": {"type": "plain_text_input", "value": value}}
                    for block, value in answers.items()
                }
            },
            "hash": "1.bench",
        },
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


def intro_member(number: int) -> str:
    return MEMBERS[number % len(MEMBERS)]


def json_headers(body: bytes) -> dict[str, str]:
    return {**signed_headers(body), "Content-Type": "application/json"}


def offer_load(
    urls: list[str], *, rate: int, seconds: float, response_urls: list[str], version: int, first_event: int
) -> list[Sent]:
    """Send rate × seconds requests, each at its due time, spread round robin over `urls`."""
    total = int(rate * seconds)
    url_iter = iter(response_urls)
    planned: list[tuple[Sent, str, bytes, dict[str, str]]] = []
    for number in range(total):
        kind = MIX[number % len(MIX)]
        token = None
        if kind == "reaction":
            body = reaction_body(first_event + number)
        elif kind == "intro":
            token = f"bench-answer-{first_event + number}"
            body = intro_body(intro_member(first_event + number), token)
        else:
            response_url = next(url_iter)
            token = response_url.rsplit("/response/", 1)[1]
            body = (
                command_body("help", response_url) if kind == "command" else click_body(version, response_url)
            )
        planned.append((Sent(kind, 0.0, token), urls[number % len(urls)], body, {}))
    due: queue.Queue = queue.Queue()

    def sender() -> None:
        connections: dict[str, KeptConnection] = {}
        while (item := due.get()) is not None:
            request, url, body, _ = item
            headers = json_headers(body) if request.kind == "reaction" else signed_headers(body)
            if url not in connections:
                connections[url] = KeptConnection(url)
            if connections[url].post(body, headers):
                request.ack_s = time.time() - request.due
        for connection in connections.values():
            connection.close()

    threads = [threading.Thread(target=sender, daemon=True) for _ in range(SENDERS)]
    for thread in threads:
        thread.start()
    start = time.time() + 0.2
    for number, item in enumerate(planned):
        item[0].due = start + number / rate
        pause = item[0].due - time.time()
        if pause > 0:
            time.sleep(pause)
        due.put(item)
    for _ in threads:
        due.put(None)
    for thread in threads:
        thread.join()
    return [item[0] for item in planned]


class Sandbox:
    """The sandbox's process, asked for the response_url posts that reached it."""

    def __init__(self, response_urls: int) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bench.targets",
                "emulator",
                "--report-arrivals",
                "--response-urls",
                str(response_urls),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        assert self.process.stdout is not None
        self.info = json.loads(self.process.stdout.readline())
        self.unused = list(self.info["response_urls"])
        self.arrivals: dict[str, float] = {}
        self.numbered = 0

    def number_requests(self, count: int) -> int:
        """The first of `count` request numbers unused in this sandbox: event ids and markers stay unique."""
        first, self.numbered = self.numbered, self.numbered + count
        return first

    def take_urls(self, count: int) -> list[str]:
        taken, self.unused = self.unused[:count], self.unused[count:]
        return taken

    def collect(self) -> int:
        """Gather the arrivals since the last call; how many arrived."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        fresh = json.loads(self.process.stdout.readline())["arrivals"]
        self.arrivals.update(fresh)
        return len(fresh)

    def settle(self, tokens: list[str], *, timeout: float) -> None:
        """Until every token is answered, or nothing arrived for 3 s, or `timeout`."""
        deadline = time.time() + timeout
        quiet_since = time.time()
        while time.time() < deadline:
            if self.collect():
                quiet_since = time.time()
            if all(token in self.arrivals for token in tokens) or time.time() - quiet_since > 3:
                return
            time.sleep(0.5)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def run_level(
    app: str, urls: list[str], sandbox: Sandbox, *, rate: int, seconds: float, version: int
) -> Level:
    answerable = sum(1 for n in range(int(rate * seconds)) if MIX[n % len(MIX)] in ANSWERED)
    sent = offer_load(
        urls,
        rate=rate,
        seconds=seconds,
        response_urls=sandbox.take_urls(answerable),
        version=version,
        first_event=sandbox.number_requests(int(rate * seconds)),
    )
    tokens = [r.token for r in sent if r.token is not None]
    sandbox.settle(tokens, timeout=max(60.0, seconds))
    return Level(app, rate, seconds, sent, answered_at(sent, sandbox.arrivals))


def answered_at(sent: list[Sent], arrivals: dict[str, float]) -> dict[str, float]:
    """When each request's answer reached the sandbox.

    A response_url post answers its one request. A member's intro card answers their submission when it
    shows that submission or a later one of theirs: a card updated once for two quick submissions in a
    row answers both (the member sees their latest intro).
    """
    answered = {r.token: arrivals[r.token] for r in sent if r.kind != "intro" and r.token in arrivals}
    earliest_later: dict[str, float] = {}
    for request in reversed([r for r in sent if r.kind == "intro"]):
        member = intro_member(int((request.token or "").rsplit("-", 1)[1]))
        shown = arrivals.get(request.token or "")
        best = (
            min(t for t in (shown, earliest_later.get(member)) if t is not None)
            if (shown is not None or member in earliest_later)
            else None
        )
        if best is not None:
            earliest_later[member] = best
            answered[request.token or ""] = best
    return answered


def urls_needed(rates: list[int], seconds: float, apps: int) -> int:
    per_app = sum(int(rate * seconds) for rate in rates) + 50
    return apps * per_app * len(ANSWERED & set(MIX)) * 2 // len(MIX) + 100


def saturation(levels: list[Level]) -> str:
    for level in sorted(levels, key=lambda lv: lv.rate):
        if level.summary()["saturated"]:
            return f"{level.rate} req/s"
    return f"not within {max(lv.rate for lv in levels)} req/s"


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rates", default="20,50,100", help="offered loads, requests a second")
    parser.add_argument("--seconds", type=float, default=60, help="per load level")
    parser.add_argument("--serving", default="both", choices=("both", "web", "worker"))
    parser.add_argument(
        "--smoke", action="store_true", help="rates 10,20 for 4 s each; exit 1 on a lost answer"
    )
    args = parser.parse_args()
    rates = [10, 20] if args.smoke else [int(rate) for rate in args.rates.split(",")]
    seconds = 4.0 if args.smoke else args.seconds
    started: list[subprocess.Popen] = []
    sandbox = Sandbox(urls_needed(rates, seconds, apps=2))
    levels: list[Level] = []
    folder = tempfile.mkdtemp(prefix="netwerkbot-answer-time-")
    try:
        slack = sandbox.info
        ours, ours_info = start_ours(slack, f"sqlite:///{folder}/bench.db", "--serving", args.serving)
        started.append(ours)
        floor, floor_info = start_target(
            "floor", "--answer", "--api-url", slack["api_url"], "--bot-token", slack["bot_token"]
        )
        started.append(floor)
        idle = {"ours": resident_mb(ours.pid), "floor": resident_mb(floor.pid)}
        apps = {"floor": (floor_info, floor.pid), "ours": (ours_info, ours.pid)}
        for name, (info, _) in apps.items():
            run_level(
                name,
                [info["url"]],
                sandbox,
                rate=10,
                seconds=2,
                version=info["agreements_version"],
            )
        for number, rate in enumerate(rates):
            order = list(apps.items()) if number % 2 == 0 else list(reversed(apps.items()))
            for name, (info, pid) in order:
                wait_until_idle([pid, sandbox.process.pid])
                level = run_level(
                    name,
                    [info["url"]],
                    sandbox,
                    rate=rate,
                    seconds=seconds,
                    version=info["agreements_version"],
                )
                levels.append(level)
        loaded = {"ours": resident_mb(ours.pid), "floor": resident_mb(floor.pid)}
    finally:
        for process in started:
            process.terminate()
            process.wait(timeout=10)
        sandbox.stop()
        shutil.rmtree(folder, ignore_errors=True)
    report = {
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "command": f"python -m bench.answer_time --rates {','.join(map(str, rates))} --seconds {seconds:g} "
        f"--serving {args.serving}",
        "levels": [{"app": level.app, **level.summary()} for level in levels],
        "ratio_ours_to_floor": ratios(levels),
        "saturates_at": {
            app: saturation([lv for lv in levels if lv.app == app]) for app in ("floor", "ours")
        },
        "memory": {"idle": idle, "after_load": loaded},
    }
    print(json.dumps(report, indent=2))
    lost = any(
        lv.summary()["answers"].split("/")[0] != lv.summary()["answers"].split("/")[1] for lv in levels
    )
    failed = any(lv.summary()["failed_acks"] for lv in levels)
    return 1 if args.smoke and (lost or failed) else 0


def ratios(levels: list[Level]) -> list[dict]:
    """Ours over the floor at each offered load: answer p50 and p99, ack p99."""
    rows = []
    for rate in sorted({lv.rate for lv in levels}):
        by_app = {lv.app: lv.summary() for lv in levels if lv.rate == rate}
        row: dict = {"offered_rps": rate}
        for key in ("answer_p50_ms", "answer_p99_ms", "ack_p99_ms"):
            floor, ours = by_app["floor"][key], by_app["ours"][key]
            row[key] = round(ours / floor, 2) if floor and ours else None
        rows.append(row)
    return rows


if __name__ == "__main__":
    sys.exit(main())
