"""User text on its way into a message: the one place it is made harmless."""

from __future__ import annotations

import re

# A zero-width space after a formatting character keeps Slack from pairing it with another one, so a
# name like "*nieuw* netwerk" shows its asterisks instead of turning bold, without changing the text.
_ZERO_WIDTH_SPACE = "\u200b"
_FORMATTING = re.compile(r"([*_~`])")


def escape_mrkdwn(text: str) -> str:
    """`text` as it should appear inside a mrkdwn text object: literal, never a mention or a link.

    `&`, `<` and `>` become entities, which disarms every control sequence (`<!channel>`, `<!here>`,
    `<@U…>`, `<#C…>`, `<url|label>`); formatting characters are kept but cannot pair up.
    """
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _FORMATTING.sub(lambda match: match.group(1) + _ZERO_WIDTH_SPACE, escaped)


def truncate(text: str, limit: int, ellipsis: str = "…") -> str:
    """`text` cut to at most `limit` characters, marking the cut."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - len(ellipsis))].rstrip() + ellipsis
