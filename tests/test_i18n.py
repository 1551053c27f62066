import re
import string

import pytest

from bot.i18n import SUPPORTED_LANGUAGES, MissingText, Texts, catalog, normalise_language, t


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_catalog_has_the_same_keys() -> None:
    keys = {language: set(catalog(language)) for language in SUPPORTED_LANGUAGES}
    assert keys["nl"] == keys["en"]
    assert keys["nl"] == keys["fr"]


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_the_same_key_takes_the_same_values_in_every_language(language: str) -> None:
    for key, template in catalog("nl").items():
        other = catalog(language)[key]
        if isinstance(template, dict):
            assert placeholders(template["one"]) | placeholders(template["other"]) == placeholders(
                other["one"]
            ) | placeholders(other["other"]), key
        else:
            assert placeholders(template) == placeholders(other), key


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


def test_texts_in_handlers_and_views_come_from_the_catalogs() -> None:
    """No literal sentence in a listener or view: each must go through the catalog."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    sentence = re.compile(r"""(text|title)=["'][A-Z][a-z]+ [a-z]+""")
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for folder in ("handlers", "bot/views")
        for path in (root / folder).rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if sentence.search(line)
    ]
    assert offenders == []
