"""The demo's trajectory act: the facilitator plans the sessions, gives the first one a work form, a member
passes a role on, members propose for the agenda, the facilitator picks, and the day before the first
session its agenda names the theme, the work form, the roles and the cases."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.clock import ManualClock
from bot.clock import SystemClock
from bot.demo.stage import CHANNEL_ID
from bot.demo.stage import DEMO_TIMEZONE
from bot.demo.stage import Stage
from bot.jobs import publish_meeting_step
from bot.services.meetings import MeetingService
from bot.views.ids import CONFIDENTIAL_OPTION
from bot.views.ids import THEME_BLOCK_PREFIX
from bot.views.ids import WORKFORM_BLOCK_PREFIX
from bot.views.ids import CaseIntakeBlocks
from bot.views.ids import JourneyActions
from bot.views.ids import JourneyPlanBlocks
from storage.db import session_factory

_LINK = "https://meet.example.org/jeugdhulp"
_TOPIC = {
    "nl": "Omgaan met agressie aan het loket",
    "en": "Dealing with aggression at the counter",
    "fr": "Faire face à l'agressivité au guichet",
}
_CASE = {
    "nl": {
        CaseIntakeBlocks.TITLE: "Een melding die ik niet durf te maken",
        CaseIntakeBlocks.SITUATION: "Een vermoeden van verwaarlozing, maar weinig houvast.",
        CaseIntakeBlocks.QUESTION: "Wanneer meld ik, en hoe vertel ik het de ouders?",
        CaseIntakeBlocks.TRIED: "Overlegd met mijn teamleider.",
    },
    "en": {
        CaseIntakeBlocks.TITLE: "A report I do not dare to make",
        CaseIntakeBlocks.SITUATION: "A suspicion of neglect, but little to go on.",
        CaseIntakeBlocks.QUESTION: "When do I report, and how do I tell the parents?",
        CaseIntakeBlocks.TRIED: "Talked it over with my team leader.",
    },
    "fr": {
        CaseIntakeBlocks.TITLE: "Un signalement que je n'ose pas faire",
        CaseIntakeBlocks.SITUATION: "Un soupçon de négligence, mais peu d'éléments concrets.",
        CaseIntakeBlocks.QUESTION: "Quand faire un signalement, et comment l'annoncer aux parents ?",
        CaseIntakeBlocks.TRIED: "J'en ai parlé avec ma responsable d'équipe.",
    },
}
# The work form the facilitator types for the first session: any language's name finds it.
_WORKFORM = {"nl": "incidentmethode", "en": "incidentmethode", "fr": "méthode d'incident"}
FIRST_SESSION_IN = timedelta(days=5)
"""The trajectory starts before the meeting the check-in act planned (a week ahead)."""


def journey_act(stage: Stage) -> None:
    """The trajectory planned, a role passed on, and one session's agenda made together."""
    _plan(stage)
    _edit_first_session(stage)
    _pass_a_role(stage)
    _make_the_agenda(stage)
    _post_the_first_agenda(stage)


def _plan(stage: Stage) -> None:
    facilitator = stage.facilitator_id
    stage.facilitator_types("journey.demo.plans", "traject", "journey")
    stage.show_open_modal(facilitator)
    first_day = (SystemClock().now().astimezone(ZoneInfo(DEMO_TIMEZONE)) + FIRST_SESSION_IN).date()
    stage.submit(
        facilitator,
        {
            JourneyPlanBlocks.COUNT: "6",
            JourneyPlanBlocks.RHYTHM: "every_4_weeks",
            JourneyPlanBlocks.FIRST_DAY: first_day.isoformat(),
            JourneyPlanBlocks.LINK: _LINK,
        },
    )
    stage.show_message(stage.message_with_text(stage.texts("journey.message.header")))
    stage.say()


