"""Follow-ups end to end: closing a case with what its owner will try, the private question weeks later
(once, across restarts and processes), the answer in the thread, with the advisers, on the agenda and on
the card, "not yet" asked once more, confidential cases kept within the case.

The clock starts on Monday 14 September 2026, 10:00 in Brussels (08:00 UTC): three weeks later is
Monday 5 October, and 2 November falls after the autumn change of the clocks (10:00 is then 09:00 UTC).
"""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

import pytest

from bot import jobs
from bot.clock import ManualClock
from bot.demo.harness import LocalBot
from bot.sandbox.emulator import SlackEmulator
from bot.services.processes import LEASE
from bot.views.ids import FORGET_DETAILS_OPTION
from bot.views.ids import SHARE_LESSON_OPTION
from bot.views.ids import SHARE_TAKEAWAY_BLOCK
from bot.views.ids import SHARE_TAKEAWAY_OPTION
from bot.views.ids import VALUE_ACTION
from bot.views.ids import CaseActions
from bot.views.ids import CaseCloseBlocks
from bot.views.ids import CaseIntakeBlocks
from bot.views.ids import FollowUpActions
from bot.views.ids import FollowUpAnswerBlocks
from bot.views.ids import FollowUpCloseBlocks
from bot.views.ids import LessonActions
from bot.views.ids import MeetingEvaluationBlocks
from bot.views.ids import MeetingPlanBlocks
from bot.views.ids import PrivacyActions
from bot.views.ids import SafeActions
from bot.views.ids import SafeBlocks
from storage.models import CaseFollowUp
from tests.blocks import message_text
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import OUTSIDER
from tests.e2e.conftest import bring_case
from tests.e2e.conftest import cards
from tests.e2e.conftest import exported
from tests.e2e.conftest import forget_me
from tests.e2e.conftest import last_private
from tests.e2e.conftest import press
from tests.e2e.conftest import press_on_ephemeral
from tests.e2e.conftest import stored
from tests.e2e.conftest import the_card
from tests.e2e.test_cases import ADVISER
from tests.e2e.test_cases import OWNER
from tests.e2e.test_cases import give_advice
from tests.e2e.test_checkins_meetings import open_evaluation
from tests.e2e.test_checkins_meetings import plan as plan_meeting
from tests.e2e.test_checkins_schedule import kill
from tests.e2e.test_checkins_schedule import lead_and_sweep
from tests.e2e.test_checkins_schedule import restarted
from tests.e2e.test_safe_group import agree
from tests.e2e.test_safe_group import press_private
from tests.e2e.timed import run_as_leader
from tests.factories import form_values

pytestmark = pytest.mark.scheduler_stopped
"""These tests run the timed jobs themselves, as the scheduler would, one step at a time."""

FIRST_LOOK_BACK = datetime(2026, 10, 5, 8, 0, tzinfo=UTC)
AFTER_DST = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
LESSON = "Zelf bellen werkt beter dan een brief."
PLAN = "De ouders zelf opbellen."


def close_with_follow_up(
    bot: LocalBot,
    card_ts: str,
    *,
    day: str | None = None,
    share: bool = False,
    plan: str = PLAN,
    forget: bool = False,
) -> Any:
    press(bot, OWNER, CaseActions.CLOSE, card_ts)
    form: dict[str, Any] = {CaseCloseBlocks.LESSON: LESSON, FollowUpCloseBlocks.PLAN: plan}
    if forget:
        form[SafeBlocks.FORGET_DETAILS] = [FORGET_DETAILS_OPTION]
    if day is not None:
        form[FollowUpCloseBlocks.DATE] = day
    if share:
        form[FollowUpCloseBlocks.SHARE] = [SHARE_LESSON_OPTION]
    return bot.submit_view(OWNER, form_values(form))


def a_case_with_advice(bot: LocalBot, emulator: SlackEmulator, **changes: Any) -> str:
    bring_case(bot, **changes)
    card_ts = the_card(emulator)["ts"]
    give_advice(bot, ADVISER, card_ts, "Bel ze zelf op.")
    return card_ts


def a_question_asked(bot: LocalBot, emulator: SlackEmulator, clock: ManualClock) -> str:
    """A case with advice, closed with a follow-up on the proposed day, which has come: the question is
    in the owner's DM. The ts of the case's card."""
    card_ts = a_case_with_advice(bot, emulator)
    close_with_follow_up(bot, card_ts)
    clock.set(FIRST_LOOK_BACK)
    sweep(bot)
    return card_ts


