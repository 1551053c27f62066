"""User text on its way into a message: the one place it is made harmless and fitted to Slack's limits."""

from __future__ import annotations

import re
from itertools import accumulate

# A zero-width space after a formatting character keeps Slack from pairing it with another one, so a
# name like "*nieuw* netwerk" shows its asterisks instead of turning bold, without changing the text.
_ZERO_WIDTH_SPACE = "\u200b"
_FORMATTING = re.compile(r"([*_~`])")
_ELLIPSIS = "…"
# Everything Markdown (and a canvas's mentions, `![](@U…)`) could read as syntax; escaped by a backslash.
_MARKDOWN_SYNTAX = re.compile(r"([\\`*_~{}\[\]()<>#+\-!|@])")
# A control sequence in a message's text as Slack sends it: `<@U…>`, `<#C…|name>`, `<!here>`, `<url|label>`.
_CONTROL_SEQUENCE = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")


def escape_mrkdwn(text: str) -> str:
    """`text` as it should appear inside a mrkdwn text object: literal, never a mention or a link.

    `&`, `<` and `>` become entities, which disarms every control sequence (`<!channel>`, `<!here>`,
    `<@U…>`, `<#C…>`, `<url|label>`); formatting characters are kept but cannot pair up.
    """
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _FORMATTING.sub(lambda match: match.group(1) + _ZERO_WIDTH_SPACE, escaped)


def escape_markdown(text: str) -> str:
    """`text` as it should appear on one line of a canvas's Markdown: literal, never a heading, list,
    link or mention. Every run of white space becomes one space, so that nothing can start a new block."""
    text = " ".join(text.split())
    return _MARKDOWN_SYNTAX.sub(r"\\\1", text)


def readable_message_text(text: str) -> str:
    """A Slack message's `text` as a person reads it, for keeping as what a user typed: mentions and
    channel links as `@U…` and `#name`, links as their label with the address, entities unescaped.

    What is kept goes through `escape_mrkdwn` again wherever it is shown, so nothing in it is live.
    """

    def readable(match: re.Match[str]) -> str:
        target, label = match.group(1), match.group(2)
        if target.startswith("@") or target.startswith("!"):
            return "@" + (label or target[1:].split("^")[-1]).lstrip("@")
        if target.startswith("#"):
            return "#" + (label or target[1:])
        return f"{label} ({target})" if label and label != target else target

    return unescape_entities(_CONTROL_SEQUENCE.sub(readable, text))


def unescape_entities(text: str) -> str:
    """`text` with the three entities Slack escapes (`&amp;`, `&lt;`, `&gt;`) back as the characters typed."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def fit_user_text(text: str, limit: int, *, one_line: bool = False) -> str:
    """What a user typed, escaped for mrkdwn (`escape_mrkdwn`) and at most `limit` characters long.

    The limit holds for the escaped form, which is what Slack counts: escaping lengthens a text (`&`
    becomes `&amp;`), so a text that fits its input field may not fit a section once escaped. A text
    that does not fit is cut between two of its own characters, never inside an entity, and ends in
    "…". `one_line` first folds every run of white space, line breaks included, into one space.
    """
    if one_line:
        text = " ".join(text.split())
    escaped = escape_mrkdwn(text)
    if len(escaped) <= limit:
        return escaped
    room = limit - len(_ELLIPSIS)
    if room < 0:
        return ""
    # Escaping works character by character, so the escaped length of each prefix is a running sum,
    # growing with every character: the prefixes within `room` are the first `kept` ones.
    lengths = accumulate(len(escape_mrkdwn(character)) for character in text)
    kept = sum(1 for length in lengths if length <= room)
    return escape_mrkdwn(text[:kept].rstrip()) + _ELLIPSIS


def truncate(text: str, limit: int, ellipsis: str = "…") -> str:
    """Plain `text` (never escaped, such as a plain_text object) cut to at most `limit` characters,
    marking the cut."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - len(ellipsis))].rstrip() + ellipsis


def split_user_text(text: str, limit: int) -> list[str]:
    """What a user typed, escaped for mrkdwn, in pieces of at most `limit` escaped characters: all of it,
    never cut. A piece ends after a line break or a space where one falls in its last quarter."""
    pieces: list[str] = []
    start = 0
    while start < len(text):
        length, end, soft_end = 0, start, None
        while end < len(text) and length + len(escape_mrkdwn(text[end])) <= limit:
            length += len(escape_mrkdwn(text[end]))
            if text[end] in " \n" and length >= limit * 3 // 4:
                soft_end = end + 1
            end += 1
        if end < len(text) and soft_end is not None:
            end = soft_end
        end = max(end, start + 1)
        pieces.append(escape_mrkdwn(text[start:end]))
        start = end
    return pieces
