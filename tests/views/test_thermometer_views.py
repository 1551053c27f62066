"""The thermometer views: snapshots of what Slack receives, Slack's limits, escaping of answers."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

import pytest

from bot.i18n import Texts
from bot.sandbox.blockkit import validate_blocks
from bot.sandbox.blockkit import validate_view
from bot.services.thermometer import RoundPost
from bot.services.thermometer import RoundResults
from bot.services.thermometer import ThermometerDraft
from bot.views.thermometer import answer_modal
from bot.views.thermometer import closed_round_message
from bot.views.thermometer import results_message
from bot.views.thermometer import round_message
from bot.views.thermometer import suggestions_message
from storage.models.base import AnswerPeriodStatus
from storage.models.thermometer import Aspect
from tests.snapshots import assert_matches_snapshot
from tests.snapshots import message_dict

LANGUAGES = ["nl", "en"]
CLOSES = datetime(2026, 10, 12, 8, 0, tzinfo=UTC)
POST = RoundPost(
    round_id=4,
    key="thermometer/1/2026-q4",
    channel_id="C0NETWERK",
    language="nl",
    timezone="Europe/Brussels",
    closes_at=CLOSES,
    anonymity_threshold=3,
    status=AnswerPeriodStatus.CLOSED,
    message_ts="1700000000.000100",
    network_name="Jeugdhulp <!channel>",
)
RESULTS = RoundResults(
    post=POST,
    closed_at=CLOSES,
    member_count=12,
    respondent_count=9,
    averages={
        Aspect.GOAL: 7.4,
        Aspect.PROCESS: 6.1,
        Aspect.CONTRIBUTION: 5.2,
        Aspect.SAFETY: 8.0,
        Aspect.FACILITATION: 6.9,
        Aspect.VALUE: 6.0,
    },
    previous={aspect: 6.5 for aspect in Aspect},
    stronger=["Meer casussen <!here>", "Vaker *live* samenkomen"],
    facilitator_ids=["U0ELS"],
)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_round_and_its_results(language: str) -> None:
    texts = Texts(language)
    shown = {
        "round": message_dict(round_message(texts, POST)),
        "closed": message_dict(closed_round_message(texts)),
        "results": message_dict(results_message(texts, RESULTS)),
        "suggestions": message_dict(suggestions_message(texts, RESULTS, POST.network_name)),
    }
    for message in shown.values():
        assert validate_blocks(message["blocks"]) == []
    assert "<!here>" not in str(shown["results"]) and "<!channel>" not in str(shown["suggestions"])
    assert_matches_snapshot(f"thermometer_{language}", shown)


def test_below_the_threshold_only_the_count_shows() -> None:
    hidden = RoundResults(post=POST, closed_at=CLOSES, member_count=12, respondent_count=2, averages={})
    text = str(results_message(Texts("nl"), hidden).blocks_as_dicts())
    assert "Te weinig antwoorden" in text and "Het doel" not in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_answer_modal_keeps_an_earlier_answer(language: str) -> None:
    draft = ThermometerDraft(
        round_id=4, language=language, scores={a.value: 7 for a in Aspect}, stronger="Meer casussen"
    )
    view = answer_modal(Texts(language), draft, channel_id="C0NETWERK").to_dict()
    assert validate_view(view) == []
    assert_matches_snapshot(f"thermometer_modal_{language}", view)
