"""What several listeners need: whose language to answer in, and how to answer privately."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from datetime import date
from typing import Any

from slack_bolt import BoltContext
from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.models.views import View

from bot.i18n import Texts
from bot.services.networks import NetworkOverview
from bot.services.outbox import Requester
from bot.views.checkins import NetworkModalContext
from bot.views.common import Message
from bot.views.ids import VALUE_ACTION
from handlers import HandlerDeps


def texts_for(deps: HandlerDeps, *, user_id: str, network: NetworkOverview | None) -> Texts:
    """A linked channel speaks its network's language; elsewhere we follow the user's Slack locale."""
    if network is not None:
        return Texts(network.network.language)
    return user_texts(deps, user_id)


def user_texts(deps: HandlerDeps, user_id: str) -> Texts:
    """The texts in the user's own language (their Slack locale), where no network's channel speaks."""
    return Texts(deps.languages.language_of(user_id))


def is_direct_message(channel_id: str, channel_name: str | None) -> bool:
    return (
        channel_id.startswith("D")
        or channel_name in ("directmessage", "mpdm")
        or (channel_name or "").startswith("mpdm-")
    )


def _input_state(view: dict[str, Any], block_id: str, action_id: str) -> dict[str, Any]:
    """What a submitted view says of one input (its value, its chosen options); {} for one it leaves out."""
    return ((view.get("state") or {}).get("values") or {}).get(block_id, {}).get(action_id) or {}


def state_value(view: dict[str, Any], block_id: str, action_id: str = VALUE_ACTION) -> str:
    """The value a person entered or chose in one input of a submitted view; "" when left empty."""
    element = _input_state(view, block_id, action_id)
    if "selected_option" in element:
        return str((element.get("selected_option") or {}).get("value") or "")
    for key in ("value", "selected_user", "selected_channel", "selected_date", "selected_time"):
        if key in element:
            return str(element.get(key) or "")
    return ""


def state_date(view: dict[str, Any], block_id: str) -> date | None:
    """The day chosen in one date picker of a submitted view; None when none (or a malformed one) came."""
    try:
        return date.fromisoformat(state_value(view, block_id))
    except ValueError:
        return None


def state_values(view: dict[str, Any], by_field: Mapping[str, str]) -> dict[str, str]:
    """The values of a submitted modal by the service's field name, read through the block ids of its ids
    module's `BY_FIELD` (the map the error boundary uses the other way round)."""
    return {field: state_value(view, block_id) for field, block_id in by_field.items()}


def submitter(context: BoltContext, channel_id: str) -> dict[str, Any]:
    """Who submitted a modal opened from `channel_id`, and where to answer them privately: the `user_id`
    and `requester` a service takes for a submission."""
    user_id = context.user_id or ""
    return {"user_id": user_id, "requester": Requester(user_id=user_id, channel_id=channel_id)}


def submitting_team(view: dict[str, Any], context: BoltContext) -> str:
    """The workspace a modal was submitted in: Bolt's, else the one the view itself names."""
    return context.team_id or str(view.get("team_id") or "")


def network_submission(view: dict[str, Any], context: BoltContext) -> dict[str, Any]:
    """Who submitted a network's modal (one that remembers a `NetworkModalContext`), in which network, and
    where to answer them privately: the arguments a network's service takes for a submission."""
    modal = NetworkModalContext.decode(view.get("private_metadata", ""))
    return {"network_id": modal.network_id, **submitter(context, modal.channel_id)}


def selected_values(view: dict[str, Any], block_id: str, action_id: str = VALUE_ACTION) -> list[str]:
    """The values of the options chosen in a checkboxes (or multi-select) input of a submitted view."""
    element = _input_state(view, block_id, action_id)
    return [str(option.get("value") or "") for option in element.get("selected_options") or []]


LARGEST_ID = 2**31 - 1
"""The largest id a stored row can have (an integer column): a larger number names nothing, and the
database refuses to look it up."""


def _stored_id(text: str) -> int | None:
    """`text` as a number that can name a stored row; None for anything else. Not isdigit alone: a forged
    "²" is a digit that int() refuses."""
    if not text.isdecimal() or len(text) > len(str(LARGEST_ID)) or int(text) > LARGEST_ID:
        return None
    return int(text)


def action_id_value(action: dict[str, Any], error: type[Exception]) -> int:
    """The id a button carries as its value; `error` for a value no message of ours carries."""
    number = _stored_id(str(action.get("value") or ""))
    if number is None:
        raise error()
    return number


def leading_id(action: dict[str, Any], error: type[Exception]) -> int:
    """The id a button carries first in its value (before any `:detail`); `error` for a value no button of
    ours carries."""
    number = _stored_id(str(action.get("value") or "").split(":", 1)[0])
    if number is None:
        raise error()
    return number


def number_or_zero(value: object) -> int:
    """A number from a button's value (or a part of it); 0, which matches nothing, for anything else."""
    return _stored_id(str(value or "")) or 0


def value_detail(action: dict[str, Any]) -> str:
    """What follows the id in a button's value (`<id>:<detail>`), or "" for a value without a detail."""
    return str(action.get("value") or "").partition(":")[2]


def reply_privately(respond: Respond, message: Message, **options: Any) -> None:
    """Answer the one who asked with an ephemeral `message` on the request's response_url (which works
    even where the bot is not); `options` as Slack takes them there (`replace_original`)."""
    respond(text=message.text, blocks=message.blocks_as_dicts(), response_type="ephemeral", **options)


def open_modal(client: WebClient, body: dict[str, Any], view: View) -> None:
    """Open `view` for the click or shortcut whose payload is `body` (its trigger_id)."""
    client.views_open(trigger_id=str(body.get("trigger_id") or ""), view=view)


def open_draft_modal(
    build: Callable[..., View], draft: Any, client: WebClient, body: dict[str, Any], context: BoltContext
) -> None:
    """The modal a button opens on a draft answer (`build(texts, draft, channel_id=...)`), in the draft's
    language, answering privately in the channel the button was clicked in."""
    view = build(Texts(draft.language), draft, channel_id=clicked_channel(body, context))
    open_modal(client, body, view)


def clicked_channel(body: dict[str, Any], context: BoltContext) -> str:
    """The channel of the message (or App Home) whose button was clicked."""
    return context.channel_id or str((body.get("container") or {}).get("channel_id") or "")


def action_requester(body: dict[str, Any], context: BoltContext) -> Requester:
    """Who clicked, where, and the response_url that can still answer them privately."""
    return Requester(
        user_id=context.user_id or "",
        channel_id=clicked_channel(body, context),
        response_url=str(body.get("response_url") or ""),
    )


def presser(body: dict[str, Any], context: BoltContext) -> dict[str, Any]:
    """Who pressed a button, and where to answer them privately: the `user_id` and `requester` a service
    takes for a click (as `submitter` gives them for a submission)."""
    requester = action_requester(body, context)
    return {"user_id": requester.user_id, "requester": requester}


def clicked_in_ephemeral(body: dict[str, Any]) -> bool:
    """Whether the button clicked sits on an ephemeral message, which only a response_url can change."""
    return bool((body.get("container") or {}).get("is_ephemeral"))


def clicked_message(body: dict[str, Any], context: BoltContext) -> tuple[str, str] | None:
    """The message (not an ephemeral) whose button was clicked: its channel and ts, to show an answer on."""
    container = body.get("container") or {}
    channel = context.channel_id or str(container.get("channel_id") or "")
    ts = str(container.get("message_ts") or "")
    return (channel, ts) if channel and ts and not clicked_in_ephemeral(body) else None
