"""Signed bodies shaped as Slack sends them, with fields inside `actions`, `view`, `state`, `container` and
`event` dropped, given another JSON type or an odd string. Whatever the shape, Slack gets a 2xx or a 4xx,
and no listener fails on it: a body Slack could send is handled, one it never sends is refused."""

from __future__ import annotations

import itertools
import json
import logging
import time
from typing import Any

import hypothesis
import pytest
from hypothesis import HealthCheck
from hypothesis import example
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from bot.views import ids
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import PARTICIPANTS
from tests.fuzz.conftest import FuzzWorld
from tests.fuzz.strategies import CALLBACK_PATHS
from tests.fuzz.strategies import CLICK_PATHS
from tests.fuzz.strategies import DROPPED
from tests.fuzz.strategies import FIRST
from tests.fuzz.strategies import MODAL_PATHS
from tests.fuzz.strategies import Edit
from tests.fuzz.strategies import edited
from tests.fuzz.strategies import edits
from tests.fuzz.test_fuzz_interactions import ACTION_IDS

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
JOKE, _ = PARTICIPANTS
MODAL_CALLBACK_IDS = sorted(getattr(ids, name) for name in ids.__all__ if name.endswith("_MODAL"))
SURFACES = ("message", "home", "modal")
HOME_ACTION_IDS = sorted(value for name, value in vars(ids.HomeActions).items() if name.isupper())
# Where each button can be pressed: App Home's on the home tab, the others on messages in a channel.
WHERE_PRESSED = st.one_of(
    st.tuples(st.just("message"), st.sampled_from([a for a in ACTION_IDS if a not in HOME_ACTION_IDS])),
    st.tuples(st.just("home"), st.sampled_from(HOME_ACTION_IDS)),
    st.tuples(st.just("modal"), st.just("not_a_button_of_ours")),
)
ELEMENTS = {
    "button": {"type": "button", "value": "1"},
    "select": {
        "type": "static_select",
        "selected_option": {"text": {"type": "plain_text", "text": "Ja"}, "value": "1"},
    },
    "checkboxes": {
        "type": "checkboxes",
        "selected_options": [{"text": {"type": "plain_text", "text": "Ja"}, "value": "1"}],
    },
}
_event_numbers = itertools.count(1)


def team(world: FuzzWorld) -> dict[str, Any]:
    return {"id": world.emulator.team_id, "domain": world.emulator.team_domain}


def user(world: FuzzWorld, user_id: str) -> dict[str, Any]:
    return {
        "id": user_id,
        "username": user_id.lower(),
        "name": user_id.lower(),
        "team_id": world.emulator.team_id,
    }


def state(block_id: str = "b") -> dict[str, Any]:
    return {"values": {block_id: {ids.VALUE_ACTION: {"type": "plain_text_input", "value": "Een tekst"}}}}


def view(callback_id: str, *, kind: str = "modal") -> dict[str, Any]:
    # Every field any of our modals keeps, so that each modal finds what it needs.
    metadata = {
        "channel_id": NETWORK_CHANNEL,
        "language": "nl",
        "network_id": 1,
        "case_id": 1,
        "poll_id": 1,
        "question": "goes_well",
        "meeting_id": 1,
        "timezone": "Europe/Brussels",
    }
    return {
        "id": "V0FUZZ",
        "team_id": "T0FUZZ",
        "type": kind,
        "callback_id": callback_id,
        "private_metadata": json.dumps(metadata) if kind == "modal" else "",
        "hash": "1789000000.abcdef",
        "blocks": [],
        "state": state(),
        "root_view_id": "V0FUZZ",
        "previous_view_id": None,
        "app_id": "A0FUZZ",
    }


def click(world: FuzzWorld, surface: str, user_id: str, action_id: str, element: str) -> dict[str, Any]:
    """A `block_actions` payload as Slack sends it, from a message, App Home or a modal."""
    emulator = world.emulator
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": user(world, user_id),
        "api_app_id": emulator.app_id,
        "token": "verification",
        "team": team(world),
        "enterprise": None,
        "is_enterprise_install": False,
        "trigger_id": emulator.new_trigger_id(user_id),
        "actions": [
            {"action_id": action_id, "block_id": "b", "action_ts": "1789000000.000200", **ELEMENTS[element]}
        ],
    }
    if surface == "message":
        ts = "1789000000.000100"
        payload["container"] = {
            "type": "message",
            "message_ts": ts,
            "channel_id": NETWORK_CHANNEL,
            "is_ephemeral": False,
        }
        payload["channel"] = {"id": NETWORK_CHANNEL, "name": "lerend-netwerk-jeugdhulp"}
        payload["message"] = {"type": "message", "ts": ts, "text": "", "blocks": []}
        payload["state"] = state()
        payload["response_url"] = emulator.new_response_url(NETWORK_CHANNEL, user_id, message_ts=ts)
    else:
        payload["container"] = {"type": "view", "view_id": "V0FUZZ"}
        callback_id = "" if surface == "home" else ids.CASE_INTAKE_MODAL
        payload["view"] = view(callback_id, kind="home" if surface == "home" else "modal")
    return payload


