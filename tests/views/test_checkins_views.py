"""The check-in and meeting views: snapshots of what Slack receives, Slack's limits, escaping."""

from __future__ import annotations

import dataclasses
from datetime import UTC
from datetime import date
from datetime import datetime

import pytest

from bot.i18n import Texts
from bot.sandbox.blockkit import validate_blocks
from bot.sandbox.blockkit import validate_view
from bot.services.checkin_answers import AnswerDraft
from bot.services.checkin_common import SCALE
from bot.services.checkin_common import WrittenAnswer
from bot.services.checkin_polls import PollPost
from bot.services.checkin_polls import PollResults
from bot.services.checkin_reminders import Reminder
from bot.services.checkin_schedule import ScheduleOverview
from bot.services.checkin_schedule import ScheduleRule
from bot.services.meetings import EvaluationDraft
from bot.services.meetings import MeetingInfo
from bot.views.checkins import AnswerModalContext
from bot.views.checkins import NetworkModalContext
from bot.views.checkins import agenda_message
from bot.views.checkins import answer_modal
from bot.views.checkins import closed_poll_message
from bot.views.checkins import evaluation_modal
from bot.views.checkins import evaluation_request_message
from bot.views.checkins import meeting_modal
from bot.views.checkins import meeting_planned_message
from bot.views.checkins import poll_message
from bot.views.checkins import reminder_message
from bot.views.checkins import results_message
from bot.views.checkins import schedule_modal
from bot.views.checkins import schedule_notice
from bot.views.checkins import schedule_saved_message
from storage.models.checkins import Frequency
from storage.models.checkins import PollStatus
from storage.models.checkins import Question
from tests.blocks import block_texts
from tests.snapshots import assert_matches_snapshot
from tests.snapshots import assert_valid_and_matches_snapshot
from tests.snapshots import message_dict

CLOSES = datetime(2026, 9, 17, 8, 0, tzinfo=UTC)
LANGUAGES = ["nl", "en", "fr"]


def post(language: str = "nl") -> PollPost:
    return PollPost(
        poll_id=7,
        network_id=1,
        key="checkin/1/2026-09-14",
        channel_id="C1",
        language=language,
        timezone="Europe/Brussels",
        closes_at=CLOSES,
        status=PollStatus.OPEN,
        message_ts="1789000000.000100",
    )


def results(
    language: str = "nl",
    *,
    respondents: int = 4,
    goes_well: list[WrittenAnswer] | None = None,
    could_be_better: list[WrittenAnswer] | None = None,
) -> PollResults:
    """The results of the poll `post` posted, as it closes."""
    return PollResults(
        post=dataclasses.replace(post(language), status=PollStatus.CLOSING),
        results_ts=None,
        member_count=12,
        respondent_count=respondents,
        anonymity_threshold=3,
        distribution={
            "grinning": 2,
            "slightly_smiling_face": 1,
            "neutral_face": 1,
            "slightly_frowning_face": 0,
            "disappointed": 0,
        },
        goes_well=goes_well
        if goes_well is not None
        else [WrittenAnswer("De casussen", None), WrittenAnswer("De sfeer", "U0SARAH")],
        could_be_better=could_be_better if could_be_better is not None else [],
    )


def overview(**changes) -> ScheduleOverview:
    rule = ScheduleRule(
        frequency=changes.pop("frequency", Frequency.BIWEEKLY),
        weekday=changes.pop("weekday", 0),
        hour=changes.pop("hour", 10),
        minute=changes.pop("minute", 0),
        timezone="Europe/Brussels",
        anchor=date(2026, 9, 21),
    )
    now = datetime(2026, 9, 14, 8, 0, tzinfo=UTC)
    return ScheduleOverview(
        network_id=1,
        rule=rule,
        open_days=3,
        reminders=True,
        anonymity_threshold=changes.pop("threshold", 3),
        is_default=changes.pop("is_default", True),
        next_run=rule.next_run_at_or_after(now),
        irregular=rule.irregular_runs(now),
    )


