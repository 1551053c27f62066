"""An agenda made together, end to end: members propose topics and put their open cases forward (also
from the case card), a facilitator or the session lead picks, and the agenda the day before names the
theme, the roles and the picked cases, after a round of follow-up on the cases of earlier sessions."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from typing import Any

from bot import jobs
from bot.clock import ManualClock
from bot.demo.harness import LocalBot
from bot.sandbox.emulator import SlackEmulator
from bot.views.ids import CONFIDENTIAL_OPTION
from bot.views.ids import VALUE_ACTION
from bot.views.ids import CaseActions
from bot.views.ids import CaseIntakeBlocks
from bot.views.ids import JourneyActions
from bot.views.ids import JourneyPlanBlocks
from bot.views.ids import MeetingPlanBlocks
from storage.models import AgendaItem
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import PARTICIPANTS
from tests.e2e.conftest import bring_case
from tests.e2e.conftest import cards
from tests.e2e.conftest import ephemeral_texts
from tests.e2e.conftest import exported
from tests.e2e.conftest import open_modal
from tests.e2e.conftest import press
from tests.e2e.conftest import start_network
from tests.e2e.conftest import stored
from tests.e2e.test_checkins_meetings import MEETING
from tests.e2e.test_checkins_meetings import plan as plan_meeting
from tests.e2e.test_journey import PLAN
from tests.e2e.test_journey import plan
from tests.e2e.timed import job_context
from tests.factories import form_values

OWNER = PARTICIPANTS[0]


def buttons(message: dict[str, Any], action_id: str) -> list[str]:
    """The values of the buttons `action_id` in a message, top to bottom."""
    found = []
    for block in message["blocks"]:
        for element in [block.get("accessory") or {}, *(block.get("elements") or [])]:
            if element.get("action_id") == action_id:
                found.append(str(element["value"]))
    return found


def latest_agenda(emulator: SlackEmulator, user_id: str) -> dict[str, Any]:
    return [e for e in emulator.ephemerals(user_id=user_id) if "Agenda voor" in e["text"]][-1]


def test_members_propose_and_the_session_lead_picks_what_the_agenda_names(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    start_network(bot)
    plan(bot, **{JourneyPlanBlocks.COUNT: "2"})
    first = exported(bot)["traject"][0]
    [lead] = first["roles"]["lead"]
    bystander = next(user for user in PARTICIPANTS if user != lead)
    bring_case(bot, user_id=OWNER)
    bring_case(
        bot,
        user_id=OWNER,
        **{
            CaseIntakeBlocks.TITLE: "Een geheim dossier",
            CaseIntakeBlocks.CONFIDENTIAL: [CONFIDENTIAL_OPTION],
        },
    )
    open_case, secret_case = (case["id"] for case in exported(bot)["cases"])

    bot.command("agenda Grenzen stellen <!here>", user_id=bystander, channel_id=NETWORK_CHANNEL)
    assert "&lt;!here&gt;" in str(latest_agenda(emulator, bystander)["blocks"])
    card = next(c for c in cards(emulator) if "Ouders die niet opdagen" in str(c["blocks"]))
    press(bot, OWNER, JourneyActions.PUT_CASE_FORWARD, card["ts"], value=str(open_case))
    press(bot, OWNER, JourneyActions.PUT_CASE_FORWARD, card["ts"], value=str(open_case))  # twice: once on it
    bot.command("agenda", user_id=OWNER, channel_id=NETWORK_CHANNEL)
    shown = latest_agenda(emulator, OWNER)
    assert buttons(shown, JourneyActions.PUT_CASE_FORWARD) == [str(secret_case)]
    press(bot, OWNER, JourneyActions.PUT_CASE_FORWARD, shown["ts"], value=str(secret_case))

    bot.command("agenda", user_id=bystander, channel_id=NETWORK_CHANNEL)
    assert buttons(latest_agenda(emulator, bystander), JourneyActions.PICK_AGENDA) == []
    bot.command("agenda", user_id=lead, channel_id=NETWORK_CHANNEL)
    shown = latest_agenda(emulator, lead)
    items = buttons(shown, JourneyActions.PICK_AGENDA)
    assert len(items) == 3
    press(bot, bystander, JourneyActions.PICK_AGENDA, shown["ts"], value=items[0])
    assert "gespreksleider" in ephemeral_texts(emulator, bystander)[-1]
    for item in items:
        press(bot, lead, JourneyActions.PICK_AGENDA, latest_agenda(emulator, lead)["ts"], value=item)
    assert buttons(latest_agenda(emulator, lead), JourneyActions.UNPICK_AGENDA) == items
    assert exported(bot)["traject"][0]["case_ids"] == [open_case, secret_case]

    clock.set(datetime(2026, 10, 7, 11, 30, tzinfo=UTC))
    jobs.run_meeting_steps(job_context(bot))
    agenda = str(emulator.messages(NETWORK_CHANNEL)[-1]["blocks"])
    assert "Ouders die niet opdagen" in agenda and "Een geheim dossier* (vertrouwelijk)" in agenda
    assert "Grenzen stellen" in agenda and f"Gespreksleider <@{lead}>" in agenda
    assert "Drie keer op rij" not in agenda  # a case is named, never told, on the agenda

    clock.set(datetime(2026, 10, 21, 11, 30, tzinfo=UTC))
    jobs.run_meeting_steps(job_context(bot))
    follow_up = str(emulator.messages(NETWORK_CHANNEL)[-1]["blocks"])
    assert "opvolgingsronde" in follow_up and "Ouders die niet opdagen" in follow_up


def test_planning_the_trajectory_again_keeps_what_was_proposed_for_the_next_session(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    start_network(bot)
    plan(bot)
    bring_case(bot, user_id=OWNER)
    [case] = exported(bot)["cases"]
    bot.command("agenda Grenzen stellen", user_id=OWNER, channel_id=NETWORK_CHANNEL)
    press(
        bot,
        OWNER,
        JourneyActions.PUT_CASE_FORWARD,
        latest_agenda(emulator, OWNER)["ts"],
        value=str(case["id"]),
    )
    bot.command("agenda", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    topic, _ = buttons(latest_agenda(emulator, FACILITATOR), JourneyActions.PICK_AGENDA)
    press(
        bot, FACILITATOR, JourneyActions.PICK_AGENDA, latest_agenda(emulator, FACILITATOR)["ts"], value=topic
    )

    # The sessions move half an hour: the plan is made again, and the next session is still the next.
    bot.command("traject nieuw", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    bot.submit_view(FACILITATOR, form_values({**PLAN, JourneyPlanBlocks.START: "14:00"}))
    assert exported(bot)["traject"][0]["starts_at"] == "2026-10-08T12:00:00+00:00"
    bot.command("agenda", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    shown = latest_agenda(emulator, FACILITATOR)
    assert "Grenzen stellen" in str(shown["blocks"]) and "Ouders die niet opdagen" in str(shown["blocks"])
    assert buttons(shown, JourneyActions.UNPICK_AGENDA) == [topic]


def test_without_a_next_session_there_is_no_agenda_yet(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    bot.command("agenda", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    assert "nog geen volgende bijeenkomst" in ephemeral_texts(emulator, FACILITATOR)[-1].lower()


def test_a_topic_too_long_for_the_agenda_is_refused_saying_how_long_it_may_be(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    start_network(bot)
    plan_meeting(bot)
    bot.command("agenda " + "lang " * 80, user_id=OWNER, channel_id=NETWORK_CHANNEL)
    assert "hoogstens 300" in ephemeral_texts(emulator, OWNER)[-1]
    assert stored(bot, AgendaItem) == []


def test_a_one_off_session_gets_an_agenda_made_together_beside_its_own_cases(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    start_network(bot)
    plan_meeting(bot)
    bring_case(bot, user_id=OWNER)
    [case] = exported(bot)["cases"]
    bot.command("agenda", user_id=OWNER, channel_id=NETWORK_CHANNEL)
    shown = latest_agenda(emulator, OWNER)
    press(bot, OWNER, JourneyActions.PUT_CASE_FORWARD, shown["ts"], value=str(case["id"]))
    bot.command("agenda", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    [item] = buttons(latest_agenda(emulator, FACILITATOR), JourneyActions.PICK_AGENDA)
    press(
        bot, FACILITATOR, JourneyActions.PICK_AGENDA, latest_agenda(emulator, FACILITATOR)["ts"], value=item
    )

    clock.set(datetime(2026, 9, 23, 11, 30, tzinfo=UTC))
    jobs.run_meeting_steps(job_context(bot))
    agenda = str(emulator.messages(NETWORK_CHANNEL)[-1]["blocks"])
    assert "Ouders die niet opdagen" in agenda and "Een vader die niet opdaagt" in agenda
    assert exported(bot)["traject"] == []  # a one-off session is no part of the trajectory


def test_a_linked_case_no_option_of_ours_names_is_left_out_of_a_planned_session(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    # A forged value: "²" is a digit to Python that int() refuses, the other past any id a case has.
    start_network(bot)
    bring_case(bot, user_id=OWNER)
    [case] = exported(bot)["cases"]
    open_modal(bot, "sessie", FACILITATOR)

    response = bot.submit_view(
        FACILITATOR,
        form_values({**MEETING, MeetingPlanBlocks.CASES: ""})
        | {MeetingPlanBlocks.LINKED_CASES: {VALUE_ACTION: [str(case["id"]), "²", "99999999999"]}},
    )

    assert response.status == 200
    [item] = stored(bot, AgendaItem)
    assert item.case_id == case["id"]


def test_a_case_a_facilitator_marks_for_the_next_meeting_is_picked_on_its_agenda(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    start_network(bot)
    plan(bot, **{JourneyPlanBlocks.COUNT: "2"})
    bring_case(bot, user_id=OWNER)
    [case] = exported(bot)["cases"]
    card = next(c for c in cards(emulator) if "Ouders die niet opdagen" in str(c["blocks"]))

    press(bot, FACILITATOR, CaseActions.AGENDA, card["ts"])
    assert [s["case_ids"] for s in exported(bot)["traject"]] == [[case["id"]], []]
    press(bot, FACILITATOR, CaseActions.AGENDA, card["ts"])  # taken off again
    assert [s["case_ids"] for s in exported(bot)["traject"]] == [[], []]


def test_cases_chosen_when_a_session_is_planned_are_linked_on_its_agenda(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    start_network(bot)
    bring_case(bot, user_id=OWNER)
    [case] = exported(bot)["cases"]
    view = open_modal(bot, "sessie", FACILITATOR)
    assert "Ouders die niet opdagen" in str(view["blocks"])
    bot.submit_view(
        FACILITATOR,
        form_values({**MEETING, MeetingPlanBlocks.CASES: ""})
        | {MeetingPlanBlocks.LINKED_CASES: {VALUE_ACTION: [str(case["id"])]}},
    )
    [item] = stored(bot, AgendaItem)
    assert (item.case_id, item.picked) == (case["id"], True)

    clock.set(datetime(2026, 9, 23, 11, 30, tzinfo=UTC))
    jobs.run_meeting_steps(job_context(bot))
    agenda = str(emulator.messages(NETWORK_CHANNEL)[-1]["blocks"])
    assert f"Casus *Ouders die niet opdagen*, ingebracht door <@{OWNER}>" in agenda
