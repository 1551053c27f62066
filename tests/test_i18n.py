import gettext
import re
import shutil
import string
from pathlib import Path

import pytest
from babel.messages.plurals import get_plural

from bot.i18n import DEFAULT_LANGUAGE
from bot.i18n import LOCALE_DIR
from bot.i18n import SUPPORTED_LANGUAGES
from bot.i18n import CatalogNotCompiled
from bot.i18n import MissingText
from bot.i18n import Texts
from bot.i18n import catalog
from bot.i18n import compiled_files
from bot.i18n import normalise_language
from bot.i18n import t
from bot.i18n.catalogs import compiled
from bot.i18n.catalogs import extract_keys
from bot.i18n.catalogs import po_files
from bot.i18n.catalogs import read_catalog

ROOT = Path(__file__).resolve().parent.parent


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def sources(language: str) -> dict[str, dict[str, str | tuple[str, ...]]]:
    """Every message of `language`'s PO catalogs, by domain and key, as written (before compiling)."""
    return {
        po.stem: {
            message.id[0] if message.pluralizable else message.id: message.string
            for message in read_catalog(po)
            if message.id and not message.fuzzy
        }
        for po in po_files()
        if po.parents[1].name == language
    }


def forms(text: str | tuple[str, ...]) -> tuple[str, ...]:
    return text if isinstance(text, tuple) else (text,)


def test_the_languages_are_the_catalog_folders_dutch_first() -> None:
    assert SUPPORTED_LANGUAGES[0] == DEFAULT_LANGUAGE
    assert set(SUPPORTED_LANGUAGES) == {po.parents[1].name for po in po_files()}
    assert {"nl", "en"} <= set(SUPPORTED_LANGUAGES)


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_language_has_every_key_in_the_same_part(language: str) -> None:
    dutch = {domain: set(messages) for domain, messages in sources(DEFAULT_LANGUAGE).items()}
    assert {domain: set(messages) for domain, messages in sources(language).items()} == dutch


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_text_is_written_and_none_is_fuzzy(language: str) -> None:
    unwritten = [
        f"{po.name}: {message.id}"
        for po in po_files()
        if po.parents[1].name == language
        for message in read_catalog(po)
        if message.id and (message.fuzzy or not all(forms(message.string)))
    ]
    assert unwritten == []


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_the_same_key_takes_the_same_values_in_every_language(language: str) -> None:
    dutch = {key: text for messages in sources(DEFAULT_LANGUAGE).values() for key, text in messages.items()}
    differing = [
        key
        for messages in sources(language).values()
        for key, text in messages.items()
        if set().union(*map(placeholders, forms(text))) != set().union(*map(placeholders, forms(dutch[key])))
    ]
    assert differing == []


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_plurals_have_every_form_of_their_language(language: str) -> None:
    rule = get_plural(language)
    for po in (po for po in po_files() if po.parents[1].name == language):
        read = read_catalog(po)
        assert (read.num_plurals, read.plural_expr) == (rule.num_plurals, rule.plural_expr), po
        incomplete = [m.id[0] for m in read if m.pluralizable and len(m.string) != rule.num_plurals]
        assert incomplete == [], po


def test_french_counts_zero_as_singular_as_cldr_says() -> None:
    french = gettext.c2py(get_plural("fr").plural_expr)
    dutch = gettext.c2py(get_plural("nl").plural_expr)
    assert [french(n) for n in (0, 1, 2, 1_000_000)] == [0, 0, 2, 1]
    assert [dutch(n) for n in (0, 1, 2)] == [1, 0, 1]


def test_every_compiled_catalog_is_its_source_compiled() -> None:
    stale = [
        str(po.relative_to(LOCALE_DIR))
        for po in po_files()
        if po.with_suffix(".mo").read_bytes() != compiled(po)
    ]
    assert stale == [], "run `make catalogs`"


def test_every_key_the_code_uses_is_in_the_catalogs() -> None:
    used = extract_keys()
    assert "error.unexpected" in used
    missing = {key: places for key, places in used.items() if key not in catalog(DEFAULT_LANGUAGE)}
    assert missing == {}


def test_extraction_takes_both_keys_of_a_choice_and_skips_built_ones() -> None:
    used = extract_keys()
    assert {"case_rounds.finish", "case_rounds.next"} <= set(used)
    assert not any("{" in key or key.count(".") > 6 for key in used)


# What is not French prose in a text: code, mentions and links, emoji codes, web addresses, times of day.
NOT_PROSE = re.compile(r"`[^`]*`|<[^>]*>|:\{?[a-z0-9_+-]+\}?:|\w+://\S*|\d+:\d+")


def test_french_puts_a_space_before_its_high_punctuation() -> None:
    """French typography: "On est sur la bonne voie ?", "Thème : …", never "voie?" or "Thème:"."""
    tight = []
    for key, template in catalog("fr").items():
        for text in template.values() if isinstance(template, dict) else [template]:
            prose = re.sub(r"\{[^}]*\}", "x", NOT_PROSE.sub(" ", text))
            if re.search(r"\S[?!:;]", prose):
                tight.append(key)
    assert tight == []


