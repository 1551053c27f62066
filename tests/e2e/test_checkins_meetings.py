"""`/netwerk sessie` end to end: planning a meeting, its agenda the day before, its evaluation at the end."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

from bot import jobs
from bot.clock import ManualClock
from bot.demo.harness import LocalBot
from bot.sandbox.emulator import SlackEmulator
from bot.sandbox.render import mrkdwn_to_text
from bot.views.ids import VALUE_ACTION
from bot.views.ids import CheckinActions
from bot.views.ids import MeetingEvaluationBlocks
from bot.views.ids import MeetingPlanBlocks
from bot.views.ids import PrivacyActions
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import OUTSIDER
from tests.e2e.conftest import PARTICIPANTS
from tests.e2e.conftest import channel_messages
from tests.e2e.conftest import ephemeral_texts
from tests.e2e.conftest import exported
from tests.e2e.conftest import open_modal
from tests.e2e.conftest import press_on_ephemeral
from tests.e2e.conftest import start_network
from tests.e2e.timed import job_context
from tests.factories import form_values

MEETING = {
    MeetingPlanBlocks.DAY: "2026-09-24",
    MeetingPlanBlocks.START: "13:30",
    MeetingPlanBlocks.END: "16:30",
    MeetingPlanBlocks.TOPIC: "Moeilijke gesprekken <!here>",
    MeetingPlanBlocks.CASES: "Een vader die niet opdaagt\n*Grenzen* bij een tiener",
}


def plan(bot: LocalBot, **changes: str):
    bot.command("sessie", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    values = {**MEETING, **changes}
    return bot.submit_view(FACILITATOR, form_values(values))


def open_evaluation(bot: LocalBot, user_id: str, request: dict) -> None:
    """Press "evaluate" on the meeting's evaluation request in the channel."""
    assert bot.driver is not None
    bot.driver.block_action(
        user_id=user_id,
        action_id=CheckinActions.EVALUATE_MEETING,
        channel_id=NETWORK_CHANNEL,
        message_ts=request["ts"],
    )
    bot.settle()


def evaluation_requested(bot: LocalBot, emulator: SlackEmulator, clock: ManualClock) -> dict:
    """A started network whose planned meeting just ended; the request to evaluate it in the channel."""
    start_network(bot)
    plan(bot)
    clock.set(datetime(2026, 9, 24, 14, 30, tzinfo=UTC))
    jobs.run_meeting_steps(job_context(bot))
    return emulator.messages(NETWORK_CHANNEL)[-1]


