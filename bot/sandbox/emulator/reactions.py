"""reactions.add, reactions.remove and reactions.get, and a person's reaction that a test adds."""

from __future__ import annotations

from bot.sandbox._args import JsonDict
from bot.sandbox._args import SlackError
from bot.sandbox._args import arg_str
from bot.sandbox._args import is_ts
from bot.sandbox.emulator.family import MethodFamily
from bot.sandbox.emulator.family import serves
from bot.sandbox.emulator.messages import api_message
from bot.sandbox.emulator.workspace import Channel


def add_reaction(message: JsonDict, name: str, user_id: str) -> bool:
    """Add ``user_id`` to the message's ``name`` reaction; False if they had already reacted so."""
    reactions = message.setdefault("reactions", [])
    reaction = next((r for r in reactions if r["name"] == name), None)
    if reaction is None:
        reaction = {"name": name, "users": [], "count": 0}
        reactions.append(reaction)
    if user_id in reaction["users"]:
        return False
    reaction["users"].append(user_id)
    reaction["count"] = len(reaction["users"])
    return True


class ReactionsApi(MethodFamily):
    @serves("reactions.add")
    def add(self, args: JsonDict, now: float) -> JsonDict:
        _, message = self._target(args)
        if not add_reaction(message, _name_arg(args), self._ws.bot_user_id):
            raise SlackError("already_reacted")
        return {}

    @serves("reactions.remove")
    def remove(self, args: JsonDict, now: float) -> JsonDict:
        _, message = self._target(args)
        name = _name_arg(args)
        reactions = message.get("reactions", [])
        reaction = next((r for r in reactions if r["name"] == name), None)
        bot_user_id = self._ws.bot_user_id
        if reaction is None or bot_user_id not in reaction["users"]:
            raise SlackError("no_reaction")
        reaction["users"].remove(bot_user_id)
        reaction["count"] = len(reaction["users"])
        if not reaction["users"]:
            reactions.remove(reaction)
        if not reactions:
            message.pop("reactions", None)
        return {}

    @serves("reactions.get")
    def get(self, args: JsonDict, now: float) -> JsonDict:
        channel, message = self._target(args)
        return {
            "type": "message",
            "channel": channel.id,
            "message": api_message(message, include_metadata=False),
        }

    def _target(self, args: JsonDict) -> tuple[Channel, JsonDict]:
        channel_ref = arg_str(args, "channel")
        timestamp = arg_str(args, "timestamp")
        if not channel_ref or not timestamp:
            raise SlackError("no_item_specified")
        if not is_ts(timestamp):
            raise SlackError("bad_timestamp")
        channel = self._ws.visible_channel(channel_ref)
        return channel, channel.find(timestamp)


def _name_arg(args: JsonDict) -> str:
    name = (arg_str(args, "name") or "").strip(":")
    if not name:
        raise SlackError("invalid_name")
    return name
