"""15,000 reactions over ten minutes on 1,000 open check-in polls: acked in time, each counted exactly once?

    .venv/bin/python -m bench.reaction_storm [--reactions 15000] [--minutes 10] [--networks 1000] [--smoke]

The bot runs as its own process (`python -m bot run`) on a fresh SQLite database holding N networks of 13
members (bench.fanout's seeding), each with an open check-in poll in its channel. The sandbox's Web API
runs beside it (the bot calls nothing for a reaction; it is there for start-up). The floor, a bare Bolt app
behind the same web layer that only acknowledges, gets the very same events at the same moments, in its
own process, side by side: so both meet the same machine.

Each reaction is a different (poll, member, scale emoji), drawn at random and sent open loop, evenly
spread over the minutes: event i is due at start + i × minutes / reactions whatever became of the ones
before, and its ack time runs from when it was due. One in fifty is delivered a second time 1-5 s later,
as Slack redelivers, with the same event_id and X-Slack-Retry-Num 1. Afterwards the database must hold,
for every poll and emoji, exactly as many counted reactions as were sent: none lost, none counted twice.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import queue
import random
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path

from sqlalchemy import text
from sqlmodel import select

from bench.ack_latency import KeptConnection
from bench.ack_latency import percentile
from bench.ack_latency import resident_mb
from bench.ack_latency import start_target
from bench.answer_time import machine
from bench.fanout import FACILITATOR
from bench.fanout import MEMBERS
from bench.fanout import SIGNING_SECRET
from bench.fanout import BotProcess
from bench.fanout import channel_id
from bench.fanout import sandbox
from bench.fanout import seed
from bench.targets import SIGNING_SECRET as FLOOR_SIGNING_SECRET
from bot.sandbox.ratelimits import RateLimitPolicy
from bot.services.checkin_common import SCALE
from storage.db import create_db_engine
from storage.db import session_factory
from storage.models import Network
from storage.models.base import RunKind
from storage.models.checkins import CheckinPoll
from storage.models.checkins import PollStatus

SENDERS_PER_APP = 16
REDELIVERED_ONE_IN = 50


@dataclass(frozen=True)
class Reaction:
    number: int
    poll: int
    user_id: str
    emoji: str

    @property
    def event_id(self) -> str:
        return f"Ev0STORM{self.number:08d}"


@dataclass
class Delivery:
    reaction: Reaction
    due: float
    retry: int
    ack_s: float | None = None


def poll_ts(number: int) -> str:
    return f"1789000000.{number:06d}"


def seed_open_polls(database_url: str, networks: int) -> None:
    """bench.fanout's networks (their next check-in days away), each with a poll open for answers now."""
    now = datetime.now(UTC)
    seed(database_url, networks, now + timedelta(days=3))
    engine = create_db_engine(database_url)
    with session_factory(engine)() as session:
        ids = {network.channel_id: network.id for network in session.exec(select(Network))}
        for number in range(networks):
            channel = channel_id(number)
            session.add(
                CheckinPoll(
                    network_id=ids[channel] or 0,
                    key=f"checkin/{ids[channel]}/storm",
                    kind=RunKind.MANUAL,
                    run_date=now.date(),
                    status=PollStatus.OPEN,
                    claimed_at=now,
                    channel_id=channel,
                    language="nl",
                    message_ts=poll_ts(number),
                    posted_at=now,
                    closes_at=now + timedelta(days=3),
                    anonymity_threshold=5,
                )
            )
        session.commit()
    engine.dispose()


