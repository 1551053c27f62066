"""Slash commands: `/netwerk <subcommand>`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack
from slack_bolt import App
from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.models.views import View

from bot.commands import HELP
from bot.commands import parse_command_text
from bot.errors import BotNotInChannel
from bot.errors import ChannelNotLinked
from bot.errors import NotInChannel
from bot.i18n import Texts
from bot.services.networks import NetworkOverview
from bot.services.outbox import Requester
from bot.slack_api import channel_status
from bot.views.common import ChannelModalContext
from bot.views.common import Message
from bot.views.help import help_message
from bot.views.network import already_linked_message
from bot.views.network import start_network_modal
from handlers import HandlerDeps
from handlers.common import is_direct_message
from handlers.common import reply_privately
from handlers.common import texts_for


@dataclass(frozen=True, slots=True)
class CommandRequest:
    team_id: str
    channel_id: str
    channel_name: str
    user_id: str
    text: str
    trigger_id: str
    response_url: str = ""

    @classmethod
    def from_payload(cls, command: dict[str, Any]) -> CommandRequest:
        return cls(
            team_id=str(command.get("team_id") or ""),
            channel_id=str(command.get("channel_id") or ""),
            channel_name=str(command.get("channel_name") or ""),
            user_id=str(command.get("user_id") or ""),
            text=str(command.get("text") or ""),
            trigger_id=str(command.get("trigger_id") or ""),
            response_url=str(command.get("response_url") or ""),
        )


@dataclass(frozen=True, slots=True)
class Invocation:
    """One `/netwerk` call, with what every subcommand needs to answer it."""

    request: CommandRequest
    arguments: tuple[str, ...]
    network: NetworkOverview | None
    texts: Texts
    client: WebClient
    respond: Respond

    @property
    def first_word(self) -> str:
        """The first argument in lower case, the word that picks what the subcommand does; "" without one."""
        return self.arguments[0].lower() if self.arguments else ""

    def require_network(self) -> NetworkOverview:
        """The channel's network; raises ChannelNotLinked (answered to the user) when there is none."""
        if self.network is None or self.network.network.archived_at is not None:
            raise ChannelNotLinked()
        return self.network

    def reply(self, message: Message) -> None:
        """Answer the caller privately (through response_url, which works even where the bot is not)."""
        reply_privately(self.respond, message)

    def open_modal(self, view: View) -> None:
        """Open `view` for the caller, on the command's trigger_id."""
        self.client.views_open(trigger_id=self.request.trigger_id, view=view)

    def requester(self) -> Requester:
        """Who called, where, and the response_url that can still answer them privately."""
        request = self.request
        return Requester(
            user_id=request.user_id, channel_id=request.channel_id, response_url=request.response_url
        )


Subhandler = Callable[[Invocation, HandlerDeps], None]


def register(app: App, deps: HandlerDeps, subhandlers: dict[str, Subhandler]) -> None:
    """`/netwerk`, dispatching to `subhandlers` by the subcommand's Dutch name."""

    @app.command("/netwerk")
    def handle_netwerk_command(
        ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond
    ) -> None:
        ack()
        request = CommandRequest.from_payload(command)
        parsed = parse_command_text(request.text)
        network = deps.services.networks.find_by_channel(
            team_id=request.team_id, channel_id=request.channel_id
        )
        invocation = Invocation(
            request=request,
            arguments=parsed.arguments,
            network=network,
            texts=texts_for(deps, user_id=request.user_id, network=network),
            client=client,
            respond=respond,
        )
        if parsed.subcommand is None or not parsed.subcommand.available:
            invocation.reply(
                help_message(
                    invocation.texts,
                    network_name=network.network.name if network else None,
                    unknown_word=parsed.word,
                    coming_soon=parsed.subcommand is not None,
                )
            )
            return
        subhandlers[parsed.subcommand.name](invocation, deps)


def _help(invocation: Invocation, deps: HandlerDeps) -> None:
    network = invocation.network
    invocation.reply(help_message(invocation.texts, network_name=network.network.name if network else None))


def _start(invocation: Invocation, deps: HandlerDeps) -> None:
    request = invocation.request
    if is_direct_message(request.channel_id, request.channel_name):
        raise NotInChannel()
    if invocation.network is not None:
        invocation.reply(already_linked_message(invocation.texts, invocation.network))
        return
    status = channel_status(invocation.client, request.channel_id)
    if not status.bot_is_member:
        raise BotNotInChannel()
    modal = start_network_modal(
        invocation.texts,
        context=ChannelModalContext(channel_id=request.channel_id, language=invocation.texts.language),
        channel_name=status.name or request.channel_name,
        default_timezone=deps.default_timezone,
        public_channel=status.is_private is False,
    )
    invocation.open_modal(modal)


# The subcommands answered here; other parts of the bot bring their own tables (see register_all).
SUBHANDLERS: dict[str, Subhandler] = {
    HELP.name: _help,
    "start": _start,
}
