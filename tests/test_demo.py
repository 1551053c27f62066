"""The demo is the first thing a newcomer runs: its transcript must show the kickoff as it happens.

It is also a package whose acts share one module and import each other not at all: no import cycle."""

import io
import subprocess
import sys
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.demo.play import ACTS
from bot.demo.play import run_demo
from bot.demo.stage import CHANNEL_NAME
from bot.demo.stage import Act
from tests.imports import ROOT
from tests.imports import imported_modules
from tests.imports import module_name

DEMO = sorted((ROOT / "bot" / "demo").glob("*.py"))


def transcript_of(language: str, acts: tuple[Act, ...] = ACTS) -> str:
    """What the demo prints when it plays `acts` in `language`; it must end well."""
    out = io.StringIO()
    assert run_demo(language=language, out=out, acts=acts) == 0
    return out.getvalue()


def channel_as_members_read_it(transcript: str) -> str:
    """The transcript's last part: the demo's channel as its members read it, below its name."""
    return transcript.split(f"#{CHANNEL_NAME}\n", 1)[1]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "nl",
            [
                "/netwerk start",
                "Lerend netwerk starten",
                "Welkom bij Lerend netwerk jeugdhulp Gent",
                "Vertrouwelijk",
                "al gekoppeld",
                "Ik ken `/netwerk fietsen` niet",
                "Vertrouwelijke casus",
                "je antwoord in de draad leest het hele kanaal",
                "== Ons traject ==",
                "*Werkvorm:* Incidentmethode",
                "*Rollen:* Gespreksleider",
                "(vertrouwelijk), ingebracht door",
                "wil je bericht bewaren als les van het netwerk: mag dat?",
                "De oogst van ons lerend netwerk",
                "3 van de 13 leden blikten terug",
                "Eerst vragen stellen, pas dan raad geven.",
            ],
        ),
        (
            "en",
            [
                "Start a learning network",
                "Welcome to Youth care network Ghent",
                "Give and receive",
                "== Our trajectory ==",
                "*Work form:* Incident method",
                "The harvest of our learning network",
            ],
        ),
    ],
)
def test_the_demo_plays_the_start_and_prints_the_channel(language: str, expected: list[str]) -> None:
    transcript = transcript_of(language)
    for fragment in expected:
        assert fragment in transcript
    assert transcript.count("#lerend-netwerk-jeugdhulp") >= 2


def test_the_demo_plays_in_french_from_the_command_line() -> None:
    """`python -m bot demo --language fr`: every act in French, the cast's Slack in Belgian French.

    Needs the whole French catalog (each part of the bot has its own file)."""
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo", "--language", "fr"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    transcript = result.stdout
    for fragment in (
        "/netwerk start",
        "Bienvenue dans Réseau apprenant aide à la jeunesse Gand",
        "Donner et recevoir",
        "*Gérer l'agressivité*",
        "1. Confidentialité : ce qui se dit ici reste ici.",
        "*Méthode du dos tourné, étape 3 sur 5 : Dos tourné*",
        "*1. On est sur la bonne voie ?*",
        "*2. Qu'est-ce qui va bien ?*",
        "*3. Qu'est-ce qui pourrait être mieux ?*",
        "*Méthode d'animation :* Méthode d'incident",
    ):
        assert fragment in transcript
    assert "Welkom" not in transcript and "Welcome" not in transcript


def test_the_demo_refuses_a_language_it_has_no_catalog_for(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as refused:
        main(["demo", "--language", "de"])
    assert refused.value.code == 2
    assert "fr" in capsys.readouterr().err


def test_the_demos_modules_import_each_other_without_a_cycle() -> None:
    modules = {module_name(path): path for path in DEMO}
    graph = {name: imported_modules(path) & set(modules) for name, path in modules.items()}

    def cycle_from(name: str, trail: tuple[str, ...]) -> tuple[str, ...] | None:
        if name in trail:
            return (*trail[trail.index(name) :], name)
        for imported in sorted(graph[name]):
            found = cycle_from(imported, (*trail, name))
            if found:
                return found
        return None

    for name in modules:
        assert cycle_from(name, ()) is None, " → ".join(cycle_from(name, ()) or ())


@pytest.mark.parametrize("path", DEMO, ids=lambda path: path.name)
def test_each_of_the_demos_modules_imports_alone(path: Path) -> None:
    """A fresh interpreter, so an import that only works after another module was loaded shows."""
    result = subprocess.run(
        [sys.executable, "-c", f"import {module_name(path)}"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
