"""Fault injection: 5xx answers, slow answers and lost answers, seen through slack_sdk's retry handlers."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
import slack_sdk.http_retry.handler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator

from bot.sandbox.emulator import SlackEmulator
from tests.sandbox.conftest import GENERAL


def test_fail_next_answers_5xx_and_changes_nothing(client: WebClient, emulator: SlackEmulator) -> None:
    emulator.fail_next("chat.postMessage", status=503)
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel=GENERAL, text="Welkom")
    assert raised.value.response.status_code == 503
    assert raised.value.response["error"] == "fatal_error"
    assert emulator.messages(GENERAL) == []
    [call] = emulator.calls_to("chat.postMessage")
    assert call.http_status == 503 and call.args == {"channel": GENERAL, "text": "Welkom"}

    client.chat_postMessage(channel=GENERAL, text="Welkom")
    assert len(emulator.messages(GENERAL)) == 1


def test_a_failure_for_one_method_leaves_others_alone(client: WebClient, emulator: SlackEmulator) -> None:
    emulator.fail_next("chat.update", status=500, times=2, body="<html>oops</html>")
    assert client.auth_test()["ok"]
    for _ in range(2):
        with pytest.raises(SlackApiError):
            client.chat_update(channel=GENERAL, ts="1.2", text="x")
    assert [c.response for c in emulator.calls_to("chat.update")] == [{"body": "<html>oops</html>"}] * 2


def test_server_error_retry_handler_gets_through_a_500(client: WebClient, emulator: SlackEmulator) -> None:
    client.retry_handlers.append(
        ServerErrorRetryHandler(interval_calculator=FixedValueRetryIntervalCalculator(0))
    )
    emulator.fail_next("chat.postMessage", status=500)

    assert client.chat_postMessage(channel=GENERAL, text="Welkom")["ok"]

    assert [c.http_status for c in emulator.calls_to("chat.postMessage")] == [500, 200]
    assert len(emulator.messages(GENERAL)) == 1


def test_delay_next_performs_the_call_and_answers_late(client: WebClient, emulator: SlackEmulator) -> None:
    emulator.delay_next("users.info", 0.3)
    began = time.monotonic()
    client.users_info(user="U0ANNA")
    assert time.monotonic() - began >= 0.3
    began = time.monotonic()
    client.users_info(user="U0ANNA")
    assert time.monotonic() - began < 0.3


def test_a_lost_answer_makes_a_default_web_client_post_twice(
    emulator: SlackEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hazard the bot must survive: slack_sdk retries a post whose answer got lost, once, by default."""
    client = WebClient(token=emulator.bot_token, base_url=emulator.api_url)
    [handler] = client.retry_handlers
    assert isinstance(handler, ConnectionErrorRetryHandler)
    slept: list[float] = []
    # The default backoff sleeps 0.5-1.5 s; note it instead of waiting it out.
    monkeypatch.setattr(slack_sdk.http_retry.handler, "time", SimpleNamespace(sleep=slept.append))
    emulator.drop_response_next("chat.postMessage")

    answer = client.chat_postMessage(channel=GENERAL, text="Welkom")

    assert answer["ok"]
    assert [m["text"] for m in emulator.messages(GENERAL)] == ["Welkom", "Welkom"]
    first, second = emulator.calls_to("chat.postMessage")
    assert first.dropped is True and second.dropped is False
    assert len(slept) == 1 and 0.5 <= slept[0] <= 1.5


def test_a_lost_answer_without_retries_raises_yet_the_post_happened(emulator: SlackEmulator) -> None:
    client = WebClient(token=emulator.bot_token, base_url=emulator.api_url, retry_handlers=[])
    emulator.drop_response_next("chat.postMessage")
    with pytest.raises(Exception) as raised:
        client.chat_postMessage(channel=GENERAL, text="Welkom")
    assert "Remote end closed connection" in str(raised.value)
    assert len(emulator.messages(GENERAL)) == 1
