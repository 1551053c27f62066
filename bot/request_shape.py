"""The shape of what Slack sends: the fields Bolt's matchers and our listeners read, with their types.

Bolt reads `actions[0]["action_id"]`, `view["callback_id"]` and `event["type"]` without asking whether they
are there, and our listeners read ids, values and private_metadata trusting their types. A signed body that
breaks that shape was not sent by Slack as Slack documents it: the web layer answers it with a 400 before
Bolt sees it, so nothing downstream has to guard against it. Fields that Slack sends only sometimes are
checked only when present; fields nobody reads are not checked at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Mapping
from typing import Any

from bot.views import ids
from bot.views.cases import CaseModalContext
from bot.views.cases import SourcedIntakeContext
from bot.views.checkins import AnswerModalContext
from bot.views.checkins import EvaluationModalContext
from bot.views.checkins import NetworkModalContext
from bot.views.common import ChannelModalContext
from bot.views.common import ModalContext
from bot.views.follow_ups import FollowUpModalContext
from bot.views.journey import JourneyModalContext
from bot.views.safe import GuestsContext
from bot.views.thermometer import ThermometerModalContext
from bot.views.wrap_up import LookBackModalContext

Shape = Callable[[Any, str], str | None]
"""Checks a value found at a path; returns what is wrong with it, or None."""


def _kind(*types: type) -> Shape:
    names = " or ".join(t.__name__ for t in types)

    def check(value: Any, path: str) -> str | None:
        return None if isinstance(value, types) else f"{path} is not {names}"

    return check


def _nullable(shape: Shape) -> Shape:
    return lambda value, path: None if value is None else shape(value, path)


def _either(first: Shape, second: Shape) -> Shape:
    return lambda value, path: first(value, path) and second(value, path)


def _list_of(item: Shape, *, at_least: int = 0) -> Shape:
    def check(value: Any, path: str) -> str | None:
        if not isinstance(value, list) or len(value) < at_least:
            return f"{path} is not a list of at least {at_least}"
        return next(filter(None, (item(v, f"{path}[{i}]") for i, v in enumerate(value))), None)

    return check


def _dict_of(item: Shape) -> Shape:
    def check(value: Any, path: str) -> str | None:
        if not isinstance(value, dict):
            return f"{path} is not an object"
        return next(filter(None, (item(v, f"{path}.{k}") for k, v in value.items())), None)

    return check


def _object(
    required: Mapping[str, Shape] | None = None, optional: Mapping[str, Shape] | None = None
) -> Shape:
    def check(value: Any, path: str) -> str | None:
        if not isinstance(value, dict):
            return f"{path} is not an object"
        for name, shape in (required or {}).items():
            problem = (
                f"{path}.{name} is missing" if name not in value else shape(value[name], f"{path}.{name}")
            )
            if problem:
                return problem
        for name, shape in (optional or {}).items():
            problem = shape(value[name], f"{path}.{name}") if name in value else None
            if problem:
                return problem
        return None

    return check


def _matching(pattern: str, what: str) -> Shape:
    compiled = re.compile(pattern)

    def check(value: Any, path: str) -> str | None:
        return None if isinstance(value, str) and compiled.fullmatch(value) else f"{path} is not {what}"

    return check


_TEXT = _kind(str)
_OBJECT = _object()
_ID = _matching(r"[A-Z0-9]+", "a Slack id")
"""Users, teams, channels, apps: upper-case letters and digits (U0ELS, T0123, C0NETWERK, D0ELS)."""
_TS = _matching(r"[0-9]+\.[0-9]+", "a Slack timestamp")
_URL = _matching(r"https?://\S+", "a URL")
_OPTION = _object(required={"value": _TEXT})
_CHOSEN: dict[str, Shape] = {
    "value": _nullable(_TEXT),
    "selected_option": _nullable(_OPTION),
    "selected_options": _list_of(_OPTION),
    **{name: _nullable(_TEXT) for name in ("selected_user", "selected_channel", "selected_conversation")},
    **{name: _nullable(_TEXT) for name in ("selected_date", "selected_time")},
    **{name: _list_of(_TEXT) for name in ("selected_users", "selected_channels", "selected_conversations")},
}
"""What a person chose, in an action and in a view's state, by the field Slack puts it in."""

