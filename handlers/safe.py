"""The safe group: reading a confidential case, inviting guest experts, forgetting details once a network
is archived, and `/netwerk privacy`.

Reading only reads: the listener asks the service whether the caller may, and opens (or turns the page
of) the reading modal itself. A refusal reaches the one error boundary (handlers.errors), which tells
the caller privately why and what to do.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack
from slack_bolt import App
from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.views import View

from bot.errors import CaseNotFound
from bot.errors import NetworkGone
from bot.i18n import Texts
from bot.services.safe import CaseReading
from bot.views import ids
from bot.views.safe import GuestsContext
from bot.views.safe import guests_modal
from bot.views.safe import privacy_message
from bot.views.safe import reading_modal
from handlers import HandlerDeps
from handlers.commands import Invocation
from handlers.commands import Subhandler
from handlers.common import action_id_value
from handlers.common import leading_id
from handlers.common import number_or_zero
from handlers.common import open_modal
from handlers.common import presser
from handlers.common import state_value
from handlers.common import submitting_team
from handlers.common import value_detail


def _privacy(invocation: Invocation, deps: HandlerDeps) -> None:
    """`/netwerk privacy`: anyone, anywhere; what the bot keeps and who sees what."""
    invocation.reply(privacy_message(invocation.texts))


SUBHANDLERS: dict[str, Subhandler] = {"privacy": _privacy}


# ---------------------------------------------------------------------- reading


def handle_read_pressed(
    ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    ack()
    reading = _reading(action, context)
    view = reading_modal(Texts(reading.language), reading)
    open_modal(client, body, view)


def handle_read_page_pressed(
    ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """Another page of the reading modal; the reader is asked again, so a withdrawn right ends here."""
    ack()
    reading = _reading(action, context)
    _show_in_place(client, body, reading_modal(Texts(reading.language), reading, page=_page(action)))


# ---------------------------------------------------------------------- guest experts


def handle_guests_pressed(
    ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    ack()
    guests = HandlerDeps.of(context).services.safe.guests(
        case_id=_case_id(action), team_id=context.team_id or "", user_id=context.user_id or ""
    )
    open_modal(client, body, guests_modal(Texts(guests.language), guests))


def handle_guest_invited(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    modal = GuestsContext.decode(view.get("private_metadata", ""))
    user_id = context.user_id or ""
    guests = HandlerDeps.of(context).services.safe.invite(
        case_id=modal.case_id,
        team_id=submitting_team(view, context),
        user_id=user_id,
        guest_id=state_value(view, ids.SafeBlocks.GUEST),
    )
    # The owner sees the list with the new guest on it, ready to withdraw.
    ack(response_action="update", view=guests_modal(Texts(guests.language), guests))


def handle_guest_withdrawn(
    ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    ack()
    guest_id = value_detail(action)
    guests = HandlerDeps.of(context).services.safe.withdraw(
        case_id=_case_id(action),
        team_id=context.team_id or "",
        user_id=context.user_id or "",
        guest_id=guest_id,
    )
    _show_in_place(client, body, guests_modal(Texts(guests.language), guests))


# ---------------------------------------------------------------------- an archived network


def handle_forget_archived_pressed(
    ack: Ack, action: dict[str, Any], body: dict[str, Any], context: BoltContext
) -> None:
    ack()
    HandlerDeps.of(context).services.safe.forget_archived_details(
        network_id=action_id_value(action, NetworkGone),
        team_id=context.team_id or "",
        **presser(body, context),
    )


def _show_in_place(client: WebClient, body: dict[str, Any], view: View) -> None:
    """The modal clicked in shows `view`; one closed in the meantime (a double click) opens anew."""
    try:
        client.views_update(view_id=str((body.get("view") or {}).get("id") or ""), view=view)
    except SlackApiError as error:
        if error.response.get("error") != "not_found":
            raise
        open_modal(client, body, view)


def _reading(action: dict[str, Any], context: BoltContext) -> CaseReading:
    """The case of the pressed button, as the one who pressed it may read it (or the service's refusal)."""
    return HandlerDeps.of(context).services.safe.read(
        case_id=_case_id(action), team_id=context.team_id or "", user_id=context.user_id or ""
    )


def _case_id(action: dict[str, Any]) -> int:
    """The id a button carries first in its value; CaseNotFound for a value no button of ours carries."""
    return leading_id(action, CaseNotFound)


def _page(action: dict[str, Any]) -> int:
    return number_or_zero(value_detail(action))


def register(app: App) -> None:
    app.action(ids.SafeActions.READ)(handle_read_pressed)
    app.action(ids.SafeActions.READ_PAGE)(handle_read_page_pressed)
    app.action(ids.SafeActions.READ_PREVIOUS_PAGE)(handle_read_page_pressed)
    app.action(ids.SafeActions.GUESTS)(handle_guests_pressed)
    app.view(ids.CASE_GUESTS_MODAL)(handle_guest_invited)
    app.action(ids.SafeActions.WITHDRAW_GUEST)(handle_guest_withdrawn)
    app.action(ids.SafeActions.FORGET_ARCHIVED)(handle_forget_archived_pressed)
