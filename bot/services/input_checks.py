"""What is wrong with what someone typed into a form: problems by field name, each a catalog key with its
values, which bot.errors.InvalidInput carries back to the field it belongs to."""

from __future__ import annotations

from typing import Any

Problems = dict[str, tuple[str, dict[str, Any]]]


def check_length(problems: Problems, field: str, value: str, limit: int, *, required: bool = False) -> None:
    """Note under `field` that `value` (already stripped) is missing while `required`, or longer than
    `limit`."""
    if required and not value:
        problems[field] = ("validation.required", {})
    elif len(value) > limit:
        problems[field] = ("validation.too_long", {"limit": limit, "length": len(value)})


def whole_number_between(value: str, low: int, high: int) -> bool:
    """Whether `value` (already stripped) is a whole number from `low` to `high`, both included."""
    # Not isdigit: "²" (a key of its own on a Belgian keyboard) is a digit that int() refuses.
    return value.isdecimal() and low <= int(value) <= high


def text_problems(field: str, value: str, limit: int, *, required: bool = False) -> Problems:
    """The problems of a form whose one text field is `field`: as `check_length` notes them."""
    problems: Problems = {}
    check_length(problems, field, value, limit, required=required)
    return problems
