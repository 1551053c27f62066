"""The summary's views: snapshots, Slack's limits for a network with hundreds of cases, escaping, and
the names that stay out of the channel."""

from __future__ import annotations

import json
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta

import pytest

from bot.i18n import Texts
from bot.sandbox.blockkit import validate_blocks
from bot.sandbox.blockkit import validate_view
from bot.services.checkin_common import SCALE
from bot.services.expectations import GoalLine
from bot.services.lessons import LessonLine
from bot.services.summary import Attention
from bot.services.summary import AttentionPoint
from bot.services.summary import CaseCounts
from bot.services.summary import Contribution
from bot.services.summary import DigestOverview
from bot.services.summary import LastMeeting
from bot.services.summary import MeetingPoint
from bot.services.summary import NetworkSummary
from bot.services.summary import TrendPoint
from bot.views.checkins import NetworkModalContext
from bot.views.summary import digest_modal
from bot.views.summary import quiet_members_note
from bot.views.summary import summary_message
from storage.models import DigestFrequency
from tests.snapshots import assert_matches_snapshot
from tests.snapshots import assert_valid_and_matches_snapshot
from tests.snapshots import message_dict

NOW = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)


def empty_summary(**changes) -> NetworkSummary:
    values = dict(
        network_id=1,
        channel_id="C0NETWERK",
        name="Lerend netwerk jeugdhulp",
        goal="",
        language="nl",
        timezone="Europe/Brussels",
        generated_at=NOW,
        member_count=3,
        facilitator_ids=["U0ELS"],
        introduced=0,
        agreements_accepted=None,
        top_goals=[],
        cases=CaseCounts(0, 0, 0, 0, 0),
        lessons=[],
        waiting_titles=[],
        confidential_titles=[],
        contribution=Contribution(0, 0, 3, 0, 0, 0),
        trend=[],
        meetings=[],
        last_meeting=None,
        attention=[
            AttentionPoint(Attention.NOT_INTRODUCED, 3),
            AttentionPoint(Attention.NO_AGREEMENTS, 1),
            AttentionPoint(Attention.TOO_FEW_MEMBERS, 3),
        ],
        quiet_member_ids=["U0ELS", "U0JOKE", "U0MEHMET"],
    )
    return NetworkSummary(**{**values, **changes})


def trend(scores: list[tuple[int, int, int]]) -> list[TrendPoint]:
    points = []
    for n, (best, middle, worst) in enumerate(scores):
        answers = dict.fromkeys(SCALE, 0)
        answers.update({SCALE[0]: best, SCALE[2]: middle, SCALE[4]: worst})
        respondents = best + middle + worst
        score = round((5 * best + 3 * middle + worst) / respondents, 2) if respondents else None
        points.append(
            TrendPoint(n + 1, date(2026, 9, 21) + timedelta(days=14 * n), respondents, score, answers)
        )
    return points


def rich_summary(language: str = "nl", **changes) -> NetworkSummary:
    meeting = MeetingPoint(7, "Moeilijke gesprekken", datetime(2026, 10, 22, 11, 30, tzinfo=UTC), 6, 4.17)
    values = dict(
        language=language,
        goal="Samen sterker in moeilijke gesprekken met ouders & scholen",
        member_count=12,
        introduced=11,
        agreements_accepted=10,
        top_goals=[GoalLine("Grenzen stellen", 5), GoalLine("Samenwerken met scholen", 1)],
        cases=CaseCounts(open_without_advice=2, open_with_advice=3, closed=4, confidential=1, waiting_long=1),
        lessons=[LessonLine("Een vader die niet meer komt", "Eerst luisteren, dan pas voorstellen.")],
        waiting_titles=["Een tiener in crisis"],
        confidential_titles=["Een moeilijk gesprek"],
        contribution=Contribution(
            advice_total=31, cases_total=10, members=12, contributors=9, advice_median=2, advice_max=7
        ),
        trend=trend([(4, 2, 0), (5, 1, 0), (2, 3, 2)]),
        meetings=[meeting],
        last_meeting=LastMeeting(meeting, ["Meer rollenspel", "Vaker samen"]),
        attention=[
            AttentionPoint(Attention.CASES_WAITING, 1),
            AttentionPoint(Attention.CHECKIN_FALLING, 1),
            AttentionPoint(Attention.NOT_INTRODUCED, 1),
            AttentionPoint(Attention.AGREEMENTS_PENDING, 2),
        ],
        quiet_member_ids=["U0SARAH", "U0TOM", "U0LIES"],
    )
    return empty_summary(**{**values, **changes})


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_summary_of_a_rich_network(language: str) -> None:
    message = summary_message(Texts(language), rich_summary(language))

    assert_valid_and_matches_snapshot(f"summary_rich_{language}", message)