def modal(world: FuzzWorld, kind: str, callback_id: str, user_id: str) -> dict[str, Any]:
    """A `view_submission` or `view_closed` payload as Slack sends it."""
    payload = {
        "type": kind,
        "team": team(world),
        "user": user(world, user_id),
        "api_app_id": world.emulator.app_id,
        "token": "verification",
        "trigger_id": world.emulator.new_trigger_id(user_id),
        "view": view(callback_id),
        "is_enterprise_install": False,
        "enterprise": None,
    }
    if kind == "view_submission":
        payload["response_urls"] = [
            {
                "block_id": "b",
                "action_id": "a",
                "channel_id": NETWORK_CHANNEL,
                "response_url": world.emulator.new_response_url(NETWORK_CHANNEL, user_id),
            }
        ]
    else:
        payload["is_cleared"] = False
    return payload


def events(world: FuzzWorld) -> dict[str, dict[str, Any]]:
    """One event of each kind the bot listens to, as Slack sends it."""
    driver = world.driver
    ts = "1789000000.000100"
    return {
        "joined": driver.member_joined_channel(JOKE, NETWORK_CHANNEL, inviter=FACILITATOR),
        "left": driver.member_left_channel(JOKE, NETWORK_CHANNEL),
        "reaction": driver.reaction_added(JOKE, "bulb", NETWORK_CHANNEL, ts),
        "unreaction": driver.reaction_removed(JOKE, "bulb", NETWORK_CHANNEL, ts),
        "reply": driver.message(JOKE, NETWORK_CHANNEL, "Een antwoord", thread_ts=ts),
        "message": driver.message(JOKE, NETWORK_CHANNEL, "Hallo"),
        "home": driver.app_home_opened(JOKE),
        "edited": {
            "type": "message",
            "subtype": "message_changed",
            "channel": NETWORK_CHANNEL,
            "ts": "1789000000.000300",
            "event_ts": "1789000000.000300",
            "message": {"type": "message", "user": JOKE, "text": "Nieuw", "ts": ts, "thread_ts": ts},
            "previous_message": {"type": "message", "user": JOKE, "text": "Oud", "ts": ts},
        },
    }


def callback(world: FuzzWorld, event: dict[str, Any]) -> dict[str, Any]:
    """The `event_callback` envelope Slack wraps an event in, with an event_id not used before."""
    team_id, bot_id = world.emulator.team_id, world.emulator.bot_user_id
    return {
        "token": "verification",
        "team_id": team_id,
        "api_app_id": world.emulator.app_id,
        "event": event,
        "type": "event_callback",
        "event_id": f"Ev{next(_event_numbers):08d}SHAPE",
        "event_time": int(time.time()),
        "authorizations": [{"enterprise_id": None, "team_id": team_id, "user_id": bot_id, "is_bot": True}],
        "is_ext_shared_channel": False,
    }


def assert_answered_without_failing(world: FuzzWorld, response: Any) -> None:
    failures = [
        logging.Formatter().formatException(r.exc_info) if r.exc_info else r.getMessage()
        for r in world.failures
    ]
    world.failures.clear()
    assert response.status < 500, (response.status, response.body)
    assert failures == [], failures[0]


@pytest.fixture(autouse=True)
def _forget_earlier_failures(world: FuzzWorld) -> None:
    world.failures.clear()


# ---------------------------------------------------------------------- as Slack sends them


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("element", sorted(ELEMENTS))
def test_a_click_as_slack_sends_it_is_answered(world: FuzzWorld, surface: str, element: str) -> None:
    payload = click(world, surface, JOKE, "not_a_button_of_ours", element)
    response = world.post_interaction(payload)
    # Acknowledged once recorded, before any listener is sought; its work finds nobody listening to this
    # button and ends there, without an error.
    assert_answered_without_failing(world, response)
    assert response.status == 200, (response.status, response.body)


@pytest.mark.parametrize("kind", ("view_submission", "view_closed"))
def test_a_modal_as_slack_sends_it_is_answered(world: FuzzWorld, kind: str) -> None:
    response = world.post_interaction(modal(world, kind, ids.CASE_ADVICE_MODAL, JOKE))
    assert_answered_without_failing(world, response)
    assert 200 <= response.status < 300 or (kind == "view_closed" and response.status == 404)


def test_events_as_slack_sends_them_are_acknowledged(world: FuzzWorld) -> None:
    for name, event in events(world).items():
        response = world.post_signed(json.dumps(callback(world, event)).encode(), "application/json")
        assert_answered_without_failing(world, response)
        assert response.status == 200, (name, response.status, response.body)


# ---------------------------------------------------------------------- known shapes that failed


