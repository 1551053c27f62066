"""The trajectory and the agenda: `/netwerk traject`, `/netwerk agenda`, their modals and buttons.

Each listener acknowledges, reads plain ids and values, and calls one service; the plan's message, the
question to take a role over and the private answers are recorded in the outbox by the service. The
agenda's own private view is a read, answered in place.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack
from slack_bolt import App
from slack_bolt import BoltContext
from slack_bolt import Respond
from slack_sdk import WebClient

from bot.errors import CaseNotFound
from bot.errors import NotAFacilitator
from bot.errors import RoleNotYours
from bot.i18n import Texts
from bot.services.journey import JourneyPlan
from bot.services.journey_plan import JourneyForm
from bot.services.journey_plan import SessionEdit
from bot.views import ids
from bot.views.common import Message
from bot.views.journey import JourneyModalContext
from bot.views.journey import agenda_overview_message
from bot.views.journey import journey_overview
from bot.views.journey import journey_plan_modal
from bot.views.journey import journey_sessions_modal
from handlers import HandlerDeps
from handlers.commands import Invocation
from handlers.commands import Subhandler
from handlers.common import action_id_value
from handlers.common import button_number
from handlers.common import clicked_in_ephemeral
from handlers.common import clicked_message
from handlers.common import open_modal
from handlers.common import presser
from handlers.common import reply_privately
from handlers.common import state_value
from handlers.common import state_values
from handlers.common import submitter
from storage.models import Network

NEW_PLAN_WORDS = frozenset({"nieuw", "new", "plan", "plannen"})


def _journey(invocation: Invocation, deps: HandlerDeps) -> None:
    """`/netwerk traject`: the plan as the member may see it; a facilitator without a plan (or asking
    `nieuw`) plans one in a modal."""
    network_id = invocation.require_network().network_id
    user_id = invocation.request.user_id
    word = invocation.first_word
    shown = deps.services.journey.for_viewer(network_id=network_id, user_id=user_id)
    if word in NEW_PLAN_WORDS and not shown.may_plan:
        raise NotAFacilitator()
    if shown.may_plan and (shown.plan is None or word in NEW_PLAN_WORDS):
        _open_plan_modal(deps, invocation.client, network_id, user_id, invocation.request.trigger_id)
        return
    invocation.reply(journey_overview(invocation.texts, shown))


def _open_plan_modal(
    deps: HandlerDeps, client: WebClient, network_id: int, user_id: str, trigger_id: str
) -> None:
    network, day, version = deps.services.journey.planning(network_id=network_id, user_id=user_id)
    context = _modal_context(network_id, network, version)
    client.views_open(
        trigger_id=trigger_id,
        view=journey_plan_modal(Texts(network.language), context=context, suggested_day=day),
    )


def _modal_context(network_id: int, where: Network | JourneyPlan, version: int) -> JourneyModalContext:
    """What the trajectory's modals remember: the network, where to answer, its language and time zone,
    and the version of the plan they change."""
    return JourneyModalContext(
        network_id=network_id,
        channel_id=where.channel_id,
        language=where.language,
        timezone=where.timezone,
        version=version,
    )


def _agenda(invocation: Invocation, deps: HandlerDeps) -> None:
    """`/netwerk agenda`: the next meeting's proposals; `/netwerk agenda TEXT` proposes a topic."""
    network_id = invocation.require_network().network_id
    user_id = invocation.request.user_id
    agenda = deps.services.agenda
    if invocation.arguments:
        overview = agenda.propose_topic(
            network_id=network_id, user_id=user_id, text=" ".join(invocation.arguments)
        )
    else:
        overview = agenda.overview(network_id=network_id, user_id=user_id)
    invocation.reply(agenda_overview_message(invocation.texts, overview))


SUBHANDLERS: dict[str, Subhandler] = {"traject": _journey, "agenda": _agenda}


