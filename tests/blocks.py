"""Reading what a message or view says, for assertions: the texts inside Block Kit, however deep."""

from __future__ import annotations

from typing import Any


def block_texts(node: Any, *, mrkdwn_only: bool = False) -> list[str]:
    """Every text inside `node` (blocks, a view, any JSON), in order; with `mrkdwn_only` only the mrkdwn
    text objects, which is where Slack finds pings and links (plain_text is shown as typed)."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            text = value.get("text")
            if isinstance(text, str) and (not mrkdwn_only or value.get("type") == "mrkdwn"):
                found.append(text)
            for child in value.values():
                walk(child)
        elif isinstance(value, list):
            for child in value:
                walk(child)

    walk(node)
    return found


def view_text(view: dict[str, Any]) -> str:
    """The texts in a view's blocks (a modal or a home tab), one per line."""
    return "\n".join(block_texts(view.get("blocks") or []))


def message_text(message: dict[str, Any], *, mrkdwn_only: bool = False) -> str:
    """A message's fallback text and the texts in its blocks, one per line."""
    return "\n".join(
        [message.get("text") or "", *block_texts(message.get("blocks") or [], mrkdwn_only=mrkdwn_only)]
    )