def meeting(topic: str = "Moeilijke gesprekken", cases: str = "Een vader\nEen tiener") -> MeetingInfo:
    return MeetingInfo(
        meeting_id=3,
        network_id=1,
        channel_id="C1",
        language="nl",
        timezone="Europe/Brussels",
        starts_at=datetime(2026, 9, 24, 11, 30, tzinfo=UTC),
        ends_at=datetime(2026, 9, 24, 14, 30, tzinfo=UTC),
        topic=topic,
        cases_text=cases,
        planned_by="U1",
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_poll(language: str) -> None:
    message = poll_message(Texts(language), post(language))
    assert_valid_and_matches_snapshot(f"checkin_poll_{language}", message)


def test_the_poll_asks_the_contracts_questions_in_both_languages() -> None:
    dutch = str(poll_message(Texts("nl"), post()).blocks_as_dicts())
    english = str(poll_message(Texts("en"), post("en")).blocks_as_dicts())
    for question in ("Zijn we goed bezig?", "Wat gaat goed?", "Wat kan beter?"):
        assert question in dutch
    for question in ("Are we doing well?", "What goes well?", "What could be better?"):
        assert question in english
    assert all(f":{emoji}:" in dutch for emoji in SCALE)
    # The closing as Slack's date token, each reader's zone; the network's own as the fallback.
    closes = int(post().closes_at.timestamp())
    assert f"<!date^{closes}^{{date_long_pretty}} om {{time}}|donderdag 17 september om 10:00>" in dutch
    assert f"<!date^{closes}^{{date_long_pretty}} at {{time}}|Thursday, 17 September at 10:00>" in english


def test_closed_poll_has_no_buttons() -> None:
    message = closed_poll_message(Texts("nl"))
    assert_matches_snapshot("checkin_poll_closed_nl", message_dict(message))
    assert "button" not in str(message.blocks_as_dicts())


@pytest.mark.parametrize("language", LANGUAGES)
def test_results(language: str) -> None:
    message = results_message(Texts(language), results(language))
    assert_valid_and_matches_snapshot(f"checkin_results_{language}", message)


def test_results_below_the_threshold_show_only_the_count() -> None:
    message = results_message(Texts("nl"), results(respondents=2))
    assert_matches_snapshot("checkin_results_too_few_nl", message_dict(message))
    rendered = str(message.blocks_as_dicts())
    assert "De casussen" not in rendered and "U0SARAH" not in rendered and ":grinning:" not in rendered


def test_results_show_answers_harmlessly() -> None:
    answers = [WrittenAnswer("<!channel> *vet* & <@U9>\ntweede regel", None), WrittenAnswer("x", "<!here>")]
    message = results_message(Texts("nl"), results(goes_well=answers))
    rendered = " ".join(block_texts(message.blocks_as_dicts(), mrkdwn_only=True))
    assert "<!channel>" not in rendered and "<@U9>" not in rendered and "<!here>" not in rendered
    assert "&lt;!channel&gt; *\u200bvet*\u200b &amp; &lt;@U9&gt; tweede regel" in rendered


def test_results_of_a_big_group_with_long_answers_stay_within_slacks_limits() -> None:
    long = [WrittenAnswer(f"{n:03d} " + "&<>" * 333, None) for n in range(60)]
    message = results_message(Texts("nl"), results(goes_well=long, could_be_better=long[:40]))
    blocks = message.blocks_as_dicts()
    assert validate_blocks(blocks) == []
    assert len(blocks) <= 50
    rendered = "\n".join(block_texts(blocks, mrkdwn_only=True))
    assert "Wat gaat goed?" in rendered and "Wat kan beter?" in rendered
    assert "antwoorden die hier niet meer passen" in rendered
    shown = rendered.count("• ")
    left_out = sum(
        int(line.split("nog ")[1].split(" ")[0])
        for line in rendered.splitlines()
        if "niet meer passen" in line
    )
    assert shown + left_out == 100


@pytest.mark.parametrize("language", LANGUAGES)
def test_answer_modal(language: str) -> None:
    draft = AnswerDraft(
        poll_id=7, question=Question.COULD_BE_BETTER, language=language, text="Meer tijd", signed=True
    )
    modal = answer_modal(Texts(language), draft, channel_id="C1").to_dict()
    assert validate_view(modal) == []
    assert_matches_snapshot(f"checkin_answer_modal_{language}", modal)
    context = AnswerModalContext.decode(modal["private_metadata"])
    assert (context.poll_id, context.question, context.language) == (7, "could_be_better", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_schedule_modal(language: str) -> None:
    context = NetworkModalContext(
        network_id=1, channel_id="C1", language=language, timezone="Europe/Brussels"
    )
    modal = schedule_modal(Texts(language), overview(), context=context).to_dict()
    assert validate_view(modal) == []
    assert_matches_snapshot(f"checkin_schedule_modal_{language}", modal)
    assert NetworkModalContext.decode(modal["private_metadata"]) == context


def test_the_schedule_modal_offers_no_threshold_below_the_current_one() -> None:
    context = NetworkModalContext(network_id=1, channel_id="C1", language="nl", timezone="Europe/Brussels")
    modal = schedule_modal(Texts("nl"), overview(threshold=6, is_default=False), context=context).to_dict()
    threshold = next(b for b in modal["blocks"] if b.get("block_id") == "checkin_schedule_threshold")
    assert threshold["element"]["options"][0]["value"] == "6"


def test_schedule_notice_and_saved_message_explain_gap_and_fold() -> None:
    at_half_past_two_on_sunday = overview(frequency=Frequency.WEEKLY, weekday=6, hour=2, minute=30)
    notice = schedule_notice(Texts("nl"), at_half_past_two_on_sunday)
    saved = schedule_saved_message(Texts("en"), at_half_past_two_on_sunday, user_id="U1")
    assert_matches_snapshot("checkin_schedule_notice_nl", message_dict(notice))
    assert_matches_snapshot("checkin_schedule_saved_en", message_dict(saved))
    assert "happens twice" in str(saved.blocks_as_dicts()) and "03:30" in str(saved.blocks_as_dicts())


def test_reminder() -> None:
    reminder = Reminder(post=post("nl"), user_ids=["U2"])
    assert_matches_snapshot("checkin_reminder_nl", message_dict(reminder_message(Texts("nl"), reminder)))


@pytest.mark.parametrize("language", LANGUAGES)
def test_meeting_modal(language: str) -> None:
    context = NetworkModalContext(
        network_id=1, channel_id="C1", language=language, timezone="Europe/Brussels"
    )
    modal = meeting_modal(Texts(language), context=context, suggested_day=date(2026, 9, 21)).to_dict()
    assert validate_view(modal) == []
    assert_matches_snapshot(f"meeting_modal_{language}", modal)


def test_meeting_messages() -> None:
    texts = Texts("nl")
    snapshot = {
        "planned": message_dict(meeting_planned_message(texts, meeting())),
        "agenda": message_dict(agenda_message(texts, meeting())),
        "agenda_without_cases": message_dict(agenda_message(texts, meeting(cases=""))),
        "evaluation": message_dict(evaluation_request_message(texts, meeting())),
    }
    for message in snapshot.values():
        assert validate_blocks(message["blocks"]) == []
    assert_matches_snapshot("meeting_messages_nl", snapshot)


def test_meeting_messages_show_user_text_literally() -> None:
    tricky = meeting(topic="<!channel> *nu*", cases="<@U9> & co\n<https://x.example|klik>")
    rendered = " ".join(
        " ".join(block_texts(message.blocks_as_dicts(), mrkdwn_only=True)) + message.text
        for message in (
            meeting_planned_message(Texts("nl"), tricky),
            agenda_message(Texts("nl"), tricky),
            evaluation_request_message(Texts("nl"), tricky),
        )
    )
    assert "<!channel>" not in rendered and "<@U9>" not in rendered and "<https://" not in rendered


@pytest.mark.parametrize("language", LANGUAGES)
def test_evaluation_modal(language: str) -> None:
    draft = EvaluationDraft(
        meeting_id=3, language=language, topic="Moeilijke gesprekken", usefulness=4, takeaway=""
    )
    modal = evaluation_modal(Texts(language), draft, channel_id="C1").to_dict()
    assert validate_view(modal) == []
    assert_matches_snapshot(f"meeting_evaluation_modal_{language}", modal)
