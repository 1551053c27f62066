"""The kickoff's listeners: `/netwerk intro`, `verwachtingen`, `afspraken`, `leden` and `rol`; their
modals and buttons; and the member_joined_channel / member_left_channel events.

Each listener reads plain ids and values and calls one service; what Slack must be shown afterwards
(the intro card, the map, the agreements, a welcome, a private answer) the service records in the
outbox, and the publishing layer (bot.publishing.kickoff) carries it out. A domain error reaches the
one error boundary (handlers.errors).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from slack_bolt import Ack
from slack_bolt import App
from slack_bolt import BoltContext
from slack_bolt import Respond
from slack_sdk import WebClient

from bot.errors import AgreementsNotPosted
from bot.errors import RoleUsage
from bot.i18n import Texts
from bot.services.expectations import ExpectationAnswers
from bot.services.intros import IntroAnswers
from bot.services.networks import NetworkOverview
from bot.services.roster import role_from_word
from bot.slack_api import is_app_user
from bot.views import ids
from bot.views.cases import give_and_receive_column
from bot.views.common import ChannelModalContext
from bot.views.kickoff import agreements_for_member
from bot.views.kickoff import agreements_modal
from bot.views.kickoff import default_agreements
from bot.views.kickoff import expectations_modal
from bot.views.kickoff import intro_modal
from bot.views.kickoff import pending_members
from bot.views.kickoff import roster_message
from handlers import HandlerDeps
from handlers.commands import Invocation
from handlers.commands import Subhandler
from handlers.common import clicked_in_ephemeral
from handlers.common import number_or_zero
from handlers.common import presser
from handlers.common import reply_privately
from handlers.common import state_value
from handlers.common import state_values
from handlers.common import submitter
from handlers.common import submitting_team

# A mention as a slash command with should_escape delivers it: <@U123|name>, or <@U123>.
_MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
_MAP_WORDS = frozenset({"kaart", "map"})


def _modal_context(invocation: Invocation) -> ChannelModalContext:
    return ChannelModalContext(channel_id=invocation.request.channel_id, language=invocation.texts.language)


# ---------------------------------------------------------------------- /netwerk subcommands


def _intro(invocation: Invocation, deps: HandlerDeps) -> None:
    network = invocation.require_network()
    intro = deps.services.intros.current(network_id=network.network_id, user_id=invocation.request.user_id)
    modal = intro_modal(invocation.texts, context=_modal_context(invocation), intro=intro)
    invocation.open_modal(modal)


def _expectations(invocation: Invocation, deps: HandlerDeps) -> None:
    network = invocation.require_network()
    if invocation.first_word in _MAP_WORDS:
        _post_map(invocation, deps, network)
        return
    current = deps.services.expectations.current(
        network_id=network.network_id, user_id=invocation.request.user_id
    )
    modal = expectations_modal(invocation.texts, context=_modal_context(invocation), current=current)
    invocation.open_modal(modal)


def _post_map(invocation: Invocation, deps: HandlerDeps, network: NetworkOverview) -> None:
    """Post the expectations map; the map it replaces says where the new one is."""
    deps.services.expectations.post_map(
        network_id=network.network_id,
        user_id=invocation.request.user_id,
        channel_id=invocation.request.channel_id,
        requester=invocation.requester(),
    )


def _agreements(invocation: Invocation, deps: HandlerDeps) -> None:
    """A facilitator edits and posts the agreements; a member is shown them to accept."""
    network = invocation.require_network()
    status = deps.services.agreements.status(
        network_id=network.network_id, user_id=invocation.request.user_id
    )
    texts = invocation.texts
    if status.viewer_is_facilitator:
        lines = status.version.lines if status.version else default_agreements(texts)
        modal = agreements_modal(texts, context=_modal_context(invocation), agreements=lines)
        invocation.open_modal(modal)
        return
    if status.version is None:
        raise AgreementsNotPosted()
    invocation.reply(agreements_for_member(texts, status))


def _members(invocation: Invocation, deps: HandlerDeps) -> None:
    network = invocation.require_network()
    roster = deps.services.members.roster(network_id=network.network_id, viewer_id=invocation.request.user_id)
    balance = deps.services.cases.give_and_receive(network_id=network.network_id)
    column = give_and_receive_column(invocation.texts, balance)
    invocation.reply(roster_message(invocation.texts, roster, extra_columns=[column]))


def _role(invocation: Invocation, deps: HandlerDeps) -> None:
    network = invocation.require_network()
    user_id, role_word = _role_arguments(invocation.arguments)
    deps.services.members.set_role(
        network_id=network.network_id,
        by_user_id=invocation.request.user_id,
        user_id=user_id,
        role=role_from_word(role_word),
        requester=invocation.requester(),
    )


def _role_arguments(arguments: Sequence[str]) -> tuple[str, str]:
    """The mentioned user and the role word, in either order; raises RoleUsage otherwise."""
    if len(arguments) != 2:
        raise RoleUsage()
    for mention, word in (arguments, reversed(arguments)):
        match = _MENTION.match(mention)
        if match:
            return match.group(1), word
    raise RoleUsage()


SUBHANDLERS: dict[str, Subhandler] = {
    "intro": _intro,
    "verwachtingen": _expectations,
    "afspraken": _agreements,
    "leden": _members,
    "rol": _role,
}


# ---------------------------------------------------------------------- the modals


def _kickoff_submission(view: dict[str, Any], context: BoltContext) -> dict[str, Any]:
    """Who submitted the modal, in the network of the channel it was opened in (ChannelNotLinked), and
    where to answer them: the arguments every kickoff service takes for a submission."""
    modal = ChannelModalContext.decode(view.get("private_metadata", ""))
    network = HandlerDeps.of(context).services.networks.require_network(
        team_id=submitting_team(view, context), channel_id=modal.channel_id
    )
    return {"network_id": network.network_id, **submitter(context, modal.channel_id)}


def handle_intro_submitted(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    answers = IntroAnswers(**state_values(view, ids.IntroBlocks.BY_FIELD))
    HandlerDeps.of(context).services.intros.save(**_kickoff_submission(view, context), answers=answers)
    ack()


def handle_expectations_submitted(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    blocks = ids.ExpectationsBlocks
    answers = ExpectationAnswers(
        text=state_value(view, blocks.TEXT),
        goals=tuple(state_value(view, block_id) for block_id in blocks.GOALS),
    )
    HandlerDeps.of(context).services.expectations.save(**_kickoff_submission(view, context), answers=answers)
    ack()


def handle_agreements_submitted(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    text = state_value(view, ids.AgreementsBlocks.TEXT)
    HandlerDeps.of(context).services.agreements.publish(**_kickoff_submission(view, context), text=text)
    ack()


# ---------------------------------------------------------------------- buttons and selects


def _clicked_network(context: BoltContext) -> int:
    """The network of the channel the click came from (ChannelNotLinked)."""
    network = HandlerDeps.of(context).services.networks.require_network(
        team_id=context.team_id or "", channel_id=context.channel_id or ""
    )
    return network.network_id


def _vote(body: dict[str, Any], context: BoltContext, ref: str) -> None:
    HandlerDeps.of(context).services.expectations.toggle_vote(
        network_id=_clicked_network(context),
        ref=ref,
        **presser(body, context),
    )


def handle_goal_vote(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> None:
    ack()
    _vote(body, context, str(action.get("value") or ""))


def handle_goal_vote_from_the_tail(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext
) -> None:
    ack()
    _vote(body, context, str((action.get("selected_option") or {}).get("value") or ""))


def handle_agreements_accepted(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext
) -> None:
    ack()
    HandlerDeps.of(context).services.agreements.accept_in_channel(
        team_id=context.team_id or "",
        channel_id=context.channel_id or "",
        version_id=number_or_zero(action.get("value")),
        **presser(body, context),
        in_place=clicked_in_ephemeral(body),
    )


def handle_pending_members_asked(ack: Ack, respond: Respond, context: BoltContext) -> None:
    ack()
    deps = HandlerDeps.of(context)
    network = deps.services.networks.require_network(
        team_id=context.team_id or "", channel_id=context.channel_id or ""
    )
    status = deps.services.agreements.pending_members(
        network_id=network.network_id, user_id=context.user_id or ""
    )
    answer = pending_members(Texts(network.network.language), status)
    reply_privately(respond, answer, replace_original=False)


# ---------------------------------------------------------------------- members joining and leaving


def _membership_event(body: dict[str, Any], event: dict[str, Any], context: BoltContext) -> dict[str, str]:
    """Who joined or left which channel, as the members service takes it; {} for the bot itself."""
    user_id = str(event.get("user") or "")
    if not user_id or user_id == context.bot_user_id:
        return {}
    return {
        "team_id": str(body.get("team_id") or event.get("team") or ""),
        "channel_id": str(event.get("channel") or ""),
        "user_id": user_id,
        "event_id": str(body.get("event_id") or ""),
    }


def handle_member_joined_channel(
    ack: Ack, body: dict[str, Any], event: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    ack()
    # An app added to the channel (its bot user joins) is no member: nobody to welcome, count or pair.
    if (joined := _membership_event(body, event, context)) and not is_app_user(client, joined["user_id"]):
        HandlerDeps.of(context).services.members.member_joined(**joined)


def handle_member_left_channel(
    ack: Ack, body: dict[str, Any], event: dict[str, Any], context: BoltContext
) -> None:
    ack()
    if left := _membership_event(body, event, context):
        HandlerDeps.of(context).services.members.member_left(**left)


def register(app: App) -> None:
    app.view(ids.INTRO_MODAL)(handle_intro_submitted)
    app.view(ids.EXPECTATIONS_MODAL)(handle_expectations_submitted)
    app.view(ids.AGREEMENTS_MODAL)(handle_agreements_submitted)
    app.action(ids.KickoffActions.VOTE)(handle_goal_vote)
    app.action(ids.KickoffActions.VOTE_OTHER_GOAL)(handle_goal_vote_from_the_tail)
    app.action(ids.KickoffActions.ACCEPT_AGREEMENTS)(handle_agreements_accepted)
    app.action(ids.KickoffActions.SHOW_PENDING)(handle_pending_members_asked)
    app.event("member_joined_channel")(handle_member_joined_channel)
    app.event("member_left_channel")(handle_member_left_channel)