def sweep(bot: LocalBot) -> None:
    run_as_leader(bot, jobs.sweep)


def questions(emulator: SlackEmulator, user_id: str = OWNER) -> list[dict]:
    return [
        m
        for m in emulator.messages(emulator.dm_channel_id(user_id))
        if "Wat deed je met het advies?" in message_text(m) or "Lukte het intussen?" in message_text(m)
    ]


def press_answer(
    bot: LocalBot, emulator: SlackEmulator, message_ts: str, outcome: str, user_id: str = OWNER
) -> Any:
    """Press the button of `outcome` on the question `message_ts` in the owner's DM; the response."""
    return press(
        bot,
        user_id,
        f"{FollowUpActions.ANSWER}:{outcome}",
        message_ts,
        channel_id=emulator.dm_channel_id(OWNER),
    )


def press_answer_on_a_copy(bot: LocalBot, emulator: SlackEmulator, question: dict, outcome: str) -> None:
    """Press the button of `outcome` on a copy of `question` in the owner's DM, as on an old question."""
    copy = emulator.add_message(
        emulator.dm_channel_id(OWNER), emulator.bot_user_id, question["text"], blocks=question["blocks"]
    )
    press_answer(bot, emulator, copy["ts"], outcome)


def answer(bot: LocalBot, emulator: SlackEmulator, outcome: str, text: str, *, user_id: str = OWNER) -> Any:
    press_answer(bot, emulator, questions(emulator)[-1]["ts"], outcome, user_id)
    return bot.submit_view(
        user_id,
        {
            FollowUpAnswerBlocks.OUTCOME: {VALUE_ACTION: outcome},
            FollowUpAnswerBlocks.ANSWER: {VALUE_ACTION: text},
        },
    )


