"""The demo is the first thing a newcomer runs: its transcript must show the kickoff as it happens."""

import io

import pytest

from bot.demo import run_demo


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
            ],
        ),
        ("en", ["Start a learning network", "Welcome to Youth care network Ghent", "Give and receive"]),
    ],
)
def test_the_demo_plays_the_start_and_prints_the_channel(language: str, expected: list[str]) -> None:
    out = io.StringIO()
    assert run_demo(language=language, out=out) == 0
    transcript = out.getvalue()
    for fragment in expected:
        assert fragment in transcript
    assert transcript.count("#lerend-netwerk-jeugdhulp") >= 2
