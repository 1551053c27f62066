"""Reading built views back in the view tests."""

from __future__ import annotations

from typing import Any


def mrkdwn_texts(node: Any) -> list[str]:
    """Every mrkdwn string in a block tree: where Slack would turn control sequences into pings."""
    if isinstance(node, list):
        return [text for item in node for text in mrkdwn_texts(item)]
    if not isinstance(node, dict):
        return []
    found = [node["text"]] if node.get("type") == "mrkdwn" else []
    return found + [text for value in node.values() for text in mrkdwn_texts(value)]
