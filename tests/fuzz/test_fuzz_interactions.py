"""Interactivity fuzzed: bodies that are not what Slack sends, forged modals and buttons, and user text
full of pings. Slack never gets a 5xx, a refused payload writes nothing, and no user text pings or links."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlencode

from hypothesis import HealthCheck
from hypothesis import example
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from bot.views import ids
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import OUTSIDER
from tests.e2e.conftest import PARTICIPANTS
from tests.factories import form_values
from tests.fuzz.conftest import FORM
from tests.fuzz.conftest import FuzzWorld
from tests.fuzz.conftest import mrkdwn_in
from tests.fuzz.strategies import hostile_text
from tests.fuzz.strategies import json_values
from tests.fuzz.strategies import not_json

FUZZ = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
JOKE, MEHMET = PARTICIPANTS
ACTION_IDS = sorted(
    {
        value
        for group in (
            ids.CaseActions,
            ids.KickoffActions,
            ids.CheckinActions,
            ids.HomeActions,
            ids.PrivacyActions,
        )
        for name, value in vars(group).items()
        if name.isupper() and isinstance(value, str)
    }
)
POSTING_METHODS = ("chat.postMessage", "chat.update", "chat.postEphemeral", "response_url")
# What the bot itself writes between `<` and `>`: mentions of the workspace's people and links to Slack.
BOT_SEQUENCE = re.compile(
    r"<@U0(?:ELS|JOKE|MEHMET|SAM|KAREL)>|<#C0[A-Z]+>|<https://[a-z.-]*slack\.com/[^<>|]*(?:\|[^<>]*)?>"
)
ENTITY = re.compile(r"&(?:amp|lt|gt);")


def block_actions(world: FuzzWorld, user_id: str, action: dict[str, Any]) -> dict[str, Any]:
    """A click on a message in the network channel, with every field Slack sends."""
    return {
        "type": "block_actions",
        "user": {"id": user_id, "username": user_id.lower(), "team_id": world.emulator.team_id},
        "api_app_id": world.emulator.app_id,
        "team": {"id": world.emulator.team_id, "domain": world.emulator.team_domain},
        "container": {"type": "message", "message_ts": "1.000001", "channel_id": NETWORK_CHANNEL},
        "channel": {"id": NETWORK_CHANNEL, "name": "lerend-netwerk-jeugdhulp"},
        "trigger_id": world.emulator.new_trigger_id(user_id),
        "response_url": world.emulator.new_response_url(NETWORK_CHANNEL, user_id, message_ts="1.000001"),
        "actions": [{"block_id": "b", "type": "button", "action_ts": "1.000002", **action}],
    }


# ---------------------------------------------------------------------- bodies Slack never sends


@FUZZ
@given(
    body=st.one_of(
        not_json.map(lambda text: urlencode({"payload": text})),
        json_values.map(lambda value: urlencode({"payload": json.dumps(value)})),
        st.dictionaries(
            st.sampled_from(
                ("type", "user", "team", "actions", "view", "container", "channel", "trigger_id")
            ),
            json_values,
        ).map(lambda fields: urlencode({"payload": json.dumps(fields)})),
        st.binary(max_size=64).map(lambda raw: "payload=" + raw.hex()),
    )
)
@example(body=urlencode({"payload": "{not json"}))
@example(body=urlencode({"payload": "[]"}))
@example(body=urlencode({"payload": json.dumps({"type": "block_actions", "actions": "x"})}))
@example(body=urlencode({"payload": json.dumps({"type": "block_actions", "actions": [1], "user": "x"})}))
@example(body=urlencode({"payload": json.dumps({"type": "view_submission", "view": 3})}))
@example(body=urlencode({"payload": json.dumps({"type": "shortcut", "callback_id": "nope", "user": {}})}))
@example(body=urlencode({"payload": json.dumps({"type": "message_action", "callback_id": "save_as_lesson"})}))
@example(
    body=urlencode(
        {
            "payload": json.dumps(
                {
                    "type": "message_action",
                    "callback_id": "bring_in_as_case",
                    "user": {"id": "U0JOKE"},
                    "channel": {"id": "C0NETWERK"},
                    "message": {"ts": "yesterday", "text": 5},
                    "trigger_id": "1.2",
                    "response_url": "https://hooks.slack.com/x",
                }
            )
        }
    )
)
def test_malformed_payloads_are_refused_without_a_5xx_or_a_write(world: FuzzWorld, body: str) -> None:
    before = world.rows()
    response = world.post_signed(body.encode(), FORM)
    assert response.status < 500, (response.status, response.body)
    assert world.rows() == before


def test_a_body_that_is_not_utf8_is_a_bad_request(world: FuzzWorld) -> None:
    response = world.post_signed(b"payload=\xff\xfe", FORM)
    assert response.status == 400


# ---------------------------------------------------------------------- forged buttons and modals


@FUZZ
@given(
    user_id=st.sampled_from((OUTSIDER, "U0NOBODY", "")),
    action_id=st.one_of(st.sampled_from(ACTION_IDS), st.text(max_size=30)),
    value=json_values,
    extra=st.dictionaries(
        st.sampled_from(("message", "state", "view", "is_enterprise_install", "x")), json_values
    ),
    missing=st.sets(st.sampled_from(("team", "channel", "container", "trigger_id", "response_url"))),
)
def test_any_button_pressed_by_someone_outside_the_network_writes_nothing(
    world: FuzzWorld, user_id: str, action_id: str, value: Any, extra: dict[str, Any], missing: set[str]
) -> None:
    payload = block_actions(world, user_id, {"action_id": action_id, "value": value})
    payload.update(extra)
    for name in missing:
        payload.pop(name, None)
    before = world.rows()
    response = world.post_interaction(payload)
    assert response.status < 500, (response.status, response.body)
    assert world.rows() == before


@FUZZ
@given(
    user_id=st.sampled_from((FACILITATOR, JOKE)),
    action_id=st.text(max_size=40).filter(lambda text: text not in ACTION_IDS),
    value=json_values,
)
def test_unknown_buttons_write_nothing(world: FuzzWorld, user_id: str, action_id: str, value: Any) -> None:
    before = world.rows()
    response = world.post_interaction(block_actions(world, user_id, {"action_id": action_id, "value": value}))
    assert response.status < 500, (response.status, response.body)
    assert world.rows() == before


forged_metadata = st.one_of(
    not_json,
    json_values.map(json.dumps),
    st.fixed_dictionaries(
        {},
        optional={
            "channel_id": st.one_of(st.sampled_from(("C0ZONDERBOT", "C0NOPE", "", "D0ELS")), json_values),
            "language": json_values,
            "network_id": json_values,
            "case_id": json_values,
        },
    ).map(json.dumps),
)


@FUZZ
@given(command=st.sampled_from(("/case", "intro")), metadata=forged_metadata)
@example(command="/case", metadata="garbage")
@example(command="intro", metadata='{"channel_id": 5}')
def test_a_modal_with_forged_private_metadata_writes_nothing(
    world: FuzzWorld, command: str, metadata: str
) -> None:
    emulator = world.emulator
    if command == "/case":
        world.bot.command("", command="/case", user_id=JOKE, channel_id=NETWORK_CHANNEL)
    else:
        world.bot.command("intro", user_id=JOKE, channel_id=NETWORK_CHANNEL)
    view = emulator.open_view(JOKE)
    assert view is not None
    emulator.close_view(JOKE, view["id"])
    emulator.reset_calls()
    before = world.rows()
    filled = {
        block["block_id"]: {ids.VALUE_ACTION: {"type": "plain_text_input", "value": "Een gewone tekst"}}
        for block in view["blocks"]
        if block.get("type") == "input"
    }
    payload = {
        "type": "view_submission",
        "team": {"id": emulator.team_id, "domain": emulator.team_domain},
        "user": {"id": JOKE, "username": "joke", "team_id": emulator.team_id},
        "api_app_id": emulator.app_id,
        "trigger_id": emulator.new_trigger_id(JOKE),
        "view": {**view, "private_metadata": metadata, "state": {"values": filled}},
        "response_urls": [],
    }
    response = world.post_interaction(payload)
    assert response.status < 500, (response.status, response.body)
    assert world.rows() == before
    assert emulator.calls_to("chat.postMessage") == []


# ---------------------------------------------------------------------- user text never pings


def press_latest(world: FuzzWorld, user_id: str, action_id: str) -> None:
    """Press the button `action_id` on the newest message in the network channel that has it."""
    message = next(
        message
        for message in reversed(world.emulator.messages(NETWORK_CHANNEL))
        if action_id in json.dumps(message.get("blocks") or [])
    )
    response = world.driver.block_action(
        user_id=user_id, action_id=action_id, channel_id=NETWORK_CHANNEL, message_ts=message["ts"]
    )
    world.bot.settle()
    assert response.status == 200 and response.problems == [], response.problems


def assert_pings_nobody(posted: str) -> None:
    """No `<` opens a control sequence the bot did not write, and every `&`, `<`, `>` typed is escaped."""
    rest = BOT_SEQUENCE.sub("", posted)
    assert "<" not in rest, rest[max(0, rest.index("<") - 40) : rest.index("<") + 40]
    stray_amp = re.search(r"&(?!(?:amp|lt|gt);)", rest)
    assert stray_amp is None, rest[max(0, stray_amp.start() - 40) : stray_amp.start() + 40]
    for line in ENTITY.sub("", rest).splitlines():
        # A `>` opening a line is the bot quoting; anywhere else it came unescaped from the user.
        assert ">" not in line.lstrip().removeprefix(">"), line


@settings(FUZZ, max_examples=10)
@given(
    intro=st.lists(hostile_text, min_size=5, max_size=5),
    expectations=st.lists(hostile_text, min_size=4, max_size=4),
    agreements=st.lists(hostile_text, min_size=1, max_size=3),
    case=st.lists(hostile_text, min_size=4, max_size=4),
    advice=hostile_text,
)
@example(
    intro=["<!channel> <@U123> <#C123>"] * 5,
    expectations=["<!channel> <!here> &"] * 4,
    agreements=["<!channel> <!everyone> <!subteam^S1>"],
    case=["<!channel> <http://evil.example|klik> > <"] * 4,
    advice="<!channel> &lt;!here&gt; <mailto:a@evil.example|mail>",
)
def test_text_people_type_never_pings_or_links_in_what_the_bot_posts(
    world: FuzzWorld,
    intro: list[str],
    expectations: list[str],
    agreements: list[str],
    case: list[str],
    advice: str,
) -> None:
    bot, emulator = world.bot, world.emulator
    emulator.reset_calls()

    bot.command("intro", user_id=JOKE, channel_id=NETWORK_CHANNEL)
    answer = bot.submit_view(
        JOKE, form_values(dict(zip(ids.IntroBlocks.BY_FIELD.values(), intro, strict=True)))
    )
    assert answer.problems == [], answer.problems
    bot.command("verwachtingen", user_id=JOKE, channel_id=NETWORK_CHANNEL)
    fields = dict(zip(ids.ExpectationsBlocks.BY_FIELD.values(), expectations, strict=True))
    answer = bot.submit_view(JOKE, form_values(fields))
    assert answer.problems == [], answer.problems
    bot.command("verwachtingen kaart", user_id=JOKE, channel_id=NETWORK_CHANNEL)
    bot.command("afspraken", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    answer = bot.submit_view(FACILITATOR, form_values({ids.AgreementsBlocks.TEXT: "\n".join(agreements)}))
    assert answer.problems == [], answer.problems
    # Only who accepted the agreements may bring a case.
    press_latest(world, MEHMET, ids.KickoffActions.ACCEPT_AGREEMENTS)
    bot.command("", command="/case", user_id=MEHMET, channel_id=NETWORK_CHANNEL)
    intake = dict(zip(ids.CaseIntakeBlocks.BY_FIELD.values(), case, strict=False))
    answer = bot.submit_view(
        MEHMET, {**form_values(intake), ids.CaseIntakeBlocks.HELP_WANTED: {ids.VALUE_ACTION: ["advice"]}}
    )
    assert answer.problems == [], answer.problems
    press_latest(world, JOKE, ids.CaseActions.GIVE_ADVICE)
    answer = bot.submit_view(JOKE, form_values({ids.CaseAdviceBlocks.ADVICE: advice}))
    assert answer.problems == [], answer.problems

    posted = [call for call in emulator.calls if call.method in POSTING_METHODS]
    texts = [text for call in posted for text in mrkdwn_in(call.args)]
    # Every field starts with a ping: seeing it escaped shows the fields did reach the channel.
    assert sum("&lt;!channel&gt;" in text for text in texts) >= 5
    for text in texts:
        assert_pings_nobody(text)


# ---------------------------------------------------------------------- message shortcuts

SHORTCUTS = (ids.BRING_IN_AS_CASE_SHORTCUT, ids.SAVE_AS_LESSON_SHORTCUT)


def message_action(world: FuzzWorld, user_id: str, callback_id: str, channel_id: str, message: Any) -> dict:
    """A message shortcut with every field Slack sends, on `message` as given."""
    emulator = world.emulator
    return {
        "type": "message_action",
        "callback_id": callback_id,
        "user": {"id": user_id, "username": user_id.lower(), "team_id": emulator.team_id},
        "team": {"id": emulator.team_id, "domain": emulator.team_domain},
        "channel": {"id": channel_id, "name": "lerend-netwerk-jeugdhulp"},
        "trigger_id": emulator.new_trigger_id(user_id),
        "response_url": emulator.new_response_url(channel_id, user_id),
        "message_ts": "1.000001",
        "message": message,
        "action_ts": "1.000002",
    }


@FUZZ
@given(
    user_id=st.sampled_from((OUTSIDER, "U0NOBODY", "")),
    callback_id=st.one_of(st.sampled_from(SHORTCUTS), st.text(max_size=20)),
    channel_id=st.sampled_from((NETWORK_CHANNEL, "C0ZONDERBOT", "D0ELS", "")),
    message=st.one_of(
        json_values,
        st.fixed_dictionaries(
            {"ts": st.sampled_from(("1.000001", "gisteren", ""))},
            optional={name: json_values for name in ("text", "user", "bot_id", "subtype", "thread_ts")},
        ),
    ),
)
def test_a_message_shortcut_from_outside_the_network_writes_nothing(
    world: FuzzWorld, user_id: str, callback_id: str, channel_id: str, message: Any
) -> None:
    before = world.rows()
    response = world.post_interaction(message_action(world, user_id, callback_id, channel_id, message))
    assert response.status < 500, (response.status, response.body)
    assert world.rows() == before


@settings(FUZZ, max_examples=10)
@given(text=hostile_text.filter(lambda text: text.strip()))
@example(text="<!channel> <http://evil.example|klik> &lt;!here&gt; > < &")
def test_a_saved_lesson_never_pings_or_links(world: FuzzWorld, text: str) -> None:
    emulator = world.emulator
    ts = emulator.add_message(NETWORK_CHANNEL, JOKE, text)["ts"]
    emulator.reset_calls()
    payload = message_action(
        world,
        JOKE,
        ids.SAVE_AS_LESSON_SHORTCUT,
        NETWORK_CHANNEL,
        {"ts": ts, "text": text, "user": JOKE, "type": "message"},
    )
    assert world.post_interaction(payload).status == 200
    world.bot.settle()
    world.bot.command("lessen", user_id=MEHMET, channel_id=NETWORK_CHANNEL)

    posted = [call for call in emulator.calls if call.method in POSTING_METHODS]
    texts = [text for call in posted for text in mrkdwn_in(call.args)]
    assert texts
    for posted_text in texts:
        assert_pings_nobody(posted_text)
