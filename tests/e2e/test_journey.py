"""The trajectory end to end: a facilitator plans it, themes come from the most-voted learning goals,
roles rotate fairly and are passed on with one click, the charter and the export show it, and each
session is a meeting with its agenda the day before."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from functools import partial
from typing import Any

import pytest

from bot import jobs
from bot.clock import ManualClock
from bot.demo.harness import LocalBot
from bot.sandbox.emulator import SlackEmulator
from bot.views.ids import THEME_BLOCK_PREFIX
from bot.views.ids import WORKFORM_BLOCK_PREFIX
from bot.views.ids import JourneyActions
from bot.views.ids import JourneyPlanBlocks
from bot.views.ids import PrivacyActions
from storage.models import AgendaItem
from storage.models import Journey
from storage.models import JourneyRole
from storage.models import JourneySession
from tests.blocks import message_text
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import PARTICIPANTS
from tests.e2e.conftest import channel_messages
from tests.e2e.conftest import ephemeral_texts
from tests.e2e.conftest import exported
from tests.e2e.conftest import forget_me
from tests.e2e.conftest import open_modal
from tests.e2e.conftest import press
from tests.e2e.conftest import press_on_ephemeral
from tests.e2e.conftest import start_network
from tests.e2e.conftest import stored
from tests.e2e.test_charter import canvas
from tests.e2e.test_checkins_meetings import open_evaluation
from tests.e2e.test_kickoff import JOKE
from tests.e2e.test_kickoff import MEHMET
from tests.e2e.test_kickoff_map import goals_on_the_map
from tests.e2e.test_kickoff_map import vote
from tests.e2e.test_privacy import dm_files
from tests.e2e.timed import job_context
from tests.factories import form_values
from tests.together import run_together

PLAN = {
    JourneyPlanBlocks.COUNT: "4",
    JourneyPlanBlocks.RHYTHM: "every_2_weeks",
    JourneyPlanBlocks.FIRST_DAY: "2026-10-08",
    JourneyPlanBlocks.START: "13:30",
    JourneyPlanBlocks.END: "16:30",
    JourneyPlanBlocks.PLACE: "",
    JourneyPlanBlocks.LINK: "https://meet.example.org/jeugdhulp",
}
MEMBERS = (FACILITATOR, *PARTICIPANTS)


def plan(bot: LocalBot, user_id: str = FACILITATOR, **changes: str):  # type: ignore[no-untyped-def]
    bot.command("traject", user_id=user_id, channel_id=NETWORK_CHANNEL)
    return bot.submit_view(user_id, form_values({**PLAN, **changes}))


@pytest.fixture
def planned(bot: LocalBot) -> None:
    """A started network whose facilitator planned its trajectory as PLAN has it."""
    start_network(bot)
    plan(bot)


def post_the_first_agenda(bot: LocalBot, clock: ManualClock) -> None:
    """The day before the first session: its agenda goes to the channel."""
    clock.set(datetime(2026, 10, 7, 11, 30, tzinfo=UTC))
    jobs.run_meeting_steps(job_context(bot))


def plan_messages(emulator: SlackEmulator) -> list[dict[str, Any]]:
    return channel_messages(emulator, "Ons traject")


def test_a_facilitator_plans_the_trajectory_with_themes_from_the_votes_and_fair_roles(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    goals_on_the_map(bot)
    vote(bot, emulator, JOKE, "Feedback geven")
    vote(bot, emulator, MEHMET, "Feedback geven")
    vote(bot, emulator, MEHMET, "Omgaan met agressie")

    view = open_modal(bot, "traject", FACILITATOR)
    assert view["callback_id"] == "journey_plan"
    response = bot.submit_view(FACILITATOR, form_values(PLAN))
    assert response.status == 200 and response.problems == []

    [message] = plan_messages(emulator)
    assert "meet.example.org" in str(message["blocks"])
    traject = exported(bot)["traject"]
    assert [s["theme"] for s in traject] == ["Feedback geven", "Omgaan met agressie"] * 2
    # Every other Thursday at 13:30 local time, across the change to winter time (25 October).
    assert [s["starts_at"] for s in traject] == [
        "2026-10-08T11:30:00+00:00",
        "2026-10-22T11:30:00+00:00",
        "2026-11-05T12:30:00+00:00",
        "2026-11-19T12:30:00+00:00",
    ]
    # Each is a meeting as any other: the export's sessions hold them.
    assert len(exported(bot)["sessions"]) == 4
    # Three members, four roles a session: nobody has a second turn before all had their first.
    turns = [
        user for s in traject for role in ("lead", "timekeeper", "notes", "case") for user in s["roles"][role]
    ]
    assert set(turns[:3]) == set(MEMBERS)
    counts = Counter(turns)
    assert max(counts.values()) - min(counts.values()) <= 1
    assert "Feedback geven" in canvas(emulator) and "Nog geen traject gepland" not in canvas(emulator)
    assert ephemeral_texts(emulator, FACILITATOR)[-1] == "Het traject staat klaar en is in het kanaal gepost."


def test_an_impossible_plan_is_named_field_by_field(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    response = plan(
        bot,
        **{
            JourneyPlanBlocks.COUNT: "0",
            JourneyPlanBlocks.FIRST_DAY: "2026-09-01",
            JourneyPlanBlocks.END: "12:00",
            JourneyPlanBlocks.LINK: "meet punt be",
        },
    )
    errors = response.json()["errors"]
    assert set(errors) == {
        JourneyPlanBlocks.COUNT,
        JourneyPlanBlocks.FIRST_DAY,
        JourneyPlanBlocks.END,
        JourneyPlanBlocks.LINK,
    }
    assert "1 tot 52" in errors[JourneyPlanBlocks.COUNT] and "voorbij" in errors[JourneyPlanBlocks.FIRST_DAY]
    assert "geen link" in errors[JourneyPlanBlocks.LINK]
    for count in ("53", "²"):  # "²" has a key of its own on a Belgian keyboard: a digit, but no number
        errors = plan(bot, **{JourneyPlanBlocks.COUNT: count}).json()["errors"]
        assert "1 tot 52" in errors[JourneyPlanBlocks.COUNT]
    errors = plan(bot, **{JourneyPlanBlocks.FIRST_DAY: "9999-12-01"}).json()["errors"]
    assert "binnen het jaar" in errors[JourneyPlanBlocks.FIRST_DAY]
    assert exported(bot)["traject"] == []


def test_only_a_facilitator_plans_and_members_read_the_plan(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    bot.command("journey", user_id=JOKE, channel_id=NETWORK_CHANNEL)
    assert emulator.open_view(JOKE) is None
    assert "nog geen traject gepland" in ephemeral_texts(emulator, JOKE)[-1]

    plan(bot)
    bot.command("traject", user_id=JOKE, channel_id=NETWORK_CHANNEL)
    shown = emulator.ephemerals(user_id=JOKE)[-1]
    assert "Ons traject" in str(shown["blocks"]) and JourneyActions.EDIT_SESSIONS not in str(shown["blocks"])
    assert JourneyActions.PASS_ROLE in str(shown["blocks"])


@pytest.mark.usefixtures("planned")
def test_a_member_passes_a_role_on_and_the_next_in_line_is_asked(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    lead, role_id, ts = _first_lead(bot, emulator)

    assert bot.driver is not None
    click = partial(
        bot.driver.block_action,
        user_id=lead,
        action_id=JourneyActions.PASS_ROLE,
        channel_id=NETWORK_CHANNEL,
        message_ts=ts,
        value=role_id,
    )
    run_together(click, click)  # a double click: the next in line is asked once
    bot.settle()
    press(bot, lead, JourneyActions.PASS_ROLE, ts, value=role_id)  # and once more changes nothing more

    [successor] = exported(bot)["traject"][0]["roles"]["lead"]
    assert successor != lead
    assert "die rol heb je niet" in ephemeral_texts(emulator, lead)[-1].lower()
    answer_role_request(bot, successor, JourneyActions.DECLINE_ROLE, role_id)
    [third] = exported(bot)["traject"][0]["roles"]["lead"]
    assert third not in {lead, successor}
    [question] = _asked(emulator, third)
    answer_role_request(bot, third, JourneyActions.ACCEPT_ROLE, role_id)
    assert ephemeral_texts(emulator, third)[-1] == "Dank je! Je neemt de rol op."
    [answered] = _answered(emulator, third)
    assert "Dank je!" in answered["text"] and "actions" not in str(answered["blocks"])
    # A second click on the question as Slack still showed it, before the answer replaced its buttons.
    dm = emulator.dm_channel_id(third)
    shown = emulator.add_message(dm, question["user"], question["text"], blocks=question["blocks"])
    press(bot, third, JourneyActions.ACCEPT_ROLE, shown["ts"], value=role_id, channel_id=dm)
    assert ephemeral_texts(emulator, third)[-2:] == ["Dank je! Je neemt de rol op."] * 2
    assert exported(bot)["traject"][0]["roles"]["lead"] == [third]
    [declined] = _answered(emulator, successor)
    assert "door" in declined["text"]
    [message] = plan_messages(emulator)  # refreshed in place, not posted again
    assert f"<@{third}>" in str(message["blocks"]).split("*2.*")[0]


@pytest.mark.usefixtures("planned")
def test_a_role_everyone_passed_on_is_left_open_and_the_last_one_is_told_so(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    lead, role_id, ts = _first_lead(bot, emulator)
    press(bot, lead, JourneyActions.PASS_ROLE, ts, value=role_id)
    told = []
    for _ in MEMBERS[1:]:  # each of the others in turn is asked, and says no
        [asked] = exported(bot)["traject"][0]["roles"]["lead"]
        answer_role_request(bot, asked, JourneyActions.DECLINE_ROLE, role_id)
        told.append(ephemeral_texts(emulator, asked)[-1])

    assert exported(bot)["traject"][0]["roles"]["lead"] == []
    assert told == [
        "Je rol is doorgegeven: de volgende aan de beurt krijgt de vraag.",
        "Je rol is doorgegeven, maar iedereen gaf hem al door: hij staat nu open in het traject.",
    ]


def _answered(emulator: SlackEmulator, user_id: str) -> list[dict[str, Any]]:
    return [m for m in emulator.messages(emulator.dm_channel_id(user_id)) if "op donderdag" in m["text"]]


def _asked(emulator: SlackEmulator, user_id: str) -> list[dict[str, Any]]:
    return [m for m in emulator.messages(emulator.dm_channel_id(user_id)) if "gaf een rol door" in m["text"]]


def answer_role_request(bot: LocalBot, user_id: str, action_id: str, role_id: str) -> None:
    """`user_id` answers, in their DM, the one request to take over the role `role_id`."""
    [asked] = _asked(bot.emulator, user_id)
    press(bot, user_id, action_id, asked["ts"], value=role_id, channel_id=bot.emulator.dm_channel_id(user_id))


@pytest.mark.usefixtures("planned")
def test_a_member_who_leaves_loses_their_future_roles(bot: LocalBot, emulator: SlackEmulator) -> None:
    assert bot.driver is not None
    emulator.leave(NETWORK_CHANNEL, MEHMET)
    bot.send_event(bot.driver.member_left_channel(MEHMET, NETWORK_CHANNEL), event_id="EvLEFT")
    bot.settle()
    for planned in exported(bot)["traject"]:
        assert all(MEHMET not in holders for holders in planned["roles"].values())
    assert _asked(emulator, FACILITATOR) or _asked(emulator, JOKE)


@pytest.mark.usefixtures("planned")
def test_themes_and_work_forms_are_edited_and_a_stale_edit_is_refused(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    bot.command("traject", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    value, ts = _edit_button(emulator)
    press(bot, FACILITATOR, JourneyActions.EDIT_SESSIONS, ts, value=value)
    stale_view = emulator.open_view(FACILITATOR)
    assert stale_view is not None and stale_view["callback_id"] == "journey_sessions"
    session_ids = [
        b["block_id"].removeprefix(THEME_BLOCK_PREFIX)
        for b in stale_view["blocks"]
        if b["block_id"].startswith(THEME_BLOCK_PREFIX)
    ]
    assert len(session_ids) == 4

    # Someone else edits first (a second modal opened meanwhile).
    value, ts = _edit_button(emulator)
    press(bot, FACILITATOR, JourneyActions.EDIT_SESSIONS, ts, value=value)
    values = {f"{THEME_BLOCK_PREFIX}{sid}": f"Thema {n}" for n, sid in enumerate(session_ids, start=1)}
    values[f"{WORKFORM_BLOCK_PREFIX}{session_ids[0]}"] = "koffieklets"
    unknown = bot.submit_view(FACILITATOR, form_values(values))
    assert "Die werkvorm ken ik niet" in str(unknown.json()["errors"])
    values[f"{WORKFORM_BLOCK_PREFIX}{session_ids[0]}"] = "incidentmethode"
    assert bot.submit_view(FACILITATOR, form_values(values)).status == 200
    traject = exported(bot)["traject"]
    assert [s["theme"] for s in traject] == ["Thema 1", "Thema 2", "Thema 3", "Thema 4"]
    assert traject[0]["workform"] == "incident"

    assert bot.driver is not None
    late = bot.driver.submit_view(FACILITATOR, form_values(values), view_id=stale_view["id"])
    assert "intussen door iemand anders aangepast" in str(late.json())

    clock.set(datetime(2026, 10, 7, 11, 30, tzinfo=UTC))
    jobs.run_meeting_steps(job_context(bot))
    agenda = emulator.messages(NETWORK_CHANNEL)[-1]
    text = str(agenda["blocks"])
    assert "Thema 1" in text and "Incidentmethode" in text and "Gespreksleider" in text
    assert "1. Terugblik (" in text and "Het voorval" in text  # the form's steps, in order
    assert "opvolgingsronde" in text


@pytest.mark.usefixtures("planned")
def test_themes_saved_by_two_facilitators_at_the_same_moment_keep_one_and_tell_the_other(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    views = []
    for _ in range(2):
        bot.command("traject", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
        value, ts = _edit_button(emulator)
        press(bot, FACILITATOR, JourneyActions.EDIT_SESSIONS, ts, value=value)
        views.append(emulator.open_view(FACILITATOR))
    themes = [
        {b["block_id"]: theme for b in view["blocks"] if b["block_id"].startswith(THEME_BLOCK_PREFIX)}
        for view, theme in zip(views, ("Thema A", "Thema B"), strict=True)
    ]
    saved_together(bot, views, themes)
    assert len({s["theme"] for s in exported(bot)["traject"]}) == 1  # one facilitator's themes, whole


def saved_together(bot: LocalBot, views: list[Any], values: list[dict[str, str]]) -> None:
    """The facilitator's two modals `views`, submitted with `values` at the same moment: one is saved, the
    other told that the trajectory changed meanwhile."""
    assert bot.driver is not None
    saves = [
        partial(bot.driver.submit_view, FACILITATOR, form_values(entered), view_id=view["id"])
        for view, entered in zip(views, values, strict=True)
    ]
    answers = run_together(*saves)
    bot.settle()
    said = sorted(str(answer.json()) if answer.body else "" for answer in answers)  # type: ignore[union-attr]
    assert said[0] == "" and "intussen door iemand anders aangepast" in said[1]


def _first_lead(bot: LocalBot, emulator: SlackEmulator) -> tuple[str, str, str]:
    """The lead of the first session, and their button to pass that role on: its value and message."""
    [lead] = exported(bot)["traject"][0]["roles"]["lead"]
    return (lead, *_own_role_button(bot, emulator, lead))


def _own_role_button(bot: LocalBot, emulator: SlackEmulator, user_id: str) -> tuple[str, str]:
    bot.command("traject", user_id=user_id, channel_id=NETWORK_CHANNEL)
    shown = emulator.ephemerals(user_id=user_id)[-1]
    for block in shown["blocks"]:
        accessory = block.get("accessory") or {}
        if accessory.get("action_id") == JourneyActions.PASS_ROLE:
            return str(accessory["value"]), shown["ts"]
    raise AssertionError("no role to pass on")


def _edit_button(emulator: SlackEmulator) -> tuple[str, str]:
    shown = emulator.ephemerals(user_id=FACILITATOR)[-1]
    for block in shown["blocks"]:
        for element in block.get("elements") or []:
            if element.get("action_id") == JourneyActions.EDIT_SESSIONS:
                return str(element["value"]), shown["ts"]
    raise AssertionError("no edit button")


@pytest.mark.usefixtures("planned")
def test_roles_and_proposals_are_in_my_data_and_leave_with_forget_me(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    bot.command("agenda Grenzen stellen", user_id=MEHMET, channel_id=NETWORK_CHANNEL)

    bot.command("mijn-gegevens", user_id=MEHMET, channel_id=NETWORK_CHANNEL)
    [file] = dm_files(emulator, MEHMET)
    [entry] = json.loads(file["content"])["networks"]
    assert {role["role"] for role in entry["journey_roles"]} >= {"lead", "timekeeper", "notes"}
    assert [p["text"] for p in entry["agenda_proposals"]] == ["Grenzen stellen"]

    assert MEHMET in json.dumps(plan_messages(emulator))
    forget_me(bot, MEHMET)
    # The plan in the channel names who holds each role: it no longer names them.
    [plan_post] = plan_messages(emulator)
    assert MEHMET not in message_text(plan_post)
    for planned in exported(bot)["traject"]:
        assert all(MEHMET not in holders for holders in planned["roles"].values())
    assert MEHMET not in json.dumps(exported(bot)["traject"])
    bot.command("agenda", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    assert "Grenzen stellen" not in str(emulator.ephemerals(user_id=FACILITATOR)[-1]["blocks"])


@pytest.mark.usefixtures("planned")
def test_the_agenda_posted_for_tomorrow_no_longer_names_a_member_forgotten_today(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    post_the_first_agenda(bot, clock)
    [agenda] = channel_messages(emulator, "Agenda voor de bijeenkomst")
    assert MEHMET in message_text(agenda)

    forget_me(bot, MEHMET)

    [agenda] = channel_messages(emulator, "Agenda voor de bijeenkomst")
    assert MEHMET not in message_text(agenda) and JOKE in message_text(agenda)


@pytest.mark.usefixtures("planned")
def test_a_member_forgotten_after_the_archive_leaves_the_posted_plan_too(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    bot.command("archiveer", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    press_on_ephemeral(bot, emulator, FACILITATOR, PrivacyActions.ARCHIVE)

    forget_me(bot, MEHMET)

    [plan_post] = plan_messages(emulator)
    assert MEHMET not in message_text(plan_post) and JOKE in message_text(plan_post)


@pytest.mark.usefixtures("planned")
def test_the_facilitator_who_planned_the_trajectory_is_forgotten_with_it(bot: LocalBot) -> None:
    bot.command(f"rol <@{JOKE}> facilitator", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)

    forget_me(bot, FACILITATOR)

    assert [journey.planned_by for journey in stored(bot, Journey)] == [""]


@pytest.mark.usefixtures("planned")
def test_planning_again_replaces_the_sessions_to_come_and_a_stale_plan_modal_is_refused(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    assert bot.driver is not None
    bot.command("traject nieuw", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    stale = emulator.open_view(FACILITATOR)
    bot.command("traject nieuw", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    fresh = emulator.open_view(FACILITATOR)
    assert stale is not None and fresh is not None and stale["id"] != fresh["id"]

    again = form_values({**PLAN, JourneyPlanBlocks.COUNT: "2", JourneyPlanBlocks.RHYTHM: "monthly"})
    assert bot.driver.submit_view(FACILITATOR, again, view_id=fresh["id"]).problems == []
    bot.settle()
    assert [s["starts_at"][:10] for s in exported(bot)["traject"]] == ["2026-10-08", "2026-11-08"]
    assert len(exported(bot)["sessions"]) == 2  # the replaced sessions' meetings are gone

    late = bot.driver.submit_view(FACILITATOR, form_values(PLAN), view_id=stale["id"])
    bot.settle()
    assert "intussen door iemand anders aangepast" in str(late.json())
    assert len(exported(bot)["traject"]) == 2
    assert len(plan_messages(emulator)) == 1


@pytest.mark.parametrize("planned_before", [False, True])
def test_two_plans_saved_at_the_same_moment_keep_one_and_tell_the_other(
    bot: LocalBot, emulator: SlackEmulator, planned_before: bool
) -> None:
    start_network(bot)
    if planned_before:
        plan(bot)
    # Two facilitators (or two windows) plan at once, from the same version of the trajectory.
    views = []
    for _ in range(2):
        bot.command("traject nieuw", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
        views.append(emulator.open_view(FACILITATOR))
    saved_together(bot, views, [{**PLAN, JourneyPlanBlocks.COUNT: count} for count in ("3", "5")])
    assert len(exported(bot)["traject"]) in {3, 5}
    assert len(exported(bot)["sessions"]) == len(exported(bot)["traject"])
    assert len(plan_messages(emulator)) == 1


@pytest.mark.usefixtures("planned")
def test_an_archived_network_keeps_its_plan_still_and_the_purge_takes_it_along(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    bot.command("agenda Grenzen stellen", user_id=JOKE, channel_id=NETWORK_CHANNEL)
    lead, role_id, ts = _first_lead(bot, emulator)
    bot.command("archiveer", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    press_on_ephemeral(bot, emulator, FACILITATOR, PrivacyActions.ARCHIVE)

    press(bot, lead, JourneyActions.PASS_ROLE, ts, value=role_id)
    assert [role.user_id for role in stored(bot, JourneyRole) if role.id == int(role_id)] == [lead]
    bot.command("traject", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    assert "niet gekoppeld" in ephemeral_texts(emulator, FACILITATOR)[-1]

    assert bot.runtime is not None
    clock.advance(timedelta(days=370))
    jobs.sweep(bot.runtime.scheduling.runtime)
    assert [stored(bot, model) for model in (Journey, JourneySession, JourneyRole, AgendaItem)] == [[]] * 4


@pytest.mark.usefixtures("planned")
def test_a_session_without_a_theme_says_so_in_its_agenda_and_its_evaluation(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    # No learning goal was voted for: the plan proposes no themes.
    post_the_first_agenda(bot, clock)
    clock.set(datetime(2026, 10, 8, 14, 30, tzinfo=UTC))  # its end
    jobs.run_meeting_steps(job_context(bot))
    agenda, request = emulator.messages(NETWORK_CHANNEL)[-2:]
    open_evaluation(bot, PARTICIPANTS[0], request)
    modal = emulator.open_view(PARTICIPANTS[0])
    assert modal is not None

    bot.command("samenvatting", user_id=PARTICIPANTS[0], channel_id=NETWORK_CHANNEL)
    [summary] = channel_messages(emulator, "Samenvatting")

    for said in (message_text(agenda), message_text(request), message_text(modal)):
        assert "(nog geen thema)" in said and "**" not in said
    assert "_(nog geen thema)_" in message_text(summary) and "__" not in message_text(summary)