def test_the_summary_of_a_new_network_reads_well() -> None:
    message = summary_message(Texts("nl"), empty_summary())

    assert validate_blocks(message.blocks_as_dicts()) == []
    rendered = json.dumps(message_dict(message), ensure_ascii=False)
    assert "net gestart" in rendered
    assert "Nog geen casussen" in rendered
    assert_matches_snapshot("summary_new_nl", message_dict(message))


def test_names_of_members_who_did_not_contribute_stay_out_of_the_channel() -> None:
    summary = rich_summary()
    rendered = json.dumps(message_dict(summary_message(Texts("nl"), summary)))
    note = quiet_members_note(Texts("nl"), summary)

    for user_id in summary.quiet_member_ids:
        assert user_id not in rendered
    assert note is not None
    assert all(f"<@{user_id}>" in note.text for user_id in summary.quiet_member_ids)
    assert quiet_members_note(Texts("nl"), rich_summary(quiet_member_ids=[])) is None


def test_user_text_cannot_ping_or_link() -> None:
    summary = rich_summary(
        goal="<!channel> kom allemaal",
        lessons=[LessonLine("<@U0ELS> & <https://evil.example|klik>", "<!here>")],
        waiting_titles=["<!everyone>"],
    )
    rendered = json.dumps(message_dict(summary_message(Texts("nl"), summary)))

    for raw in ("<!channel>", "<!here>", "<!everyone>", "<@U0ELS>", "<https://"):
        assert raw not in rendered


def test_hundreds_of_cases_and_long_texts_stay_within_slacks_limits() -> None:
    long_text = "&<>" * 700  # escaping makes it five times longer
    summary = rich_summary(
        name="N" * 80,
        goal=long_text,
        member_count=400,
        top_goals=[GoalLine(long_text, 300)] * 5,
        cases=CaseCounts(120, 240, 300, 90, 120),
        lessons=[LessonLine(long_text, long_text)] * 5,
        waiting_titles=[long_text] * 3,
        confidential_titles=[long_text] * 5,
        trend=trend([(6, 5, 4)] * 24),
        last_meeting=LastMeeting(
            MeetingPoint(7, long_text, datetime(2026, 10, 22, 11, 30, tzinfo=UTC), 400, 3.0), [long_text] * 3
        ),
        quiet_member_ids=[f"U{n:08d}" for n in range(300)],
    )

    message = summary_message(Texts("nl"), summary)
    note = quiet_members_note(Texts("nl"), summary)

    assert validate_blocks(message.blocks_as_dicts()) == []
    assert len(message.blocks) <= 50
    assert len(message.text) <= 40_000
    assert note is not None and validate_blocks(note.blocks_as_dicts()) == []
    assert "300" in message_dict(message)["blocks"].__repr__()
    assert "90" in message_dict(message)["blocks"].__repr__()


def test_the_digest_modal() -> None:
    overview = DigestOverview(
        network_id=1,
        frequency=DigestFrequency.MONTHLY,
        next_run_at=datetime(2026, 12, 7, 8, 0, tzinfo=UTC),
        timezone="Europe/Brussels",
    )
    context = NetworkModalContext(
        network_id=1, channel_id="C0NETWERK", language="nl", timezone="Europe/Brussels"
    )

    modal = digest_modal(Texts("nl"), overview, context=context).to_dict()

    assert validate_view(modal) == []
    assert_matches_snapshot("summary_digest_modal_nl", modal)