def test_a_click_without_an_action_id_is_a_bad_request(world: FuzzWorld) -> None:
    payload = click(world, "message", JOKE, ids.CaseActions.RECOGNISE, "button")
    del payload["actions"][0]["action_id"]
    response = world.post_interaction(payload)
    assert_answered_without_failing(world, response)
    assert response.status == 400


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("actions", FIRST, "action_id"), 5),
        (("actions", FIRST, "action_id"), None),
        (("actions",), []),
        (("actions", FIRST, "selected_option"), "1"),
        (("actions", FIRST, "selected_options"), [1]),
        (("state", "values", FIRST), []),
        (("state", "values", FIRST, FIRST), "x"),
        (("container",), DROPPED),
        (("user", "id"), 7),
    ],
)
def test_clicks_slack_never_sends_are_bad_requests(
    world: FuzzWorld, where: tuple[Any, ...], value: Any
) -> None:
    element = (
        "select" if "selected_option" in where else "checkboxes" if "selected_options" in where else "button"
    )
    payload = edited(
        click(world, "message", JOKE, ids.KickoffActions.VOTE_OTHER_GOAL, element), [(where, value)]
    )
    response = world.post_interaction(payload)
    assert_answered_without_failing(world, response)
    assert response.status == 400


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("view", "callback_id"), DROPPED),
        (("view", "callback_id"), 3),
        (("view", "private_metadata"), {"channel_id": NETWORK_CHANNEL}),
        (("view", "state", "values"), []),
        (("view", "state", "values", FIRST, FIRST, "value"), 12),
        (("view", "state", "values", FIRST), "x"),
        (("response_urls", FIRST), "https://hooks.slack.com/x"),
    ],
)
def test_modals_slack_never_sends_are_bad_requests(
    world: FuzzWorld, where: tuple[Any, ...], value: Any
) -> None:
    payload = edited(modal(world, "view_submission", ids.CASE_INTAKE_MODAL, JOKE), [(where, value)])
    response = world.post_interaction(payload)
    assert_answered_without_failing(world, response)
    assert response.status == 400


@pytest.mark.parametrize(
    ("event", "where", "value"),
    [
        ("reply", ("event", "thread_ts"), 1.5),
        ("reaction", ("event", "item", "ts"), []),
        ("joined", ("event", "user"), {"id": 5}),
        ("home", ("event", "tab"), None),
        ("edited", ("event", "message"), "x"),
    ],
)
def test_events_slack_never_sends_are_bad_requests(
    world: FuzzWorld, event: str, where: tuple[Any, ...], value: Any
) -> None:
    payload = edited(callback(world, events(world)[event]), [(where, value)])
    response = world.post_signed(json.dumps(payload).encode(), "application/json")
    assert_answered_without_failing(world, response)
    assert response.status == 400


def test_a_reaction_without_its_item_is_acknowledged(world: FuzzWorld) -> None:
    # Slack always says what was reacted to; without it there is nothing to count, and nothing fails.
    payload = edited(callback(world, events(world)["reaction"]), [(("event", "item"), DROPPED)])
    response = world.post_signed(json.dumps(payload).encode(), "application/json")
    assert_answered_without_failing(world, response)
    assert response.status == 200


# ---------------------------------------------------------------------- fuzzed


@FUZZ
@given(
    pressed=WHERE_PRESSED,
    user_id=st.sampled_from((FACILITATOR, JOKE)),
    element=st.sampled_from(sorted(ELEMENTS)),
    changes=edits(CLICK_PATHS),
)
@example(
    pressed=("message", ids.CaseActions.RECOGNISE),
    user_id=JOKE,
    element="button",
    changes=[(("actions", FIRST, "action_id"), DROPPED)],
)
def test_a_click_of_any_shape_gets_no_5xx_and_no_listener_fails(
    world: FuzzWorld, pressed: tuple[str, str], user_id: str, element: str, changes: list[Edit]
) -> None:
    surface, action_id = pressed
    response = world.post_interaction(edited(click(world, surface, user_id, action_id, element), changes))
    hypothesis.event(f"answered {response.status}")
    assert_answered_without_failing(world, response)


@FUZZ
@given(
    kind=st.sampled_from(("view_submission", "view_closed")),
    callback_id=st.sampled_from(MODAL_CALLBACK_IDS),
    user_id=st.sampled_from((FACILITATOR, JOKE)),
    changes=edits(MODAL_PATHS),
)
def test_a_modal_of_any_shape_gets_no_5xx_and_no_listener_fails(
    world: FuzzWorld, kind: str, callback_id: str, user_id: str, changes: list[Edit]
) -> None:
    response = world.post_interaction(edited(modal(world, kind, callback_id, user_id), changes))
    hypothesis.event(f"answered {response.status}")
    assert_answered_without_failing(world, response)


@FUZZ
@given(
    event=st.sampled_from(("joined", "left", "reaction", "unreaction", "reply", "message", "home", "edited")),
    changes=edits(CALLBACK_PATHS),
)
def test_an_event_of_any_shape_gets_no_5xx_and_no_listener_fails(
    world: FuzzWorld, event: str, changes: list[Edit]
) -> None:
    payload = edited(callback(world, events(world)[event]), changes)
    response = world.post_signed(json.dumps(payload).encode(), "application/json")
    hypothesis.event(f"answered {response.status}")
    assert_answered_without_failing(world, response)