def test_plurals_pick_by_count() -> None:
    assert "1 lid" in t("welcome.size", "nl", count=1)
    assert "met 12" in t("welcome.size", "nl", count=12)
    assert "met 0" in t("welcome.size", "nl", count=0)


def test_slack_locales_map_onto_catalogs() -> None:
    assert normalise_language("en-GB") == "en"
    assert normalise_language("nl_BE") == "nl"
    assert normalise_language("fr-FR") == "fr"
    assert normalise_language("fr-BE") == "fr"
    assert normalise_language("fr_CA", fallback="en") == "fr"
    assert normalise_language("de-DE") == "nl"
    assert normalise_language("es-ES", fallback="en") == "en"
    assert normalise_language(None) == "nl"


def test_a_missing_key_is_a_loud_error() -> None:
    with pytest.raises(MissingText):
        Texts("en")("no.such.key")


def test_a_catalog_not_compiled_stops_the_start(tmp_path: Path) -> None:
    folder = tmp_path / "nl" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    shutil.copy(LOCALE_DIR / "nl" / "LC_MESSAGES" / "core.po", folder / "core.po")
    with pytest.raises(CatalogNotCompiled, match="make catalogs"):
        compiled_files("nl", tmp_path)

    (folder / "core.mo").write_bytes(compiled(folder / "core.po"))
    assert compiled_files("nl", tmp_path) == [folder / "core.mo"]


def test_a_catalog_edited_after_compiling_stops_the_start(tmp_path: Path) -> None:
    folder = tmp_path / "en" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "core.mo").write_bytes(b"")
    shutil.copy(LOCALE_DIR / "en" / "LC_MESSAGES" / "core.po", folder / "core.po")
    with pytest.raises(CatalogNotCompiled, match="make catalogs"):
        compiled_files("en", tmp_path)


def test_the_entry_point_refuses_to_start_without_compiled_catalogs(monkeypatch, tmp_path, capsys) -> None:
    from bot import __main__ as entry

    folder = tmp_path / "nl" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    shutil.copy(LOCALE_DIR / "nl" / "LC_MESSAGES" / "core.po", folder / "core.po")
    monkeypatch.setattr("bot.i18n.LOCALE_DIR", tmp_path)
    catalog.cache_clear()
    try:
        assert entry.main(["status"]) == entry.EXIT_CONFIG
    finally:
        catalog.cache_clear()
    assert "make catalogs" in capsys.readouterr().err


def test_texts_in_handlers_and_views_come_from_the_catalogs() -> None:
    """No literal sentence in a listener or view: each must go through the catalog."""
    sentence = re.compile(r"""(text|title)=["'][A-Z][a-z]+ [a-z]+""")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("handlers", "bot/views")
        for path in (ROOT / folder).rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if sentence.search(line)
    ]
    assert offenders == []


def test_updating_takes_in_new_keys_empty_and_keeps_the_ones_built_at_run_time(tmp_path: Path) -> None:
    from bot.i18n.catalogs import update_catalogs

    locale_dir = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, locale_dir, ignore=shutil.ignore_patterns("*.mo"))
    code = tmp_path / "bot"
    code.mkdir()
    (code / "new_part.py").write_text(
        'texts("thermometer.brand_new")\nt("nowhere.else" if flag else "error.generic", language)\n'
    )

    assert update_catalogs(locale_dir, tmp_path) == ["nowhere.else", "thermometer.brand_new"]

    for language in SUPPORTED_LANGUAGES:
        folder = locale_dir / language / "LC_MESSAGES"
        assert read_catalog(folder / "thermometer.po")["thermometer.brand_new"].string == ""
        assert read_catalog(folder / "core.po")["nowhere.else"].string == ""
        assert read_catalog(folder / "workforms.po")["workforms.fishbowl.name"].string
        assert read_catalog(folder / "core.po")["welcome.size"].string == catalog_forms(language)


def catalog_forms(language: str) -> tuple[str, ...]:
    plural = catalog(language)["welcome.size"]
    assert isinstance(plural, dict)
    return tuple(plural[index] for index in sorted(plural))


def test_an_unwritten_plural_form_is_missing_not_shown_as_its_key(monkeypatch, tmp_path: Path) -> None:
    folder = tmp_path / "nl" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = folder / "core.po"
    text = (LOCALE_DIR / "nl" / "LC_MESSAGES" / "core.po").read_text(encoding="utf-8")
    written = (
        'msgstr[1] "Een lerend netwerk werkt het best met 10 tot 15 deelnemers. Nu zijn jullie met {count}."'
    )
    assert written in text
    po.write_text(text.replace(written, 'msgstr[1] ""'), encoding="utf-8")
    (folder / "core.mo").write_bytes(compiled(po))
    monkeypatch.setattr("bot.i18n.LOCALE_DIR", tmp_path)

    texts = catalog.__wrapped__("nl")

    assert "welcome.size" not in texts
    assert texts["error.unexpected"]
