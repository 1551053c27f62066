"""A real Bolt app behind a real HTTP server, played by the driver: Bolt must accept what the driver sends.

The app's Web API calls and response_url answers land in the emulator, so the whole round trip is Slack's.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import Ack
from slack_bolt import App
from slack_bolt import Respond
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient

from bot.sandbox.driver import SlackDriver
from bot.sandbox.emulator import SlackEmulator
from tests.sandbox.conftest import ANNA
from tests.sandbox.conftest import BEN
from tests.sandbox.conftest import GENERAL
from tests.sandbox.conftest import KIND_INPUT
from tests.sandbox.conftest import NAME_INPUT
from tests.sandbox.conftest import QuietHandler
from tests.sandbox.conftest import intro_modal
from tests.sandbox.conftest import served_on_loopback

SIGNING_SECRET = "bolt-test-secret"

NAME_MODAL = intro_modal(NAME_INPUT, KIND_INPUT)


def build_app(emulator: SlackEmulator) -> App:
    app = App(
        signing_secret=SIGNING_SECRET,
        client=WebClient(token=emulator.bot_token, base_url=emulator.api_url),
        process_before_response=True,
    )

    @app.command("/netwerk")
    def handle_command(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        if body["text"] == "intro":
            client.views_open(trigger_id=body["trigger_id"], view=NAME_MODAL)
        else:
            respond(f"Hallo <@{body['user_id']}>")

    @app.view("intro")
    def handle_intro_submitted(ack: Ack, view: dict[str, Any], client: WebClient) -> None:
        values = view["state"]["values"]
        name = values["name"]["value"]["value"]
        if len(name) < 2:
            ack(response_action="errors", errors={"name": "Te kort"})
            return
        ack()
        kind = values["kind"]["value"]["selected_option"]["value"]
        client.chat_postMessage(channel=view["private_metadata"], text=f"{name} ({kind})")

    @app.action("join")
    def handle_join(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        respond(replace_original=True, text=f"<@{body['user']['id']}> doet mee")

    @app.event("member_joined_channel")
    def handle_member_joined(event: dict[str, Any], client: WebClient) -> None:
        client.chat_postMessage(channel=event["channel"], text=f"Welkom <@{event['user']}>")

    return app


@pytest.fixture
def bolt_url(emulator: SlackEmulator) -> Iterator[str]:
    app = build_app(emulator)

    class Handler(QuietHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            answer = app.dispatch(BoltRequest(body=body, headers={k: [v] for k, v in self.headers.items()}))
            headers = [(key, value) for key, values in answer.headers.items() for value in values]
            self.answer(answer.status, answer.body.encode(), headers)

    with served_on_loopback(Handler, poll_interval=0.01) as url:
        yield url


@pytest.fixture
def driver(bolt_url: str, emulator: SlackEmulator) -> SlackDriver:
    # Bolt checks the signature's timestamp against the real time.
    return SlackDriver(bolt_url, SIGNING_SECRET, emulator, clock=time.time)


def test_bolt_accepts_a_command_and_its_respond_lands_as_an_ephemeral(
    driver: SlackDriver, emulator: SlackEmulator
) -> None:
    assert driver.slash_command("hallo", user_id=ANNA, channel_id=GENERAL).status == 200
    assert [e["text"] for e in emulator.ephemerals(GENERAL, ANNA)] == [f"Hallo <@{ANNA}>"]


def test_bolt_refuses_a_bad_signature(driver: SlackDriver, emulator: SlackEmulator) -> None:
    body = b"command=%2Fnetwerk&text=hallo"
    stamp = int(time.time())
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": str(stamp)}
    assert driver.post_raw(body, {**headers, "X-Slack-Signature": "v0=" + "0" * 64}).status == 401
    stale = stamp - 301
    stale_headers = {
        **headers,
        "X-Slack-Request-Timestamp": str(stale),
        "X-Slack-Signature": driver.sign(body, stale),
    }
    assert driver.post_raw(body, stale_headers).status == 401
    assert emulator.ephemerals() == []


def test_a_modal_opened_by_bolt_is_submitted_and_answered(
    driver: SlackDriver, emulator: SlackEmulator
) -> None:
    driver.slash_command("intro", user_id=ANNA, channel_id=GENERAL)
    assert emulator.open_view(ANNA)["callback_id"] == "intro"  # type: ignore[index]

    too_short = driver.submit_view(ANNA, {"name": {"value": "A"}, "kind": {"value": "organised"}})
    assert too_short.json() == {"response_action": "errors", "errors": {"name": "Te kort"}}
    assert emulator.open_view(ANNA) is not None

    done = driver.submit_view(ANNA, {"name": {"value": "Anna"}, "kind": {"value": "spontaneous"}})
    assert done.status == 200 and done.problems == []
    assert emulator.open_view(ANNA) is None
    assert [m["text"] for m in emulator.messages(GENERAL)] == ["Anna (spontaneous)"]


def test_a_click_answered_through_respond_replaces_the_message(
    driver: SlackDriver, emulator: SlackEmulator, client: WebClient
) -> None:
    button = {"type": "button", "text": {"type": "plain_text", "text": "Ik doe mee"}, "action_id": "join"}
    ts = client.chat_postMessage(
        channel=GENERAL, text="Wie doet mee?", blocks=[{"type": "actions", "elements": [button]}]
    )["ts"]

    assert driver.block_action(user_id=BEN, action_id="join", channel_id=GENERAL, message_ts=ts).status == 200

    [message] = emulator.messages(GENERAL)
    assert message["ts"] == ts and message["text"] == f"<@{BEN}> doet mee"


def test_bolt_handles_a_redelivered_event_again(driver: SlackDriver, emulator: SlackEmulator) -> None:
    """Bolt does not de-duplicate event_id: a re-delivery runs the listener a second time."""
    driver.join_channel("U0CAROL", GENERAL)
    driver.redeliver(retry_num=1, retry_reason="http_timeout")
    assert [m["text"] for m in emulator.messages(GENERAL)] == ["Welkom <@U0CAROL>"] * 2


def test_bolt_answers_url_verification(driver: SlackDriver) -> None:
    assert driver.url_verification("3eZbrw1aBm2rZgRNFdxV").json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV"}
