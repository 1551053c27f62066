"""The scaffolding of the SIGKILL tests: a real bot process to start, kill and start again, and what they
read back from Slack (the emulator) and from the database afterwards.
The fixtures that use it are in the conftest."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import IO
from typing import Any

from sqlalchemy import Engine
from sqlalchemy import text

from bot.clock import ManualClock
from bot.demo.harness import SANDBOX_SIGNING_SECRET
from bot.sandbox.driver import SlackDriver
from bot.sandbox.emulator import SlackEmulator
from storage.db import create_db_engine
from storage.db import session_factory
from tests.factories import form_values
from tests.factories import make_network
from tests.scheduler.workspace import CHANNEL
from tests.scheduler.workspace import FACILITATOR
from tests.scheduler.workspace import MEMBERS
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
TAKEOVER = 30.0
"""Seconds to wait for a new process to finish a dead one's items (its lease is 3 s in these processes)."""
SET_UP_AND_REFRESHES = ("case.refresh", "charter.refresh", "network.welcome")
"""Outbox kinds a test leaves out: card and charter refreshes (many, keyless) and the set-up's welcome."""


def start_network(url: str, clock: ManualClock) -> int:
    engine = create_db_engine(url)
    try:
        return make_network(
            session_factory(engine),
            clock=clock,
            channel_id=CHANNEL,
            facilitator_id=FACILITATOR,
            member_ids=MEMBERS,
        )
    finally:
        engine.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class BotProcess:
    """`tests.scheduler.serving_bot_process` on a fixed port, so Slack's re-deliveries find it again."""

    def __init__(self, emulator: SlackEmulator, database_url: str, logs: Path) -> None:
        self.port = free_port()
        self.logs = logs
        self.runs = 0
        self.environment = {
            **os.environ,
            "SLACK_BOT_TOKEN": emulator.bot_token,
            "SLACK_SIGNING_SECRET": SANDBOX_SIGNING_SECRET,
            "SLACK_API_URL": emulator.api_url,
            "DATABASE_URL": database_url,
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "PYTHONPATH": str(ROOT),
        }
        self.environment.pop("SLACK_APP_TOKEN", None)
        self.process: subprocess.Popen[str] | None = None

    @property
    def events_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/slack/events"

    def start(self, serving: str = "both") -> None:
        """`serving`: both, web, worker, or held (acknowledges and never works; see serving_bot_process)."""
        self.runs += 1
        self.environment["SERVING"] = serving
        log: IO[str] = (self.logs / f"bot-{self.runs}.log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.scheduler.serving_bot_process"],
            cwd=ROOT,
            env=self.environment,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "serving", self.log_tail()

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def restart(self) -> None:
        """SIGKILL, then a new process on the same port and database."""
        self.kill()
        self.start()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def log_tail(self) -> str:
        return (self.logs / f"bot-{self.runs}.log").read_text()[-3000:]


def submit(driver: SlackDriver, emulator: SlackEmulator, user_id: str, values: dict[str, Any]) -> None:
    assert wait_until(lambda: emulator.open_view(user_id) is not None, timeout=10)
    assert driver.submit_view(user_id, form_values(values)).status == 200


def press(driver: SlackDriver, user_id: str, action_id: str, message: dict, value: str) -> None:
    """`user_id` presses the button `action_id`, carrying `value`, on `message` in the channel."""
    driver.block_action(
        user_id=user_id, action_id=action_id, channel_id=CHANNEL, message_ts=message["ts"], value=value
    )


def posts_with_key(emulator: SlackEmulator, key: str) -> list[dict]:
    """Every message in the channel and its threads that the bot posted under `key`."""
    found = []
    for message in emulator.messages(CHANNEL):
        for posted in [message, *emulator.replies(CHANNEL, message["ts"])]:
            if ((posted.get("metadata") or {}).get("event_payload") or {}).get("key") == key:
                found.append(posted)
    return found


def posted_once(emulator: SlackEmulator, key: str) -> bool:
    return len(posts_with_key(emulator, key)) == 1


def outbox_items(engine: Engine) -> list[tuple[str, str, str]]:
    """Each outbox item's key, kind and status."""
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT key, kind, status FROM outbox_item"))
        return [(str(key), str(kind), str(status)) for key, kind, status in rows]


def outbox(engine: Engine, *, but: tuple[str, ...] = SET_UP_AND_REFRESHES) -> dict[str, str]:
    """The status of each outbox item by key, but for the kinds in `but`."""
    return {key: status for key, kind, status in outbox_items(engine) if kind not in but}


def all_done(engine: Engine, *, but: tuple[str, ...] = SET_UP_AND_REFRESHES) -> bool:
    """Whether there are outbox items (but for the kinds in `but`), and all of them are done."""
    statuses = set(outbox(engine, but=but).values())
    return statuses == {"done"}
