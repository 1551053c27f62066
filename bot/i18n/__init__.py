"""Message catalogs: every user-facing text, in Dutch, English and French, looked up by key.

Each language is a folder of TOML files beside this module (`nl/*.toml`, `en/*.toml`, `fr/*.toml`),
one file per part of the bot, merged into one catalog; every language has the same keys. A text is a
`str.format` template; a key with `one`/`other` children is a plural, chosen by `count`.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

SUPPORTED_LANGUAGES: tuple[str, ...] = ("nl", "en", "fr")
DEFAULT_LANGUAGE = "nl"


class MissingText(KeyError):
    """A key is missing from a catalog: a programming error, caught by the catalog tests."""


class DuplicateText(ValueError):
    """Two catalog files of one language define the same key."""


@cache
def catalog(language: str) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    folder = resources.files(__package__).joinpath(language)
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if not entry.name.endswith(".toml"):
            continue
        texts = _flatten(tomllib.loads(entry.read_text(encoding="utf-8")))
        duplicated = merged.keys() & texts.keys()
        if duplicated:
            raise DuplicateText(f"{language}/{entry.name} repeats {sorted(duplicated)}")
        merged.update(texts)
    return merged


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and not _is_plural(value):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def _is_plural(value: dict[str, Any]) -> bool:
    return set(value) == {"one", "other"}


def normalise_language(language: str | None, fallback: str = DEFAULT_LANGUAGE) -> str:
    """Map a Slack locale (`nl-NL`, `en-GB`, `fr-BE`) or language code onto a catalog, `fallback` if none
    fits."""
    if language:
        code = language.split("-")[0].split("_")[0].lower()
        if code in SUPPORTED_LANGUAGES:
            return code
    return fallback


def t(key: str, language: str, /, **values: Any) -> str:
    """The text for `key` in `language`, with `values` filled in; a plural picks by `count`."""
    texts = catalog(normalise_language(language))
    try:
        template = texts[key]
    except KeyError:
        raise MissingText(f"{key!r} is not in the {language} catalog") from None
    if isinstance(template, dict):
        template = template["one"] if values.get("count") == 1 else template["other"]
    return template.format(**values)


class Texts:
    """The catalog bound to one language, handed to views so they need not carry the language around."""

    __slots__ = ("language",)

    def __init__(self, language: str) -> None:
        self.language = normalise_language(language)

    def __call__(self, key: str, /, **values: Any) -> str:
        return t(key, self.language, **values)

    def __repr__(self) -> str:
        return f"Texts({self.language!r})"