def handle_journey_planned(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    modal = JourneyModalContext.decode(view.get("private_metadata", ""))
    form = JourneyForm(**state_values(view, ids.JourneyPlanBlocks.BY_FIELD))
    HandlerDeps.of(context).services.journey.plan(
        network_id=modal.network_id, **submitter(context, modal.channel_id), form=form, version=modal.version
    )
    ack()


def handle_sessions_edited(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    modal = JourneyModalContext.decode(view.get("private_metadata", ""))
    values = (view.get("state") or {}).get("values") or {}
    edits = [
        SessionEdit(
            session_id=session_id,
            theme=state_value(view, block_id),
            workform=state_value(view, f"{ids.WORKFORM_BLOCK_PREFIX}{session_id}"),
        )
        for block_id in values
        if block_id.startswith(ids.THEME_BLOCK_PREFIX)
        and (session_id := button_number(block_id.removeprefix(ids.THEME_BLOCK_PREFIX))) is not None
    ]
    HandlerDeps.of(context).services.journey.edit_sessions(
        network_id=modal.network_id,
        **submitter(context, modal.channel_id),
        version=modal.version,
        edits=edits,
    )
    ack()


def handle_edit_sessions_pressed(
    ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    ack()
    journey = HandlerDeps.of(context).services.journey
    plan = journey.editable(network_id=action_id_value(action, RoleNotYours), user_id=context.user_id or "")
    view = journey_sessions_modal(
        Texts(plan.language), plan, context=_modal_context(plan.network_id, plan, plan.version)
    )
    open_modal(client, body, view)


def handle_replan_pressed(
    ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    ack()
    _open_plan_modal(
        HandlerDeps.of(context),
        client,
        action_id_value(action, RoleNotYours),
        context.user_id or "",
        str(body.get("trigger_id") or ""),
    )


def handle_pass_role_pressed(
    ack: Ack, action: dict[str, Any], body: dict[str, Any], context: BoltContext
) -> None:
    ack()
    HandlerDeps.of(context).services.journey.pass_role(
        role_id=action_id_value(action, RoleNotYours),
        **presser(body, context),
    )


def handle_role_answered(
    ack: Ack, action: dict[str, Any], body: dict[str, Any], context: BoltContext
) -> None:
    ack()
    HandlerDeps.of(context).services.journey.answer_role(
        role_id=action_id_value(action, RoleNotYours),
        accept=action.get("action_id") == ids.JourneyActions.ACCEPT_ROLE,
        **presser(body, context),
        question=clicked_message(body, context),
    )


def handle_agenda_pick_pressed(
    ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    overview = HandlerDeps.of(context).services.agenda.pick(
        item_id=action_id_value(action, RoleNotYours),
        user_id=context.user_id or "",
        picked=action.get("action_id") == ids.JourneyActions.PICK_AGENDA,
    )
    _replace(respond, agenda_overview_message(Texts(overview.network.language), overview))


def handle_put_case_forward_pressed(
    ack: Ack, action: dict[str, Any], body: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    overview = HandlerDeps.of(context).services.agenda.put_case_forward(
        case_id=action_id_value(action, CaseNotFound), user_id=context.user_id or ""
    )
    message = agenda_overview_message(Texts(overview.network.language), overview)
    # On the case card (in the channel) the agenda comes as a private answer; on the agenda, in place.
    if clicked_in_ephemeral(body):
        _replace(respond, message)
    else:
        reply_privately(respond, message, replace_original=False)


def _replace(respond: Respond, message: Message) -> None:
    respond(text=message.text, blocks=message.blocks_as_dicts(), replace_original=True)


def register(app: App) -> None:
    app.view(ids.JOURNEY_PLAN_MODAL)(handle_journey_planned)
    app.view(ids.JOURNEY_SESSIONS_MODAL)(handle_sessions_edited)
    app.action(ids.JourneyActions.EDIT_SESSIONS)(handle_edit_sessions_pressed)
    app.action(ids.JourneyActions.REPLAN)(handle_replan_pressed)
    app.action(ids.JourneyActions.PASS_ROLE)(handle_pass_role_pressed)
    app.action(ids.JourneyActions.ACCEPT_ROLE)(handle_role_answered)
    app.action(ids.JourneyActions.DECLINE_ROLE)(handle_role_answered)
    app.action(ids.JourneyActions.PICK_AGENDA)(handle_agenda_pick_pressed)
    app.action(ids.JourneyActions.UNPICK_AGENDA)(handle_agenda_pick_pressed)
    app.action(ids.JourneyActions.PUT_CASE_FORWARD)(handle_put_case_forward_pressed)
