"""Who may press what: every button and modal submission for five kinds of caller (issue 8, item 4).

Each interaction is built from what the bot really posted (the button, its value, the modal it opened),
then sent as each caller; a caller who is refused changes nothing and is told so privately (an ephemeral,
a notice on their App Home, or an error in the modal). The kinds of outcome are those of
test_authorization_matrix.py.
"""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot import jobs
from bot.clock import ManualClock
from bot.demo.harness import LocalBot
from bot.i18n import Texts
from bot.sandbox.emulator import SlackEmulator
from bot.views import ids
from bot.views.ids import VALUE_ACTION
from bot.views.ids import CaseActions
from bot.views.ids import CaseAdviceBlocks
from bot.views.ids import CaseCloseBlocks
from bot.views.ids import CheckinActions
from bot.views.ids import CheckinAnswerBlocks
from bot.views.ids import ExpectationsBlocks
from bot.views.ids import FollowUpActions
from bot.views.ids import FollowUpAnswerBlocks
from bot.views.ids import HomeActions
from bot.views.ids import JourneyActions
from bot.views.ids import KickoffActions
from bot.views.ids import LessonActions
from bot.views.ids import MeetingEvaluationBlocks
from bot.views.ids import PrivacyActions
from bot.views.ids import SafeActions
from bot.views.ids import SafeBlocks
from bot.views.ids import SummaryDigestBlocks
from bot.views.ids import ThermometerActions
from bot.views.ids import ThermometerAnswerBlocks
from bot.views.ids import WrapUpActions
from tests.e2e.conftest import ENGLISH_SPEAKER
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import PARTICIPANTS
from tests.e2e.conftest import START_FORM
from tests.e2e.conftest import bring_case
from tests.e2e.test_authorization_matrix import ALLOWED
from tests.e2e.test_authorization_matrix import ANSWERED
from tests.e2e.test_authorization_matrix import CALLERS
from tests.e2e.test_authorization_matrix import EXPERT
from tests.e2e.test_authorization_matrix import NEW_CHANNEL
from tests.e2e.test_authorization_matrix import NOT_A_MEMBER
from tests.e2e.test_authorization_matrix import NOT_LINKED
from tests.e2e.test_authorization_matrix import REFUSED
from tests.e2e.test_authorization_matrix import SILENT
from tests.e2e.test_authorization_matrix import USER_OF
from tests.e2e.test_authorization_matrix import Arrangements
from tests.e2e.test_authorization_matrix import Interact
from tests.e2e.test_authorization_matrix import Prepare
from tests.e2e.test_authorization_matrix import arrange_network
from tests.e2e.test_authorization_matrix import command
from tests.e2e.test_authorization_matrix import from_workspace
from tests.e2e.test_authorization_matrix import mismatches
from tests.e2e.test_authorization_matrix import observe_as
from tests.e2e.test_authorization_matrix import run_rows
from tests.e2e.test_checkins_meetings import MEETING
from tests.e2e.test_checkins_meetings import plan as plan_meeting
from tests.e2e.test_journey import PLAN as JOURNEY_PLAN
from tests.e2e.test_journey import plan as plan_journey
from tests.e2e.test_kickoff_agreements import post_agreements
from tests.factories import CASE_FORM
from tests.factories import INTRO_FORM
from tests.factories import form_values

CASE_OWNER = PARTICIPANTS[1]
"""Brings the case: a member who is none of the five callers, so that owning a case is its own column."""
MEETING_END = datetime(2026, 9, 24, 14, 30, tzinfo=UTC)
FOLLOW_UP_DUE = datetime(2026, 10, 5, 8, 0, tzinfo=UTC)
"""Three weeks after the arrangement's day, at 10:00 in Brussels: the follow-up question comes."""
FILLERS = ("U0VUL1", "U0VUL2", "U0VUL3")
"""Three more members whose learning goals push the map past its buttons, so that it needs a select."""


@pytest.fixture
def arrangements(
    emulator: SlackEmulator, sqlite_template: Path, tmp_path: Path, clock: ManualClock
) -> Arrangements:
    return Arrangements(emulator, sqlite_template, tmp_path, clock)


# ---------------------------------------------------------------------- finding what the bot posted


def element_of(node: Any, action_id: str) -> dict[str, Any] | None:
    """The first interactive element with `action_id` anywhere in `node` (blocks, a message, a view)."""
    if isinstance(node, dict):
        if node.get("action_id") == action_id and "type" in node:
            return node
        children = node.values()
    elif isinstance(node, list):
        children = node
    else:
        return None
    for child in children:
        found = element_of(child, action_id)
        if found is not None:
            return found
    return None


def posted_with(bot: LocalBot, action_id: str, channel_id: str = NETWORK_CHANNEL) -> dict[str, Any]:
    """The bot's latest post in the channel (a thread reply or an ephemeral included) with the button."""
    emulator = bot.emulator
    messages = emulator.messages(channel_id)
    for message in list(messages):
        if message.get("reply_count"):
            messages += emulator.replies(channel_id, message["ts"])
    messages += emulator.ephemerals(channel_id)
    found = [m for m in messages if element_of(m.get("blocks"), action_id) is not None]
    assert found, f"the bot posted no {action_id} button in {channel_id}"
    return max(found, key=lambda message: float(message["ts"]))


