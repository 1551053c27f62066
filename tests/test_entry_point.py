"""`python -m bot` as operators run it: a real process, its exit codes and its one-line refusals."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
from pathlib import Path

import pytest

from bot.sandbox.driver import SlackDriver
from bot.sandbox.emulator import SlackEmulator
from storage import queries_outbox
from storage import queries_processes
from storage.db import create_db_engine
from storage.db import session_factory
from storage.db import unit_of_work
from tests.factories import make_network
from tests.scheduler.killing import free_port

REPO = Path(__file__).resolve().parent.parent


def run_bot(*args: str, env: dict[str, str], cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=clean_env(env),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def clean_env(extra: dict[str, str]) -> dict[str, str]:
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "DATABASE_", "BOT_", "PORT", "HOST"))
    }
    keep["PYTHONPATH"] = str(REPO)
    return {**keep, **extra}


def refusal(result: subprocess.CompletedProcess) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "PORT": "http"}, "PORT"),
        (
            {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "DATABASE_URL": "nonsense"},
            "DATABASE_URL",
        ),
        (
            {
                "SLACK_BOT_TOKEN": "xoxb-1",
                "SLACK_SIGNING_SECRET": "s",
                "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/nowhere",
            },
            "DATABASE_URL",
        ),
        ({"SLACK_CLIENT_ID": "1234567890.1234567890", "SLACK_SIGNING_SECRET": "s"}, "SLACK_CLIENT_SECRET"),
        (
            {
                "SLACK_CLIENT_ID": "1234567890.1234567890",
                "SLACK_CLIENT_SECRET": "c",
                "SLACK_SIGNING_SECRET": "s",
                "TOKEN_ENCRYPTION_KEY": "not-a-key",
            },
            "TOKEN_ENCRYPTION_KEY",
        ),
    ],
)
def test_start_up_refuses_a_missing_or_broken_setting_with_exit_2(env, named, tmp_path: Path) -> None:
    result = run_bot(env=env, cwd=tmp_path)
    assert result.returncode == 2
    line = refusal(result)
    assert named in line and "README" in line


def test_a_token_slack_refuses_stops_start_up(tmp_path: Path) -> None:
    with SlackEmulator() as emulator:
        result = run_bot(
            env={
                "SLACK_BOT_TOKEN": "xoxb-not-the-right-one",
                "SLACK_SIGNING_SECRET": "s",
                "SLACK_API_URL": emulator.api_url,
                "DATABASE_URL": f"sqlite:///{tmp_path}/n.db",
            },
            cwd=tmp_path,
        )
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN" in refusal(result)


def test_migrate_brings_an_empty_database_up_to_date(database_url: str, tmp_path: Path) -> None:
    result = run_bot("migrate", env={"DATABASE_URL": database_url}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout


def test_export_prints_the_contracts_shape(database_url: str, tmp_path: Path, clock) -> None:
    engine = create_db_engine(database_url)
    make_network(
        session_factory(engine),
        clock=clock,
        team_id="T1",
        channel_id="C0EXPORT",
        facilitator_id="U1",
        member_ids=["U1", "U2"],
        name="Netwerk",
        origin="spontaneous",
        composition="shared_domain",
        language="en",
        timezone="Europe/Amsterdam",
    )
    engine.dispose()

    result = run_bot("export", "--channel", "C0EXPORT", env={"DATABASE_URL": database_url}, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"network", "members", "intros", "expectations", "cases", "polls", "sessions"}
    network = data["network"]
    assert (network["channel_id"], network["name"], network["facilitators"]) == (
        "C0EXPORT",
        "Netwerk",
        ["U1"],
    )
    assert (network["language"], network["timezone"]) == ("en", "Europe/Amsterdam")
    assert [(m["user_id"], m["introduced"], m["accepted_agreements"]) for m in data["members"]] == [
        ("U1", False, False),
        ("U2", False, False),
    ]


def test_export_of_an_unlinked_channel_says_so(database_url: str, tmp_path: Path) -> None:
    result = run_bot("export", "--channel", "C0NOTHING", env={"DATABASE_URL": database_url}, cwd=tmp_path)
    assert result.returncode == 1
    assert "C0NOTHING" in refusal(result)


def test_status_names_the_live_processes_and_the_outbox_and_fails_on_failed_items(
    database_url: str, tmp_path: Path
) -> None:
    env = {"DATABASE_URL": database_url}
    healthy = run_bot("status", env=env, cwd=tmp_path)
    assert healthy.returncode == 0, healthy.stderr
    assert "live processes: 0" in healthy.stdout and "failed outbox items: 0" in healthy.stdout
    assert "leader: none" in healthy.stdout

    now = datetime.now(UTC)
    engine = create_db_engine(database_url)
    with unit_of_work(session_factory(engine)) as session:
        queries_processes.beat(session=session, process_id="web-1", now=now, leader=True)
        for kind, key in (("case.card", "case-card-7"), ("case.advice", "case-advice-8")):
            queries_outbox.add(
                session=session, kind=kind, key=key, payload={}, owner="web-1", now=now, not_before=now
            )
        failed = queries_outbox.add(
            session=session,
            kind="case.card",
            key="case-card-9",
            payload={},
            owner="web-1",
            now=now,
            not_before=now,
        )
        queries_outbox.fail(session=session, item_id=failed.id or 0, reason="channel_not_found", now=now)
    engine.dispose()

    troubled = run_bot("status", env=env, cwd=tmp_path)
    assert troubled.returncode == 1, troubled.stderr
    assert "leader: web-1" in troubled.stdout and "live processes: 1" in troubled.stdout
    assert "pending outbox items: 2" in troubled.stdout and "case.advice: 1" in troubled.stdout
    assert f"#{failed.id} case.card (case-card-9)" in troubled.stdout
    assert "channel_not_found" in troubled.stdout

    retried = run_bot("retry", "--all", env=env, cwd=tmp_path)
    assert retried.returncode == 0 and "1 failed item" in retried.stdout
    assert run_bot("status", env=env, cwd=tmp_path).returncode == 0


@pytest.mark.parametrize("number", ["99999999999999999999", "0", "-3", "#4"])
def test_retry_of_a_number_no_item_can_have_is_refused_as_a_usage_error(
    number: str, database_url: str, tmp_path: Path
) -> None:
    result = run_bot("retry", number, env={"DATABASE_URL": database_url}, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "DATABASE_URL" not in result.stderr
    assert "item number" in result.stderr.strip().splitlines()[-1]


@pytest.fixture
def running_bot(tmp_path: Path) -> Iterator[tuple[subprocess.Popen, SlackEmulator, str]]:
    """`python -m bot` in HTTP mode, configured through a .env file, against a sandbox workspace."""
    emulator = SlackEmulator()
    emulator.start()
    emulator.add_user("U0ELS", "els", locale="nl-BE")
    emulator.add_channel("C0NETWERK", "netwerk", members=["U0ELS"])
    port = free_port()
    (tmp_path / ".env").write_text(
        f"SLACK_BOT_TOKEN={emulator.bot_token}\nSLACK_SIGNING_SECRET=from-dotenv\n"
        f"SLACK_API_URL={emulator.api_url}\nDATABASE_URL=sqlite:///{tmp_path}/netwerk.db\n"
        f"HOST=127.0.0.1\nPORT={port}\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"],
        env=clean_env({}),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(base_url, process)
        yield process, emulator, base_url
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        emulator.stop()


def wait_for_health(base_url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the bot exited early: {process.stderr.read() if process.stderr else ''}")
        try:
            with urllib.request.urlopen(base_url + "/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    raise AssertionError("the bot did not become healthy")


def test_the_bot_serves_slack_over_http_and_stops_cleanly(running_bot) -> None:
    process, emulator, base_url = running_bot
    with urllib.request.urlopen(base_url + "/healthz", timeout=5) as response:
        assert json.loads(response.read()) == {"status": "ok"}

    driver = SlackDriver(base_url + "/slack/events", "from-dotenv", emulator)
    assert driver.slash_command("help", user_id="U0ELS", channel_id="C0NETWERK").status == 200
    deadline = time.monotonic() + 10
    while not emulator.ephemerals(user_id="U0ELS") and time.monotonic() < deadline:
        time.sleep(0.05)
    [answer] = emulator.ephemerals(user_id="U0ELS")
    assert "wat ik kan" in answer["text"]
    assert all(call.method != "auth.test" or call.response.get("ok") for call in emulator.calls)

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=15) == 0