def plan(reactions: int, networks: int, seconds: float, chance: random.Random) -> list[Delivery]:
    """Distinct (poll, member, emoji) reactions spread evenly over `seconds`, some delivered twice."""
    members = (FACILITATOR, *MEMBERS)
    possible = networks * len(members) * len(SCALE)
    if reactions > possible:
        raise SystemExit(f"{networks} polls take at most {possible} different reactions, not {reactions}")
    picked = chance.sample(range(possible), reactions)
    start = time.time() + 1.0
    deliveries = []
    for number, index in enumerate(picked):
        poll, rest = divmod(index, len(members) * len(SCALE))
        user, emoji = divmod(rest, len(SCALE))
        reaction = Reaction(number, poll, members[user], SCALE[emoji])
        due = start + number * seconds / reactions
        deliveries.append(Delivery(reaction, due, 0))
        if number % REDELIVERED_ONE_IN == REDELIVERED_ONE_IN - 1:
            deliveries.append(Delivery(reaction, due + chance.uniform(1, 5), 1))
    return sorted(deliveries, key=lambda delivery: delivery.due)


def event_body(reaction: Reaction, due: float) -> bytes:
    return json.dumps(
        {
            "token": "bench",
            "team_id": "T0NETWERK",
            "api_app_id": "A0NETWERK",
            "type": "event_callback",
            "event_id": reaction.event_id,
            "event_time": int(due),
            "event": {
                "type": "reaction_added",
                "user": reaction.user_id,
                "reaction": reaction.emoji,
                "item_user": "U0BOT",
                "item": {
                    "type": "message",
                    "channel": channel_id(reaction.poll),
                    "ts": poll_ts(reaction.poll),
                },
                "event_ts": f"{due:.6f}",
            },
        }
    ).encode()


def headers(body: bytes, secret: str, retry: int) -> dict[str, str]:
    stamp = str(int(time.time()))
    signature = hmac.new(secret.encode(), f"v0:{stamp}:".encode() + body, hashlib.sha256).hexdigest()
    sent = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={signature}",
    }
    if retry:
        sent |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
    return sent


def storm(apps: dict[str, tuple[str, str]], deliveries: list[Delivery]) -> dict[str, list[Delivery]]:
    """Every delivery to every app at its due time (open loop); each app's own pool of senders."""
    results = {name: [Delivery(d.reaction, d.due, d.retry) for d in deliveries] for name in apps}
    queues: dict[str, queue.Queue] = {name: queue.Queue() for name in apps}

    def sender(name: str) -> None:
        url, secret = apps[name]
        connection = KeptConnection(url)
        while (delivery := queues[name].get()) is not None:
            body = event_body(delivery.reaction, delivery.due)
            if connection.post(body, headers(body, secret, delivery.retry)):
                delivery.ack_s = time.time() - delivery.due
        connection.close()

    threads = [
        threading.Thread(target=sender, args=(name,), daemon=True)
        for name in apps
        for _ in range(SENDERS_PER_APP)
    ]
    for thread in threads:
        thread.start()
    for index, delivery in enumerate(deliveries):
        pause = delivery.due - time.time()
        if pause > 0:
            time.sleep(pause)
        for name in apps:
            queues[name].put(results[name][index])
    for name in apps:
        for _ in range(SENDERS_PER_APP):
            queues[name].put(None)
    for thread in threads:
        thread.join()
    return results


def counted(database_url: str) -> Counter:
    """Counted reactions per (channel, emoji)."""
    engine = create_db_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT p.channel_id, r.emoji, count(*) FROM checkin_reaction r "
                    "JOIN checkin_poll p ON p.id = r.poll_id GROUP BY p.channel_id, r.emoji"
                )
            )
            return Counter({(channel, emoji): int(count) for channel, emoji, count in rows})
    finally:
        engine.dispose()


def wait_until_counted(database_url: str, expected: int, timeout: float) -> float:
    """Seconds until the database holds `expected` reactions, or stops growing for 10 s: the work still
    queued behind the acks when the storm ends."""
    began = time.time()
    last, still_since = -1, time.time()
    while time.time() - began < timeout:
        now = sum(counted(database_url).values())
        if now >= expected:
            break
        if now != last:
            last, still_since = now, time.time()
        elif time.time() - still_since > 10:
            break
        time.sleep(0.5)
    return time.time() - began


def wait_healthy(base_url: str, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"the bot at {base_url} did not become healthy")