def click(bot: LocalBot, action_id: str, channel_id: str = NETWORK_CHANNEL) -> Interact:
    """Press the button (or choose the first option of the select) of the bot's latest post with it."""
    assert bot.driver is not None
    driver = bot.driver
    message = posted_with(bot, action_id, channel_id)
    element = element_of(message["blocks"], action_id)
    assert element is not None
    option = element["options"][0]["value"] if "options" in element else None

    def interact(user_id: str):
        return driver.block_action(
            user_id=user_id,
            action_id=action_id,
            channel_id=channel_id,
            message_ts=message["ts"],
            selected_option=option,
        )

    return interact


def submit(bot: LocalBot, opener: str, callback_id: str, values: dict[str, Any]) -> Interact:
    """Submit the modal `opener` has open, with `values` by block id, as whoever interacts."""
    assert bot.driver is not None
    driver = bot.driver
    view = bot.emulator.open_view(opener)
    assert view is not None and view["callback_id"] == callback_id, view
    entered = form_values(values)
    return lambda user_id: driver.submit_view(user_id, entered, view_id=view["id"])


# ---------------------------------------------------------------------- what each interaction needs first


def case_button(action_id: str, *, confidential: bool = False) -> Prepare:
    def prepare(bot: LocalBot, clock: ManualClock) -> Interact:
        bring_case(bot, user_id=CASE_OWNER, confidential=confidential)
        return click(bot, action_id)

    return prepare


ROUND = {ids.CaseRoundBlocks.METHOD: "incident"}


def round_step_button(bot: LocalBot, clock: ManualClock) -> Interact:
    bring_case(bot, user_id=CASE_OWNER)
    press(bot, FACILITATOR, click(bot, CaseActions.START_ROUND))
    press(bot, FACILITATOR, submit(bot, FACILITATOR, ids.CASE_ROUND_MODAL, ROUND))
    return click(bot, CaseActions.NEXT_STEP)


def press(bot: LocalBot, user_id: str, interact: Interact) -> None:
    interact(user_id)
    bot.settle()


def post_poll(bot: LocalBot) -> None:
    bot.command("peiling", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)


def poll_button(action_id: str) -> Prepare:
    def prepare(bot: LocalBot, clock: ManualClock) -> Interact:
        post_poll(bot)
        return click(bot, action_id)

    return prepare


