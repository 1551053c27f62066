"""App Home: the home tab, published when a person opens it, and the facilitators' buttons on it.

The buttons run the very subcommands that `/netwerk peiling`, `/netwerk sessie` and `/netwerk
samenvatting` run, as if typed in the network's channel: the same rules, the same posts. What such a
subcommand would answer privately, and any refusal, shows at the top of the refreshed home instead,
since a click on App Home has no channel to answer in. Every button checks again, on the server, that
the person facilitates the network its value names.
"""

from __future__ import annotations

from typing import Any
from typing import cast

from slack_bolt import Ack
from slack_bolt import App
from slack_bolt import BoltContext
from slack_bolt import Respond
from slack_sdk import WebClient

from bot.commands import SUBCOMMANDS
from bot.errors import DomainError
from bot.errors import NetworkGone
from bot.i18n import Texts
from bot.services.home import FacilitatedNetwork
from bot.views import ids
from bot.views.home import home_view
from handlers import HandlerDeps
from handlers import all_subhandlers
from handlers.commands import CommandRequest
from handlers.commands import Invocation
from handlers.commands import Subhandler
from handlers.common import action_id_value
from handlers.common import user_texts

CHECKIN_SUBCOMMAND = "peiling"
MEETING_SUBCOMMAND = "sessie"
SUMMARY_SUBCOMMAND = "samenvatting"


def subhandler_available(name: str) -> Subhandler | None:
    """The subcommand's handler, if the subcommand is switched on and some part of the bot answers it."""
    subcommand = next((sub for sub in SUBCOMMANDS if sub.name == name), None)
    if subcommand is None or not subcommand.available:
        return None
    return all_subhandlers().get(name)


class _PrivateReplies:
    """Stands in for a command's `respond`: what the subcommand answers privately, kept for the home."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def __call__(self, text: str = "", **_: Any) -> None:
        if text:
            self.texts.append(text)


def _user_id(body: dict[str, Any]) -> str:
    return str((body.get("user") or {}).get("id") or "")


def _team_id(body: dict[str, Any]) -> str:
    return str(
        (body.get("team") or {}).get("id")
        or (body.get("user") or {}).get("team_id")
        or body.get("team_id")
        or ""
    )


def _network_id(body: dict[str, Any]) -> int:
    """The network the pressed Home button carries."""
    return action_id_value((body.get("actions") or [{}])[0], NetworkGone)


def publish_home(
    deps: HandlerDeps, client: WebClient, *, team_id: str, user_id: str, notice: str | None = None
) -> None:
    texts = user_texts(deps, user_id)
    home = deps.services.home.home(team_id=team_id, user_id=user_id)
    view = home_view(
        texts, home, summary_available=subhandler_available(SUMMARY_SUBCOMMAND) is not None, notice=notice
    )
    client.views_publish(user_id=user_id, view=view)


def handle_app_home_opened(
    ack: Ack, body: dict[str, Any], event: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    ack()
    # The Messages tab opens the same event; only the Home tab shows a view. Publishing is
    # idempotent (it replaces the view), so a re-delivered event needs no claim: it only refreshes.
    if event.get("tab") != "home":
        return
    user_id = str(event.get("user") or "")
    if user_id:
        publish_home(HandlerDeps.of(context), client, team_id=str(body.get("team_id") or ""), user_id=user_id)


def run_subcommand(
    name: str, body: dict[str, Any], client: WebClient, context: BoltContext, *, done_key: str | None
) -> None:
    """Run `/netwerk <name>` for the network the pressed button names, then refresh the home.

    A refusal shows at the top of the refreshed home, as the subcommand's private answers do: a click
    on App Home has no channel to answer in."""
    deps = HandlerDeps.of(context)
    user_id, team_id = _user_id(body), _team_id(body)
    texts = user_texts(deps, user_id)
    replies = _PrivateReplies()
    facilitated = deps.services.home.facilitated_network(
        team_id=team_id, network_id=_network_id(body), user_id=user_id
    )
    subhandler = subhandler_available(name)
    if subhandler is None:
        # A button left on a home rendered before the subcommand was switched off.
        raise DomainError()
    subhandler(_invocation(facilitated, body, client, replies, name), deps)
    notice: str | None = None
    if replies.texts:
        notice = "\n".join(replies.texts)
    elif done_key is not None:
        notice = texts(done_key, channel=facilitated.channel_id)
    publish_home(deps, client, team_id=team_id, user_id=user_id, notice=notice)


def handle_home_post_checkin(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    ack()
    run_subcommand(CHECKIN_SUBCOMMAND, body, client, context, done_key="home.notice.checkin_posted")


def handle_home_plan_meeting(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    ack()
    # The meeting modal opens on the click's trigger_id; its submission is handled as for the command.
    run_subcommand(MEETING_SUBCOMMAND, body, client, context, done_key=None)


def handle_home_post_summary(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    ack()
    run_subcommand(SUMMARY_SUBCOMMAND, body, client, context, done_key="home.notice.summary_posted")


def handle_home_download_csv(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    ack()
    deps = HandlerDeps.of(context)
    user_id, team_id = _user_id(body), _team_id(body)
    texts = user_texts(deps, user_id)
    # The file is built and sent from the outbox (bot.publishing.summary), which refreshes the home.
    deps.services.home.send_csv(
        team_id=team_id,
        network_id=_network_id(body),
        user_id=user_id,
        language=texts.language,
        summary_available=subhandler_available(SUMMARY_SUBCOMMAND) is not None,
    )


def _invocation(
    facilitated: FacilitatedNetwork,
    body: dict[str, Any],
    client: WebClient,
    replies: _PrivateReplies,
    word: str,
) -> Invocation:
    """The `/netwerk` call a Home button stands for: typed by the presser in the network's channel."""
    network = facilitated.overview.network
    request = CommandRequest(
        team_id=network.team_id,
        channel_id=network.channel_id,
        channel_name="",
        user_id=_user_id(body),
        text=word,
        trigger_id=str(body.get("trigger_id") or ""),
    )
    return Invocation(
        request=request,
        arguments=(),
        network=facilitated.overview,
        texts=Texts(network.language),
        client=client,
        respond=cast(Respond, replies),
    )


def register(app: App) -> None:
    app.event("app_home_opened")(handle_app_home_opened)
    app.action(ids.HomeActions.POST_CHECKIN)(handle_home_post_checkin)
    app.action(ids.HomeActions.PLAN_MEETING)(handle_home_plan_meeting)
    app.action(ids.HomeActions.POST_SUMMARY)(handle_home_post_summary)
    app.action(ids.HomeActions.DOWNLOAD_CSV)(handle_home_download_csv)