_STATE = _object(required={"values": _dict_of(_dict_of(_object(required={"type": _TEXT}, optional=_CHOSEN)))})
_VIEW = _object(
    required={"id": _ID, "type": _TEXT, "callback_id": _TEXT},
    optional={
        "private_metadata": _TEXT,
        "hash": _TEXT,
        "state": _STATE,
        "blocks": _list_of(_OBJECT),
        "team_id": _nullable(_ID),
        "app_installed_team_id": _nullable(_ID),
    },
)
_ACTION = _object(
    required={"action_id": _TEXT, "block_id": _TEXT, "type": _TEXT},
    optional={"action_ts": _TS, **_CHOSEN},
)
_MESSAGE = _object(
    optional={"ts": _TS, "thread_ts": _TS, "user": _ID, "text": _TEXT, "blocks": _list_of(_OBJECT)}
)
_EVENT = _object(
    required={"type": _TEXT},
    optional={
        # `user` and `channel` are objects in user_change and channel_rename, ids everywhere else.
        "user": _either(_ID, _object(required={"id": _ID})),
        "channel": _either(_ID, _object(required={"id": _ID})),
        "item": _object(optional={"type": _TEXT, "channel": _ID, "ts": _TS}),
        "message": _MESSAGE,
        "previous_message": _MESSAGE,
        "bot_id": _nullable(_ID),
        **{name: _TS for name in ("ts", "thread_ts", "event_ts")},
        **{name: _ID for name in ("team", "inviter")},
        **{name: _TEXT for name in ("subtype", "text", "tab", "reaction", "channel_type")},
    },
)
_AUTHORIZATION = _object(
    optional={"team_id": _nullable(_ID), "enterprise_id": _nullable(_ID), "user_id": _ID}
)
_ANY_PAYLOAD = _object(
    optional={
        "type": _TEXT,
        "user": _object(required={"id": _ID}, optional={"team_id": _nullable(_ID)}),
        "team": _nullable(_object(required={"id": _ID})),
        "enterprise": _nullable(_OBJECT),
        "channel": _object(required={"id": _ID}),
        "container": _object(
            required={"type": _TEXT},
            optional={"message_ts": _TS, "channel_id": _ID, "view_id": _ID, "thread_ts": _TS},
        ),
        "view": _VIEW,
        "message": _MESSAGE,
        "previous_message": _MESSAGE,
        "item": _OBJECT,
        "state": _STATE,
        "actions": _list_of(_ACTION),
        "event": _EVENT,
        "authorizations": _list_of(_AUTHORIZATION),
        "response_url": _URL,
        "response_urls": _list_of(_object(required={"response_url": _URL}, optional={"channel_id": _ID})),
        **{name: _ID for name in ("api_app_id", "team_id", "user_id", "channel_id")},
        **{name: _TEXT for name in ("trigger_id", "event_id")},
    }
)
_BY_TYPE: dict[str, Shape] = {
    "block_actions": _object(
        required={"user": _OBJECT, "actions": _list_of(_ACTION, at_least=1), "container": _OBJECT}
    ),
    "view_submission": _object(required={"user": _OBJECT, "view": _OBJECT}),
    "view_closed": _object(required={"user": _OBJECT, "view": _OBJECT}),
    "event_callback": _object(required={"event": _OBJECT}),
    "url_verification": _object(required={"challenge": _TEXT}),
    "shortcut": _object(required={"callback_id": _TEXT}),
    # A message shortcut always names the message it was used on, where it is, and how to answer.
    "message_action": _object(
        required={
            "callback_id": _TEXT,
            "user": _OBJECT,
            "channel": _OBJECT,
            "message": _object(required={"ts": _TS}, optional={"bot_id": _nullable(_ID), "subtype": _TEXT}),
            "trigger_id": _TEXT,
            "response_url": _URL,
        },
        optional={"message_ts": _TS},
    ),
    "block_suggestion": _object(required={"action_id": _TEXT, "block_id": _TEXT, "value": _TEXT}),
}

_CLICK_ON_A_MESSAGE = _object(required={"channel": _OBJECT, "response_url": _URL})

# What each of our modals keeps in its private_metadata; Slack hands it back as the modal was opened.
_MODAL_CONTEXTS: dict[str, type[ModalContext]] = {
    ids.START_NETWORK_MODAL: ChannelModalContext,
    ids.INTRO_MODAL: ChannelModalContext,
    ids.EXPECTATIONS_MODAL: ChannelModalContext,
    ids.AGREEMENTS_MODAL: ChannelModalContext,
    ids.CASE_INTAKE_MODAL: SourcedIntakeContext,
    ids.CASE_ADVICE_MODAL: CaseModalContext,
    ids.CASE_CLOSE_MODAL: CaseModalContext,
    ids.CHECKIN_ANSWER_MODAL: AnswerModalContext,
    ids.CHECKIN_SCHEDULE_MODAL: NetworkModalContext,
    ids.MEETING_PLAN_MODAL: NetworkModalContext,
    ids.MEETING_EVALUATION_MODAL: EvaluationModalContext,
    ids.SUMMARY_DIGEST_MODAL: NetworkModalContext,
    ids.FOLLOW_UP_ANSWER_MODAL: FollowUpModalContext,
    ids.JOURNEY_PLAN_MODAL: JourneyModalContext,
    ids.JOURNEY_SESSIONS_MODAL: JourneyModalContext,
    ids.THERMOMETER_ANSWER_MODAL: ThermometerModalContext,
    ids.CASE_ROUND_MODAL: CaseModalContext,
    ids.CASE_GUESTS_MODAL: GuestsContext,
    ids.PAIRS_MODAL: NetworkModalContext,
    ids.PAUSE_MODAL: NetworkModalContext,
    ids.WRAP_UP_MODAL: NetworkModalContext,
    ids.LOOK_BACK_MODAL: LookBackModalContext,
}


def _metadata_problem(view: dict[str, Any]) -> str | None:
    """A private_metadata our modal with this callback_id never carries: Slack returns it unchanged."""
    context = _MODAL_CONTEXTS.get(view["callback_id"])
    if context is None:
        return None
    try:
        context.decode(view.get("private_metadata", ""))
    except (ValueError, TypeError, OverflowError) as error:
        return f"payload.view.private_metadata does not hold a {context.__name__}: {error}"
    return None


def shape_problem(payload: Any) -> str | None:
    """What in a parsed request body is not shaped as Slack sends it (for the log), or None if nothing is."""
    if not isinstance(payload, dict):
        return "the body is not an object"
    if "command" in payload:
        # Slash commands come form-encoded: every field is text.
        return _dict_of(_TEXT)(payload, "command")
    problem = _ANY_PAYLOAD(payload, "payload")
    kind = payload.get("type")
    if problem is None and kind in _BY_TYPE:
        problem = _BY_TYPE[kind](payload, "payload")
    if problem is None and kind == "block_actions" and payload["container"].get("type") == "message":
        # A click on a message always comes with the channel and a response_url to answer it through.
        problem = _CLICK_ON_A_MESSAGE(payload, "payload")
    if problem is None and kind in ("view_submission", "view_closed"):
        problem = _metadata_problem(payload["view"])
    return problem
