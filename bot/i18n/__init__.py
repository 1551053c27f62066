"""Message catalogs: every user-facing text, in every language the bot speaks, looked up by key.

The catalogs are gettext catalogs kept with Babel: `locale/<language>/LC_MESSAGES/<part>.po`, one domain
per part of the bot, msgid the dotted key (`case_rounds.finished_counts`), msgstr a `str.format` template.
A plural has one form per plural form of the language (gettext's `Plural-Forms`, from Babel's CLDR data:
French counts 0 as singular), chosen by `count`. The bot reads the compiled `.mo` files, which the package
build and `make catalogs` write; a language is a folder under `locale/`.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.mofile import read_mo

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DEFAULT_LANGUAGE = "nl"


def _languages() -> tuple[str, ...]:
    found = sorted(folder.parent.name for folder in LOCALE_DIR.glob("*/LC_MESSAGES") if folder.is_dir())
    return (DEFAULT_LANGUAGE, *(language for language in found if language != DEFAULT_LANGUAGE))


SUPPORTED_LANGUAGES: tuple[str, ...] = _languages()


class MissingText(KeyError):
    """A key is missing from a catalog: a programming error, caught by the catalog tests."""


class DuplicateText(ValueError):
    """Two catalogs of one language define the same key."""


class CatalogNotCompiled(RuntimeError):
    """A `.po` catalog has no `.mo` beside it, or an older one: the texts would be missing or stale."""


@cache
def catalog(language: str) -> dict[str, str | dict[int, str]]:
    """Every text of `language` by key; a plural is its forms by gettext's plural index."""
    merged: dict[str, str | dict[int, str]] = {}
    for mo in compiled_files(language):
        with mo.open("rb") as source:
            compiled = read_mo(source)
        texts = {
            message.id[0] if message.pluralizable else message.id: (
                dict(enumerate(message.string)) if message.pluralizable else message.string
            )
            for message in compiled
            # gettext compiles an unwritten plural form as its msgid, here the key: better missing than shown.
            if message.id and not (message.pluralizable and message.id[0] in message.string)
        }
        duplicated = merged.keys() & texts.keys()
        if duplicated:
            raise DuplicateText(f"{language}/{mo.name} repeats {sorted(duplicated)}")
        merged.update(texts)
    return merged


def compiled_files(language: str, locale_dir: Path | None = None) -> list[Path]:
    """The `.mo` files of `language`; `CatalogNotCompiled` if one is missing or older than its `.po`."""
    folder = (locale_dir or LOCALE_DIR) / language / "LC_MESSAGES"
    domains = sorted(
        {path.stem for path in folder.glob("*.po")} | {path.stem for path in folder.glob("*.mo")}
    )
    if not domains:
        raise CatalogNotCompiled(f"there are no catalogs for {language!r} in {folder}")
    compiled = []
    for domain in domains:
        po, mo = folder / f"{domain}.po", folder / f"{domain}.mo"
        if not mo.exists():
            raise CatalogNotCompiled(f"{mo} is missing: run `make catalogs` (or reinstall the package)")
        if po.exists() and po.stat().st_mtime_ns > mo.stat().st_mtime_ns:
            raise CatalogNotCompiled(f"{mo} is older than {po.name}: run `make catalogs`")
        compiled.append(mo)
    return compiled


@cache
def plural_index(language: str) -> Callable[[int], int]:
    """Which plural form of `language` a count takes: the catalog's own gettext `Plural-Forms`."""
    with compiled_files(language)[0].open("rb") as source:
        return gettext.c2py(read_mo(source).plural_expr)


def load_catalogs() -> None:
    """Read every language's catalogs now, so that a missing or stale one stops the start, not a click."""
    for language in SUPPORTED_LANGUAGES:
        catalog(language)
        plural_index(language)


def normalise_language(language: str | None, fallback: str = DEFAULT_LANGUAGE) -> str:
    """Map a Slack locale (`nl-NL`, `en-GB`) or language code onto a catalog, `fallback` if none fits."""
    if language:
        code = language.split("-")[0].split("_")[0].lower()
        if code in SUPPORTED_LANGUAGES:
            return code
    return fallback


def t(key: str, language: str, /, **values: Any) -> str:
    """The text for `key` in `language`, with `values` filled in; a plural picks by `count`."""
    language = normalise_language(language)
    try:
        template = catalog(language)[key]
    except KeyError:
        raise MissingText(f"{key!r} is not in the {language} catalog") from None
    if isinstance(template, dict):
        count = values.get("count")
        template = template[plural_index(language)(count) if isinstance(count, int) else len(template) - 1]
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
