"""Keeping the gettext catalogs: extract the keys the code uses, update every language, compile.

    python -m bot.i18n.catalogs [extract|update|compile]      (`make catalogs` runs update and compile)

Dutch is the source language: its catalogs hold every key, including the ones the code builds at run time
(`f"workforms.{key}.name"`), which no extraction can see. So the template a language is updated from is the
Dutch catalog of each domain plus any key the code uses that no catalog has yet (it lands, empty, in the
domain named like its first part, else in `core`); an empty text fails the catalog tests until written. A
new plural arrives as a plain text: give it its `msgid_plural` and forms by hand (or in a translator's tool).
The build hook in `setup.py` compiles too, so an installed package carries its `.mo` files.
"""

from __future__ import annotations

import ast
import io
import sys
from collections.abc import Collection
from collections.abc import Iterator
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from typing import BinaryIO

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.messages.pofile import write_po

from bot.i18n import DEFAULT_LANGUAGE
from bot.i18n import LOCALE_DIR

PROJECT_ROOT = LOCALE_DIR.parents[2]
BABEL_CONFIG = PROJECT_ROOT / "babel.cfg"
# The names the code calls a catalog by: `t(key, language)`, `texts(key)`, `file_texts(key)`.
KEYWORDS = {"t": None, "texts": None, "file_texts": None}
FALLBACK_DOMAIN = "core"


def po_files(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    return sorted(locale_dir.glob("*/LC_MESSAGES/*.po"))


def read_catalog(po: Path) -> Catalog:
    with po.open("rb") as source:
        return read_po(source, locale=po.parents[1].name, domain=po.stem)


def compiled(po: Path) -> bytes:
    """The `.mo` bytes of one PO catalog: fuzzy or empty entries left out, as gettext does."""
    target = io.BytesIO()
    write_mo(target, read_catalog(po))
    return target.getvalue()


def compile_catalogs(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Write every catalog's `.mo` beside its `.po`; returns the files written."""
    written = []
    for po in po_files(locale_dir):
        mo = po.with_suffix(".mo")
        mo.write_bytes(compiled(po))
        written.append(mo)
    return written


def extract_catalog_keys(
    fileobj: BinaryIO, keywords: Mapping[str, Any], comment_tags: Collection[str], options: Mapping[str, Any]
) -> Iterator[tuple[int, str, str, list[str]]]:
    """A Babel extraction method: the literal keys passed to a catalog, both of `"a" if c else "b"` too.

    Babel's own Python method would glue such a pair into one key; a key built at run time (an f-string)
    is left out, as the Dutch catalog holds those.
    """
    tree = ast.parse(fileobj.read())
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        if name not in keywords:
            continue
        first = node.args[0]
        for candidate in (first.body, first.orelse) if isinstance(first, ast.IfExp) else (first,):
            if isinstance(candidate, ast.Constant) and isinstance(candidate.value, str):
                yield candidate.lineno, name, candidate.value, []


def extract_keys(root: Path = PROJECT_ROOT) -> dict[str, list[str]]:
    """Every literal key the code passes to a catalog, with where (`bot/views/x.py:12`)."""
    with BABEL_CONFIG.open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config, str(BABEL_CONFIG))
    found: dict[str, list[str]] = {}
    for filename, line, key, _comments, _context in extract_from_dir(
        str(root), method_map, options_map, keywords=KEYWORDS, comment_tags=()
    ):
        if isinstance(key, str):
            found.setdefault(key, []).append(f"{filename}:{line}")
    return found


def update_catalogs(locale_dir: Path = LOCALE_DIR, root: Path = PROJECT_ROOT) -> list[str]:
    """Bring every language's catalogs to the Dutch keys plus the keys the code uses; returns new keys."""
    templates = {po.stem: _template(read_catalog(po)) for po in _domain_files(locale_dir, DEFAULT_LANGUAGE)}
    known = {
        message.id if isinstance(message.id, str) else message.id[0]
        for t in templates.values()
        for message in t
    }
    new_keys = sorted(set(extract_keys(root)) - known)
    for key in new_keys:
        domain = key.split(".")[0] if key.split(".")[0] in templates else FALLBACK_DOMAIN
        templates[domain].add(key)
    for language in sorted(folder.parent.name for folder in locale_dir.glob("*/LC_MESSAGES")):
        for domain, template in templates.items():
            _update_one(locale_dir / language / "LC_MESSAGES" / f"{domain}.po", language, template)
    return new_keys


def _domain_files(locale_dir: Path, language: str) -> list[Path]:
    return sorted((locale_dir / language / "LC_MESSAGES").glob("*.po"))


def _template(source: Catalog) -> Catalog:
    # The source's own dates, so that an update changes no header that nobody touched.
    template = Catalog(domain=source.domain, creation_date=source.creation_date, fuzzy=False)
    for message in source:
        if message.id:
            template.add(message.id)
    return template


def _update_one(po: Path, language: str, template: Catalog) -> None:
    if po.exists():
        catalog = read_catalog(po)
    else:
        catalog = Catalog(locale=language, domain=po.stem, creation_date=template.creation_date, fuzzy=False)
        po.parent.mkdir(parents=True, exist_ok=True)
    revision = catalog.revision_date
    catalog.update(template, no_fuzzy_matching=True, update_header_comment=False, update_creation_date=False)
    catalog.revision_date = revision
    with po.open("wb") as target:
        write_po(target, catalog, width=0, sort_output=False, ignore_obsolete=True)


def main(argv: list[str]) -> int:
    steps = argv or ["update", "compile"]
    for step in steps:
        if step == "extract":
            for key, places in sorted(extract_keys().items()):
                print(f"{key}\t{' '.join(places)}")
        elif step == "update":
            for key in update_catalogs():
                print(f"new key, write its text in every language: {key}")
        elif step == "compile":
            print(f"compiled {len(compile_catalogs())} catalogs")
        else:
            print(f"unknown step {step!r}: extract, update or compile", file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
