"""`python -m bot` in Socket Mode, end to end: a real process against the sandbox's Web API and socket."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.sandbox.emulator import SlackEmulator
from tests.factories import CHANNEL_ID
from tests.factories import MEMBER_IDS
from tests.test_entry_point import clean_env
from tests.test_entry_point import refusal
from tests.test_entry_point import run_bot

USER = MEMBER_IDS[0]


def socket_mode_env(emulator: SlackEmulator, tmp_path: Path, *, app_token: str) -> dict[str, str]:
    # No SLACK_SIGNING_SECRET: an app token alone means Socket Mode.
    return {
        "SLACK_BOT_TOKEN": emulator.bot_token,
        "SLACK_APP_TOKEN": app_token,
        "SLACK_API_URL": emulator.api_url,
        "DATABASE_URL": f"sqlite:///{tmp_path}/netwerk.db",
    }


@pytest.fixture
def socket_mode_bot(workspace: SlackEmulator, tmp_path: Path) -> Iterator[subprocess.Popen]:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"],
        env=clean_env(socket_mode_env(workspace, tmp_path, app_token=workspace.app_token)),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not workspace.socket_mode.wait_for_connection(timeout=0.1):
            if process.poll() is not None:
                raise AssertionError(f"the bot exited early: {process.communicate()[1]}")
            if time.monotonic() > deadline:
                raise AssertionError("the bot did not connect over Socket Mode")
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_the_bot_answers_a_slash_command_over_socket_mode_and_stops_cleanly(
    workspace: SlackEmulator, socket_mode_bot: subprocess.Popen
) -> None:
    payload = {
        "token": "unused-in-socket-mode",
        "team_id": workspace.team_id,
        "team_domain": workspace.team_domain,
        "channel_id": CHANNEL_ID,
        "channel_name": "netwerk",
        "user_id": USER,
        "user_name": "joke",
        "command": "/netwerk",
        "text": "help",
        "api_app_id": workspace.app_id,
        "is_enterprise_install": "false",
        "response_url": workspace.new_response_url(CHANNEL_ID, USER),
        "trigger_id": workspace.new_trigger_id(USER),
    }
    envelope_id = workspace.socket_mode.send_envelope("slash_commands", payload)

    ack = workspace.socket_mode.wait_for_ack(envelope_id, timeout=15)
    assert ack["envelope_id"] == envelope_id
    deadline = time.monotonic() + 10
    while not workspace.ephemerals(user_id=USER) and time.monotonic() < deadline:
        time.sleep(0.05)
    if not workspace.ephemerals(user_id=USER):
        socket_mode_bot.kill()
        raise AssertionError(f"no answer; the bot logged: {socket_mode_bot.communicate()[1]}")
    [answer] = workspace.ephemerals(user_id=USER)
    assert "wat ik kan" in answer["text"]
    assert [call.response["ok"] for call in workspace.calls_to("apps.connections.open")] == [True]

    socket_mode_bot.send_signal(signal.SIGTERM)
    assert socket_mode_bot.wait(timeout=15) == 0, socket_mode_bot.communicate()[1]


def test_an_app_token_slack_refuses_stops_start_up(workspace: SlackEmulator, tmp_path: Path) -> None:
    result = run_bot(
        env=socket_mode_env(workspace, tmp_path, app_token="xapp-not-the-right-one"), cwd=tmp_path
    )

    assert result.returncode == 2
    line = refusal(result)
    assert "SLACK_APP_TOKEN" in line and "invalid_auth" in line and "README" in line
    [opened] = workspace.calls_to("apps.connections.open")
    assert opened.response == {"ok": False, "error": "invalid_auth"}
