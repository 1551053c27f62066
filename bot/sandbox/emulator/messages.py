"""Messages as Slack stores and shows them, and the checks Slack makes on what an app posts."""

from __future__ import annotations

import copy
from collections.abc import Callable
from collections.abc import Iterable

from bot.sandbox._args import JsonDict
from bot.sandbox._args import SlackError
from bot.sandbox._args import arg_json
from bot.sandbox._args import arg_str
from bot.sandbox._args import is_ts
from bot.sandbox._args import ts_key
from bot.sandbox.blockkit import INTERACTIVE_TYPES
from bot.sandbox.blockkit import MESSAGE_TEXT_MAX
from bot.sandbox.blockkit import elements_of
from bot.sandbox.blockkit import validate_blocks


def is_top_level(message: JsonDict) -> bool:
    thread_ts = message.get("thread_ts")
    return thread_ts is None or thread_ts == message["ts"]


def by_ts(messages: Iterable[JsonDict]) -> list[JsonDict]:
    return sorted(messages, key=lambda m: ts_key(m["ts"]))


def api_message(message: JsonDict, *, include_metadata: bool) -> JsonDict:
    """A message as the Web API returns it: ``metadata`` only when asked for."""
    shown = copy.deepcopy(message)
    if not include_metadata:
        shown.pop("metadata", None)
    return shown


def reader_message(message: JsonDict) -> JsonDict:
    """A message for tests and the renderer: every key a reader looks at is present."""
    shown = copy.deepcopy(message)
    for key, default in (
        ("blocks", []),
        ("metadata", None),
        ("thread_ts", None),
        ("reply_count", 0),
        ("reactions", []),
        ("edited", None),
        ("files", []),
    ):
        shown.setdefault(key, default)
    return shown


def error_messages(problems: list[str]) -> JsonDict:
    """``response_metadata`` as Slack sends it beside ``invalid_blocks`` and ``invalid_arguments``."""
    return {"messages": [f"[ERROR] {p}" for p in problems]}


def with_ids(blocks: list[JsonDict], random_alnum: Callable[[int], str]) -> list[JsonDict]:
    """Slack gives every block a block_id and every interactive element an action_id if the app did not."""
    used = {b.get("block_id") for b in blocks if isinstance(b, dict)}
    for block in blocks:
        if not isinstance(block, dict):
            continue
        if "block_id" not in block:
            block_id = random_alnum(4)
            while block_id in used:
                block_id = random_alnum(4)
            used.add(block_id)
            block["block_id"] = block_id
        for element in elements_of(block):
            if element.get("type") in INTERACTIVE_TYPES and "action_id" not in element:
                element["action_id"] = random_alnum(5)
    return blocks


def message_content(
    args: JsonDict, random_alnum: Callable[[int], str]
) -> tuple[str | None, list[JsonDict] | None, list[JsonDict] | None]:
    """Text, blocks and attachments of a post, checked as Slack checks them."""
    text = arg_str(args, "text")
    blocks = arg_json(args, "blocks", error="invalid_blocks_format")
    attachments = arg_json(args, "attachments", error="invalid_attachments")
    if not text and not blocks and not attachments:
        raise SlackError("no_text")
    if text is not None and len(text) > MESSAGE_TEXT_MAX:
        raise SlackError("msg_too_long")
    if blocks is not None:
        problems = validate_blocks(blocks)
        if problems:
            raise SlackError("invalid_blocks", errors=problems, response_metadata=error_messages(problems))
        blocks = with_ids(copy.deepcopy(blocks), random_alnum)
    if attachments is not None and not isinstance(attachments, list):
        raise SlackError("invalid_attachments")
    return text, blocks, attachments


def metadata_arg(args: JsonDict) -> JsonDict | None:
    """The ``metadata`` of a post ({event_type, event_payload}), or None."""
    metadata = arg_json(args, "metadata", error="invalid_metadata_format")
    if metadata is None:
        return None
    if (
        not isinstance(metadata, dict)
        or not isinstance(metadata.get("event_type"), str)
        or not isinstance(metadata.get("event_payload"), dict)
    ):
        raise SlackError("invalid_metadata_format")
    return {
        "event_type": metadata["event_type"],
        "event_payload": copy.deepcopy(metadata["event_payload"]),
    }


def thread_ts_arg(args: JsonDict) -> str | None:
    thread_ts = arg_str(args, "thread_ts")
    if thread_ts is None:
        return None
    if not is_ts(thread_ts):
        raise SlackError("invalid_thread_ts")
    return thread_ts