def thermometer_button(bot: LocalBot, clock: ManualClock) -> Interact:
    bot.command("thermometer", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    return click(bot, ThermometerActions.ANSWER)


def look_back_button(bot: LocalBot, clock: ManualClock) -> Interact:
    bot.command("afsluiten", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    bot.submit_view(FACILITATOR, {})
    return click(bot, WrapUpActions.LOOK_BACK)


def hold_meeting(bot: LocalBot, clock: ManualClock) -> None:
    """Plan a meeting and let its end pass: the bot asks for an evaluation."""
    plan_meeting(bot)
    assert bot.runtime is not None
    clock.set(MEETING_END)
    jobs.sweep(bot.runtime.scheduling.runtime)
    bot.settle()


def evaluation_button(bot: LocalBot, clock: ManualClock) -> Interact:
    hold_meeting(bot, clock)
    return click(bot, CheckinActions.EVALUATE_MEETING)


def follow_up_button(bot: LocalBot, clock: ManualClock) -> Interact:
    """The owner closes the case, and three weeks later is asked privately what the advice yielded."""
    bring_case(bot, user_id=CASE_OWNER)
    press(bot, CASE_OWNER, click(bot, CaseActions.CLOSE))
    press(bot, CASE_OWNER, submit(bot, CASE_OWNER, ids.CASE_CLOSE_MODAL, LESSON))
    assert bot.runtime is not None
    clock.set(FOLLOW_UP_DUE)
    jobs.sweep(bot.runtime.scheduling.runtime)
    bot.settle()
    return click(bot, f"{FollowUpActions.ANSWER}:helped", bot.emulator.dm_channel_id(CASE_OWNER))


def lessons_more_button(bot: LocalBot, clock: ManualClock) -> Interact:
    """More lessons than one page holds, and `/netwerk lessen` showing the first."""
    for _ in range(11):
        bring_case(bot, user_id=CASE_OWNER)
        press(bot, CASE_OWNER, click(bot, CaseActions.CLOSE))
        press(bot, CASE_OWNER, submit(bot, CASE_OWNER, ids.CASE_CLOSE_MODAL, LESSON))
    bot.command("lessen", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    return click(bot, LessonActions.MORE)


def home_button(action_id: str) -> Prepare:
    """A button on the facilitator's App Home; anyone else pressing it is a forged request."""

    def prepare(bot: LocalBot, clock: ManualClock) -> Interact:
        assert bot.driver is not None
        driver = bot.driver
        bot.send_event(driver.app_home_opened(FACILITATOR))
        home = bot.emulator.home_view(FACILITATOR)
        assert home is not None and element_of(home["blocks"], action_id) is not None
        return lambda user_id: driver.block_action(user_id=user_id, action_id=action_id, view_id=home["id"])

    return prepare


def write_expectations(bot: LocalBot, user_id: str, *goals: str) -> None:
    bot.command("verwachtingen", user_id=user_id, channel_id=NETWORK_CHANNEL)
    answers = {ExpectationsBlocks.TEXT: "Van elkaar leren"} | dict(
        zip(ExpectationsBlocks.GOALS, goals, strict=False)
    )
    bot.submit_view(user_id, form_values(answers))


def map_vote(bot: LocalBot, clock: ManualClock) -> Interact:
    write_expectations(bot, PARTICIPANTS[0], "Grenzen stellen")
    bot.command("verwachtingen kaart", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    return click(bot, KickoffActions.VOTE)


def map_select(bot: LocalBot, clock: ManualClock) -> Interact:
    """Seven members with three goals each: one more than the map has buttons for."""
    assert bot.driver is not None
    for user_id in FILLERS:
        bot.emulator.add_user(user_id, user_id.lower(), real_name=user_id, locale="nl-BE")
        bot.emulator.join(NETWORK_CHANNEL, user_id)
        # An event id of its own: the arranged network's file remembers the ids of the events it saw.
        bot.send_event(bot.driver.member_joined_channel(user_id, NETWORK_CHANNEL), event_id=f"Ev{user_id}")
    writers = (FACILITATOR, *PARTICIPANTS, EXPERT, *FILLERS)
    for number, user_id in enumerate(writers):
        write_expectations(bot, user_id, *(f"Leerdoel {number}-{goal}" for goal in range(3)))
    bot.command("verwachtingen kaart", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    return click(bot, KickoffActions.VOTE_OTHER_GOAL)


def agreements_button(action_id: str) -> Prepare:
    def prepare(bot: LocalBot, clock: ManualClock) -> Interact:
        post_agreements(bot)
        return click(bot, action_id)

    return prepare


def confirmation_button(word: str, asker: str, action_id: str) -> Prepare:
    """The button in the private confirmation `/netwerk <word>` gave `asker`."""

    def prepare(bot: LocalBot, clock: ManualClock) -> Interact:
        bot.command(word, user_id=asker, channel_id=NETWORK_CHANNEL)
        return click(bot, action_id)

    return prepare


def forget_me(bot: LocalBot, clock: ManualClock) -> Interact:
    """Each caller asks `/netwerk vergeet-mij` and presses the button in their own confirmation."""
    assert bot.driver is not None
    driver = bot.driver
    for caller in CALLERS:
        with from_workspace(bot.emulator, caller):
            bot.command("vergeet-mij", user_id=USER_OF[caller], channel_id=NETWORK_CHANNEL)

    def interact(user_id: str):
        [*_, confirmation] = (
            message
            for message in bot.emulator.ephemerals(NETWORK_CHANNEL, user_id=user_id)
            if element_of(message.get("blocks"), PrivacyActions.FORGET) is not None
        )
        return driver.block_action(
            user_id=user_id,
            action_id=PrivacyActions.FORGET,
            channel_id=NETWORK_CHANNEL,
            message_ts=confirmation["ts"],
        )

    return interact


def modal(word: str, callback_id: str, values: dict[str, Any], **where: str) -> Prepare:
    """The modal `/netwerk <word>` (or `/case`) opens for the facilitator, submitted with `values`."""

    def prepare(bot: LocalBot, clock: ManualClock) -> Interact:
        slash, text = ("/case", "") if word == "/case" else ("/netwerk", word)
        channel_id = where.get("channel_id", NETWORK_CHANNEL)
        bot.command(text, command=slash, user_id=FACILITATOR, channel_id=channel_id)
        return submit(bot, FACILITATOR, callback_id, values)

    return prepare


def modal_after(before: Prepare, opener: str, callback_id: str, values: dict[str, Any]) -> Prepare:
    """The modal a click opens for `opener`, submitted with `values`."""

    def prepare(bot: LocalBot, clock: ManualClock) -> Interact:
        press(bot, opener, before(bot, clock))
        return submit(bot, opener, callback_id, values)

    return prepare


# ---------------------------------------------------------------------- the safe group


def journey_button(action_id: str) -> Prepare:
    """A button in the facilitator's own `/netwerk traject` (their roles, editing, planning again)."""

    def prepare(bot: LocalBot, clock: ManualClock) -> Interact:
        plan_journey(bot)
        bot.command("traject", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
        return click(bot, action_id)

    return prepare


def invite_guest(bot: LocalBot, guest_id: str = EXPERT) -> dict[str, Any]:
    """The case owner invites `guest_id` from the card; the guests modal as it is after."""
    press(bot, CASE_OWNER, click(bot, SafeActions.GUESTS))
    bot.submit_view(CASE_OWNER, {SafeBlocks.GUEST: {VALUE_ACTION: guest_id}})
    view = bot.emulator.open_view(CASE_OWNER)
    assert view is not None and view["callback_id"] == ids.CASE_GUESTS_MODAL
    return view


def in_view(bot: LocalBot, view: dict[str, Any], action_id: str) -> Interact:
    assert bot.driver is not None
    driver = bot.driver
    return lambda user_id: driver.block_action(user_id=user_id, action_id=action_id, view_id=view["id"])


def withdraw_button(bot: LocalBot, clock: ManualClock) -> Interact:
    bring_case(bot, user_id=CASE_OWNER, confidential=True)
    return in_view(bot, invite_guest(bot), SafeActions.WITHDRAW_GUEST)


def page_button(action_id: str) -> Prepare:
    """A button of the owner's reading modal of a case long enough for two pages: a guest expert's advice."""

    def prepare(bot: LocalBot, clock: ManualClock) -> Interact:
        bring_case(bot, user_id=CASE_OWNER, confidential=True)
        invite_guest(bot)
        bot.emulator.close_view(CASE_OWNER, clear=True)
        for number in range(10):
            press(bot, EXPERT, click(bot, CaseActions.GIVE_ADVICE))
            bot.submit_view(EXPERT, {CaseAdviceBlocks.ADVICE: {VALUE_ACTION: f"{number} " + "&" * 1900}})
        press(bot, CASE_OWNER, click(bot, SafeActions.READ))
        view = bot.emulator.open_view(CASE_OWNER)
        assert view is not None
        if action_id == SafeActions.READ_PREVIOUS_PAGE:
            press(bot, CASE_OWNER, in_view(bot, view, SafeActions.READ_PAGE))
            view = bot.emulator.open_view(CASE_OWNER)
            assert view is not None
        return in_view(bot, view, action_id)

    return prepare


def role_question(action_id: str) -> Prepare:
    """The facilitator passes their first role on: the next in line (the participant) is asked."""

    def prepare(bot: LocalBot, clock: ManualClock) -> Interact:
        press(bot, FACILITATOR, journey_button(JourneyActions.PASS_ROLE)(bot, clock))
        return click(bot, action_id, bot.emulator.dm_channel_id(PARTICIPANTS[0]))

    return prepare


def forget_archived_button(bot: LocalBot, clock: ManualClock) -> Interact:
    bring_case(bot, user_id=CASE_OWNER, confidential=True)
    bot.command("archiveer", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    press(bot, FACILITATOR, click(bot, PrivacyActions.ARCHIVE))
    return click(bot, SafeActions.FORGET_ARCHIVED)


def agenda_button(action_id: str) -> Prepare:
    """A pick button in the facilitator's `/netwerk agenda`, after a participant proposed a topic."""

    def prepare(bot: LocalBot, clock: ManualClock) -> Interact:
        plan_journey(bot)
        bot.command("agenda Grenzen stellen", user_id=PARTICIPANTS[0], channel_id=NETWORK_CHANNEL)
        if action_id == JourneyActions.UNPICK_AGENDA:
            bot.command("agenda", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
            press(bot, FACILITATOR, click(bot, JourneyActions.PICK_AGENDA))
        bot.command("agenda", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
        return click(bot, action_id)

    return prepare


def case_forward_button(bot: LocalBot, clock: ManualClock) -> Interact:
    plan_journey(bot)
    return case_button(JourneyActions.PUT_CASE_FORWARD)(bot, clock)


def pause_remove(bot: LocalBot, clock: ManualClock) -> Interact:
    """The remove button in the facilitator's list of pauses; anyone else pressing it forges a request."""
    assert bot.driver is not None
    driver = bot.driver
    bot.command("pauze", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    submit(bot, FACILITATOR, ids.PAUSE_MODAL, PAUSE)(FACILITATOR)
    bot.command("pauze lijst", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    [*_, listing] = (
        message
        for message in bot.emulator.ephemerals(NETWORK_CHANNEL, user_id=FACILITATOR)
        if element_of(message.get("blocks"), ids.PauseActions.REMOVE) is not None
    )
    return lambda user_id: driver.block_action(
        user_id=user_id,
        action_id=ids.PauseActions.REMOVE,
        channel_id=NETWORK_CHANNEL,
        message_ts=listing["ts"],
    )


PAUSE = {ids.PauseBlocks.STARTS_ON: "2026-12-21", ids.PauseBlocks.ENDS_ON: "2026-12-31"}


# ---------------------------------------------------------------------- the table

MEMBERS = {
    "facilitator": ALLOWED,
    "participant": ALLOWED,
    "expert": ALLOWED,
    "channel member": REFUSED,
    "other workspace": NOT_LINKED,
}
FACILITATORS = {**MEMBERS, "participant": REFUSED, "expert": REFUSED}
OWNER = {**dict.fromkeys(CALLERS, REFUSED), "other workspace": NOT_LINKED, "case owner": ALLOWED}
# The invited guest expert reads the pages too (the expert of this arrangement is the one invited).
OWNER_OR_GUEST = {**OWNER, "expert": ALLOWED}
# A click forged inside someone else's modal from another workspace changes nothing and has no channel
# of that workspace to be answered in.
IN_OWNERS_MODAL = {**OWNER, "other workspace": SILENT}
IN_READERS_MODAL = {**OWNER_OR_GUEST, "other workspace": SILENT}
# Advising or recognising one's own case is answered with why not: no refusal of a person, but of the act.
OTHERS_THAN_OWNER = {**MEMBERS, "case owner": ANSWERED}
# A case's round: a facilitator or the case's owner (and the round's session lead, here the facilitator).
ROUND_LEADERS = {**FACILITATORS, "case owner": ALLOWED}
# A role in the trajectory is passed on by who holds it (here the facilitator, first in turn), and the
# question to take it over is answered by who was asked (here the participant, next in line).
HOLDER = FACILITATORS
ASKED = {**FACILITATORS, "facilitator": REFUSED, "participant": ALLOWED}
OWNER_OR_FACILITATOR = {**FACILITATORS, "case owner": ALLOWED}


def lesson_consent(action_id: str) -> Prepare:
    """The facilitator saves the participant's message as a lesson: the participant is asked privately."""

    def prepare(bot: LocalBot, clock: ManualClock) -> Interact:
        ts = bot.emulator.add_message(NETWORK_CHANNEL, PARTICIPANTS[0], "Eerst luisteren.")["ts"]
        bot.message_shortcut(
            ids.SAVE_AS_LESSON_SHORTCUT, user_id=FACILITATOR, channel_id=NETWORK_CHANNEL, message_ts=ts
        )
        return click(bot, action_id, bot.emulator.dm_channel_id(PARTICIPANTS[0]))

    return prepare


def message_shortcut(callback_id: str) -> Prepare:
    """A shortcut on a message the case owner wrote in the network's channel."""

    def prepare(bot: LocalBot, clock: ManualClock) -> Interact:
        assert bot.driver is not None
        driver = bot.driver
        ts = bot.emulator.add_message(NETWORK_CHANNEL, CASE_OWNER, "Eerst luisteren, dan raad geven.")["ts"]
        return lambda user_id: driver.message_shortcut(
            user_id=user_id, callback_id=callback_id, channel_id=NETWORK_CHANNEL, message_ts=ts
        )

    return prepare


# Only the author of the message answers whether it may be kept; to anyone else the question is gone.
AUTHOR = {**dict.fromkeys(CALLERS, REFUSED), "participant": ALLOWED, "other workspace": NOT_LINKED}


class Row:
    """One interaction: how to build it, who may, and whether each caller it allows needs a fresh
    arrangement (when what one of them does stands in the way of the next)."""

    def __init__(self, prepare: Prepare, who: dict[str, str], *, fresh: bool = False) -> None:
        self.prepare, self.who, self.fresh = prepare, who, fresh


BUTTONS: dict[str, Row] = {
    CaseActions.GIVE_ADVICE: Row(case_button(CaseActions.GIVE_ADVICE), OTHERS_THAN_OWNER),
    CaseActions.RECOGNISE: Row(case_button(CaseActions.RECOGNISE), OTHERS_THAN_OWNER),
    CaseActions.CLOSE: Row(case_button(CaseActions.CLOSE), OWNER),
    CaseActions.DELETE: Row(case_button(CaseActions.DELETE), OWNER),
    CaseActions.AGENDA: Row(case_button(CaseActions.AGENDA), FACILITATORS),
    CaseActions.START_ROUND: Row(case_button(CaseActions.START_ROUND), ROUND_LEADERS),
    CaseActions.NEXT_STEP: Row(round_step_button, ROUND_LEADERS, fresh=True),
    CheckinActions.WRITE_GOES_WELL: Row(poll_button(CheckinActions.WRITE_GOES_WELL), MEMBERS),
    CheckinActions.WRITE_COULD_BE_BETTER: Row(poll_button(CheckinActions.WRITE_COULD_BE_BETTER), MEMBERS),
    CheckinActions.EVALUATE_MEETING: Row(evaluation_button, MEMBERS),
    HomeActions.POST_CHECKIN: Row(home_button(HomeActions.POST_CHECKIN), FACILITATORS, fresh=True),
    HomeActions.PLAN_MEETING: Row(home_button(HomeActions.PLAN_MEETING), FACILITATORS, fresh=True),
    HomeActions.POST_SUMMARY: Row(home_button(HomeActions.POST_SUMMARY), FACILITATORS, fresh=True),
    HomeActions.DOWNLOAD_CSV: Row(home_button(HomeActions.DOWNLOAD_CSV), FACILITATORS, fresh=True),
    KickoffActions.VOTE: Row(map_vote, MEMBERS),
    KickoffActions.VOTE_OTHER_GOAL: Row(map_select, MEMBERS),
    KickoffActions.ACCEPT_AGREEMENTS: Row(agreements_button(KickoffActions.ACCEPT_AGREEMENTS), MEMBERS),
    KickoffActions.SHOW_PENDING: Row(
        agreements_button(KickoffActions.SHOW_PENDING), {**FACILITATORS, "facilitator": ANSWERED}
    ),
    # The last facilitator is asked to name another one first; who has nothing stored is told it is done.
    PrivacyActions.FORGET: Row(
        forget_me,
        {
            "facilitator": REFUSED,
            "participant": ALLOWED,
            "expert": ALLOWED,
            "channel member": ANSWERED,
            "other workspace": ANSWERED,
        },
    ),
    PrivacyActions.ARCHIVE: Row(
        confirmation_button("archiveer", FACILITATOR, PrivacyActions.ARCHIVE), FACILITATORS
    ),
    # The safe group. No agreements are posted in this arrangement: only the owner reads their case.
    SafeActions.READ: Row(case_button(SafeActions.READ, confidential=True), OWNER),
    SafeActions.READ_PAGE: Row(page_button(SafeActions.READ_PAGE), IN_READERS_MODAL, fresh=True),
    SafeActions.READ_PREVIOUS_PAGE: Row(
        page_button(SafeActions.READ_PREVIOUS_PAGE), IN_READERS_MODAL, fresh=True
    ),
    SafeActions.GUESTS: Row(case_button(SafeActions.GUESTS, confidential=True), OWNER),
    SafeActions.WITHDRAW_GUEST: Row(withdraw_button, IN_OWNERS_MODAL),
    # The network is archived: the other workspace finds no network at all.
    SafeActions.FORGET_ARCHIVED: Row(
        forget_archived_button, {**FACILITATORS, "channel member": REFUSED, "other workspace": NOT_LINKED}
    ),
    FollowUpActions.ANSWER: Row(follow_up_button, OWNER),
    # The next page is a private answer: it changes nothing.
    LessonActions.MORE: Row(
        lessons_more_button, {**MEMBERS, "facilitator": ANSWERED, "participant": ANSWERED, "expert": ANSWERED}
    ),
    JourneyActions.EDIT_SESSIONS: Row(journey_button(JourneyActions.EDIT_SESSIONS), FACILITATORS),
    JourneyActions.REPLAN: Row(journey_button(JourneyActions.REPLAN), FACILITATORS),
    JourneyActions.PASS_ROLE: Row(journey_button(JourneyActions.PASS_ROLE), HOLDER),
    JourneyActions.ACCEPT_ROLE: Row(role_question(JourneyActions.ACCEPT_ROLE), ASKED),
    JourneyActions.DECLINE_ROLE: Row(role_question(JourneyActions.DECLINE_ROLE), ASKED),
    JourneyActions.PICK_AGENDA: Row(agenda_button(JourneyActions.PICK_AGENDA), FACILITATORS),
    JourneyActions.UNPICK_AGENDA: Row(agenda_button(JourneyActions.UNPICK_AGENDA), FACILITATORS),
    JourneyActions.PUT_CASE_FORWARD: Row(case_forward_button, OWNER_OR_FACILITATOR, fresh=True),
    ThermometerActions.ANSWER: Row(thermometer_button, MEMBERS),
    ids.PauseActions.REMOVE: Row(pause_remove, FACILITATORS, fresh=True),
    ids.ShortcutActions.CONSENT_YES: Row(lesson_consent(ids.ShortcutActions.CONSENT_YES), AUTHOR),
    ids.ShortcutActions.CONSENT_NO: Row(lesson_consent(ids.ShortcutActions.CONSENT_NO), AUTHOR),
    WrapUpActions.LOOK_BACK: Row(look_back_button, MEMBERS),
}
SHORTCUTS: dict[str, Row] = {
    ids.BRING_IN_AS_CASE_SHORTCUT: Row(message_shortcut(ids.BRING_IN_AS_CASE_SHORTCUT), MEMBERS),
    ids.SAVE_AS_LESSON_SHORTCUT: Row(message_shortcut(ids.SAVE_AS_LESSON_SHORTCUT), MEMBERS, fresh=True),
}

ADVICE = {CaseAdviceBlocks.ADVICE: "Bel ze zelf op."}
LESSON = {CaseCloseBlocks.LESSON: "Eerst bellen, dan schrijven."}
ANSWER = {CheckinAnswerBlocks.TEXT: "De casusbesprekingen"}
THERMOMETER = dict.fromkeys(ThermometerAnswerBlocks.BY_FIELD.values(), "7") | {
    ThermometerAnswerBlocks.STRONGER: "Meer casussen"
}
EVALUATION = {MeetingEvaluationBlocks.USEFULNESS: "4", MeetingEvaluationBlocks.TAKEAWAY: "Eerst bellen"}
FOLLOW_UP_ANSWER = {FollowUpAnswerBlocks.OUTCOME: "helped", FollowUpAnswerBlocks.ANSWER: "Het werkte."}
EXPECTATIONS = {ExpectationsBlocks.TEXT: "Van elkaar leren", ExpectationsBlocks.GOAL_1: "Grenzen stellen"}
MODALS: dict[str, Row] = {
    ids.START_NETWORK_MODAL: Row(
        modal("start", ids.START_NETWORK_MODAL, START_FORM, channel_id=NEW_CHANNEL),
        dict.fromkeys(CALLERS, ALLOWED),
        fresh=True,
    ),
    ids.INTRO_MODAL: Row(modal("intro", ids.INTRO_MODAL, INTRO_FORM), MEMBERS),
    ids.EXPECTATIONS_MODAL: Row(modal("verwachtingen", ids.EXPECTATIONS_MODAL, EXPECTATIONS), MEMBERS),
    ids.AGREEMENTS_MODAL: Row(modal("afspraken", ids.AGREEMENTS_MODAL, {}), FACILITATORS),
    ids.CASE_INTAKE_MODAL: Row(modal("/case", ids.CASE_INTAKE_MODAL, CASE_FORM), MEMBERS),
    ids.CASE_ADVICE_MODAL: Row(
        modal_after(case_button(CaseActions.GIVE_ADVICE), FACILITATOR, ids.CASE_ADVICE_MODAL, ADVICE),
        OTHERS_THAN_OWNER,
    ),
    ids.CASE_CLOSE_MODAL: Row(
        modal_after(case_button(CaseActions.CLOSE), CASE_OWNER, ids.CASE_CLOSE_MODAL, LESSON), OWNER
    ),
    ids.CASE_ROUND_MODAL: Row(
        modal_after(case_button(CaseActions.START_ROUND), FACILITATOR, ids.CASE_ROUND_MODAL, ROUND),
        ROUND_LEADERS,
        fresh=True,
    ),
    ids.CASE_GUESTS_MODAL: Row(
        modal_after(
            case_button(SafeActions.GUESTS, confidential=True),
            CASE_OWNER,
            ids.CASE_GUESTS_MODAL,
            {SafeBlocks.GUEST: EXPERT},
        ),
        OWNER,
    ),
    ids.CHECKIN_ANSWER_MODAL: Row(
        modal_after(
            poll_button(CheckinActions.WRITE_GOES_WELL), FACILITATOR, ids.CHECKIN_ANSWER_MODAL, ANSWER
        ),
        MEMBERS,
    ),
    ids.CHECKIN_SCHEDULE_MODAL: Row(modal("peiling planning", ids.CHECKIN_SCHEDULE_MODAL, {}), FACILITATORS),
    ids.MEETING_PLAN_MODAL: Row(modal("sessie", ids.MEETING_PLAN_MODAL, MEETING), FACILITATORS),
    ids.MEETING_EVALUATION_MODAL: Row(
        modal_after(evaluation_button, FACILITATOR, ids.MEETING_EVALUATION_MODAL, EVALUATION), MEMBERS
    ),
    ids.JOURNEY_PLAN_MODAL: Row(modal("traject", ids.JOURNEY_PLAN_MODAL, JOURNEY_PLAN), FACILITATORS),
    ids.JOURNEY_SESSIONS_MODAL: Row(
        modal_after(
            journey_button(JourneyActions.EDIT_SESSIONS), FACILITATOR, ids.JOURNEY_SESSIONS_MODAL, {}
        ),
        FACILITATORS,
    ),
    ids.SUMMARY_DIGEST_MODAL: Row(
        modal("samenvatting planning", ids.SUMMARY_DIGEST_MODAL, {SummaryDigestBlocks.FREQUENCY: "off"}),
        FACILITATORS,
    ),
    ids.FOLLOW_UP_ANSWER_MODAL: Row(
        modal_after(follow_up_button, CASE_OWNER, ids.FOLLOW_UP_ANSWER_MODAL, FOLLOW_UP_ANSWER), OWNER
    ),
    ids.THERMOMETER_ANSWER_MODAL: Row(
        modal_after(thermometer_button, FACILITATOR, ids.THERMOMETER_ANSWER_MODAL, THERMOMETER),
        MEMBERS,
    ),
    ids.PAIRS_MODAL: Row(
        modal("kennismaking", ids.PAIRS_MODAL, {ids.PairsBlocks.EVERY_WEEKS: "1"}), FACILITATORS
    ),
    ids.PAUSE_MODAL: Row(modal("pauze", ids.PAUSE_MODAL, PAUSE), FACILITATORS, fresh=True),
    # One wrap-up per network: each facilitator who may start it needs a network of their own.
    ids.WRAP_UP_MODAL: Row(modal("afsluiten", ids.WRAP_UP_MODAL, {}), FACILITATORS, fresh=True),
    ids.LOOK_BACK_MODAL: Row(
        modal_after(look_back_button, FACILITATOR, ids.LOOK_BACK_MODAL, {ids.LookBackBlocks.LESSON: "Samen"}),
        MEMBERS,
    ),
}


@pytest.mark.parametrize("table", ["buttons", "modals", "shortcuts"])
def test_every_button_and_modal_for_every_kind_of_caller(arrangements: Arrangements, table: str) -> None:
    wrong = []
    for action, row in {"buttons": BUTTONS, "modals": MODALS, "shortcuts": SHORTCUTS}[table].items():
        seen = run_rows(arrangements, row.prepare, row.who, fresh_when_allowed=row.fresh)
        wrong += mismatches(action, row.who, seen)
    assert wrong == []


def registered_ids() -> tuple[set[str], set[str]]:
    """Every action_id and every modal callback_id the ids module names."""
    actions = {
        value
        for name in ids.__all__
        if name.endswith("Actions")
        for attribute, value in vars(getattr(ids, name)).items()
        if attribute.isupper() and isinstance(value, str)
    }
    modals = {getattr(ids, name) for name in ids.__all__ if name.endswith("_MODAL")}
    return actions, modals


def test_every_action_and_modal_the_bot_registers_has_a_row() -> None:
    actions, modals = registered_ids()
    assert (set(BUTTONS), set(MODALS)) == (actions, modals)


# ---------------------------------------------------------------------- someone who left, and samples


def test_a_member_who_left_the_channel_is_treated_as_not_in_the_network(arrangements: Arrangements) -> None:
    leaver = PARTICIPANTS[0]
    with arrangements.network() as bot:
        assert bot.driver is not None
        clock = arrangements.clock
        interactions = {
            "/netwerk intro": command("intro")(bot, clock),
            "/netwerk leden": command("leden")(bot, clock),
            "/case": command("", slash="/case")(bot, clock),
            KickoffActions.VOTE: map_vote(bot, clock),
            CaseActions.RECOGNISE: case_button(CaseActions.RECOGNISE)(bot, clock),
            CheckinActions.WRITE_GOES_WELL: poll_button(CheckinActions.WRITE_GOES_WELL)(bot, clock),
        }
        bot.command("intro", user_id=leaver, channel_id=NETWORK_CHANNEL)
        intro_submission = submit(bot, leaver, ids.INTRO_MODAL, INTRO_FORM)

        bot.emulator.leave(NETWORK_CHANNEL, leaver)
        bot.send_event(bot.driver.member_left_channel(leaver, NETWORK_CHANNEL), event_id="EvLEFT")

        seen = {action: observe_as(bot, "participant", interact) for action, interact in interactions.items()}
        # The modal they opened before they left stays open and says why: Slack can show no ephemeral in a
        # channel they left.
        seen[ids.INTRO_MODAL] = observe_as(bot, "participant", intro_submission)
    assert {action: (s.kind, s.answers) for action, s in seen.items()} == dict.fromkeys(
        [*interactions, ids.INTRO_MODAL], (REFUSED, (NOT_A_MEMBER,))
    )


def test_a_sample_of_the_matrix_holds_on_each_database(
    emulator: SlackEmulator, database_url: str, clock: ManualClock
) -> None:
    """One arrangement, so that PostgreSQL needs no fresh database per row: who changes nothing comes
    first, and the one allowed caller of each row comes last."""
    with LocalBot(emulator, database_url=database_url, clock=clock) as bot:
        arrange_network(bot)
        interactions = {
            "/netwerk sessie": command("sessie")(bot, clock),
            CaseActions.AGENDA: case_button(CaseActions.AGENDA)(bot, clock),
            KickoffActions.VOTE: map_vote(bot, clock),
            PrivacyActions.ARCHIVE: confirmation_button("archiveer", FACILITATOR, PrivacyActions.ARCHIVE)(
                bot, clock
            ),
        }
        sample = [
            ("/netwerk sessie", "participant", REFUSED),
            ("/netwerk sessie", "other workspace", NOT_LINKED),
            ("/netwerk sessie", "facilitator", ALLOWED),
            (CaseActions.AGENDA, "expert", REFUSED),
            (CaseActions.AGENDA, "other workspace", NOT_LINKED),
            (CaseActions.AGENDA, "facilitator", ALLOWED),
            (KickoffActions.VOTE, "channel member", REFUSED),
            (KickoffActions.VOTE, "participant", ALLOWED),
            (PrivacyActions.ARCHIVE, "participant", REFUSED),
            (PrivacyActions.ARCHIVE, "other workspace", NOT_LINKED),
            (PrivacyActions.ARCHIVE, "facilitator", ALLOWED),
        ]
        seen = [
            (action, caller, observe_as(bot, caller, interactions[action]).kind)
            for action, caller, _ in sample
        ]
    assert seen == sample


def test_a_refusal_comes_in_english_for_an_english_speaker(arrangements: Arrangements) -> None:
    """A network's channel speaks the network's language, so an English network refuses in English; on
    App Home, where no channel speaks, the user's Slack locale decides."""
    english = Texts("en")
    clock = arrangements.clock
    with arrangements.network(start_language="en") as bot:
        bot.emulator.join(NETWORK_CHANNEL, ENGLISH_SPEAKER)
        recognise = case_button(CaseActions.RECOGNISE)(bot, clock)
        in_the_channel = [
            observe_as(bot, "english speaker", command("leden")(bot, clock)),
            observe_as(bot, "english speaker", recognise),
            observe_as(bot, "participant", command("sessie")(bot, clock)),
        ]
    with arrangements.network() as bot:
        on_app_home = observe_as(bot, "english speaker", home_button(HomeActions.POST_CHECKIN)(bot, clock))
    assert [(s.kind, s.answers) for s in in_the_channel] == [
        (REFUSED, (english("error.not_a_member"),)),
        (REFUSED, (english("error.not_a_member"),)),
        (REFUSED, (english("error.not_a_facilitator"),)),
    ]
    assert (on_app_home.kind, on_app_home.answers) == (
        REFUSED,
        (english("home.notice.failed", text=english("error.not_a_member")),),
    )


# ---------------------------------------------------------------------- reading, as the agreements change


def read_after_new_agreements(bot: LocalBot, clock: ManualClock) -> Interact:
    """Everyone but the expert accepted version 1; version 2 followed, accepted again by the participant
    and the case owner, not by the facilitator."""
    post_agreements(bot)
    for user_id in (FACILITATOR, USER_OF["participant"], CASE_OWNER):
        press(bot, user_id, click(bot, KickoffActions.ACCEPT_AGREEMENTS))
    bot.command("afspraken", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    bot.submit_view(
        FACILITATOR, {ids.AgreementsBlocks.TEXT: {VALUE_ACTION: "Wat hier gezegd wordt, blijft hier."}}
    )
    for user_id in (USER_OF["participant"], CASE_OWNER):
        press(bot, user_id, click(bot, KickoffActions.ACCEPT_AGREEMENTS))
    return case_button(SafeActions.READ, confidential=True)(bot, clock)


def test_a_confidential_case_is_read_by_who_accepted_the_current_agreements(
    arrangements: Arrangements,
) -> None:
    expected = {
        "facilitator": REFUSED,  # accepted version 1 only
        "participant": ALLOWED,
        "expert": REFUSED,  # a guest expert reads on invitation only
        "channel member": REFUSED,
        "other workspace": NOT_LINKED,
        "case owner": ALLOWED,
    }
    seen = run_rows(arrangements, read_after_new_agreements, expected, fresh_when_allowed=False)
    assert mismatches(SafeActions.READ, expected, seen) == []
    assert "versie 2" in seen["facilitator"].answers[-1]