def _edit_first_session(stage: Stage) -> None:
    """The facilitator gives the first session the incident method as its work form."""
    facilitator = stage.facilitator_id
    workform = _WORKFORM[stage.texts.language]
    stage.say(stage.texts("journey.demo.edits", person=stage.names[facilitator], workform=workform))
    stage.bot.command("traject", user_id=facilitator, channel_id=CHANNEL_ID)
    own_view = stage.emulator.ephemerals(user_id=facilitator)[-1]
    stage.click(facilitator, JourneyActions.EDIT_SESSIONS, message_ts=own_view["ts"])
    view = stage.emulator.open_view(facilitator)
    assert view is not None
    first = next(
        b["block_id"] for b in view["blocks"] if b.get("block_id", "").startswith(THEME_BLOCK_PREFIX)
    )
    session_id = first.removeprefix(THEME_BLOCK_PREFIX)
    stage.submit(facilitator, {f"{WORKFORM_BLOCK_PREFIX}{session_id}": workform})
    stage.say()


def _pass_a_role(stage: Stage) -> None:
    """The first member in turn cannot make the first session and passes their role on."""
    member = stage.member_ids[0]
    stage.say(stage.texts("journey.demo.passes", person=stage.names[member]))
    stage.command(member, "traject" if stage.dutch else "journey")
    own_view = stage.emulator.ephemerals(user_id=member)[-1]
    stage.show_private(
        member, lambda: stage.click(member, JourneyActions.PASS_ROLE, message_ts=own_view["ts"])
    )


def _make_the_agenda(stage: Stage) -> None:
    """A member proposes a topic, another brings a confidential case and puts it forward from its card,
    and the facilitator picks both."""
    proposer, owner, facilitator = stage.member_ids[1], stage.member_ids[2], stage.facilitator_id
    stage.say(stage.texts("journey.demo.proposes", person=stage.names[proposer]))
    stage.command(proposer, f"agenda {_TOPIC[stage.texts.language]}")
    stage.say(stage.texts("journey.demo.puts_forward", person=stage.names[owner]))
    stage.bot.command("", command="/case", user_id=owner, channel_id=CHANNEL_ID)
    case = {**_CASE[stage.texts.language], CaseIntakeBlocks.HELP_WANTED: ["advice"]}
    stage.submit(owner, {**case, CaseIntakeBlocks.CONFIDENTIAL: [CONFIDENTIAL_OPTION]})
    card = stage.message_with(JourneyActions.PUT_CASE_FORWARD)
    stage.show_private(
        owner, lambda: stage.click(owner, JourneyActions.PUT_CASE_FORWARD, message_ts=card["ts"])
    )
    stage.say(stage.texts("journey.demo.picks", person=stage.names[facilitator]))
    for _ in range(2):
        stage.bot.command("agenda", user_id=facilitator, channel_id=CHANNEL_ID)
        agenda = stage.emulator.ephemerals(user_id=facilitator)[-1]
        stage.click(facilitator, JourneyActions.PICK_AGENDA, message_ts=agenda["ts"])
    stage.command(facilitator, "agenda")


def _post_the_first_agenda(stage: Stage) -> None:
    """The day before the first session: the agenda job, as the scheduler runs it then."""
    runtime = stage.bot.runtime
    assert runtime is not None
    network = runtime.services.networks.find_by_channel(team_id=stage.emulator.team_id, channel_id=CHANNEL_ID)
    assert network is not None
    plan = runtime.services.journey.plan_of(network_id=network.network.id or 0)
    assert plan is not None
    the_day_before = ManualClock(plan.sessions[0].starts_at - timedelta(hours=20))
    meetings = MeetingService(sessions=session_factory(runtime.engine), clock=the_day_before)
    stage.say(stage.texts("journey.demo.day_before"))
    for step in meetings.claim_due_steps():
        client = runtime.clients.for_network(step.meeting.network_id)
        assert client is not None
        publish_meeting_step(client, meetings, step)
    stage.show_message(stage.bot_messages()[-1])
    stage.say()
