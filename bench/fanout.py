"""How long 1,000 networks' check-ins, due in the same minute, take to post under Slack's rate limits.

    .venv/bin/python -m bench.fanout [--networks 1000] [--kill-halfway] [--scales] [--database-url URL]

The sandbox's Web API enforces the rate limits (429 with Retry-After): chat.postMessage per channel and
per workspace, reactions.add at Tier 3 (bot.sandbox.ratelimits). The bot runs as its own process
(`python -m bot run`, the real scheduler on the real clock) on a fresh database holding N networks whose
weekly check-in falls due at the next whole minute. Measured from that minute until every poll is in its
channel (and with --scales until every poll carries its five-emoji scale), against:
- the bound the rate limits set: the calls each limit must let through, less its burst, at its rate;
- a baseline run side by side: bare slack_sdk clients (ten threads, as many as the bot's scheduler has)
  posting N plain messages, one per channel, against a second sandbox with the same limits.
--kill-halfway sends SIGKILL to the bot once half the polls are out and starts it again at once.
Afterwards every channel must hold exactly one poll: zero lost, zero doubled.
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bench.ack_latency import memory_fields_mb
from bench.networks import fresh_database
from bench.networks import read_number
from bot.sandbox.emulator import SlackEmulator
from bot.sandbox.ratelimits import TIER_PER_MINUTE
from bot.sandbox.ratelimits import RateLimitPolicy
from bot.services.checkin_common import SCALE
from storage.db import create_db_engine
from storage.db import migrate
from storage.db import session_factory
from storage.models import CheckinSchedule
from storage.models import Membership
from storage.models import Network
from storage.models.checkins import Frequency
from storage.models.network import NetworkComposition
from storage.models.network import NetworkOrigin
from storage.models.network import Role

SIGNING_SECRET = "fanout-bench-signing-secret"
TIMEZONE = "Europe/Brussels"
MEMBERS = tuple(f"U0LID{number:02d}" for number in range(12))
FACILITATOR = "U0TREKKER"
SCHEDULER_THREADS = 10  # APScheduler's default thread pool, which runs the bot's check-in jobs


@dataclass(frozen=True)
class Bounds:
    posts_s: float
    scales_s: float


def bounds(networks: int, policy: RateLimitPolicy) -> Bounds:
    """The shortest time Slack's limits allow: each bucket's calls beyond its burst, at its rate."""
    per_channel = max(0, 1 - policy.post_message_channel_burst) / policy.post_message_per_channel_per_second
    workspace = max(0, networks - policy.post_message_workspace_burst) / (
        policy.post_message_workspace_per_minute / 60
    )
    tier3 = TIER_PER_MINUTE[3]
    scales = max(0, networks * len(SCALE) - tier3) / (tier3 / 60)
    return Bounds(posts_s=max(per_channel, workspace), scales_s=scales)


def sandbox(networks: int, policy: RateLimitPolicy) -> SlackEmulator:
    emulator = SlackEmulator(rate_limit_policy=policy).start()
    emulator.add_user(FACILITATOR, "trekker", locale="nl-BE")
    for user_id in MEMBERS:
        emulator.add_user(user_id, user_id.lower(), locale="nl-BE")
    for number in range(networks):
        emulator.add_channel(channel_id(number), f"netwerk-{number}", members=[FACILITATOR, *MEMBERS])
    emulator.rate_limits = True
    return emulator


def channel_id(number: int) -> str:
    return f"C0NET{number:05d}"


def seed(database_url: str, networks: int, due: datetime) -> None:
    """N live networks of 13 members each, all polled weekly at `due` (local time)."""
    engine = create_db_engine(database_url)
    migrate(engine)
    now = datetime.now(ZoneInfo("UTC"))
    with session_factory(engine)() as session:
        for number in range(networks):
            network = Network(
                team_id="T0NETWERK",
                channel_id=channel_id(number),
                name=f"Lerend netwerk {number}",
                goal="Van elkaar leren",
                origin=NetworkOrigin.ORGANISED,
                composition=NetworkComposition.SAME_ROLE,
                language="nl",
                timezone=TIMEZONE,
                created_by=FACILITATOR,
                created_at=now,
            )
            session.add(network)
            session.flush()
            assert network.id is not None
            session.add(
                Membership(network_id=network.id, user_id=FACILITATOR, role=Role.FACILITATOR, joined_at=now)
            )
            session.add_all(
                Membership(network_id=network.id, user_id=user, role=Role.PARTICIPANT, joined_at=now)
                for user in MEMBERS
            )
            session.add(
                CheckinSchedule(
                    network_id=network.id,
                    frequency=Frequency.WEEKLY,
                    weekday=due.weekday(),
                    hour=due.hour,
                    minute=due.minute,
                    open_days=3,
                    reminders=False,
                    anonymity_threshold=5,
                    anchor=due.date(),
                    updated_by=FACILITATOR,
                    updated_at=now,
                )
            )
        session.commit()
    engine.dispose()


class BotProcess:
    """`python -m bot run` against the sandbox, its log in a file, its memory read from /proc."""

    def __init__(self, emulator: SlackEmulator, database_url: str, log_path: Path) -> None:
        self.environment = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_"))},
            "SLACK_BOT_TOKEN": emulator.bot_token,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": emulator.api_url,
            "DATABASE_URL": database_url,
            "HOST": "127.0.0.1",
            "PORT": str(free_port()),
            "PYTHONUNBUFFERED": "1",
        }
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None
        self.peak_mb = 0.0

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", "run"], env=self.environment, stdout=log, stderr=log
            )

    def resident_mb(self) -> float:
        """The resident set now; keeps the highest seen (VmHWM) in `peak_mb`."""
        assert self.process is not None
        try:
            fields = memory_fields_mb(self.process.pid)
        except (FileNotFoundError, ProcessLookupError):
            return 0.0
        self.peak_mb = max(self.peak_mb, fields.get("VmHWM", 0.0))
        return fields.get("VmRSS", 0.0)

    def kill(self) -> None:
        assert self.process is not None
        self.resident_mb()
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.resident_mb()
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def succeeded_at(emulator: SlackEmulator, method: str) -> list[float]:
    """When each call to the Web API `method` that Slack answered with ok arrived."""
    return [call.at for call in emulator.calls_to(method) if call.http_status == 200 and call.response["ok"]]


def baseline(networks: int, policy: RateLimitPolicy) -> float:
    """Seconds for bare slack_sdk clients to post one message in each of N channels, as fast as allowed."""
    emulator = sandbox(networks, policy)
    try:
        client = WebClient(
            token=emulator.bot_token,
            base_url=emulator.api_url,
            retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=30)],
        )
        started = time.time()
        with ThreadPoolExecutor(SCHEDULER_THREADS) as pool:
            list(
                pool.map(
                    lambda number: client.chat_postMessage(
                        channel=channel_id(number), text="Zijn we goed bezig?"
                    ),
                    range(networks),
                )
            )
        return max(succeeded_at(emulator, "chat.postMessage")) - started
    finally:
        emulator.stop()


@dataclass
class Run:
    posts_s: float
    scales_s: float | None
    lost: int
    doubled: int
    polls_in_database: int
    rejected_calls: int
    idle_mb: float
    peak_mb: float
    killed_at_s: float | None


def run_bot(args: argparse.Namespace, policy: RateLimitPolicy, log_dir: Path) -> Run:
    networks = args.networks
    emulator = sandbox(networks, policy)
    zone = ZoneInfo(TIMEZONE)
    now = datetime.now(zone)
    if args.due_now:
        # Due a minute ago: posted at start-up, as after an outage (quick, for smoke runs); timed from start.
        due = now.replace(second=0, microsecond=0) - timedelta(minutes=1)
    else:
        due = (now + timedelta(seconds=args.lead + 60)).replace(second=0, microsecond=0)
    try:
        with fresh_database(args.database_url) as database_url:
            seed(database_url, networks, due)
            bot = BotProcess(emulator, database_url, log_dir / "bot.log")
            bot.start()
            started = due.timestamp() if not args.due_now else time.time()
            idle_mb = 0.0
            while (wait := due.timestamp() - time.time()) > 0:
                idle_mb = bot.resident_mb() or idle_mb
                time.sleep(min(wait, 0.5))
            killed_at: float | None = None
            deadline = time.time() + args.timeout
            want_scales = networks * len(SCALE) if args.scales else 0
            while time.time() < deadline:
                posted = len(succeeded_at(emulator, "chat.postMessage"))
                if args.kill_halfway and killed_at is None and posted >= networks // 2:
                    bot.kill()
                    killed_at = time.time() - started
                    bot.start()
                if posted >= networks and len(succeeded_at(emulator, "reactions.add")) >= want_scales:
                    break
                bot.resident_mb()
                time.sleep(0.2)
            if args.scales:
                # Let the scale job finish its round: a doubled reaction would show as a failed call below.
                time.sleep(2)
            bot.stop()
            polls_in_database = count_polls(database_url)
        posts = succeeded_at(emulator, "chat.postMessage")
        per_channel = [
            sum(1 for m in emulator.messages(channel_id(n)) if is_poll(m)) for n in range(networks)
        ]
        reactions = succeeded_at(emulator, "reactions.add")
        return Run(
            posts_s=max(posts) - started if len(posts) >= networks else float("nan"),
            scales_s=(max(reactions) - started) if args.scales and reactions else None,
            lost=sum(1 for count in per_channel if count == 0),
            doubled=sum(count - 1 for count in per_channel if count > 1),
            polls_in_database=polls_in_database,
            rejected_calls=sum(1 for call in emulator.calls if call.http_status == 429),
            idle_mb=round(idle_mb, 1),
            peak_mb=round(bot.peak_mb, 1),
            killed_at_s=killed_at,
        )
    finally:
        emulator.stop()


def is_poll(message: dict) -> bool:
    metadata = message.get("metadata") or {}
    return str((metadata.get("event_payload") or {}).get("key", "")).startswith("checkin/")


def count_polls(database_url: str) -> int:
    return read_number(database_url, "SELECT count(*) FROM checkin_poll")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--networks", type=int, default=1000)
    parser.add_argument("--kill-halfway", action="store_true", help="SIGKILL the bot at half and restart it")
    parser.add_argument("--scales", action="store_true", help="also wait for every poll's five reactions")
    parser.add_argument("--database-url", help="a PostgreSQL server URL (default: a temporary SQLite file)")
    parser.add_argument("--due-now", action="store_true", help="due a minute ago: posted at start-up")
    parser.add_argument("--lead", type=float, default=15, help="seconds at least between start and due")
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--post-per-minute", type=int, help="the workspace's chat.postMessage budget")
    parser.add_argument("--smoke", action="store_true", help="exit 1 unless zero lost and zero doubled")
    args = parser.parse_args(argv)

    policy = RateLimitPolicy()
    if args.post_per_minute:
        policy = RateLimitPolicy(post_message_workspace_per_minute=args.post_per_minute)
    limit = bounds(args.networks, policy)
    floor = baseline(args.networks, policy)
    with tempfile.TemporaryDirectory(prefix="fanout-logs-") as logs:
        run = run_bot(args, policy, Path(logs))
        if args.smoke and (run.lost or run.doubled or run.polls_in_database != args.networks):
            print((Path(logs) / "bot.log").read_text(errors="replace")[-4000:], file=sys.stderr)

    print(f"# bench.fanout — {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(
        f"networks: {args.networks}, database: {'PostgreSQL' if args.database_url else 'SQLite'}, "
        f"chat.postMessage {policy.post_message_workspace_per_minute}/min per workspace "
        f"(burst {policy.post_message_workspace_burst}) and {policy.post_message_per_channel_per_second}/s "
        f"per channel, reactions.add {TIER_PER_MINUTE[3]}/min (Tier 3)"
        + (", killed halfway and restarted" if args.kill_halfway else "")
    )
    print("| what | seconds | ratio to the bound | ratio to the baseline |")
    print("|---|---:|---:|---:|")
    print(f"| bound: all posted (chat.postMessage per workspace) | {limit.posts_s:.1f} | 1.00 | |")
    print(f"| baseline: bare slack_sdk posting | {floor:.1f} | {ratio(floor, limit.posts_s)} | 1.00 |")
    print(
        f"| Netwerkbot: all polls posted | {run.posts_s:.1f} | {ratio(run.posts_s, limit.posts_s)} "
        f"| {ratio(run.posts_s, floor)} |"
    )
    print(f"| bound: every scale added (reactions.add, Tier 3) | {limit.scales_s:.1f} | 1.00 | |")
    if run.scales_s is not None:
        scales = ratio(run.scales_s, limit.scales_s)
        print(f"| Netwerkbot: every scale added | {run.scales_s:.1f} | {scales} | |")
    if run.killed_at_s is not None:
        print(f"killed with SIGKILL {run.killed_at_s:.1f} s into the run, restarted at once")
    print(
        f"lost: {run.lost}, doubled: {run.doubled}, polls in the database: {run.polls_in_database}, "
        f"calls answered 429: {run.rejected_calls}"
    )
    print(f"bot memory: {run.idle_mb} MB idle (networks loaded), {run.peak_mb} MB at its peak")
    failed = run.lost or run.doubled or run.polls_in_database != args.networks
    return 1 if args.smoke and failed else 0


def ratio(value: float, reference: float) -> str:
    return f"{value / reference:.2f}" if reference > 0 else "n/a"


if __name__ == "__main__":
    sys.exit(main())