def summary(deliveries: list[Delivery], seconds: float) -> dict:
    acks = [d.ack_s for d in deliveries if d.ack_s is not None]
    return {
        "deliveries": len(deliveries),
        "failed_acks": len(deliveries) - len(acks),
        "ack_p50_ms": round(percentile(acks, 0.50) * 1000, 1),
        "ack_p99_ms": round(percentile(acks, 0.99) * 1000, 1),
        "acked_per_s": round(len(acks) / (seconds + max(acks)), 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reactions", type=int, default=15000)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--networks", type=int, default=1000)
    parser.add_argument(
        "--smoke", action="store_true", help="300 reactions on 20 polls in 15 s; exit 1 unless exact"
    )
    args = parser.parse_args()
    if args.smoke:
        args.reactions, args.minutes, args.networks = 300, 0.25, 20
    seconds = args.minutes * 60
    chance = random.Random(17)
    emulator = sandbox(args.networks, RateLimitPolicy())
    floor: subprocess.Popen | None = None
    with tempfile.TemporaryDirectory(prefix="reaction-storm-") as folder:
        database_url = f"sqlite:///{folder}/storm.db"
        seed_open_polls(database_url, args.networks)
        bot = BotProcess(emulator, database_url, Path(folder) / "bot.log")
        try:
            bot.start()
            ours_base = f"http://127.0.0.1:{bot.environment['PORT']}"
            wait_healthy(ours_base)
            floor, floor_info = start_target(
                "floor", "--api-url", emulator.api_url, "--bot-token", emulator.bot_token
            )
            idle = {"ours": round(bot.resident_mb(), 1), "floor": resident_mb(floor.pid)}
            deliveries = plan(args.reactions, args.networks, seconds, chance)
            results = storm(
                {
                    "floor": (floor_info["url"], FLOOR_SIGNING_SECRET),
                    "ours": (f"{ours_base}/slack/events", SIGNING_SECRET),
                },
                deliveries,
            )
            counting_s = wait_until_counted(database_url, args.reactions, timeout=max(120.0, seconds))
            found = counted(database_url)
            after = {"ours": round(bot.resident_mb(), 1), "ours_peak": round(bot.peak_mb, 1)}
            after["floor"] = resident_mb(floor.pid)
        finally:
            bot.stop()
            if floor is not None:
                floor.terminate()
                floor.wait(timeout=10)
            emulator.stop()
        if args.smoke and found != expected_counts(deliveries):
            print((Path(folder) / "bot.log").read_text(errors="replace")[-4000:], file=sys.stderr)
    expected = expected_counts(deliveries)
    lost = sum((expected - found).values())
    doubled = sum((found - expected).values())
    floor_summary, ours_summary = summary(results["floor"], seconds), summary(results["ours"], seconds)
    report = {
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "command": f"python -m bench.reaction_storm --reactions {args.reactions} --minutes {args.minutes:g} "
        f"--networks {args.networks}",
        "offered_per_s": round(len(deliveries) / seconds, 1),
        "redelivered": sum(1 for d in deliveries if d.retry),
        "floor": floor_summary,
        "ours": ours_summary,
        "ratio_ack_p99": round(ours_summary["ack_p99_ms"] / floor_summary["ack_p99_ms"], 2),
        "all_counted_after_the_last_ack_s": round(counting_s, 1),
        "counted": sum(found.values()),
        "lost": lost,
        "counted_twice": doubled,
        "memory": {"idle": idle, "after_load": after},
    }
    print(json.dumps(report, indent=2))
    failed = lost or doubled or ours_summary["failed_acks"]
    return 1 if args.smoke and failed else 0


def expected_counts(deliveries: list[Delivery]) -> Counter:
    """Per (channel, emoji), the reactions sent, each once however often it was delivered."""
    sent = {d.reaction for d in deliveries}
    return Counter((channel_id(r.poll), r.emoji) for r in sent)


if __name__ == "__main__":
    sys.exit(main())
