"""What people (and forgers) could type or send: text of every kind, Slack's control sequences, JSON."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import strategies as st

from bot.commands import SUBCOMMANDS

# What Slack turns into a ping or a link when it reaches a message unescaped.
CONTROL_SEQUENCES = (
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<@U123>",
    "<#C123>",
    "<!subteam^S1>",
    "<http://evil.example|klik>",
    "<mailto:a@evil.example|mail>",
    "&",
    "<",
    ">",
    "&lt;!here&gt;",
)
# Text that is hard on parsers and layouts: right-to-left, zero-width, combining marks, emoji with
# joiners, control characters (NUL included), mrkdwn, and the characters of URL and form encoding.
AWKWARD = (
    "\u202e",
    "\u200b",
    "\u200d",
    "\ufeff",
    "\u0000",
    "\u0007",
    "\r\n",
    "\t",
    "e\u0301",
    "👩‍👩‍👧",
    "🏳️‍🌈",
    "مرحبا",
    "שלום",
    "漢字",
    "*vet*",
    "_schuin_",
    "~weg~",
    "`code`",
    "```blok```",
    "> citaat",
    "%20",
    "+",
    "=",
    "?a=b&c=d",
    "\\",
    '"',
    "'",
)
SUBCOMMAND_WORDS = tuple(word for sub in SUBCOMMANDS for word in {sub.name, sub.alias})

any_text = st.text(max_size=200)
pieces = st.one_of(
    st.sampled_from(CONTROL_SEQUENCES), st.sampled_from(AWKWARD), st.text(max_size=20), st.just(" ")
)
mixed_text = st.lists(pieces, max_size=12).map("".join)
huge_text = st.builds(
    lambda piece, times: piece * times,
    st.sampled_from(("x", "é", "<!here> ", "🙂")),
    st.integers(10_000, 11_000),
)

user_text = st.one_of(st.just(""), any_text, mixed_text, huge_text)
"""Anything at all: empty, any Unicode (surrogates aside: Slack sends UTF-8), mixed, 10k+ characters."""

command_text = st.one_of(
    user_text,
    st.tuples(st.sampled_from(SUBCOMMAND_WORDS), mixed_text).map(lambda pair: f"{pair[0]} {pair[1]}"),
)
"""`/netwerk` text: anything, or a real subcommand (Dutch or English) followed by anything."""

hostile_text = st.lists(
    st.one_of(st.sampled_from(CONTROL_SEQUENCES), st.sampled_from(AWKWARD), st.text(max_size=10)),
    max_size=8,
).map(lambda parts: "<!channel> " + "".join(parts))
"""Short text that always carries a ping, for fields the bot echoes into the channel."""

json_values: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
"""Any JSON value: for fields sent with the wrong type, and for payloads that are not objects."""

not_json = st.one_of(
    st.text(max_size=50).filter(lambda text: not _is_json(text)),
    st.sampled_from(("{", "{not json", "[1,", '{"type": ', "nul", "'single'", "{'a': 1}")),
)


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------------- payloads with one field wrong

ODD_STRINGS = ("", " ", "null", "0", "-1", "1e400", "²", "١٢", "[]", "{}", "\u0000", "U0JOKE\n", "x" * 300)
odd_strings = st.one_of(st.sampled_from(ODD_STRINGS), st.text(max_size=12))
other_json: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    odd_strings,
    st.lists(json_values, max_size=3),
    st.dictionaries(st.text(max_size=8), json_values, max_size=3),
)
"""What a field may hold instead of what Slack puts there: another JSON type, or an odd string."""


class _Dropped:
    def __repr__(self) -> str:
        return "DROPPED"


DROPPED = _Dropped()
FIRST = "*"
"""In a path: the first key of an object or the first item of a list, whatever it is called."""

Path = tuple[str | int, ...]
Edit = tuple[Path, Any]


def edits(paths: tuple[Path, ...], *, max_edits: int = 3) -> st.SearchStrategy[list[Edit]]:
    """One to `max_edits` fields, each dropped or replaced by `other_json` (odd strings most often)."""
    return st.lists(
        # Odd strings twice over: they keep the shape, so they reach the listeners behind the shape check.
        st.tuples(st.sampled_from(paths), st.one_of(st.just(DROPPED), odd_strings, other_json)),
        min_size=1,
        max_size=max_edits,
        unique_by=lambda edit: edit[0],
    )


def edited(payload: dict[str, Any], changes: list[Edit]) -> dict[str, Any]:
    """A copy of `payload` with each edit applied where its path still leads somewhere."""
    result = copy.deepcopy(payload)
    for path, value in changes:
        *parents, last = path
        node: Any = result
        for step in parents:
            node = _step(node, step)
        key = _key(node, last)
        if key is None:
            continue
        if value is DROPPED:
            if isinstance(node, list) or key in node:
                del node[key]
        else:
            node[key] = copy.deepcopy(value)
    return result


def _key(node: Any, step: str | int) -> str | int | None:
    if isinstance(node, dict):
        return next(iter(node), None) if step == FIRST else step
    if isinstance(node, list) and node:
        return 0 if step == FIRST else step if isinstance(step, int) and step < len(node) else None
    return None


def _step(node: Any, step: str | int) -> Any:
    key = _key(node, step)
    if key is None or (isinstance(node, dict) and key not in node):
        return None
    return node[key]


def under(prefix: Path, paths: tuple[Path, ...]) -> tuple[Path, ...]:
    return tuple(prefix + path for path in paths)


STATE_PATHS: tuple[Path, ...] = (
    ("values",),
    ("values", FIRST),
    ("values", FIRST, FIRST),
    ("values", FIRST, FIRST, "type"),
    ("values", FIRST, FIRST, "value"),
    ("values", FIRST, FIRST, "selected_option"),
    ("values", FIRST, FIRST, "selected_option", "value"),
    ("values", FIRST, FIRST, "selected_options"),
    ("values", FIRST, FIRST, "selected_options", FIRST),
    ("values", FIRST, FIRST, "selected_options", FIRST, "value"),
    ("values", FIRST, FIRST, "selected_user"),
    ("values", FIRST, FIRST, "selected_date"),
)
VIEW_PATHS: tuple[Path, ...] = (
    ("callback_id",),
    ("private_metadata",),
    ("id",),
    ("hash",),
    ("type",),
    ("blocks",),
    ("team_id",),
    ("state",),
    *under(("state",), STATE_PATHS),
)
ACTION_PATHS: tuple[Path, ...] = (
    (),
    ("action_id",),
    ("block_id",),
    ("type",),
    ("value",),
    ("action_ts",),
    ("selected_option",),
    ("selected_option", "value"),
    ("selected_options",),
    ("selected_options", FIRST),
    ("selected_options", FIRST, "value"),
)
ENVELOPE_PATHS: tuple[Path, ...] = (
    ("type",),
    ("user",),
    ("user", "id"),
    ("user", "team_id"),
    ("team",),
    ("team", "id"),
    ("enterprise",),
    ("api_app_id",),
    ("trigger_id",),
    ("is_enterprise_install",),
)
CLICK_PATHS: tuple[Path, ...] = (
    *ENVELOPE_PATHS,
    ("actions",),
    *under(("actions", FIRST), ACTION_PATHS),
    ("container",),
    ("container", "type"),
    ("container", "channel_id"),
    ("container", "message_ts"),
    ("container", "view_id"),
    ("container", "is_ephemeral"),
    ("channel",),
    ("channel", "id"),
    ("message",),
    ("message", "ts"),
    ("message", "blocks"),
    ("response_url",),
    ("state",),
    *under(("state",), STATE_PATHS),
    ("view",),
    *under(("view",), VIEW_PATHS),
)
"""Where a `block_actions` payload can be wrong: the action, its container, message, state and view."""

MODAL_PATHS: tuple[Path, ...] = (
    *ENVELOPE_PATHS,
    ("view",),
    *under(("view",), VIEW_PATHS),
    ("response_urls",),
    ("response_urls", FIRST),
    ("response_urls", FIRST, "response_url"),
    ("response_urls", FIRST, "channel_id"),
)
"""Where a `view_submission` or `view_closed` payload can be wrong."""

EVENT_PATHS: tuple[Path, ...] = (
    ("type",),
    ("subtype",),
    ("user",),
    ("channel",),
    ("ts",),
    ("thread_ts",),
    ("event_ts",),
    ("text",),
    ("bot_id",),
    ("team",),
    ("tab",),
    ("reaction",),
    ("inviter",),
    ("channel_type",),
    ("item",),
    ("item", "type"),
    ("item", "channel"),
    ("item", "ts"),
    ("message",),
    ("message", "ts"),
    ("message", "user"),
    ("view",),
)
CALLBACK_PATHS: tuple[Path, ...] = (
    ("event",),
    *under(("event",), EVENT_PATHS),
    ("event_id",),
    ("team_id",),
    ("api_app_id",),
    ("authorizations",),
    ("authorizations", FIRST),
    ("authorizations", FIRST, "team_id"),
    ("authorizations", FIRST, "user_id"),
    ("authorizations", FIRST, "enterprise_id"),
    ("authorizations", FIRST, "is_enterprise_install"),
    ("is_ext_shared_channel",),
)
"""Where an `event_callback` envelope can be wrong: mostly inside its `event`."""
