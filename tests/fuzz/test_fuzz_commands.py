"""`/netwerk` and `/case` with any text at all: Slack always gets its 200, the caller an answer in their
language, and a command that is refused or unknown writes nothing."""

from __future__ import annotations

import re
from functools import cache

import pytest
from hypothesis import HealthCheck
from hypothesis import example
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from bot.i18n import SUPPORTED_LANGUAGES
from bot.i18n import catalog
from bot.services.outbox import EffectKind
from tests.e2e.conftest import CHANNEL_WITHOUT_BOT
from tests.e2e.conftest import ENGLISH_SPEAKER
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import OUTSIDER
from tests.fuzz.conftest import FuzzWorld
from tests.fuzz.conftest import TableRows
from tests.fuzz.conftest import texts_in
from tests.fuzz.strategies import SUBCOMMAND_WORDS
from tests.fuzz.strategies import command_text

FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Where the caller stands decides the answer's language and whether anything may be written at all.
CALLERS = {
    "facilitator in the Dutch network": (FACILITATOR, NETWORK_CHANNEL, "nl", False),
    "outsider in the Dutch network's channel": (OUTSIDER, NETWORK_CHANNEL, "nl", True),
    "English speaker in a channel without a network": (ENGLISH_SPEAKER, CHANNEL_WITHOUT_BOT, "en", True),
    "English speaker in a direct message": (ENGLISH_SPEAKER, "D0SAM", "en", True),
}
ANSWER_METHODS = ("response_url", "chat.postEphemeral", "chat.postMessage", "views.open", "views.push")
_PLACEHOLDER = re.compile(r"\{[^}]*\}")


def written(world: FuzzWorld) -> TableRows:
    """Every row, less the outbox items that send people their own data: anyone may ask for theirs
    anywhere (someone in no network gets an empty file), and the file travels through the outbox."""
    rows = world.rows()
    mine = repr(str(EffectKind.PRIVACY_MY_DATA))
    rows["outbox_item"] = [row for row in rows["outbox_item"] if f", {mine}, " not in row]
    return rows


@cache
def phrases_only_in(language: str) -> frozenset[str]:
    """Catalog phrases of `language` long enough to tell it apart, found in no other catalog."""

    def phrases(lang: str) -> set[str]:
        found = set()
        for template in catalog(lang).values():
            for text in template.values() if isinstance(template, dict) else [template]:
                for part in _PLACEHOLDER.split(text):
                    found.update(line.strip() for line in part.split("\n") if len(line.strip()) >= 16)
        return found

    others = set().union(*(phrases(lang) for lang in SUPPORTED_LANGUAGES if lang != language))
    return frozenset(phrase for phrase in phrases(language) if not any(phrase in o for o in others))


def assert_in_language(answer: str, language: str) -> None:
    assert any(phrase in answer for phrase in phrases_only_in(language)), f"not in {language}: {answer!r}"
    for other in SUPPORTED_LANGUAGES:
        if other != language:
            leaked = [phrase for phrase in phrases_only_in(other) if phrase in answer]
            assert not leaked, f"{other} in a {language} answer: {leaked}"


def run_command(world: FuzzWorld, command: str, text: str, caller: str) -> None:
    user_id, channel_id, language, must_not_write = CALLERS[caller]
    unknown = command == "/netwerk" and (text.split() or [""])[0].lower() not in SUBCOMMAND_WORDS
    world.emulator.reset_calls()
    before = written(world)

    response = world.driver.slash_command(text, command=command, user_id=user_id, channel_id=channel_id)
    world.bot.settle()

    assert response.status == 200, (response.status, response.body)
    calls = [call for call in world.emulator.calls if call.method in ANSWER_METHODS]
    assert calls, "the caller was told nothing"
    answer = "\n".join(text for call in calls for text in texts_in(call.args))
    assert_in_language(answer, language)
    unexpected = [catalog(lang)["error.unexpected"] for lang in SUPPORTED_LANGUAGES]
    assert not any(text in answer for text in unexpected), "the command reached the error boundary"
    if must_not_write or unknown:
        assert written(world) == before
    # A modal left open would only stack up under the next example's.
    for call in world.emulator.calls_to("views.open"):
        view_id = call.response.get("view", {}).get("id")
        if view_id:
            world.emulator.close_view(user_id, view_id)


@pytest.mark.parametrize("caller", sorted(CALLERS))
@FUZZ
@given(text=command_text)
@example(text="")
@example(text="\u0000")
@example(text="start <!channel>")
@example(text="rol <@U123> gast")
@example(text="x" * 12_000)
def test_netwerk_answers_any_text(world: FuzzWorld, caller: str, text: str) -> None:
    run_command(world, "/netwerk", text, caller)


@pytest.mark.parametrize("caller", sorted(CALLERS))
@FUZZ
@given(text=st.one_of(command_text, st.sampled_from(("lijst", "LIST", " list ", "lijst extra"))))
@example(text="")
@example(text="<!here> <http://evil.example|klik>")
def test_case_answers_any_text(world: FuzzWorld, caller: str, text: str) -> None:
    run_command(world, "/case", text, caller)
