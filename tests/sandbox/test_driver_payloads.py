"""What the driver sends: Slack's signature and payload shapes, recorded by a stand-in app on loopback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from slack_sdk import WebClient
from slack_sdk.signature import Clock
from slack_sdk.signature import SignatureVerifier

from bot.sandbox.driver import SlackDriver
from bot.sandbox.emulator import SlackEmulator
from tests.sandbox.conftest import ANNA
from tests.sandbox.conftest import BEN
from tests.sandbox.conftest import GENERAL
from tests.sandbox.conftest import KIND_INPUT
from tests.sandbox.conftest import NAME_INPUT
from tests.sandbox.conftest import PRIVATE
from tests.sandbox.conftest import FakeClock
from tests.sandbox.conftest import ReceivedRequest
from tests.sandbox.conftest import RecordingApp
from tests.sandbox.conftest import input_block
from tests.sandbox.conftest import intro_modal
from tests.sandbox.conftest import option

SIGNING_SECRET = "sandbox-test-secret"
TEST_VECTOR = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "slackref"
    / "docs_examples"
    / "signature_test_vector.json"
)


class _At(Clock):
    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock

    def now(self) -> float:
        return self.clock()


@pytest.fixture
def driver(recording_app: RecordingApp, emulator: SlackEmulator, sandbox_clock: FakeClock) -> SlackDriver:
    return SlackDriver(recording_app.url, SIGNING_SECRET, emulator, clock=sandbox_clock)


def verified(request: ReceivedRequest, clock: FakeClock) -> bool:
    return SignatureVerifier(SIGNING_SECRET, clock=_At(clock)).is_valid_request(request.body, request.headers)


def form(request: ReceivedRequest) -> dict[str, str]:
    return {
        key: values[-1] for key, values in parse_qs(request.body.decode(), keep_blank_values=True).items()
    }


def interaction(request: ReceivedRequest) -> dict[str, Any]:
    assert request.header("Content-Type") == "application/x-www-form-urlencoded"
    return json.loads(form(request)["payload"])  # type: ignore[no-any-return]


def posted_with_button(client: WebClient, **button: Any) -> str:
    blocks = [
        {"type": "section", "text": {"type": "mrkdwn", "text": "Doe je mee?"}},
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "text": {"type": "plain_text", "text": "Ik doe mee"},
                    "action_id": "join",
                    **button,
                },
                {
                    "type": "static_select",
                    "action_id": "when",
                    "placeholder": {"type": "plain_text", "text": "Wanneer?"},
                    "options": [
                        option("Maandag", "mon"),
                        option("Dinsdag", "tue"),
                    ],
                },
            ],
        },
    ]
    return str(client.chat_postMessage(channel=GENERAL, text="Doe je mee?", blocks=blocks)["ts"])


FORM_MODAL = intro_modal(
    NAME_INPUT,
    input_block(
        "role", "Rol", {"type": "plain_text_input", "action_id": "value", "initial_value": "deelnemer"}
    ),
    KIND_INPUT,
    input_block(
        "size",
        "Grootte",
        {
            "type": "radio_buttons",
            "action_id": "value",
            "initial_option": option("Klein", "small"),
            "options": [
                option("Klein", "small"),
                option("Groot", "large"),
            ],
        },
    ),
    input_block(
        "topics",
        "Thema's",
        {
            "type": "checkboxes",
            "action_id": "value",
            "options": [
                option("Ouders", "parents"),
                option("School", "school"),
            ],
        },
    ),
    input_block("buddy", "Maatje", {"type": "users_select", "action_id": "value"}),
    input_block("start", "Start", {"type": "datepicker", "action_id": "value", "initial_date": "2026-09-14"}),
    input_block("at", "Uur", {"type": "timepicker", "action_id": "value"}),
    input_block(
        "count", "Aantal", {"type": "number_input", "action_id": "value", "is_decimal_allowed": False}
    ),
    notify_on_close=True,
)


def open_form(
    client: WebClient, emulator: SlackEmulator, user_id: str = ANNA, **changes: Any
) -> dict[str, Any]:
    view = {**FORM_MODAL, **changes}
    return client.views_open(trigger_id=emulator.new_trigger_id(user_id), view=view)["view"]  # type: ignore[no-any-return]


@pytest.mark.skipif(not TEST_VECTOR.is_file(), reason="shared/slackref/docs_examples is not on this machine")
def test_signing_reproduces_slacks_published_test_vector(emulator: SlackEmulator) -> None:
    vector = json.loads(TEST_VECTOR.read_text())
    driver = SlackDriver("http://127.0.0.1:9/", vector["signing_secret"], emulator)
    signature = driver.sign(vector["body"].encode(), int(vector["timestamp"]))
    assert signature == vector["expected_signature"]
    assert signature == "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"


def test_a_slash_command_carries_every_field_slack_sends(
    driver: SlackDriver, recording_app: RecordingApp, client: WebClient, sandbox_clock: FakeClock
) -> None:
    response = driver.slash_command("intro Anna", user_id=ANNA, channel_id=GENERAL)

    assert response.status == 200 and response.json() is None
    request = recording_app.last
    assert request.path == "/slack/events"
    assert request.header("X-Slack-Request-Timestamp") == str(int(sandbox_clock()))
    assert verified(request, sandbox_clock)
    fields = form(request)
    assert list(fields) == [
        "token", "team_id", "team_domain", "channel_id", "channel_name", "user_id", "user_name", "command",
        "text", "api_app_id", "is_enterprise_install", "response_url", "trigger_id",
    ]  # fmt: skip
    assert fields["command"] == "/netwerk" and fields["text"] == "intro Anna"
    assert (fields["channel_name"], fields["user_name"], fields["team_id"]) == (
        "general",
        "anna",
        "T0NETWERK",
    )
    assert fields["is_enterprise_install"] == "false"
    assert fields == response.request
    assert client.views_open(trigger_id=fields["trigger_id"], view=FORM_MODAL)["ok"]


def test_channel_names_follow_slack_for_dms_and_private_channels(
    driver: SlackDriver, recording_app: RecordingApp
) -> None:
    driver.slash_command(user_id=ANNA, channel_id="D0ANNA")
    assert form(recording_app.last)["channel_name"] == "directmessage"
    driver.slash_command(user_id=ANNA, channel_id=PRIVATE)
    assert form(recording_app.last)["channel_name"] == "privategroup"


def test_a_stale_timestamp_fails_verification(
    driver: SlackDriver, recording_app: RecordingApp, sandbox_clock: FakeClock
) -> None:
    driver.slash_command(user_id=ANNA, channel_id=GENERAL, timestamp=int(sandbox_clock()) - 301)
    assert not verified(recording_app.last, sandbox_clock)


def test_post_raw_sends_exactly_what_it_is_given(driver: SlackDriver, recording_app: RecordingApp) -> None:
    driver.post_raw(
        b"not=signed", {"Content-Type": "application/x-www-form-urlencoded", "X-Slack-Signature": "v0=00"}
    )
    assert recording_app.last.body == b"not=signed"
    assert recording_app.last.header("X-Slack-Signature") == "v0=00"
    assert recording_app.last.header("X-Slack-Request-Timestamp") is None


def test_a_button_click_in_a_message_is_shaped_like_slacks(
    driver: SlackDriver, recording_app: RecordingApp, client: WebClient, emulator: SlackEmulator
) -> None:
    ts = posted_with_button(client, value="network-7")

    driver.block_action(user_id=BEN, action_id="join", channel_id=GENERAL, message_ts=ts)

    payload = interaction(recording_app.last)
    stored = emulator.message(GENERAL, ts, raw=True)
    assert stored is not None
    assert payload["type"] == "block_actions"
    assert payload["user"] == {"id": BEN, "username": "ben", "name": "ben", "team_id": "T0NETWERK"}
    assert payload["team"] == {"id": "T0NETWERK", "domain": "netwerk-sandbox"}
    assert payload["container"] == {
        "type": "message",
        "message_ts": ts,
        "channel_id": GENERAL,
        "is_ephemeral": False,
    }
    assert payload["channel"] == {"id": GENERAL, "name": "general"}
    assert payload["message"] == stored
    [action] = payload["actions"]
    assert action["block_id"] == stored["blocks"][1]["block_id"]
    assert (action["action_id"], action["type"], action["value"]) == ("join", "button", "network-7")
    assert action["text"] == {"type": "plain_text", "text": "Ik doe mee"} and action["action_ts"]
    assert payload["state"]["values"] == {
        stored["blocks"][1]["block_id"]: {"when": {"type": "static_select", "selected_option": None}}
    }
    assert payload["response_url"].startswith(emulator.base_url) and payload["trigger_id"]


def test_the_response_url_of_a_click_can_replace_the_message(
    driver: SlackDriver, recording_app: RecordingApp, client: WebClient, emulator: SlackEmulator
) -> None:
    ts = posted_with_button(client)
    driver.block_action(user_id=BEN, action_id="join", channel_id=GENERAL, message_ts=ts)
    url = interaction(recording_app.last)["response_url"]
    from slack_sdk.webhook import WebhookClient

    WebhookClient(url).send(text="Ben doet mee", replace_original=True)
    assert emulator.messages(GENERAL)[0]["text"] == "Ben doet mee"


def test_an_option_is_reported_as_slack_does_and_a_forged_one_named(
    driver: SlackDriver, recording_app: RecordingApp, client: WebClient
) -> None:
    ts = posted_with_button(client)
    driver.block_action(
        user_id=BEN, action_id="when", selected_option="tue", channel_id=GENERAL, message_ts=ts
    )
    [action] = interaction(recording_app.last)["actions"]
    assert action["type"] == "static_select"
    assert action["selected_option"] == option("Dinsdag", "tue")
    forged = driver.block_action(
        user_id=BEN, action_id="when", selected_option="sun", channel_id=GENERAL, message_ts=ts
    )
    [action] = interaction(recording_app.last)["actions"]
    assert action["selected_option"] == option("sun", "sun")
    assert forged.problems == [
        f"{action['block_id']}/when: 'sun' is not an option in the view (a forged request)"
    ]
    with pytest.raises(LookupError):
        driver.block_action(user_id=BEN, action_id="nope", channel_id=GENERAL, message_ts=ts)


def test_a_click_on_an_ephemeral_says_so_and_carries_no_message(
    driver: SlackDriver, recording_app: RecordingApp, client: WebClient
) -> None:
    button = {"type": "button", "text": {"type": "plain_text", "text": "Oké"}, "action_id": "ok"}
    ts = client.chat_postEphemeral(
        channel=GENERAL, user=ANNA, text="x", blocks=[{"type": "actions", "elements": [button]}]
    )["message_ts"]
    driver.block_action(user_id=ANNA, action_id="ok", channel_id=GENERAL, message_ts=ts)
    payload = interaction(recording_app.last)
    assert payload["container"]["is_ephemeral"] is True and "message" not in payload


def test_an_action_inside_a_modal_carries_the_view(
    driver: SlackDriver, recording_app: RecordingApp, client: WebClient, emulator: SlackEmulator
) -> None:
    view = open_form(client, emulator)
    driver.block_action(
        user_id=ANNA, action_id="value", block_id="kind", value="spontaneous", view_id=view["id"]
    )
    payload = interaction(recording_app.last)
    assert payload["container"] == {"type": "view", "view_id": view["id"]}
    assert payload["view"]["id"] == view["id"] and "response_url" not in payload
    assert payload["view"]["state"]["values"]["kind"]["value"]["selected_option"]["value"] == "spontaneous"
    assert payload["actions"][0]["selected_option"]["value"] == "spontaneous"


def test_a_submission_builds_state_values_from_the_element_types(
    driver: SlackDriver, recording_app: RecordingApp, client: WebClient, emulator: SlackEmulator
) -> None:
    view = open_form(client, emulator)

    driver.submit_view(
        ANNA,
        {
            "name": {"value": "Anna"},
            "kind": {"value": "organised"},
            "topics": {"value": ["parents", "school"]},
            "buddy": {"value": BEN},
            "at": {"value": "09:30"},
            "count": {"value": 12},
        },
    )

    payload = interaction(recording_app.last)
    assert payload["type"] == "view_submission" and payload["response_urls"] == []
    sent = payload["view"]
    for key in (
        "id",
        "hash",
        "callback_id",
        "private_metadata",
        "root_view_id",
        "previous_view_id",
        "team_id",
    ):
        assert sent[key] == view[key]
    assert (sent["app_id"], sent["bot_id"]) == ("A0NETWERK", "B0BOT")

    assert sent["state"]["values"] == {
        "name": {"value": {"type": "plain_text_input", "value": "Anna"}},
        "role": {"value": {"type": "plain_text_input", "value": "deelnemer"}},
        "kind": {"value": {"type": "static_select", "selected_option": option("Georganiseerd", "organised")}},
        "size": {"value": {"type": "radio_buttons", "selected_option": option("Klein", "small")}},
        "topics": {
            "value": {
                "type": "checkboxes",
                "selected_options": [option("Ouders", "parents"), option("School", "school")],
            }
        },
        "buddy": {"value": {"type": "users_select", "selected_user": BEN}},
        "start": {"value": {"type": "datepicker", "selected_date": "2026-09-14"}},
        "at": {"value": {"type": "timepicker", "selected_time": "09:30"}},
        "count": {"value": {"type": "number_input", "value": "12"}},
    }


def test_inputs_left_empty_are_sent_as_none(
    driver: SlackDriver, recording_app: RecordingApp, client: WebClient, emulator: SlackEmulator
) -> None:
    open_form(client, emulator)
    driver.submit_view(ANNA)
    values = interaction(recording_app.last)["view"]["state"]["values"]
    assert values["name"]["value"]["value"] is None
    assert values["kind"]["value"]["selected_option"] is None
    assert values["topics"]["value"]["selected_options"] == []
    assert values["buddy"]["value"]["selected_user"] is None


def test_what_was_typed_stays_when_the_app_answers_with_errors(
    driver: SlackDriver, recording_app: RecordingApp, client: WebClient, emulator: SlackEmulator
) -> None:
    open_form(client, emulator)
    recording_app.reply_with({"response_action": "errors", "errors": {"name": "Te kort"}})
    driver.submit_view(ANNA, {"name": {"value": "A"}, "kind": {"value": "spontaneous"}})
    recording_app.reply_with(None)

    driver.submit_view(ANNA, {"name": {"value": "Anna"}})

    values = interaction(recording_app.last)["view"]["state"]["values"]
    assert values["name"]["value"]["value"] == "Anna"
    assert values["kind"]["value"]["selected_option"]["value"] == "spontaneous"
    assert emulator.open_view(ANNA) is None


def test_a_value_for_an_input_the_view_lacks_is_a_test_mistake(
    driver: SlackDriver, client: WebClient, emulator: SlackEmulator
) -> None:
    open_form(client, emulator)
    with pytest.raises(LookupError, match="nmae/value"):
        driver.submit_view(ANNA, {"nmae": {"value": "Anna"}})


def test_an_empty_answer_closes_the_submitted_view(
    driver: SlackDriver, client: WebClient, emulator: SlackEmulator
) -> None:
    open_form(client, emulator)
    assert driver.submit_view(ANNA).problems == []
    assert emulator.open_view(ANNA) is None


@pytest.mark.parametrize(
    ("answer", "stack_titles"),
    [
        ({"response_action": "errors", "errors": {"name": "Vul je naam in"}}, ["Kennismaking"]),
        (
            {
                "response_action": "update",
                "view": {**FORM_MODAL, "title": {"type": "plain_text", "text": "Bedankt"}},
            },
            ["Bedankt"],
        ),
        (
            {
                "response_action": "push",
                "view": {**FORM_MODAL, "title": {"type": "plain_text", "text": "Stap 2"}},
            },
            ["Kennismaking", "Stap 2"],
        ),
        ({"response_action": "clear"}, []),
    ],
)
def test_response_actions_change_the_modal_stack_as_slack_does(
    driver: SlackDriver,
    recording_app: RecordingApp,
    client: WebClient,
    emulator: SlackEmulator,
    answer: dict[str, Any],
    stack_titles: list[str],
) -> None:
    open_form(client, emulator)
    recording_app.reply_with(answer)
    response = driver.submit_view(ANNA, {"name": {"value": "Anna"}})
    assert response.problems == [] and response.json() == answer
    assert [v["title"]["text"] for v in emulator.modal_stack(ANNA)] == stack_titles


def test_an_answer_slack_would_refuse_leaves_the_view_and_says_why(
    driver: SlackDriver, recording_app: RecordingApp, client: WebClient, emulator: SlackEmulator
) -> None:
    view = open_form(client, emulator)
    recording_app.reply_with(
        {
            "response_action": "update",
            "view": {**FORM_MODAL, "title": {"type": "plain_text", "text": "t" * 25}},
        }
    )
    assert driver.submit_view(ANNA).problems == [
        "must be less than 25 characters [json-pointer:/view/title/text]"
    ]
    recording_app.reply_with({"error": "boom"}, status=500)
    assert driver.submit_view(ANNA).problems == ["the app answered HTTP 500; Slack keeps the view open"]
    assert emulator.open_view(ANNA) == view


def test_a_slow_answer_is_a_problem(
    recording_app: RecordingApp, emulator: SlackEmulator, client: WebClient, sandbox_clock: FakeClock
) -> None:
    driver = SlackDriver(recording_app.url, SIGNING_SECRET, emulator, clock=sandbox_clock, ack_deadline=0.05)
    open_form(client, emulator)
    recording_app.delay = 0.1
    response = driver.submit_view(ANNA)
    assert response.problems[0].startswith("answered after") and response.elapsed >= 0.1
    assert emulator.open_view(ANNA) is not None


def test_closing_a_modal_notifies_only_when_asked(
    driver: SlackDriver, recording_app: RecordingApp, client: WebClient, emulator: SlackEmulator
) -> None:
    view = open_form(client, emulator)
    driver.close_view(ANNA)
    payload = interaction(recording_app.last)
    assert payload["type"] == "view_closed" and payload["is_cleared"] is False
    assert payload["view"]["id"] == view["id"] and emulator.open_view(ANNA) is None

    open_form(client, emulator, notify_on_close=False)
    silent = driver.close_view(ANNA)
    assert silent.status == 0 and silent.problems == ["notify_on_close is false: Slack sends no view_closed"]
    assert len(recording_app.received) == 1


def test_an_event_comes_in_slacks_envelope(
    driver: SlackDriver, recording_app: RecordingApp, sandbox_clock: FakeClock
) -> None:
    driver.event(driver.member_joined_channel(BEN, GENERAL, inviter=ANNA))

    request = recording_app.last
    assert request.header("Content-Type") == "application/json" and verified(request, sandbox_clock)
    assert request.header("X-Slack-Retry-Num") is None
    envelope = json.loads(request.body)
    assert envelope["type"] == "event_callback" and envelope["event_id"].startswith("Ev")
    assert envelope["team_id"] == envelope["context_team_id"] == "T0NETWERK"
    assert envelope["context_enterprise_id"] is None and envelope["api_app_id"] == "A0NETWERK"
    assert envelope["event_time"] == int(sandbox_clock()) and envelope["is_ext_shared_channel"] is False
    assert envelope["authorizations"] == [
        {
            "enterprise_id": None,
            "team_id": "T0NETWERK",
            "user_id": "U0BOT",
            "is_bot": True,
            "is_enterprise_install": False,
        }
    ]
    assert envelope["event_context"].startswith("4-") and envelope["token"]
    assert envelope["event"] == {
        "type": "member_joined_channel",
        "user": BEN,
        "channel": GENERAL,
        "channel_type": "C",
        "team": "T0NETWERK",
        "event_ts": "1700000000.000000",
        "inviter": ANNA,
    }


def test_redelivery_repeats_the_envelope_with_retry_headers(
    driver: SlackDriver, recording_app: RecordingApp
) -> None:
    driver.event(driver.app_home_opened(ANNA), event_id="Ev0FIRST")
    driver.redeliver()
    driver.redeliver("Ev0FIRST", retry_num=2, retry_reason="http_error")

    first, second, third = recording_app.received
    assert json.loads(first.body) == json.loads(second.body) == json.loads(third.body)
    assert (second.header("X-Slack-Retry-Num"), second.header("X-Slack-Retry-Reason")) == (
        "1",
        "http_timeout",
    )
    assert (third.header("X-Slack-Retry-Num"), third.header("X-Slack-Retry-Reason")) == ("2", "http_error")
    driver.event({"type": "app_mention"}, retry_num=1, retry_reason="connection_failed")
    assert recording_app.last.header("X-Slack-Retry-Reason") == "connection_failed"


def test_event_builders_fill_in_what_slack_knows(
    driver: SlackDriver, client: WebClient, emulator: SlackEmulator
) -> None:
    parent = client.chat_postMessage(channel=GENERAL, text="Vraag")["ts"]
    reaction = driver.reaction_added(ANNA, "tada", GENERAL, parent)
    assert reaction["item"] == {"type": "message", "channel": GENERAL, "ts": parent}
    assert reaction["item_user"] == "U0BOT" and reaction["reaction"] == "tada"
    assert driver.reaction_removed(ANNA, "tada", GENERAL, parent)["type"] == "reaction_removed"

    reply = driver.message(ANNA, GENERAL, "Antwoord", thread_ts=parent)
    assert reply["thread_ts"] == parent and reply["parent_user_id"] == "U0BOT"
    assert reply["channel_type"] == "channel" and reply["blocks"][0]["type"] == "rich_text"
    assert driver.member_left_channel(ANNA, PRIVATE)["channel_type"] == "G"

    client.views_publish(user_id=ANNA, view={"type": "home", "blocks": []})
    opened = driver.app_home_opened(ANNA)
    assert opened["channel"] == "D0ANNA" and opened["tab"] == "home" and opened["view"]["type"] == "home"


def test_joining_changes_membership_and_sends_the_event(
    driver: SlackDriver, recording_app: RecordingApp, emulator: SlackEmulator
) -> None:
    driver.join_channel("U0CAROL", GENERAL)
    assert "U0CAROL" in emulator.channels[GENERAL]["members"]
    assert json.loads(recording_app.last.body)["event"]["type"] == "member_joined_channel"


def test_url_verification_is_signed_json(
    driver: SlackDriver, recording_app: RecordingApp, sandbox_clock: FakeClock
) -> None:
    recording_app.reply_with({"challenge": "abc"})
    response = driver.url_verification("abc")
    assert response.json() == {"challenge": "abc"}
    assert json.loads(recording_app.last.body) == {
        "token": "sandbox-verification-token",
        "challenge": "abc",
        "type": "url_verification",
    }
    assert verified(recording_app.last, sandbox_clock)


def test_a_message_shortcut_carries_the_whole_message_and_where_it_is(
    driver: SlackDriver, recording_app: RecordingApp, emulator: SlackEmulator, sandbox_clock: FakeClock
) -> None:
    written = emulator.add_message(GENERAL, ANNA, "Wat mij hielp: eerst luisteren &amp; vragen.")

    driver.message_shortcut(
        user_id=BEN, callback_id="save_as_lesson", channel_id=GENERAL, message_ts=written["ts"]
    )

    assert verified(recording_app.last, sandbox_clock)
    payload = interaction(recording_app.last)
    assert (payload["type"], payload["callback_id"]) == ("message_action", "save_as_lesson")
    assert payload["user"]["id"] == BEN and payload["team"] == {
        "id": "T0NETWERK",
        "domain": "netwerk-sandbox",
    }
    assert payload["channel"] == {"id": GENERAL, "name": "general"}
    assert payload["message"] == emulator.message(GENERAL, written["ts"], raw=True)
    assert payload["message_ts"] == written["ts"] and payload["message"]["user"] == ANNA
    assert payload["response_url"].startswith(emulator.base_url) and payload["trigger_id"]


def test_no_message_shortcut_on_an_ephemeral_or_a_message_that_is_not_there(
    driver: SlackDriver, client: WebClient
) -> None:
    ts = client.chat_postEphemeral(channel=GENERAL, user=ANNA, text="alleen voor Anna")["message_ts"]
    with pytest.raises(ValueError):
        driver.message_shortcut(user_id=ANNA, callback_id="x", channel_id=GENERAL, message_ts=ts)
    with pytest.raises(LookupError):
        driver.message_shortcut(user_id=ANNA, callback_id="x", channel_id=GENERAL, message_ts="1.000009")
