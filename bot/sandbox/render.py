"""A channel or a modal as a person reads it, as plain text: for snapshots, the demo and debugging.

Pure: it reads the emulator's state (or a view dict) and returns text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import UTC
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from bot.sandbox.blockkit import options_of
from bot.sandbox.emulator import SlackEmulator

JsonDict = dict[str, Any]

DIVIDER = "─" * 24
INDENT = "  "
THREAD_INDENT = "    │ "

_CONTROL_SEQUENCE = re.compile(r"<([^<>]+)>")
_SPECIAL_MENTIONS = {"channel": "@channel", "here": "@here", "everyone": "@everyone"}


class _Names:
    """How people and channels are called in text: display name, else real name, else handle."""

    def __init__(self, users: Mapping[str, JsonDict], channels: Mapping[str, JsonDict]) -> None:
        self.users = users
        self.channels = channels

    def person(self, user_id: str | None) -> str:
        if user_id is None:
            return "someone"
        user = self.users.get(user_id)
        if user is None:
            return user_id
        profile = user.get("profile") or {}
        return profile.get("display_name") or user.get("real_name") or user.get("name") or user_id

    def channel(self, channel_id: str) -> str:
        channel = self.channels.get(channel_id)
        return channel.get("name", channel_id) if channel else channel_id


def mrkdwn_to_text(
    text: str,
    *,
    users: Mapping[str, JsonDict] | None = None,
    channels: Mapping[str, JsonDict] | None = None,
) -> str:
    """Control sequences and escapes as Slack shows them: ``<@U1>`` -> ``@Name``, ``&lt;`` -> ``<``.

    ``users`` and ``channels`` are the emulator's, to name people and channels as Slack does.
    """
    return _mrkdwn(text, _Names(users or {}, channels or {}))


def _mrkdwn(text: str, known: _Names) -> str:

    def replace(match: re.Match[str]) -> str:
        inner = match.group(1)
        target, _, label = inner.partition("|")
        # Slack shows a person's or channel's current name; the label is only a fallback.
        if target.startswith("@"):
            user_id = target[1:]
            return "@" + (known.person(user_id) if user_id in known.users or not label else _unescape(label))
        if target.startswith("#"):
            channel_id = target[1:]
            return "#" + (
                known.channel(channel_id) if channel_id in known.channels or not label else _unescape(label)
            )
        if target.startswith("!"):
            command = target[1:]
            if command in _SPECIAL_MENTIONS:
                return _SPECIAL_MENTIONS[command]
            if command.startswith("subteam^"):
                return _unescape(label) if label else "@" + command.split("^", 1)[1]
            return _unescape(label) if label else "@" + command
        url = _unescape(target)
        if not label:
            return url
        shown = _unescape(label)
        return shown if shown == url or url == f"mailto:{shown}" else f"{shown} ({url})"

    pieces: list[str] = []
    position = 0
    for match in _CONTROL_SEQUENCE.finditer(text):
        pieces.append(_unescape(text[position : match.start()]))
        pieces.append(replace(match))
        position = match.end()
    pieces.append(_unescape(text[position:]))
    return "".join(pieces)


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _text(obj: object, names: _Names) -> str:
    if not isinstance(obj, dict):
        return ""
    raw = str(obj.get("text", ""))
    return _mrkdwn(raw, names) if obj.get("type") == "mrkdwn" else raw


def _time(ts: str, zone: ZoneInfo) -> str:
    return datetime.fromtimestamp(float(ts), tz=UTC).astimezone(zone).strftime("%H:%M")


# ---------------------------------------------------------------------- elements and blocks


def _option_text(option: JsonDict, names: _Names) -> str:
    return _text(option.get("text"), names)


def _element(element: JsonDict, names: _Names) -> str:
    """One interactive element, the way it looks on screen."""
    kind = element.get("type", "")
    placeholder = _text(element.get("placeholder"), names)
    if kind == "button":
        label = _text(element.get("text"), names)
        return f"[ {label} ↗ ]" if element.get("url") else f"[ {label} ]"
    if kind == "overflow":
        return "[ ⋯ ]"
    if kind == "image":
        return f"[image: {element.get('alt_text', '')}]"
    if kind in ("radio_buttons", "checkboxes"):
        chosen = {o.get("value") for o in element.get("initial_options") or []}
        if element.get("initial_option"):
            chosen.add(element["initial_option"].get("value"))
        marks = ("(•)", "( )") if kind == "radio_buttons" else ("[x]", "[ ]")
        return "  ".join(
            f"{marks[0] if o.get('value') in chosen else marks[1]} {_option_text(o, names)}"
            for o in element.get("options") or []
        )
    if kind in ("static_select", "external_select") and element.get("initial_option"):
        return f"[ {_option_text(element['initial_option'], names)} ▾ ]"
    if kind in ("multi_static_select", "multi_external_select") and element.get("initial_options"):
        return f"[ {', '.join(_option_text(o, names) for o in element['initial_options'])} ▾ ]"
    if kind in ("users_select", "conversations_select", "channels_select"):
        initial = (
            element.get("initial_user")
            or element.get("initial_conversation")
            or element.get("initial_channel")
        )
        if initial:
            shown = "@" + names.person(initial) if kind == "users_select" else "#" + names.channel(initial)
            return f"[ {shown} ▾ ]"
    if kind == "datepicker":
        return f"[ {element.get('initial_date') or placeholder or 'date'} ▾ ]"
    if kind == "timepicker":
        return f"[ {element.get('initial_time') or placeholder or 'time'} ▾ ]"
    if kind.endswith("_input"):
        shown = element.get("initial_value") or placeholder
        return f"[ {shown} ]" if shown else "[ ]"
    return f"[ {placeholder or kind} ▾ ]"


def _rich_text(elements: Sequence[JsonDict], names: _Names) -> list[str]:
    lines: list[str] = []
    for part in elements:
        kind = part.get("type")
        if kind == "rich_text_list":
            for item in part.get("elements", []):
                lines.append("• " + "".join(_rich_inline(item.get("elements", []), names)))
        elif kind == "rich_text_preformatted":
            lines.append("```" + "".join(_rich_inline(part.get("elements", []), names)) + "```")
        elif kind == "rich_text_quote":
            lines.extend(
                "> " + line for line in "".join(_rich_inline(part.get("elements", []), names)).split("\n")
            )
        else:
            lines.extend("".join(_rich_inline(part.get("elements", []), names)).split("\n"))
    return lines


def _rich_inline(elements: Sequence[JsonDict], names: _Names) -> list[str]:
    shown: list[str] = []
    for element in elements:
        kind = element.get("type")
        if kind == "text":
            shown.append(element.get("text", ""))
        elif kind == "link":
            url = element.get("url", "")
            shown.append(f"{element['text']} ({url})" if element.get("text") else url)
        elif kind == "user":
            shown.append("@" + names.person(element.get("user_id")))
        elif kind == "channel":
            shown.append("#" + names.channel(element.get("channel_id", "")))
        elif kind == "emoji":
            shown.append(f":{element.get('name', '')}:")
        elif kind == "broadcast":
            shown.append("@" + element.get("range", "here"))
        elif kind == "usergroup":
            shown.append("@" + element.get("usergroup_id", ""))
    return shown


def _block(block: JsonDict, names: _Names) -> list[str]:
    kind = block.get("type")
    if kind == "header":
        return [f"== {_text(block.get('text'), names)} =="]
    if kind == "divider":
        return [DIVIDER]
    if kind == "section":
        lines = _text(block.get("text"), names).split("\n") if block.get("text") else []
        for field in block.get("fields") or []:
            lines.extend(_text(field, names).split("\n"))
        accessory = block.get("accessory")
        if isinstance(accessory, dict):
            shown = _element(accessory, names)
            if lines:
                lines[-1] = f"{lines[-1]}  {shown}"
            else:
                lines.append(shown)
        return lines
    if kind == "context":
        parts = [
            _element(e, names) if e.get("type") == "image" else _text(e, names)
            for e in block.get("elements", [])
        ]
        return [f"· {' · '.join(parts)}"]
    if kind == "actions":
        return ["  ".join(_element(e, names) for e in block.get("elements", []))]
    if kind == "image":
        title = _text(block.get("title"), names)
        return [f"[image: {block.get('alt_text', '')}]" + (f" {title}" if title else "")]
    if kind == "input":
        return _input(block, names)
    if kind == "rich_text":
        return _rich_text(block.get("elements", []), names)
    if kind == "markdown":
        return str(block.get("text", "")).split("\n")
    if kind == "file":
        return [f"[file: {block.get('external_id', '')}]"]
    if kind == "video":
        return [f"[video: {_text(block.get('title'), names)}]"]
    return [f"[{kind}]"]


def _input(block: JsonDict, names: _Names) -> list[str]:
    label = _text(block.get("label"), names)
    if block.get("optional"):
        label += " (optional)"
    element = block.get("element") or {}
    kind = element.get("type", "")
    lines = [f"{label}:"]
    if kind in ("static_select", "multi_static_select"):
        options = options_of(element)
        lines.append(f"{INDENT}{kind}: {_element(element, names)}")
        lines.append(f"{INDENT}options: " + " | ".join(_option_text(o, names) for o in options))
    else:
        multiline = " (multiline)" if element.get("multiline") else ""
        lines.append(f"{INDENT}{kind}{multiline}: {_element(element, names)}")
    if block.get("hint"):
        lines.append(f"{INDENT}hint: {_text(block['hint'], names)}")
    return lines


def _blocks(blocks: Sequence[JsonDict], names: _Names) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, dict):
            lines.extend(_block(block, names))
    return lines


# ---------------------------------------------------------------------- messages and channels


def _message(message: JsonDict, names: _Names, zone: ZoneInfo) -> list[str]:
    author = names.person(message.get("user"))
    stamp = _time(message["ts"], zone)
    if message.get("edited"):
        stamp += ", edited"
    head = f"{author} ({stamp})"
    if message.get("is_ephemeral"):
        head += f" (only visible to @{names.person(message.get('visible_to'))})"
    if message.get("subtype") == "tombstone":
        body = ["(This message was deleted.)"]
    elif message.get("blocks"):
        body = _blocks(message["blocks"], names)
    else:
        body = _mrkdwn(message.get("text") or "", names).split("\n")
    for file in message.get("files") or []:
        body.append(f"[file: {file.get('title') or file.get('name', '')}]")
    reactions = message.get("reactions") or []
    if reactions:
        body.append("  ".join(f":{r['name']}: {r.get('count', len(r.get('users', [])))}" for r in reactions))
    body = [line for line in body if line != ""] or [""]
    if len(body) == 1 and not message.get("blocks"):
        return [f"{head}: {body[0]}"]
    return [f"{head}:"] + [f"{INDENT}{line}" for line in body]


def render_channel(
    emulator: SlackEmulator, channel_id: str, *, include_ephemerals: bool = True, tz: str = "UTC"
) -> str:
    """The channel oldest first, threads indented under their parent, ephemerals marked as such."""
    users, channels = emulator.users, emulator.channels
    names = _Names(users, channels)
    zone = ZoneInfo(tz)
    top_level: list[JsonDict] = list(emulator.messages(channel_id))
    thread_extras: dict[str, list[JsonDict]] = {}
    if include_ephemerals:
        for ephemeral in emulator.ephemerals(channel_id):
            if ephemeral.get("thread_ts"):
                thread_extras.setdefault(ephemeral["thread_ts"], []).append(ephemeral)
            else:
                top_level.append(ephemeral)
    channel = channels.get(channel_id, {})
    if channel.get("is_im"):
        title = f"Direct message with @{names.person(channel.get('user'))}"
    else:
        title = f"#{channel.get('name', channel_id)}"
    lines = [title]
    for message in sorted(top_level, key=lambda m: Decimal(m["ts"])):
        lines.extend(_message(message, names, zone))
        replies = list(emulator.replies(channel_id, message["ts"])) if message.get("reply_count") else []
        replies.extend(thread_extras.get(message["ts"], []))
        for reply in sorted(replies, key=lambda m: Decimal(m["ts"])):
            lines.extend(THREAD_INDENT + line for line in _message(reply, names, zone))
    return "\n".join(lines) + "\n"


def render_message(emulator: SlackEmulator, message: JsonDict, *, tz: str = "UTC") -> str:
    """One message (or ephemeral) as its reader sees it."""
    return "\n".join(_message(message, _Names(emulator.users, emulator.channels), ZoneInfo(tz))) + "\n"


def render_view(view: Mapping[str, Any], *, users: Mapping[str, JsonDict] | None = None) -> str:
    """A modal or App Home: title, blocks (inputs with their label and type), then the buttons."""
    names = _Names(users or {}, {})
    title = "App Home" if view.get("type") == "home" else f"Modal: {_text(view.get('title'), names)}"
    lines = [title, DIVIDER]
    lines.extend(_blocks(view.get("blocks") or [], names))
    buttons = [_text(view.get(key), names) for key in ("close", "submit") if view.get(key)]
    if buttons:
        lines.append(DIVIDER)
        lines.append("  ".join(f"[ {label} ]" for label in buttons))
    return "\n".join(lines) + "\n"