def test_a_facilitator_plans_a_meeting_and_the_channel_hears_of_it(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    start_network(bot)
    view = open_modal(bot, "sessie", FACILITATOR)
    assert view["callback_id"] == "meeting_plan"
    assert view["blocks"][1]["element"]["initial_date"] == "2026-09-21"  # a week from today

    response = plan(bot)

    assert response.status == 200 and response.problems == []
    planned = emulator.messages(NETWORK_CHANNEL)[-1]
    said = planned["blocks"][0]["text"]["text"]
    # Each reader's Slack shows the day and hours in their own zone; the fallback is Brussels's.
    starts = int(datetime(2026, 9, 24, 11, 30, tzinfo=UTC).timestamp())
    assert f"<!date^{starts}^{{date_long_pretty}}|donderdag 24 september>" in said
    assert "donderdag 24 september, van 13:30 tot 16:30" in mrkdwn_to_text(said)
    assert "<!here>" not in str(planned) and "&lt;!here&gt;" in str(planned["blocks"])
    [meeting] = exported(bot)["sessions"]
    assert (
        meeting["starts_at"] == "2026-09-24T11:30:00+00:00"
        and meeting["ends_at"] == "2026-09-24T14:30:00+00:00"
    )


def test_only_a_facilitator_plans_and_an_impossible_meeting_is_named_in_the_modal(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    start_network(bot)
    bot.command("session", user_id=PARTICIPANTS[0], channel_id=NETWORK_CHANNEL)
    assert emulator.open_view(PARTICIPANTS[0]) is None
    assert ephemeral_texts(emulator, PARTICIPANTS[0]) == ["Dat kan alleen een facilitator van dit netwerk."]

    response = plan(bot, **{MeetingPlanBlocks.DAY: "2026-09-01", MeetingPlanBlocks.END: "12:00"})
    assert set(response.json()["errors"]) == {MeetingPlanBlocks.DAY, MeetingPlanBlocks.END}
    assert "voorbij" in response.json()["errors"][MeetingPlanBlocks.DAY]
    assert exported(bot)["sessions"] == []


def test_the_agenda_comes_the_day_before_and_the_evaluation_at_the_end(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    start_network(bot)
    plan(bot)
    context = job_context(bot)

    clock.set(datetime(2026, 9, 23, 11, 30, tzinfo=UTC))
    jobs.run_meeting_steps(context)
    jobs.run_meeting_steps(context)
    agenda = emulator.messages(NETWORK_CHANNEL)[-1]
    assert "Agenda voor de bijeenkomst" in str(agenda["blocks"])
    cases = agenda["blocks"][3]["text"]["text"]
    assert "• Een vader die niet opdaagt" in cases and "*\u200bGrenzen*\u200b bij een tiener" in cases

    clock.set(datetime(2026, 9, 24, 14, 30, tzinfo=UTC))
    jobs.sweep(bot.runtime.scheduling.runtime)
    jobs.sweep(bot.runtime.scheduling.runtime)
    request = emulator.messages(NETWORK_CHANNEL)[-1]
    assert "Hoe was de bijeenkomst?" in str(request["blocks"])
    assert len(emulator.messages(NETWORK_CHANNEL)) == 4  # welcome, planned, agenda, evaluation

    for user, score, takeaway in ((PARTICIPANTS[0], "4", "Eerst bellen"), (PARTICIPANTS[1], "5", "")):
        open_evaluation(bot, user, request)
        bot.submit_view(
            user,
            {
                MeetingEvaluationBlocks.USEFULNESS: {VALUE_ACTION: score},
                MeetingEvaluationBlocks.TAKEAWAY: {VALUE_ACTION: takeaway},
            },
        )
    assert ephemeral_texts(emulator, PARTICIPANTS[0]) == ["Bedankt voor je evaluatie!"]

    open_evaluation(bot, OUTSIDER, request)
    assert "geen lid" in ephemeral_texts(emulator, OUTSIDER)[0]

    [meeting] = exported(bot)["sessions"]
    assert meeting["evaluation"]["responses"] == 2 and meeting["evaluation"]["average_usefulness"] == 4.5
    assert meeting["evaluation"]["takeaways"] == ["Eerst bellen"]
    assert meeting["agenda_posted"] is True


def test_an_evaluation_without_a_score_keeps_the_modal_open(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    request = evaluation_requested(bot, emulator, clock)
    open_evaluation(bot, PARTICIPANTS[0], request)
    response = bot.submit_view(PARTICIPANTS[0], {MeetingEvaluationBlocks.TAKEAWAY: {VALUE_ACTION: "x"}})
    assert response.json()["errors"] == {MeetingEvaluationBlocks.USEFULNESS: "Kies een van de mogelijkheden."}
    assert exported(bot)["sessions"][0]["evaluation"]["responses"] == 0


def test_an_archived_network_takes_no_evaluations(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    request = evaluation_requested(bot, emulator, clock)
    open_evaluation(bot, PARTICIPANTS[0], request)  # opened before the archive, sent after it
    bot.command("archiveer", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    press_on_ephemeral(bot, emulator, FACILITATOR, PrivacyActions.ARCHIVE)

    late = bot.submit_view(PARTICIPANTS[0], {MeetingEvaluationBlocks.USEFULNESS: {VALUE_ACTION: "4"}})
    assert "nog niet gekoppeld" in late.json()["errors"][MeetingEvaluationBlocks.USEFULNESS]
    open_evaluation(bot, PARTICIPANTS[1], request)
    assert emulator.open_view(PARTICIPANTS[1]) is None
    assert "nog niet gekoppeld" in ephemeral_texts(emulator, PARTICIPANTS[1])[0]
    assert exported(bot)["sessions"][0]["evaluation"]["responses"] == 0


def test_an_agenda_or_evaluation_slack_refused_is_not_posted_once_its_time_is_past(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    start_network(bot)
    plan(bot)
    emulator.leave(NETWORK_CHANNEL, emulator.bot_user_id)  # someone removed the bot from the channel
    for moment in (datetime(2026, 9, 23, 11, 30, tzinfo=UTC), datetime(2026, 9, 24, 14, 30, tzinfo=UTC)):
        clock.set(moment)  # the agenda's time, then the evaluation's: Slack refuses both
        jobs.run_meeting_steps(job_context(bot))
    emulator.join(NETWORK_CHANNEL, emulator.bot_user_id)
    posted = len(emulator.messages(NETWORK_CHANNEL))

    # Invited again a month later, the bot does not post the agenda or the evaluation of a meeting long past.
    clock.set(datetime(2026, 10, 26, 9, 0, tzinfo=UTC))
    jobs.recover(job_context(bot))
    assert len(emulator.messages(NETWORK_CHANNEL)) == posted


def test_a_meeting_submitted_twice_is_planned_once(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    view = open_modal(bot, "sessie", FACILITATOR)
    bot.submit_view(FACILITATOR, form_values(MEETING))
    # Sent again: a double click, or a retry after Slack gave up waiting for the first.
    assert bot.driver is not None
    bot.driver.submit_view(FACILITATOR, form_values(MEETING), view_id=view["id"])
    bot.settle()

    assert len(exported(bot)["sessions"]) == 1
    assert len(channel_messages(emulator, "plande een bijeenkomst")) == 1
