"""Plays Slack towards the app: signed slash commands, interactivity and Events API callbacks over HTTP.

The payloads carry every field Slack sends (see slackref/bolt_python_payloads and java_sdk_shapes);
trigger_ids and response_urls come from the emulator, so what the app does with them lands there.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import itertools
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from bot.sandbox.blockkit import elements_of
from bot.sandbox.blockkit import options_of
from bot.sandbox.emulator import SlackEmulator

JsonDict = dict[str, Any]

ACK_DEADLINE_SECONDS = 3.0
SLACK_USER_AGENT = "Slackbot 1.0 (+https://api.slack.com/robots)"

_VALUE_TYPES = frozenset({"plain_text_input", "email_text_input", "url_text_input", "number_input"})
_ONE_OPTION_TYPES = frozenset({"static_select", "external_select", "radio_buttons", "overflow"})
_MANY_OPTIONS_TYPES = frozenset({"multi_static_select", "multi_external_select", "checkboxes"})
_SELECTED_KEYS = {
    "users_select": ("selected_user", "initial_user"),
    "multi_users_select": ("selected_users", "initial_users"),
    "conversations_select": ("selected_conversation", "initial_conversation"),
    "multi_conversations_select": ("selected_conversations", "initial_conversations"),
    "channels_select": ("selected_channel", "initial_channel"),
    "multi_channels_select": ("selected_channels", "initial_channels"),
    "datepicker": ("selected_date", "initial_date"),
    "timepicker": ("selected_time", "initial_time"),
    "datetimepicker": ("selected_date_time", "initial_date_time"),
}
_STATEFUL_TYPES = (
    _VALUE_TYPES | _ONE_OPTION_TYPES | _MANY_OPTIONS_TYPES | frozenset(_SELECTED_KEYS) | {"rich_text_input"}
) - {"overflow"}


@dataclass(frozen=True)
class DriverResponse:
    """The app's HTTP answer; ``request`` is the payload the driver sent (form fields or JSON).

    ``problems`` lists what Slack would have held against the answer (too slow, a view it refuses, ...).
    """

    status: int
    headers: dict[str, str]
    body: str
    request: JsonDict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    elapsed: float = 0.0

    def json(self) -> Any | None:
        if not self.body.strip():
            return None
        try:
            return json.loads(self.body)
        except json.JSONDecodeError:
            return None


class SlackDriver:
    """Sends what Slack sends to ``app_url`` (e.g. ``http://127.0.0.1:3000/slack/events``), signed."""

    def __init__(
        self,
        app_url: str,
        signing_secret: str,
        emulator: SlackEmulator,
        clock: Callable[[], float] = time.time,
        *,
        verification_token: str = "sandbox-verification-token",
        timeout: float = 30.0,
        ack_deadline: float = ACK_DEADLINE_SECONDS,
        team_id: str | None = None,
    ) -> None:
        """`team_id`: the workspace everything is sent from (default: the emulator's own)."""
        self.app_url = app_url
        self._team_id = team_id
        self.signing_secret = signing_secret
        self.emulator = emulator
        self.clock = clock
        self.verification_token = verification_token
        self.timeout = timeout
        self.ack_deadline = ack_deadline
        self._lock = threading.Lock()
        self._event_numbers = itertools.count(1)
        self._envelopes: dict[str, JsonDict] = {}
        self._last_event_id: str | None = None
        # What people typed into each open view: Slack keeps it across submissions answered with errors.
        self._typed: dict[str, dict[str, dict[str, Any]]] = {}

    @property
    def team_id(self) -> str:
        return self._team_id or self.emulator.team_id

    def for_team(self, team_id: str) -> SlackDriver:
        """A driver sending as from another workspace of the emulator, to the same app."""
        return SlackDriver(
            self.app_url,
            self.signing_secret,
            self.emulator,
            self.clock,
            verification_token=self.verification_token,
            timeout=self.timeout,
            ack_deadline=self.ack_deadline,
            team_id=team_id,
        )

    # ------------------------------------------------------------------ signing and sending

    def sign(self, body: bytes, timestamp: int) -> str:
        base = f"v0:{timestamp}:".encode() + body
        return "v0=" + hmac.new(self.signing_secret.encode(), base, hashlib.sha256).hexdigest()

    def post_raw(self, body: bytes, headers: Mapping[str, str]) -> DriverResponse:
        """Send bytes with exactly these headers (no signature added): for bad or stale signatures."""
        return self._post(body, dict(headers), request={})

    def _send(
        self,
        body: bytes,
        content_type: str,
        *,
        request: JsonDict,
        timestamp: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> DriverResponse:
        stamp = int(self.clock()) if timestamp is None else timestamp
        headers = {
            "Content-Type": content_type,
            "User-Agent": SLACK_USER_AGENT,
            "X-Slack-Request-Timestamp": str(stamp),
            "X-Slack-Signature": self.sign(body, stamp),
            **(extra_headers or {}),
        }
        return self._post(body, headers, request=request)

    def _post(self, body: bytes, headers: dict[str, str], *, request: JsonDict) -> DriverResponse:
        outgoing = urllib.request.Request(self.app_url, data=body, headers=headers, method="POST")
        began = time.monotonic()
        try:
            with urllib.request.urlopen(outgoing, timeout=self.timeout) as answer:
                status, answer_headers, text = answer.status, dict(answer.headers.items()), answer.read()
        except urllib.error.HTTPError as error:
            status, answer_headers, text = error.code, dict(error.headers.items()), error.read()
        elapsed = time.monotonic() - began
        problems = []
        if elapsed > self.ack_deadline:
            problems.append(f"answered after {elapsed:.2f} s; Slack gives up after {self.ack_deadline:g} s")
        return DriverResponse(
            status, answer_headers, text.decode("utf-8", "replace"), request, problems, elapsed
        )

    def _send_form(self, fields: JsonDict, *, timestamp: int | None) -> DriverResponse:
        body = urlencode(fields).encode()
        return self._send(body, "application/x-www-form-urlencoded", request=fields, timestamp=timestamp)

    def _send_interaction(self, payload: JsonDict, *, timestamp: int | None) -> DriverResponse:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self._send(body, "application/x-www-form-urlencoded", request=payload, timestamp=timestamp)

    # ------------------------------------------------------------------ workspace facts

    def _user_name(self, user_id: str) -> str:
        user = self.emulator.users.get(user_id)
        return user["name"] if user else user_id

    def _channel_name(self, channel_id: str) -> str:
        channel = self.emulator.channels.get(channel_id)
        if channel_id.startswith("D") or (channel and channel.get("is_im")):
            return "directmessage"
        if channel is None:
            return channel_id
        # Slack names private channels "privategroup" in slash commands.
        return "privategroup" if channel.get("is_private") else channel["name"]

    def _team(self) -> JsonDict:
        return {"id": self.team_id, "domain": self.emulator.team_domain}

    def _user(self, user_id: str) -> JsonDict:
        name = self._user_name(user_id)
        return {"id": user_id, "username": name, "name": name, "team_id": self.team_id}

    # ------------------------------------------------------------------ slash commands

    def slash_command(
        self,
        text: str = "",
        *,
        command: str = "/netwerk",
        user_id: str,
        channel_id: str,
        timestamp: int | None = None,
        team_id: str | None = None,
    ) -> DriverResponse:
        """``team_id`` sends the command as from another workspace (default: the emulator's own)."""
        fields = {
            "token": self.verification_token,
            "team_id": team_id or self.team_id,
            "team_domain": self.emulator.team_domain,
            "channel_id": channel_id,
            "channel_name": self._channel_name(channel_id),
            "user_id": user_id,
            "user_name": self._user_name(user_id),
            "command": command,
            "text": text,
            "api_app_id": self.emulator.app_id,
            "is_enterprise_install": "false",
            "response_url": self.emulator.new_response_url(channel_id, user_id),
            "trigger_id": self.emulator.new_trigger_id(user_id),
        }
        return self._send_form(fields, timestamp=timestamp)

    # ------------------------------------------------------------------ interactivity

    def block_action(
        self,
        *,
        user_id: str,
        action_id: str,
        value: Any = None,
        block_id: str | None = None,
        channel_id: str | None = None,
        message_ts: str | None = None,
        view_id: str | None = None,
        selected_option: str | None = None,
        values: Mapping[str, Mapping[str, Any]] | None = None,
        timestamp: int | None = None,
    ) -> DriverResponse:
        """Click or choose in a message (``channel_id`` + ``message_ts``) or a view (``view_id``).

        ``value`` is what the person chose, read by the element's type as in ``submit_view``
        (a button sends its own value unless one is given); ``selected_option`` is the same for selects.
        A value that is not an option in the view is sent anyway, as a forged request would, and named
        in ``problems``.
        ``values`` are other inputs already filled in, for the payload's ``state``.
        """
        payload: JsonDict = {
            "type": "block_actions",
            "user": self._user(user_id),
            "api_app_id": self.emulator.app_id,
            "token": self.verification_token,
            "container": {},
            "trigger_id": self.emulator.new_trigger_id(user_id),
            "team": self._team(),
            "enterprise": None,
            "is_enterprise_install": False,
        }
        blocks, view = self._action_container(payload, view_id, channel_id, message_ts)
        chosen = selected_option if selected_option is not None else value
        block, element = _find_element(blocks, action_id, block_id)
        if view_id is not None:
            entered = self._remember_typed(view_id, values or {})
        else:
            entered = {bid: dict(actions) for bid, actions in (values or {}).items()}
        action: JsonDict = {"action_id": action_id, "block_id": block["block_id"]}
        if element.get("type") in _STATEFUL_TYPES:
            entered.setdefault(block["block_id"], {})[action_id] = chosen
            action.update(_state_entry(element, chosen))
        else:
            action.update(_click_entry(element, chosen))
        action["action_ts"] = f"{self.clock():.6f}"
        state = {"values": _state_values(blocks, entered)}
        if view_id is not None:
            payload["view"] = {**view, "state": state}
        else:
            payload["state"] = state
            payload["response_url"] = self.emulator.new_response_url(
                channel_id or "", user_id, message_ts=message_ts
            )
        payload["actions"] = [action]
        response = self._send_interaction(payload, timestamp=timestamp)
        return replace(response, problems=_forged_choices(blocks, entered) + response.problems)

    def message_shortcut(
        self,
        *,
        user_id: str,
        callback_id: str,
        channel_id: str,
        message_ts: str,
        timestamp: int | None = None,
    ) -> DriverResponse:
        """Use a message shortcut (``callback_id``) on a stored message, as Slack sends it: the whole
        message, where it is, a trigger_id to open a modal with and a response_url to answer on."""
        message, is_ephemeral = self._find_message(channel_id, message_ts)
        if is_ephemeral:
            raise ValueError("Slack offers no message shortcuts on an ephemeral message")
        payload: JsonDict = {
            "type": "message_action",
            "token": self.verification_token,
            "action_ts": f"{self.clock():.6f}",
            "team": self._team(),
            "user": self._user(user_id),
            "channel": {"id": channel_id, "name": self._channel_name(channel_id)},
            "is_enterprise_install": False,
            "enterprise": None,
            "callback_id": callback_id,
            "trigger_id": self.emulator.new_trigger_id(user_id),
            "response_url": self.emulator.new_response_url(channel_id, user_id),
            "message_ts": message_ts,
            "message": message,
        }
        return self._send_interaction(payload, timestamp=timestamp)

    def _action_container(
        self, payload: JsonDict, view_id: str | None, channel_id: str | None, message_ts: str | None
    ) -> tuple[list[JsonDict], JsonDict]:
        """Say in ``payload`` where the action happened; the blocks there, and the view ({} for a message)."""
        if view_id is not None:
            record = self.emulator.view(view_id)
            if record is None:
                raise LookupError(f"the emulator has no view {view_id}")
            payload["container"] = {"type": "view", "view_id": view_id}
            return record["view"].get("blocks", []), record["view"]
        if channel_id is None or message_ts is None:
            raise ValueError("give channel_id and message_ts, or view_id")
        message, is_ephemeral = self._find_message(channel_id, message_ts)
        payload["container"] = {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel_id,
            "is_ephemeral": is_ephemeral,
        }
        if message.get("thread_ts"):
            payload["container"]["thread_ts"] = message["thread_ts"]
        payload["channel"] = {"id": channel_id, "name": self._channel_name(channel_id)}
        if not is_ephemeral:
            payload["message"] = message
        return message.get("blocks", []), {}

    def _find_message(self, channel_id: str, ts: str) -> tuple[JsonDict, bool]:
        message = self.emulator.message(channel_id, ts, raw=True)
        if message is not None:
            return message, False
        for ephemeral in self.emulator.ephemerals(channel_id):
            if ephemeral["ts"] == ts:
                return ephemeral, True
        raise LookupError(f"the emulator has no message {ts} in {channel_id}")

    def submit_view(
        self,
        user_id: str,
        values: Mapping[str, Mapping[str, Any]] | None = None,
        *,
        view_id: str | None = None,
        timestamp: int | None = None,
    ) -> DriverResponse:
        """Submit the user's open view (or ``view_id``) with ``values``: block_id -> action_id -> entry.

        Inputs left out keep what was entered before in this view (as Slack keeps it after an
        ``errors`` answer), else their initial value, else nothing.

        What the app answers is applied to the emulator's modal stack as Slack would (see
        ``SlackEmulator.resolve_view_submission``); what Slack would refuse is in ``problems``.
        """
        if view_id is None:
            open_view = self.emulator.open_view(user_id)
            if open_view is None:
                raise LookupError(f"{user_id} has no open view to submit")
            view = open_view
        else:
            record = self.emulator.view(view_id)
            if record is None:
                raise LookupError(f"the emulator has no view {view_id}")
            view = record["view"]
        _check_values_fit(view.get("blocks", []), values or {})
        entered = self._remember_typed(view["id"], values or {})
        state = {"values": _state_values(view.get("blocks", []), entered)}
        payload: JsonDict = {
            "type": "view_submission",
            "team": self._team(),
            "user": self._user(user_id),
            "api_app_id": self.emulator.app_id,
            "token": self.verification_token,
            "trigger_id": self.emulator.new_trigger_id(user_id),
            "view": {**view, "state": state},
            "response_urls": [],
            "is_enterprise_install": False,
            "enterprise": None,
        }
        response = self._send_interaction(payload, timestamp=timestamp)
        problems = list(response.problems)
        if problems:
            problems.append("Slack keeps the view open and shows an error")
        elif not 200 <= response.status < 300:
            problems.append(f"the app answered HTTP {response.status}; Slack keeps the view open")
        else:
            answer = response.json()
            problems += self.emulator.resolve_view_submission(
                view["id"], answer if isinstance(answer, dict) else None
            )
        still_open = self.emulator.view(view["id"])
        if still_open is None or not still_open["open"]:
            with self._lock:
                self._typed.pop(view["id"], None)
        forged = _forged_choices(view.get("blocks", []), values or {})
        return replace(response, problems=forged + problems)

    def _remember_typed(
        self, view_id: str, values: Mapping[str, Mapping[str, Any]]
    ) -> dict[str, dict[str, Any]]:
        with self._lock:
            typed = self._typed.setdefault(view_id, {})
            for block_id, actions in values.items():
                typed.setdefault(block_id, {}).update(actions)
            return {block_id: dict(actions) for block_id, actions in typed.items()}

    def close_view(
        self, user_id: str, view_id: str | None = None, *, clear: bool = False, timestamp: int | None = None
    ) -> DriverResponse:
        """The user closes a modal; Slack only tells the app (view_closed) when ``notify_on_close`` is set."""
        view = self.emulator.close_view(user_id, view_id, clear=clear)
        if view is None:
            raise LookupError(f"{user_id} has no such open view")
        if not view.get("notify_on_close"):
            return DriverResponse(0, {}, "", {}, ["notify_on_close is false: Slack sends no view_closed"])
        payload: JsonDict = {
            "type": "view_closed",
            "team": self._team(),
            "user": self._user(user_id),
            "api_app_id": self.emulator.app_id,
            "token": self.verification_token,
            "view": view,
            "is_cleared": clear,
            "is_enterprise_install": False,
            "enterprise": None,
        }
        return self._send_interaction(payload, timestamp=timestamp)

    # ------------------------------------------------------------------ Events API

    def event(
        self,
        event: JsonDict,
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
        timestamp: int | None = None,
    ) -> DriverResponse:
        """Deliver one event in an ``event_callback`` envelope, as Slack does."""
        with self._lock:
            event_id = event_id or f"Ev{next(self._event_numbers):08d}SBX"
            envelope = self._envelope(event, event_id)
            self._envelopes[event_id] = envelope
            self._last_event_id = event_id
        return self._deliver(envelope, retry_num=retry_num, retry_reason=retry_reason, timestamp=timestamp)

    def redeliver(
        self,
        event_id: str | None = None,
        *,
        retry_num: int = 1,
        retry_reason: str = "http_timeout",
        timestamp: int | None = None,
    ) -> DriverResponse:
        """Send an event again, same envelope and event_id, with Slack's retry headers."""
        with self._lock:
            chosen = event_id or self._last_event_id
            if chosen is None or chosen not in self._envelopes:
                raise LookupError("no such event was delivered")
            envelope = self._envelopes[chosen]
        return self._deliver(envelope, retry_num=retry_num, retry_reason=retry_reason, timestamp=timestamp)

    def _deliver(
        self, envelope: JsonDict, *, retry_num: int | None, retry_reason: str, timestamp: int | None
    ) -> DriverResponse:
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason}
        body = json.dumps(envelope).encode()
        return self._send(
            body, "application/json", request=envelope, timestamp=timestamp, extra_headers=headers
        )

    def _envelope(self, event: JsonDict, event_id: str) -> JsonDict:
        emulator = self.emulator
        context = {"team_id": self.team_id, "app_id": emulator.app_id, "event_id": event_id}
        return {
            "token": self.verification_token,
            "team_id": self.team_id,
            "context_team_id": self.team_id,
            "context_enterprise_id": None,
            "api_app_id": emulator.app_id,
            "event": copy.deepcopy(event),
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(self.clock()),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": self.team_id,
                    "user_id": emulator.bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
            "event_context": "4-"
            + base64.urlsafe_b64encode(json.dumps(context).encode()).decode().rstrip("="),
        }

    def url_verification(self, challenge: str, *, timestamp: int | None = None) -> DriverResponse:
        payload = {"token": self.verification_token, "challenge": challenge, "type": "url_verification"}
        return self._send(
            json.dumps(payload).encode(), "application/json", request=payload, timestamp=timestamp
        )

    def join_channel(self, user_id: str, channel_id: str, *, inviter: str | None = None) -> DriverResponse:
        """A person joins: the emulator's membership changes and the app gets member_joined_channel."""
        self.emulator.join(channel_id, user_id)
        return self.event(self.member_joined_channel(user_id, channel_id, inviter=inviter))

    def leave_channel(self, user_id: str, channel_id: str) -> DriverResponse:
        self.emulator.leave(channel_id, user_id)
        return self.event(self.member_left_channel(user_id, channel_id))

    # ------------------------------------------------------------------ event builders (the event only)

    def _event_ts(self) -> str:
        return f"{self.clock():.6f}"

    def _channel_type_letter(self, channel_id: str) -> str:
        channel = self.emulator.channels.get(channel_id)
        return "G" if (channel and channel.get("is_private")) or channel_id.startswith("G") else "C"

    def _message_channel_type(self, channel_id: str) -> str:
        channel = self.emulator.channels.get(channel_id) or {}
        if channel_id.startswith("D") or channel.get("is_im"):
            return "im"
        return "group" if channel.get("is_private") else "channel"

    def member_joined_channel(self, user_id: str, channel_id: str, *, inviter: str | None = None) -> JsonDict:
        event: JsonDict = {
            "type": "member_joined_channel",
            "user": user_id,
            "channel": channel_id,
            "channel_type": self._channel_type_letter(channel_id),
            "team": self.team_id,
            "event_ts": self._event_ts(),
        }
        if inviter is not None:
            event["inviter"] = inviter
        return event

    def member_left_channel(self, user_id: str, channel_id: str) -> JsonDict:
        return {
            "type": "member_left_channel",
            "user": user_id,
            "channel": channel_id,
            "channel_type": self._channel_type_letter(channel_id),
            "team": self.team_id,
            "event_ts": self._event_ts(),
        }

    def reaction_added(self, user_id: str, reaction: str, channel_id: str, ts: str) -> JsonDict:
        return self._reaction_event("reaction_added", user_id, reaction, channel_id, ts)

    def reaction_removed(self, user_id: str, reaction: str, channel_id: str, ts: str) -> JsonDict:
        return self._reaction_event("reaction_removed", user_id, reaction, channel_id, ts)

    def _reaction_event(self, kind: str, user_id: str, reaction: str, channel_id: str, ts: str) -> JsonDict:
        event: JsonDict = {
            "type": kind,
            "user": user_id,
            "reaction": reaction,
            "item": {"type": "message", "channel": channel_id, "ts": ts},
            "event_ts": self._event_ts(),
        }
        message = self.emulator.message(channel_id, ts) if channel_id in self.emulator.channels else None
        if message is not None and message.get("user"):
            event["item_user"] = message["user"]
        return event

    def message(
        self, user_id: str, channel_id: str, text: str, thread_ts: str | None = None, *, ts: str | None = None
    ) -> JsonDict:
        """A person's message event; store it too with ``emulator.add_message`` and pass its ``ts``."""
        message_ts = ts or self._event_ts()
        event: JsonDict = {
            "client_msg_id": _uuid_from(f"{channel_id}/{message_ts}"),
            "type": "message",
            "text": text,
            "user": user_id,
            "ts": message_ts,
            "blocks": [
                {
                    "type": "rich_text",
                    "block_id": message_ts.replace(".", "")[-4:],
                    "elements": [{"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}],
                }
            ],
            "team": self.team_id,
            "channel": channel_id,
            "event_ts": message_ts,
            "channel_type": self._message_channel_type(channel_id),
        }
        if thread_ts is not None:
            event["thread_ts"] = thread_ts
            parent = (
                self.emulator.message(channel_id, thread_ts) if channel_id in self.emulator.channels else None
            )
            if parent is not None:
                event["parent_user_id"] = parent.get("user")
        return event

    def message_changed(self, channel_id: str, message: JsonDict, text: str) -> JsonDict:
        """Slack's event when a person edits `message` (as stored, or as `message` sent it) to `text`."""
        event_ts = self._event_ts()
        edited = {**message, "text": text, "edited": {"user": message.get("user"), "ts": event_ts}}
        return self._message_subtype_event(
            "message_changed", channel_id, event_ts, message=edited, previous_message=message
        )

    def message_deleted(self, channel_id: str, message: JsonDict) -> JsonDict:
        """Slack's event when a person deletes `message` (as stored, or as `message` sent it)."""
        event_ts = self._event_ts()
        return self._message_subtype_event(
            "message_deleted", channel_id, event_ts, deleted_ts=message["ts"], previous_message=message
        )

    def _message_subtype_event(self, subtype: str, channel_id: str, event_ts: str, **fields: Any) -> JsonDict:
        return {
            "type": "message",
            "subtype": subtype,
            "hidden": True,
            "channel": channel_id,
            "ts": event_ts,
            "event_ts": event_ts,
            "channel_type": self._message_channel_type(channel_id),
            **fields,
        }

    def app_home_opened(self, user_id: str, tab: str = "home") -> JsonDict:
        event: JsonDict = {
            "type": "app_home_opened",
            "user": user_id,
            "channel": self.emulator.dm_channel_id(user_id),
            "tab": tab,
            "event_ts": self._event_ts(),
        }
        home = self.emulator.home_view(user_id)
        if tab == "home" and home is not None:
            event["view"] = home
        return event


def _uuid_from(seed: str) -> str:
    digest = hashlib.sha256(seed.encode()).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"


def _find_element(
    blocks: Sequence[JsonDict], action_id: str, block_id: str | None
) -> tuple[JsonDict, JsonDict]:
    for block in blocks:
        if block_id is not None and block.get("block_id") != block_id:
            continue
        for element in elements_of(block):
            if element.get("action_id") == action_id:
                return block, element
    where = f" in block {block_id}" if block_id else ""
    raise LookupError(f"no element with action_id {action_id!r}{where}")


def _check_values_fit(blocks: Sequence[JsonDict], values: Mapping[str, Mapping[str, Any]]) -> None:
    """A value for an input the view does not have is a mistake in the test, not something Slack can send."""
    known = {
        (block.get("block_id"), element.get("action_id"))
        for block in blocks
        for element in elements_of(block)
        if element.get("type") in _STATEFUL_TYPES
    }
    for block_id, actions in values.items():
        for action_id in actions:
            if (block_id, action_id) not in known:
                raise LookupError(f"the view has no input {block_id}/{action_id}")


def _state_values(blocks: Sequence[JsonDict], entered: Mapping[str, Mapping[str, Any]]) -> JsonDict:
    """Slack's ``state.values``: every stateful element, with what was entered or its initial value."""
    values: JsonDict = {}
    for block in blocks:
        block_id = block.get("block_id", "")
        for element in elements_of(block):
            if element.get("type") not in _STATEFUL_TYPES:
                continue
            action_id = element.get("action_id", "")
            given = entered.get(block_id, {})
            entry = _state_entry(element, given[action_id]) if action_id in given else _initial_entry(element)
            values.setdefault(block_id, {})[action_id] = entry
    return values


def _state_entry(element: JsonDict, chosen: Any) -> JsonDict:
    element_type = element["type"]
    entry: JsonDict = {"type": element_type}
    if element_type in _VALUE_TYPES:
        entry["value"] = None if chosen is None else str(chosen)
    elif element_type in _ONE_OPTION_TYPES:
        entry["selected_option"] = None if chosen is None else _option(element, chosen)
    elif element_type in _MANY_OPTIONS_TYPES:
        entry["selected_options"] = [_option(element, item) for item in (chosen or [])]
    elif element_type in _SELECTED_KEYS:
        entry[_SELECTED_KEYS[element_type][0]] = chosen
    elif element_type == "rich_text_input":
        entry["rich_text_value"] = {
            "type": "rich_text",
            "elements": [
                {"type": "rich_text_section", "elements": [{"type": "text", "text": str(chosen or "")}]}
            ],
        }
    return entry


def _initial_entry(element: JsonDict) -> JsonDict:
    element_type = element["type"]
    entry: JsonDict = {"type": element_type}
    if element_type in _VALUE_TYPES:
        initial = element.get("initial_value")
        entry["value"] = None if initial is None else str(initial)
    elif element_type in _ONE_OPTION_TYPES:
        initial = element.get("initial_option")
        entry["selected_option"] = _option(element, initial["value"]) if initial else None
    elif element_type in _MANY_OPTIONS_TYPES:
        entry["selected_options"] = [
            _option(element, o["value"]) for o in element.get("initial_options") or []
        ]
    elif element_type in _SELECTED_KEYS:
        selected_key, initial_key = _SELECTED_KEYS[element_type]
        default: Any = [] if selected_key.endswith("s") else None
        entry[selected_key] = element.get(initial_key, default)
    elif element_type == "rich_text_input":
        entry["rich_text_value"] = element.get("initial_value") or {"type": "rich_text", "elements": []}
    return entry


def _click_entry(element: JsonDict, chosen: Any) -> JsonDict:
    entry: JsonDict = {"type": element.get("type")}
    if element.get("type") == "button":
        entry["text"] = element.get("text")
        entry["value"] = chosen if chosen is not None else element.get("value")
        if element.get("style"):
            entry["style"] = element["style"]
    elif element.get("type") == "overflow":
        entry["selected_option"] = _option(element, chosen)
    elif chosen is not None:
        entry["value"] = chosen
    return entry


def _option(element: JsonDict, chosen: Any) -> JsonDict:
    """The option a person picked, as Slack reports it (text and value from the view)."""
    if isinstance(chosen, dict):
        return chosen
    options = options_of(element)
    if element.get("type") in ("external_select", "multi_external_select") and not options:
        return {"text": {"type": "plain_text", "text": str(chosen)}, "value": str(chosen)}
    for option in options:
        if option.get("value") == chosen:
            picked = {"text": option["text"], "value": option["value"]}
            if option.get("description") is not None:
                picked["description"] = option["description"]
            return picked
    # Not in the view: what a forged request would carry (``_forged_choices`` names it).
    return {"text": {"type": "plain_text", "text": str(chosen)}, "value": str(chosen)}


def _forged_choices(blocks: Sequence[JsonDict], entered: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Chosen values that are not options in the view: Slack never sends those, an attacker might."""
    notes: list[str] = []
    for block in blocks:
        block_id = block.get("block_id", "")
        for element in elements_of(block):
            kind = element.get("type")
            action_id = element.get("action_id", "")
            chosen = entered.get(block_id, {}).get(action_id)
            if chosen is None or kind not in _ONE_OPTION_TYPES | _MANY_OPTIONS_TYPES:
                continue
            options = options_of(element)
            if not options:
                continue
            known = {option.get("value") for option in options}
            for pick in chosen if kind in _MANY_OPTIONS_TYPES else [chosen]:
                if not isinstance(pick, dict) and pick not in known:
                    notes.append(
                        f"{block_id}/{action_id}: {pick!r} is not an option in the view (a forged request)"
                    )
    return notes
