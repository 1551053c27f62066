"""Reading Web API arguments the way Slack does: form fields, query strings or a JSON body."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable
from decimal import Decimal
from decimal import InvalidOperation
from typing import Any
from urllib.parse import parse_qs

JsonDict = dict[str, Any]
# A Web API method as the emulator serves it: the request's arguments and the time, to the answer's fields.
WebApiMethod = Callable[[JsonDict, float], JsonDict]

_TS_PATTERN = re.compile(r"^\d+\.\d+$")


class SlackError(Exception):
    """A Web API error answer: ``{"ok": false, "error": error, **extra}``."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"ok": False, "error": self.error, **self.extra}


def parse_request_args(query: str, content_type: str, body: bytes) -> dict[str, Any]:
    """Merge query-string args with a form or JSON body; raises SlackError like Slack for bad JSON."""
    args: dict[str, Any] = {
        key: values[-1] for key, values in parse_qs(query, keep_blank_values=True).items()
    }
    if not body:
        return args
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type == "application/json":
        try:
            parsed = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SlackError("invalid_json") from exc
        if not isinstance(parsed, dict):
            raise SlackError("json_not_object")
        args.update(parsed)
    else:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SlackError("invalid_charset") from exc
        args.update({key: values[-1] for key, values in parse_qs(text, keep_blank_values=True).items()})
    return args


def arg_str(args: dict[str, Any], key: str) -> str | None:
    value = args.get(key)
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    return json.dumps(value)


def arg_bool(args: dict[str, Any], key: str, default: bool = False) -> bool:
    value = args.get(key)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    return str(value).strip().lower() in ("true", "1", "yes")


def arg_int(args: dict[str, Any], key: str, default: int, *, error: str = "invalid_arguments") -> int:
    value = args.get(key)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise SlackError(error)
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise SlackError(error) from exc


def arg_json(args: dict[str, Any], key: str, *, error: str) -> Any:
    """An argument that may arrive as JSON text (form posts) or as a JSON value (JSON bodies)."""
    value = args.get(key)
    if isinstance(value, str):
        if value == "":
            return None
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            raise SlackError(error) from exc
    return value


def is_ts(value: object) -> bool:
    return isinstance(value, str) and bool(_TS_PATTERN.match(value))


def ts_key(value: str, *, error: str = "invalid_ts") -> Decimal:
    # Decimal, not float: "1700000000.000100" has more digits than a float holds exactly.
    try:
        return Decimal(value)
    except InvalidOperation as exc:
        raise SlackError(error) from exc


def encode_cursor(kind: str, value: str) -> str:
    return base64.b64encode(f"{kind}:{value}".encode()).decode()


def decode_cursor(cursor: str, kind: str) -> str:
    try:
        decoded = base64.b64decode(cursor.encode(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise SlackError("invalid_cursor") from exc
    prefix = f"{kind}:"
    if not decoded.startswith(prefix):
        raise SlackError("invalid_cursor")
    return decoded[len(prefix) :]
