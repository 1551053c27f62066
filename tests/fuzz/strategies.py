"""What people (and forgers) could type or send: text of every kind, Slack's control sequences, JSON."""

from __future__ import annotations

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
