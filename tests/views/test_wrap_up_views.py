"""The wrap-up views: snapshots of what Slack receives, Slack's limits, escaping of what members wrote."""

from __future__ import annotations

import dataclasses
from datetime import UTC
from datetime import date
from datetime import datetime

import pytest

from bot.i18n import Texts
from bot.sandbox.blockkit import validate_blocks
from bot.sandbox.blockkit import validate_view
from bot.services.wrap_up import GoalRef
from bot.services.wrap_up import Harvest
from bot.services.wrap_up import HarvestGoal
from bot.services.wrap_up import LookBackDraft
from bot.services.wrap_up import Story
from bot.services.wrap_up import ThermometerPoint
from bot.services.wrap_up import WrapUpPlan
from bot.services.wrap_up import WrapUpPost
from bot.views.limits import MESSAGE_BLOCKS_MAX
from bot.views.wrap_up import announcement_message
from bot.views.wrap_up import closed_announcement_message
from bot.views.wrap_up import harvest_markdown
from bot.views.wrap_up import harvest_message
from bot.views.wrap_up import invitation_message
from bot.views.wrap_up import look_back_modal
from bot.views.wrap_up import wrap_up_modal
from storage.models import Network
from storage.models.base import AnswerPeriodStatus
from tests.snapshots import assert_matches_snapshot
from tests.snapshots import message_dict

LANGUAGES = ["nl", "en"]
CLOSES = datetime(2026, 11, 3, 16, 0, tzinfo=UTC)
GOALS = [
    GoalRef(key="intervisie", text="Beter intervisie <!channel> leiden"),
    GoalRef(key="rust", text="Meer rust"),
]
PLAN = WrapUpPlan(
    network=Network(  # type: ignore[call-arg]
        id=1, name="Jeugdhulp <!here>", channel_id="C0NETWERK", language="nl", timezone="Europe/Brussels"
    ),
    today=date(2026, 10, 20),
    default_ends_on=date(2026, 11, 3),
    goals=GOALS,
)
POST = WrapUpPost(
    wrap_up_id=7,
    key="wrap-up/7",
    channel_id="C0NETWERK",
    language="nl",
    timezone="Europe/Brussels",
    network_name="Jeugdhulp <!here>",
    closes_at=CLOSES,
    status=AnswerPeriodStatus.OPEN,
    message_ts=None,
    goals=GOALS,
)
HARVEST = Harvest(
    post=POST,
    closed_at=CLOSES,
    member_count=12,
    respondents=9,
    goals=[
        HarvestGoal(text="Beter intervisie <!channel> leiden", average=3.6, answers=9),
        HarvestGoal(text="Meer rust", average=None, answers=0),
    ],
    closing_lessons=["Eerst vragen <@U0JOKE>, dan raad", "Kwetsbaar zijn *werkt*"],
    earlier_lessons=["Bel de ouders zelf"],
    stories=[Story(took_part="Intervisie", did_differently="Vragen stellen", yielded="Rust <!everyone>")],
    figures={"sessions": 8, "cases": 12, "advice": 40, "follow_ups": 5},
    thermometer=[
        ThermometerPoint(closed_at=datetime(2026, 4, 13, 8, 0, tzinfo=UTC), average=6.2),
        ThermometerPoint(closed_at=datetime(2026, 10, 12, 8, 0, tzinfo=UTC), average=7.1),
    ],
)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_ritual_and_its_harvest(language: str) -> None:
    texts = Texts(language)
    draft = LookBackDraft(
        wrap_up_id=7,
        language=language,
        goals=GOALS,
        levels={"intervisie": 4},
        lesson="Eerst vragen",
        story={"took_part": "Intervisie"},
        shared=True,
    )
    shown = {
        "confirmation": wrap_up_modal(texts, PLAN).to_dict(),
        "announcement": message_dict(announcement_message(texts, POST)),
        "closed": message_dict(closed_announcement_message(texts)),
        "invitation": message_dict(invitation_message(texts, POST)),
        "reminder": message_dict(invitation_message(texts, POST, reminder=True)),
        "look_back": look_back_modal(texts, draft, channel_id="C0NETWERK").to_dict(),
        "harvest": message_dict(harvest_message(texts, HARVEST)),
        "file": harvest_markdown(texts, HARVEST, chart="data:image/png;base64,AAAA"),
    }
    for name in ("announcement", "closed", "invitation", "reminder", "harvest"):
        assert validate_blocks(shown[name]["blocks"]) == []
    assert validate_view(shown["confirmation"]) == [] and validate_view(shown["look_back"]) == []
    dumped = str(shown["harvest"]) + str(shown["announcement"]) + str(shown["invitation"])
    for control in ("<!channel>", "<!here>", "<!everyone>", "<@U0JOKE>"):
        assert control not in dumped
    assert "U0ELS" not in dumped
    assert_matches_snapshot(f"wrap_up_{language}", shown)


def test_a_harvest_of_many_lessons_and_stories_stays_within_slacks_limits() -> None:
    many = dataclasses.replace(
        HARVEST,
        member_count=60,
        respondents=60,
        goals=HARVEST.goals * 3,
        closing_lessons=["Een les die lang is. " * 50] * 60,
        earlier_lessons=["Eerder geleerd"] * 200,
        stories=[Story(took_part="a" * 500, did_differently="b" * 500, yielded="c" * 500)] * 60,
        thermometer=[],
    )
    blocks = harvest_message(Texts("nl"), many).blocks_as_dicts()
    assert len(blocks) <= MESSAGE_BLOCKS_MAX and validate_blocks(blocks) == []