def test_closing_proposes_three_weeks_and_asks_on_that_day_once(
    network: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    card_ts = a_case_with_advice(network, emulator)
    press(network, OWNER, CaseActions.CLOSE, card_ts)
    view = emulator.open_view(OWNER)
    assert view is not None
    [date_block] = [b for b in view["blocks"] if b.get("block_id") == FollowUpCloseBlocks.DATE]
    assert date_block["element"]["initial_date"] == "2026-10-05"
    assert FollowUpCloseBlocks.SHARE not in str(view["blocks"])  # only for confidential cases

    response = network.submit_view(
        OWNER, form_values({CaseCloseBlocks.LESSON: LESSON, FollowUpCloseBlocks.PLAN: PLAN})
    )

    assert (response.problems == [] and response.json() is None) or response.json() == {}
    [follow_up] = exported(network)["follow_ups"]
    assert follow_up["due_at"] == "2026-10-05T08:00:00+00:00" and follow_up["outcome"] is None
    clock.set(FIRST_LOOK_BACK - timedelta(minutes=1))
    sweep(network)
    assert questions(emulator) == []

    clock.set(FIRST_LOOK_BACK)
    sweep(network)
    sweep(network)
    [question] = questions(emulator)
    assert "Ouders die niet opdagen" in message_text(question) and PLAN in message_text(question)
    assert len(emulator.calls_to("chat.postMessage")) >= 1


def test_a_date_in_the_past_or_beyond_a_year_is_named_in_the_modal(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    card_ts = a_case_with_advice(network, emulator)
    for day, says in (("2026-09-13", "voorbij"), ("2027-09-15", "binnen het jaar")):
        response = close_with_follow_up(network, card_ts, day=day)
        errors = response.json()["errors"]
        assert set(errors) == {FollowUpCloseBlocks.DATE} and says in errors[FollowUpCloseBlocks.DATE]
    assert exported(network)["cases"][0]["status"] == "open"
    assert exported(network)["follow_ups"] == []


def test_the_answer_reaches_the_thread_the_advisers_the_card_and_the_agenda(
    network: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    card_ts = a_case_with_advice(network, emulator)
    close_with_follow_up(network, card_ts, day="2026-11-02")
    assert exported(network)["follow_ups"][0]["due_at"] == "2026-11-02T09:00:00+00:00"  # winter time
    clock.set(AFTER_DST)
    sweep(network)

    press_as_adviser = press_answer(
        network, emulator, questions(emulator)[0]["ts"], "helped", user_id=ADVISER
    )
    assert press_as_adviser.status == 200 and emulator.open_view(ADVISER) is None
    assert f"Dat kan alleen <@{OWNER}>" in last_private(emulator, ADVISER)

    old_question = questions(emulator)[0]
    answer(network, emulator, "helped", "Twee van de drie ouders kwamen <!here>.")

    thread = emulator.replies(NETWORK_CHANNEL, card_ts)
    assert "koppelt terug" in message_text(thread[-1]) and "Twee van de drie ouders kwamen" in message_text(
        thread[-1]
    )
    assert "<!here>" not in str(thread[-1])
    adviser_dm = emulator.messages(emulator.dm_channel_id(ADVISER))
    assert any("Uitgeprobeerd, het hielp" in message_text(m) for m in adviser_dm)
    assert "Teruggekoppeld" in message_text(the_card(emulator))
    [settled] = emulator.messages(emulator.dm_channel_id(OWNER))[-1:]
    assert "Bedankt om terug te koppelen" in message_text(settled) and "actions" not in str(settled["blocks"])
    follow_up = exported(network)["follow_ups"][0]
    assert follow_up["outcome"] == "helped" and follow_up["answer"].startswith("Twee van de drie")
    assert {"text": follow_up["answer"], "source": "follow_up"}.items() <= exported(network)["lessons"][
        0
    ].items()

    press_answer_on_a_copy(network, emulator, old_question, "other")
    assert "al geantwoord" in last_private(emulator, OWNER)

    network.command("samenvatting", user_id=ADVISER, channel_id=NETWORK_CHANNEL)
    summary = message_text(emulator.messages(NETWORK_CHANNEL)[-1])
    assert "1 van 1 opgevolgde casussen kwamen terug: Uitgeprobeerd, het hielp: 1" in summary

    plan_meeting(
        network, **{MeetingPlanBlocks.DAY: "2026-11-12", MeetingPlanBlocks.TOPIC: "Ouders betrekken"}
    )
    clock.set(datetime(2026, 11, 11, 12, 31, tzinfo=UTC))
    sweep(network)
    agenda = emulator.messages(NETWORK_CHANNEL)[-1]
    assert "Terugkoppeling sinds de vorige bijeenkomst" in message_text(agenda)
    assert f"<@{OWNER}> over *Ouders die niet opdagen*: Uitgeprobeerd, het hielp" in message_text(agenda)


def test_not_yet_is_asked_once_more_then_left_alone(
    network: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    card_ts = a_question_asked(network, emulator, clock)
    answer(network, emulator, "not_yet", "")

    assert "Ik vraag het je nog een keer op maandag 19 oktober" in message_text(
        emulator.messages(emulator.dm_channel_id(OWNER))[-1]
    )
    assert "koppelt terug" not in str(emulator.replies(NETWORK_CHANNEL, card_ts))
    assert "Teruggekoppeld" not in message_text(the_card(emulator))

    clock.advance(timedelta(weeks=2))
    sweep(network)
    [second] = questions(emulator)  # the first shows its answer now
    assert "Lukte het intussen?" in message_text(second)
    answer(network, emulator, "not_yet", "Nog geen tijd gehad.")
    clock.advance(timedelta(weeks=4))
    sweep(network)

    asked = [
        m
        for m in emulator.messages(emulator.dm_channel_id(OWNER))
        if "follow-up-ask" in str(m.get("metadata"))
    ]
    assert len(asked) == 2 and questions(emulator) == []
    [follow_up] = exported(network)["follow_ups"]
    assert follow_up["state"] == "answered" and follow_up["outcome"] == "not_yet"
    assert follow_up["asked_count"] == 2


def test_a_confidential_case_keeps_the_answer_within_the_case(
    network: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    agree(network, OWNER, ADVISER)  # a confidential case is for members who accepted the agreements
    card_ts = a_case_with_advice(network, emulator, **{CaseIntakeBlocks.CONFIDENTIAL: ["confidential"]})
    close_with_follow_up(network, card_ts, share=True)
    clock.set(FIRST_LOOK_BACK)
    sweep(network)
    assert "blijft bij mij en bij jou" in message_text(questions(emulator)[0])
    replies_before = len(emulator.replies(NETWORK_CHANNEL, card_ts))

    answer(network, emulator, "did_not_help", "Geheim antwoord")

    assert len(emulator.replies(NETWORK_CHANNEL, card_ts)) == replies_before
    assert not any(
        "Geheim antwoord" in message_text(m) for m in emulator.messages(emulator.dm_channel_id(ADVISER))
    )
    assert "Geheim antwoord" in message_text(emulator.messages(emulator.dm_channel_id(OWNER))[-1])
    data = exported(network)
    assert data["follow_ups"][0]["outcome"] == "did_not_help" and "answer" not in data["follow_ups"][0]
    assert data["lessons"] == []  # the export shows nothing of a confidential case

    network.command("lessen", user_id=ADVISER, channel_id=NETWORK_CHANNEL)
    shown = last_private(emulator, ADVISER)
    assert "een vertrouwelijke casus" in shown and LESSON in shown and "Geheim antwoord" not in shown
    assert "Ouders die niet opdagen" not in shown


@pytest.mark.parametrize("forgotten_at_close", [False, True], ids=["kept_at_close", "forgotten_at_close"])
def test_forgetting_an_archived_networks_confidential_cases_forgets_what_followed_them_too(
    network: LocalBot, emulator: SlackEmulator, clock: ManualClock, forgotten_at_close: bool
) -> None:
    # Forgotten at its close, the case's own details are gone, but its follow-up is answered later.
    agree(network, OWNER, ADVISER)
    card_ts = a_case_with_advice(network, emulator, **{CaseIntakeBlocks.CONFIDENTIAL: ["confidential"]})
    close_with_follow_up(network, card_ts, forget=forgotten_at_close)
    clock.set(FIRST_LOOK_BACK)
    sweep(network)
    answer(network, emulator, "did_not_help", "Geheim antwoord")
    network.command("archiveer", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    press_on_ephemeral(network, emulator, FACILITATOR, PrivacyActions.ARCHIVE)

    press_private(network, FACILITATOR, SafeActions.FORGET_ARCHIVED)

    [follow_up] = stored(network, CaseFollowUp)
    assert (follow_up.plan, follow_up.answer, follow_up.outcome) == ("", "", "did_not_help")


def test_an_owner_who_left_is_not_asked_and_forgetting_erases_the_follow_up(
    network: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    card_ts = a_case_with_advice(network, emulator)
    close_with_follow_up(network, card_ts)
    my_data_follow_ups = _my_data_follow_ups(network)
    assert my_data_follow_ups and my_data_follow_ups[0]["plan"] == PLAN

    assert network.driver is not None
    emulator.leave(NETWORK_CHANNEL, OWNER)
    network.send_event(network.driver.member_left_channel(OWNER, NETWORK_CHANNEL), event_id="EvLEFT")
    clock.set(FIRST_LOOK_BACK)
    sweep(network)
    assert questions(emulator) == []
    assert exported(network)["follow_ups"][0]["state"] == "dropped"

    forget_me(network, OWNER)
    assert stored(network, CaseFollowUp) == []


def _my_data_follow_ups(bot: LocalBot) -> list[dict]:
    assert bot.runtime is not None
    data = bot.runtime.services.privacy.my_data(team_id=bot.emulator.team_id, user_id=OWNER)
    return [f for network in data["networks"] for f in network.get("follow_ups", [])]


def test_a_process_killed_after_claiming_leaves_the_question_to_the_next_asked_once(
    network: LocalBot, emulator: SlackEmulator, clock: ManualClock, database_url: str
) -> None:
    card_ts = a_case_with_advice(network, emulator)
    close_with_follow_up(network, card_ts)
    clock.set(FIRST_LOOK_BACK)
    assert network.runtime is not None
    assert network.runtime.services.follow_ups.ask_due() == 1  # claimed, its question not yet out
    kill(network, database_url, clock)
    assert questions(emulator) == []

    with (
        restarted(emulator, database_url, clock) as second,
        restarted(emulator, database_url, clock) as third,
    ):
        lead_and_sweep(second)
        assert third.runtime is not None and third.runtime.services.follow_ups.ask_due() == 0
        clock.advance(LEASE + timedelta(seconds=1))
        for process in (second, third, second):  # both may carry out the dead one's items; one does
            assert process.runtime is not None
            jobs.carry_out_outbox(process.runtime.scheduling.runtime)
        lead_and_sweep(second)
        assert len(questions(emulator)) == 1
        answer(second, emulator, "helped", "Het werkte.")
    assert exported(second)["follow_ups"][0]["outcome"] == "helped"


# ---------------------------------------------------------------------- the lessons


def evaluate(bot: LocalBot, emulator: SlackEmulator, user_id: str, takeaway: str, *, share: bool) -> None:
    request = [
        m for m in emulator.messages(NETWORK_CHANNEL) if "Hoe was de bijeenkomst?" in str(m["blocks"])
    ][-1]
    open_evaluation(bot, user_id, request)
    bot.submit_view(
        user_id,
        {
            MeetingEvaluationBlocks.USEFULNESS: {VALUE_ACTION: "4"},
            MeetingEvaluationBlocks.TAKEAWAY: {VALUE_ACTION: takeaway},
            SHARE_TAKEAWAY_BLOCK: {VALUE_ACTION: [SHARE_TAKEAWAY_OPTION] if share else []},
        },
    )


def test_the_lessons_gather_cases_follow_ups_and_shared_take_aways_paged_and_on_the_charter(
    network: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    plan_meeting(
        network, **{MeetingPlanBlocks.DAY: "2026-09-24", MeetingPlanBlocks.TOPIC: "Ouders betrekken"}
    )
    clock.set(datetime(2026, 9, 24, 14, 30, tzinfo=UTC))
    sweep(network)
    evaluate(network, emulator, OWNER, "Eerst luisteren, dan pas adviseren.", share=True)
    evaluate(network, emulator, ADVISER, "Mijn eigen, niet gedeelde inzicht.", share=False)
    for number in range(1, 11):
        clock.advance(timedelta(hours=1))
        bring_case(network, **{CaseIntakeBlocks.TITLE: f"Casus {number}"})
        card_ts = cards(emulator)[-1]["ts"]
        press(network, OWNER, CaseActions.CLOSE, card_ts)
        network.submit_view(OWNER, form_values({CaseCloseBlocks.LESSON: f"Les nummer {number}"}))

    network.command("lessen", user_id=ADVISER, channel_id=NETWORK_CHANNEL)
    first = emulator.ephemerals(user_id=ADVISER)[-1]
    shown = message_text(first)
    assert "11 lessen, de nieuwste eerst" in shown
    assert shown.index("Les nummer 10") < shown.index("Les nummer 9") < shown.index("Les nummer 1\n")
    assert "Eerst luisteren" not in shown and len(first["blocks"]) <= 50
    assert network.driver is not None
    network.driver.block_action(
        user_id=ADVISER, action_id=LessonActions.MORE, channel_id=NETWORK_CHANNEL, message_ts=first["ts"]
    )
    network.settle()
    page_two = message_text(emulator.ephemerals(user_id=ADVISER)[-1])
    assert "Ouders betrekken" in page_two and "Eerst luisteren, dan pas adviseren." in page_two
    assert "niet gedeelde" not in page_two
    lessons = exported(network)["lessons"]
    assert [lesson["source"] for lesson in lessons].count("meeting") == 1 and len(lessons) == 11

    canvas = emulator.canvas(NETWORK_CHANNEL) or ""
    assert "Les nummer 10" in canvas and "Les nummer 7" not in canvas


def test_lessons_are_for_members_only(network: LocalBot, emulator: SlackEmulator) -> None:
    network.command("lessons", user_id=OUTSIDER, channel_id=NETWORK_CHANNEL)
    assert "geen lid" in last_private(emulator, OUTSIDER)
    network.command("lessen", user_id=ADVISER, channel_id=NETWORK_CHANNEL)
    assert "Nog geen lessen" in last_private(emulator, ADVISER)


def test_an_archived_network_asks_nothing_and_takes_no_answer(
    network: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    a_question_asked(network, emulator, clock)
    first = questions(emulator)[0]
    answer(network, emulator, "not_yet", "")
    network.command("archiveer", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    press_on_ephemeral(network, emulator, FACILITATOR, PrivacyActions.ARCHIVE)

    clock.advance(timedelta(weeks=3))
    sweep(network)
    assert questions(emulator) == []
    press_answer_on_a_copy(network, emulator, first, "helped")
    assert emulator.open_view(OWNER) is None and "niet gekoppeld" in last_private(emulator, OWNER)
    [follow_up] = stored(network, CaseFollowUp)
    assert follow_up.state == "pending" and follow_up.asked_count == 1
