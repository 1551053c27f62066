"""The HTTP surface: signatures, the health check, URL verification."""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from urllib.parse import urlencode
from urllib.parse import urlsplit

from sqlalchemy import create_engine

from bot.clock import SystemClock
from bot.demo.harness import LocalBot
from bot.sandbox.emulator import SlackEmulator
from bot.status import read_status
from bot.web import MAX_REQUEST_BYTES
from bot.web import SLACK_EVENTS_PATH
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL


def get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def command_body(emulator: SlackEmulator, text: str = "start") -> bytes:
    return urlencode(
        {
            "team_id": "T0NETWERK",
            "channel_id": NETWORK_CHANNEL,
            "user_id": FACILITATOR,
            "command": "/netwerk",
            "text": text,
            "trigger_id": emulator.new_trigger_id(FACILITATOR),
            "response_url": emulator.new_response_url(NETWORK_CHANNEL, FACILITATOR),
        }
    ).encode()


def test_a_bad_signature_gets_401_and_changes_nothing(bot: LocalBot, emulator: SlackEmulator) -> None:
    assert bot.driver is not None
    body = command_body(emulator)
    now = int(time.time())
    response = bot.driver.post_raw(
        body,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": str(now),
            "X-Slack-Signature": "v0=" + "0" * 64,
        },
    )
    bot.settle()
    assert response.status == 401
    assert emulator.calls == []


def test_a_stale_signature_gets_401_even_when_it_is_correct(bot: LocalBot, emulator: SlackEmulator) -> None:
    assert bot.driver is not None
    body = command_body(emulator)
    stale = int(time.time()) - 301
    response = bot.driver.post_raw(
        body,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": str(stale),
            "X-Slack-Signature": bot.driver.sign(body, stale),
        },
    )
    bot.settle()
    assert response.status == 401
    assert emulator.calls == []


def test_a_fresh_correct_signature_is_accepted(bot: LocalBot, emulator: SlackEmulator) -> None:
    assert bot.driver is not None
    body = command_body(emulator, "help")
    now = int(time.time())
    response = bot.driver.post_raw(
        body,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": str(now),
            "X-Slack-Signature": bot.driver.sign(body, now),
        },
    )
    bot.settle()
    assert response.status == 200
    assert len(emulator.ephemerals(user_id=FACILITATOR)) == 1


def test_url_verification_echoes_the_challenge(bot: LocalBot) -> None:
    assert bot.driver is not None
    response = bot.driver.url_verification("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")
    assert response.status == 200
    assert response.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}


def test_health_is_ok_when_the_database_answers_and_the_scheduler_runs(bot: LocalBot) -> None:
    assert get(bot.url + "/healthz") == (200, {"status": "ok"})


def test_health_is_503_when_the_scheduler_stops(bot: LocalBot) -> None:
    assert bot.runtime is not None
    bot.runtime.scheduler.shutdown(wait=False)
    status, body = get(bot.url + "/healthz")
    assert status == 503 and body["scheduler"] == "down" and body["database"] == "ok"


def test_health_is_503_when_the_database_is_unreachable(bot: LocalBot) -> None:
    assert bot.runtime is not None
    healthy_engine = bot.runtime.engine
    bot.runtime.engine = create_engine(
        "postgresql+psycopg://nobody@127.0.0.1:1/none", connect_args={"connect_timeout": 1}
    )
    try:
        status, body = get(bot.url + "/healthz")
    finally:
        bot.runtime.engine = healthy_engine
    assert status == 503 and body["database"] == "down"
    assert get(bot.url + "/healthz")[0] == 200


def test_unknown_paths_are_404(bot: LocalBot) -> None:
    try:
        urllib.request.urlopen(bot.url + "/admin", timeout=5)
    except urllib.error.HTTPError as error:
        assert error.code == 404
    else:
        raise AssertionError("expected 404")


def test_an_event_the_bot_does_not_use_is_acknowledged_so_slack_does_not_retry(bot: LocalBot) -> None:
    assert bot.driver is not None
    event = {"type": "channel_rename", "channel": {"id": NETWORK_CHANNEL, "name": "nieuw", "created": 1}}
    assert bot.driver.event(event).status == 200


def test_a_signed_body_no_slack_request_has_gets_400_and_an_unsigned_one_401(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    assert bot.driver is not None
    nonsense = urlencode({"payload": json.dumps({"type": "block_actions", "user": "U0ELS", "actions": "x"})})
    now = int(time.time())
    signed = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": str(now),
        "X-Slack-Signature": bot.driver.sign(nonsense.encode(), now),
    }
    assert bot.driver.post_raw(nonsense.encode(), signed).status == 400
    unsigned = {**signed, "X-Slack-Signature": "v0=" + "0" * 64}
    assert bot.driver.post_raw(nonsense.encode(), unsigned).status == 401
    bot.settle()
    assert emulator.calls == []


def test_a_command_whose_text_holds_the_word_payload_is_answered(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    # Bolt reads any form body containing "payload" as interactivity; the web layer keeps it a command.
    assert bot.driver is not None
    response = bot.driver.slash_command("payload", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    bot.settle()
    assert response.status == 200
    [answer] = [call for call in emulator.calls_to("response_url")]
    assert "payload" in str(answer.args)


def test_a_body_larger_than_any_slack_request_is_refused_before_it_is_read(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    # Anyone can send a body: it is read whole before its signature can be checked, so only a cap on its
    # size keeps a few large ones from filling the memory of every serving thread. The length alone is
    # announced: the answer must come without the bot waiting for, or reading, the bytes.
    assert bot.driver is not None
    address = urlsplit(bot.url)
    with socket.create_connection((address.hostname, address.port), timeout=5) as connection:
        connection.sendall(
            f"POST {SLACK_EVENTS_PATH} HTTP/1.1\r\nHost: {address.netloc}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {MAX_REQUEST_BYTES + 1}\r\n\r\n".encode()
        )
        status_line = connection.makefile("rb").readline()
    assert status_line.split()[1] == b"413"
    assert bot.driver.slash_command("help", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL).status == 200
    bot.settle()
    assert emulator.calls_to("chat.postMessage") == []


def test_a_request_recorded_too_late_for_its_answer_is_not_kept_to_be_worked_again(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    # The database holds the recording past its wait, so the command is answered in the request: the row
    # the recorder could write once the database lets it would be worked a second time by the next
    # process (its owner is alive and never looks at it again).
    assert bot.runtime is not None and bot.runtime.inbound is not None and bot.driver is not None
    engine = bot.runtime.engine
    blocker = engine.raw_connection()
    try:
        cursor = blocker.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("BEGIN IMMEDIATE")
        else:
            cursor.execute("LOCK TABLE inbound_request IN EXCLUSIVE MODE")
        response = bot.driver.slash_command("help", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    finally:
        blocker.rollback()
        blocker.close()
    bot.runtime.inbound.close()  # what was still waiting to be recorded is written now, or never
    bot.settle()

    assert response.status == 200
    assert read_status(engine, SystemClock()).waiting == []
