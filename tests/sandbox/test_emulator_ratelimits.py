"""Rate limits when asked: 429 with Retry-After, per method tier and per channel for chat.postMessage."""

from __future__ import annotations

import contextlib
from types import SimpleNamespace

import pytest
import slack_sdk.http_retry.builtin_handlers
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.sandbox.emulator import SlackEmulator
from bot.sandbox.ratelimits import METHOD_TIERS
from tests.sandbox.conftest import ANNA
from tests.sandbox.conftest import GENERAL
from tests.sandbox.conftest import PRIVATE
from tests.sandbox.conftest import FakeClock
from tests.sandbox.conftest import slack_error


def test_rate_limits_are_off_unless_asked(client: WebClient, emulator: SlackEmulator) -> None:
    for number in range(30):
        client.chat_postMessage(channel=GENERAL, text=str(number))
    assert len(emulator.messages(GENERAL)) == 30


def test_post_message_allows_a_short_burst_per_channel_then_429(
    client: WebClient, emulator: SlackEmulator, sandbox_clock: FakeClock
) -> None:
    emulator.rate_limits = True
    for number in range(4):
        client.chat_postMessage(channel=GENERAL, text=str(number))

    error = slack_error(client.chat_postMessage, channel=GENERAL, text="te veel")
    assert error.response.status_code == 429
    assert error.response.headers["Retry-After"] == "1"
    assert error.response.data == {"ok": False, "error": "ratelimited"}
    assert len(emulator.messages(GENERAL)) == 4
    assert emulator.calls_to("chat.postMessage")[-1].http_status == 429

    assert client.chat_postMessage(channel=PRIVATE, text="ander kanaal")["ok"]
    sandbox_clock.advance(1)
    assert client.chat_postMessage(channel=GENERAL, text="na een seconde")["ok"]
    assert slack_error(client.chat_postMessage, channel=GENERAL, text="x").response.status_code == 429


def test_post_message_has_a_workspace_ceiling(client: WebClient, emulator: SlackEmulator) -> None:
    emulator.rate_limits = True
    channels = [f"C0ROOM{number:02d}" for number in range(12)]
    for channel in channels:
        emulator.add_channel(channel, channel.lower())
    posted = 0
    with pytest.raises(SlackApiError) as raised:
        for _ in range(3):
            for channel in channels:
                client.chat_postMessage(channel=channel, text="x")
                posted += 1
    assert posted == 30
    assert raised.value.response.status_code == 429


@pytest.mark.parametrize(
    ("method", "call", "per_minute"),
    [
        ("reactions.remove", "reactions_remove", 20),
        ("conversations.info", "conversations_info", 50),
        ("users.info", "users_info", 100),
    ],
)
def test_other_methods_follow_their_tier(
    client: WebClient,
    emulator: SlackEmulator,
    sandbox_clock: FakeClock,
    method: str,
    call: str,
    per_minute: int,
) -> None:
    assert {2: 20, 3: 50, 4: 100}[METHOD_TIERS[method]] == per_minute
    ts = client.chat_postMessage(channel=GENERAL, text="x")["ts"]
    arguments = {
        "reactions.remove": {"channel": GENERAL, "timestamp": ts, "name": "tada"},
        "conversations.info": {"channel": GENERAL},
        "users.info": {"user": ANNA},
    }[method]
    emulator.rate_limits = True

    for _ in range(per_minute):
        try:
            getattr(client, call)(**arguments)
        except SlackApiError as error:
            assert error.response.status_code == 200, "errors other than 429 still count, as at Slack"

    error = slack_error(getattr(client, call), **arguments)
    assert error.response.status_code == 429
    assert error.response.headers["Retry-After"] == str(-(-60 // per_minute))
    sandbox_clock.advance(60 / per_minute)
    try:
        getattr(client, call)(**arguments)
    except SlackApiError as error:
        assert error.response.status_code != 429


def test_rate_limit_retry_handler_waits_and_gets_through(
    client: WebClient, emulator: SlackEmulator, sandbox_clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        sandbox_clock.advance(seconds)

    # The handler sleeps Retry-After (+ up to 1 s); let that time pass on the emulator's clock instead.
    monkeypatch.setattr(slack_sdk.http_retry.builtin_handlers, "time", SimpleNamespace(sleep=sleep))
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=2))
    emulator.rate_limits = True
    for number in range(4):
        client.chat_postMessage(channel=GENERAL, text=str(number))

    assert client.chat_postMessage(channel=GENERAL, text="eindelijk")["ok"]

    assert [c.http_status for c in emulator.calls_to("chat.postMessage")][-2:] == [429, 200]
    assert len(slept) == 1 and 1 <= slept[0] < 2
    assert emulator.messages(GENERAL)[-1]["text"] == "eindelijk"


def test_rate_limited_calls_change_nothing(client: WebClient, emulator: SlackEmulator) -> None:
    ts = client.chat_postMessage(channel=GENERAL, text="x")["ts"]
    client.reactions_add(channel=GENERAL, timestamp=ts, name="tada")
    emulator.rate_limits = True
    for _ in range(20):
        # Calls that fail for another reason still use up reactions.remove's Tier 2 budget.
        with contextlib.suppress(SlackApiError):
            client.reactions_remove(channel=GENERAL, timestamp=ts, name="eyes")

    error = slack_error(client.reactions_remove, channel=GENERAL, timestamp=ts, name="tada")

    assert error.response.status_code == 429
    assert emulator.messages(GENERAL)[0]["reactions"][0]["name"] == "tada"
