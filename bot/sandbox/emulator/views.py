"""views.* and trigger_ids: modals (a stack of up to three per person) and App Home, as Slack keeps them."""

from __future__ import annotations

import copy
import zlib
from dataclasses import dataclass

from bot.sandbox._args import JsonDict
from bot.sandbox._args import SlackError
from bot.sandbox._args import arg_json
from bot.sandbox._args import arg_str
from bot.sandbox.blockkit import validate_view
from bot.sandbox.emulator.family import MethodFamily
from bot.sandbox.emulator.family import serves
from bot.sandbox.emulator.messages import error_messages
from bot.sandbox.emulator.workspace import Workspace

TRIGGER_TTL_SECONDS = 3.0
MODAL_STACK_MAX = 3


@dataclass
class _View:
    id: str
    user_id: str
    view: JsonDict
    is_open: bool


@dataclass
class _Trigger:
    user_id: str
    issued_at: float
    used: bool = False


class ViewsApi(MethodFamily):
    """Every view by id, each person's open modal stack (bottom first) and App Home, and the triggers."""

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self._views: dict[str, _View] = {}
        self._modal_stacks: dict[str, list[str]] = {}
        self._home_views: dict[str, str] = {}
        self._triggers: dict[str, _Trigger] = {}

    # ------------------------------------------------------------------ what tests and the driver see

    def new_trigger_id(self, user_id: str) -> str:
        ws = self._ws
        trigger_id = f"{ws.next_counter()}.{zlib.crc32(ws.team_id.encode())}.{ws.random_hex(32)}"
        self._triggers[trigger_id] = _Trigger(user_id=user_id, issued_at=ws.clock())
        return trigger_id

    def records(self) -> dict[str, JsonDict]:
        return {vid: _record(v) for vid, v in self._views.items()}

    def record(self, view_id: str) -> JsonDict | None:
        stored = self._views.get(view_id)
        return _record(stored) if stored else None

    def open_view(self, user_id: str) -> JsonDict | None:
        stack = self._modal_stacks.get(user_id)
        return copy.deepcopy(self._views[stack[-1]].view) if stack else None

    def modal_stack(self, user_id: str) -> list[JsonDict]:
        return [copy.deepcopy(self._views[vid].view) for vid in self._modal_stacks.get(user_id, [])]

    def home_view(self, user_id: str) -> JsonDict | None:
        view_id = self._home_views.get(user_id)
        return copy.deepcopy(self._views[view_id].view) if view_id else None

    # ------------------------------------------------------------------ what people do in Slack

    def resolve_submission(self, view_id: str, answer: JsonDict | None) -> list[str]:
        stored = self._views.get(view_id)
        if stored is None or not stored.is_open:
            return [f"view {view_id} is not open"]
        answer = answer or {}
        action = answer.get("response_action")
        if action is None or action == "clear":
            self._close_modal(stored.user_id, view_id, clear=action == "clear")
            return []
        if action == "errors":
            return _errors_problems(stored, answer.get("errors"))
        if action in ("update", "push"):
            return self._update_or_push(stored, action, answer.get("view"))
        return [f"unknown response_action {action!r}"]

    def close(self, user_id: str, view_id: str | None, *, clear: bool) -> JsonDict | None:
        stack = self._modal_stacks.get(user_id, [])
        target = view_id or (stack[-1] if stack else None)
        if target is None or target not in self._views:
            return None
        closed = copy.deepcopy(self._views[target].view)
        self._close_modal(user_id, target, clear=clear)
        return closed

    def _update_or_push(self, stored: _View, action: str, spec: object) -> list[str]:
        problems = validate_view(spec)
        if problems:
            return problems
        assert isinstance(spec, dict)
        now = self._ws.clock()
        if action == "update":
            self._replace_view(stored, spec, now)
            return []
        if len(self._modal_stacks.get(stored.user_id, [])) >= MODAL_STACK_MAX:
            return ["push_limit_reached"]
        self._push_modal(stored.user_id, spec, now)
        return []

    # ------------------------------------------------------------------ Web API

    @serves("views.open")
    def open(self, args: JsonDict, now: float) -> JsonDict:
        spec = self._view_spec(args)
        if spec.get("type") != "modal":
            raise SlackError("invalid_arguments", response_metadata=error_messages(["must be a modal"]))
        trigger = self._take_trigger(args, now)
        trigger.used = True
        # A new modal from outside a modal replaces whatever stack the user had open.
        for vid in list(self._modal_stacks.get(trigger.user_id, [])):
            self._views[vid].is_open = False
        self._modal_stacks.pop(trigger.user_id, None)
        return {"view": copy.deepcopy(self._push_modal(trigger.user_id, spec, now))}

    @serves("views.push")
    def push(self, args: JsonDict, now: float) -> JsonDict:
        spec = self._view_spec(args)
        trigger = self._take_trigger(args, now)
        stack = self._modal_stacks.get(trigger.user_id)
        if not stack:
            raise SlackError("not_found")
        if len(stack) >= MODAL_STACK_MAX:
            raise SlackError("push_limit_reached")
        trigger.used = True
        return {"view": copy.deepcopy(self._push_modal(trigger.user_id, spec, now))}

    @serves("views.update")
    def update(self, args: JsonDict, now: float) -> JsonDict:
        view_id = arg_str(args, "view_id")
        external_id = arg_str(args, "external_id")
        if not view_id and not external_id:
            raise SlackError("invalid_arguments")
        if view_id:
            stored = self._views.get(view_id)
        else:
            stored = next((v for v in self._views.values() if v.view.get("external_id") == external_id), None)
        if stored is None or not stored.is_open:
            raise SlackError("not_found")
        view_hash = arg_str(args, "hash")
        if view_hash and view_hash != stored.view["hash"]:
            raise SlackError("hash_conflict")
        self._replace_view(stored, _valid_view_arg(args), now)
        return {"view": copy.deepcopy(stored.view)}

    @serves("views.publish")
    def publish(self, args: JsonDict, now: float) -> JsonDict:
        user_id = arg_str(args, "user_id") or ""
        if user_id not in self._ws.users:
            raise SlackError("user_not_found")
        spec = self._view_spec(args)
        if spec.get("type") != "home":
            raise SlackError("invalid_arguments", response_metadata=error_messages(["must be a home view"]))
        view_id = self._home_views.get(user_id)
        view_hash = arg_str(args, "hash")
        if view_id and view_hash and view_hash != self._views[view_id].view["hash"]:
            raise SlackError("hash_conflict")
        view_id = view_id or self._ws.new_id("V")
        view = self._build_view(spec, view_id, now, root_view_id=None, previous_view_id=None)
        self._views[view_id] = _View(view_id, user_id, view, is_open=True)
        self._home_views[user_id] = view_id
        return {"view": copy.deepcopy(view)}

    # ------------------------------------------------------------------ the views and their stacks

    def _view_spec(self, args: JsonDict) -> JsonDict:
        """A valid new view; an external_id already on an open view raises duplicate_external_id."""
        spec = _valid_view_arg(args)
        external_id = spec.get("external_id")
        if external_id and any(
            v.view.get("external_id") == external_id for v in self._views.values() if v.is_open
        ):
            raise SlackError("duplicate_external_id")
        return spec

    def _take_trigger(self, args: JsonDict, now: float) -> _Trigger:
        trigger = self._triggers.get(arg_str(args, "trigger_id") or "")
        if trigger is None:
            raise SlackError("invalid_trigger_id")
        if trigger.used:
            raise SlackError("exchanged_trigger_id")
        if now - trigger.issued_at > TRIGGER_TTL_SECONDS:
            raise SlackError("expired_trigger_id")
        return trigger

    def _build_view(
        self,
        spec: JsonDict,
        view_id: str,
        now: float,
        *,
        root_view_id: str | None,
        previous_view_id: str | None,
    ) -> JsonDict:
        ws = self._ws
        spec = copy.deepcopy(spec)
        view: JsonDict = {
            "id": view_id,
            "team_id": ws.team_of_call,
            "type": spec["type"],
            "blocks": ws.with_ids(spec.get("blocks", [])),
            "private_metadata": spec.get("private_metadata", ""),
            "callback_id": spec.get("callback_id", ""),
            "state": {"values": {}},
            "hash": f"{int(now)}.{ws.random_alnum(8)}",
            "title": spec.get("title"),
            "clear_on_close": bool(spec.get("clear_on_close", False)),
            "notify_on_close": bool(spec.get("notify_on_close", False)),
            "close": spec.get("close"),
            "submit": spec.get("submit"),
            "previous_view_id": previous_view_id,
            "root_view_id": root_view_id or view_id,
            "app_id": ws.app_id,
            "external_id": spec.get("external_id", ""),
            "app_installed_team_id": ws.team_of_call,
            "bot_id": ws.bot_id,
        }
        if "submit_disabled" in spec:
            view["submit_disabled"] = bool(spec["submit_disabled"])
        return view

    def _replace_view(self, stored: _View, spec: JsonDict, now: float) -> None:
        """New content in the same place: id, stack position and (unless given anew) external_id stay."""
        if "external_id" not in spec and stored.view.get("external_id"):
            spec = {**spec, "external_id": stored.view["external_id"]}
        stored.view = self._build_view(
            spec,
            stored.id,
            now,
            root_view_id=stored.view["root_view_id"],
            previous_view_id=stored.view.get("previous_view_id"),
        )

    def _push_modal(self, user_id: str, spec: JsonDict, now: float) -> JsonDict:
        stack = self._modal_stacks.setdefault(user_id, [])
        view_id = self._ws.new_id("V")
        root = stack[0] if stack else None
        previous = stack[-1] if stack else None
        view = self._build_view(spec, view_id, now, root_view_id=root, previous_view_id=previous)
        self._views[view_id] = _View(view_id, user_id, view, is_open=True)
        stack.append(view_id)
        return view

    def _close_modal(self, user_id: str, view_id: str, *, clear: bool) -> None:
        stack = self._modal_stacks.get(user_id, [])
        if view_id not in stack:
            return
        closing = stack[:] if clear else stack[stack.index(view_id) :]
        for vid in closing:
            self._views[vid].is_open = False
            stack.remove(vid)
        if not stack:
            self._modal_stacks.pop(user_id, None)


def _valid_view_arg(args: JsonDict) -> JsonDict:
    spec = arg_json(args, "view", error="invalid_arguments")
    problems = validate_view(spec)
    if problems:
        raise SlackError("invalid_arguments", response_metadata=error_messages(problems))
    assert isinstance(spec, dict)
    return spec


def _errors_problems(stored: _View, errors: object) -> list[str]:
    """What Slack would refuse in a ``response_action: errors`` answer: each key must name an input block."""
    if not isinstance(errors, dict) or not errors:
        return ["response_action errors needs a non-empty errors object"]
    input_ids = {b.get("block_id") for b in stored.view.get("blocks", []) if b.get("type") == "input"}
    return [f"errors names {key!r}, which is not an input block" for key in errors if key not in input_ids]


def _record(stored: _View) -> JsonDict:
    return {
        "id": stored.id,
        "user": stored.user_id,
        "type": stored.view["type"],
        "open": stored.is_open,
        "view": copy.deepcopy(stored.view),
    }
