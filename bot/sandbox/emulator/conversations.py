"""conversations.*: what the bot sees of channels and DMs, their members, history and threads."""

from __future__ import annotations

from decimal import Decimal

from bot.sandbox._args import JsonDict
from bot.sandbox._args import SlackError
from bot.sandbox._args import arg_bool
from bot.sandbox._args import arg_int
from bot.sandbox._args import arg_str
from bot.sandbox._args import decode_cursor
from bot.sandbox._args import encode_cursor
from bot.sandbox._args import ts_key
from bot.sandbox.emulator.family import MethodFamily
from bot.sandbox.emulator.family import serves
from bot.sandbox.emulator.messages import api_message
from bot.sandbox.emulator.messages import is_top_level
from bot.sandbox.emulator.workspace import Channel
from bot.sandbox.emulator.workspace import page

HISTORY_LIMIT_MAX = 999
MEMBERS_LIMIT_MAX = 1000
GROUP_DM_MAX_USERS = 8


class ConversationsApi(MethodFamily):
    @serves("conversations.info")
    def info(self, args: JsonDict, now: float) -> JsonDict:
        channel = self._ws.visible_channel(arg_str(args, "channel"))
        return {
            "channel": self._ws.channel_object(
                channel,
                include_num_members=arg_bool(args, "include_num_members"),
                include_locale=arg_bool(args, "include_locale"),
            )
        }

    @serves("conversations.list")
    def list(self, args: JsonDict, now: float) -> JsonDict:
        types = set((arg_str(args, "types") or "public_channel").split(","))
        bot_user_id = self._ws.bot_user_id
        visible = [
            c
            for c in self._ws.channels.values()
            if (c.is_im and "im" in types)
            or (not c.is_im and not c.is_private and "public_channel" in types)
            or (not c.is_im and c.is_private and "private_channel" in types and bot_user_id in c.members)
        ]
        limit = min(max(arg_int(args, "limit", 100), 1), MEMBERS_LIMIT_MAX)
        shown, next_cursor = page([c.id for c in visible], args, limit, "channel")
        return {
            "channels": [self._ws.channel_object(self._ws.channels[cid]) for cid in shown],
            "response_metadata": {"next_cursor": next_cursor},
        }

    @serves("conversations.members")
    def members(self, args: JsonDict, now: float) -> JsonDict:
        channel = self._ws.visible_channel(arg_str(args, "channel"))
        limit = arg_int(args, "limit", 100, error="invalid_limit")
        if limit < 1 or limit > MEMBERS_LIMIT_MAX:
            raise SlackError("invalid_limit")
        shown, next_cursor = page(list(channel.members), args, limit, "user")
        return {"members": shown, "response_metadata": {"next_cursor": next_cursor}}

    @serves("conversations.open")
    def open(self, args: JsonDict, now: float) -> JsonDict:
        users = [u for u in (arg_str(args, "users") or "").split(",") if u]
        if len(users) > 1:
            return self._open_group_dm(users, args)
        if len(users) != 1:
            if arg_str(args, "channel"):
                channel = self._ws.visible_channel(arg_str(args, "channel"))
                return {"channel": {"id": channel.id}}
            raise SlackError("users_list_not_supplied" if not users else "not_enough_users")
        if users[0] not in self._ws.users:
            raise SlackError("user_not_found")
        channel = self._ws.dm_channel(users[0])
        if arg_bool(args, "return_im"):
            return {"channel": self._ws.channel_object(channel)}
        return {"no_op": True, "already_open": True, "channel": {"id": channel.id}}

    def _open_group_dm(self, users: list[str], args: JsonDict) -> JsonDict:
        """A multi-person DM of these people and the bot (Slack's mpim): 2 to 8 people, each a live user."""
        if len(set(users)) > GROUP_DM_MAX_USERS:
            raise SlackError("too_many_users")
        for user_id in users:
            user = self._ws.users.get(user_id)
            if user is None:
                raise SlackError("user_not_found")
            if user.get("deleted"):
                raise SlackError("user_disabled")
            if user.get("is_bot"):
                raise SlackError("cannot_dm_bot")
        channel = self._ws.group_dm_channel(list(dict.fromkeys(users)))
        if arg_bool(args, "return_im"):
            return {"channel": self._ws.channel_object(channel)}
        return {"channel": {"id": channel.id}}

    @serves("conversations.history")
    def history(self, args: JsonDict, now: float) -> JsonDict:
        channel = self._ws.member_channel(arg_str(args, "channel"))
        limit = min(max(arg_int(args, "limit", 100), 1), HISTORY_LIMIT_MAX)
        newest_first = list(reversed(_window(channel.top_level(), args)))
        next_ts = _cursor_ts(args)
        if next_ts is not None:
            newest_first = [m for m in newest_first if ts_key(m["ts"]) <= next_ts]
        return _page_of_messages(
            newest_first, args, limit, pin_count=0, channel_actions_ts=None, channel_actions_count=0
        )

    @serves("conversations.replies")
    def replies(self, args: JsonDict, now: float) -> JsonDict:
        channel = self._ws.member_channel(arg_str(args, "channel"))
        parent = _thread_parent(channel, arg_str(args, "ts"))
        limit = min(max(arg_int(args, "limit", 1000), 1), MEMBERS_LIMIT_MAX)
        thread = [parent, *_window(channel.thread_replies(parent["ts"]), args)]
        next_ts = _cursor_ts(args)
        if next_ts is not None:
            thread = [m for m in thread if ts_key(m["ts"]) >= next_ts]
        return _page_of_messages(thread, args, limit)


def _thread_parent(channel: Channel, ts: str | None) -> JsonDict:
    """The thread's parent, also when ``ts`` names one of its replies."""
    if not ts or ts not in channel.messages:
        raise SlackError("thread_not_found")
    parent = channel.messages[ts]
    if not is_top_level(parent):
        parent = channel.messages.get(parent["thread_ts"], parent)
    return parent


def _window(messages: list[JsonDict], args: JsonDict) -> list[JsonDict]:
    """The messages between ``oldest`` and ``latest``, bounds included when ``inclusive``."""
    oldest = ts_key(arg_str(args, "oldest") or "0", error="invalid_ts_oldest")
    latest_arg = arg_str(args, "latest")
    latest = ts_key(latest_arg, error="invalid_ts_latest") if latest_arg else None
    inclusive = arg_bool(args, "inclusive")

    def inside(message: JsonDict) -> bool:
        key = ts_key(message["ts"])
        above = key >= oldest if inclusive else key > oldest
        below = latest is None or (key <= latest if inclusive else key < latest)
        return above and below

    return [m for m in messages if inside(m)]


def _cursor_ts(args: JsonDict) -> Decimal | None:
    cursor = arg_str(args, "cursor")
    if not cursor:
        return None
    return ts_key(decode_cursor(cursor, "next_ts"), error="invalid_cursor")


def _page_of_messages(messages: list[JsonDict], args: JsonDict, limit: int, **extra: object) -> JsonDict:
    """The first ``limit`` messages, then ``extra`` fields, then the cursor of the rest."""
    include_metadata = arg_bool(args, "include_all_metadata")
    shown, rest = messages[:limit], messages[limit:]
    return {
        "messages": [api_message(m, include_metadata=include_metadata) for m in shown],
        "has_more": bool(rest),
        **extra,
        "response_metadata": {"next_cursor": encode_cursor("next_ts", rest[0]["ts"]) if rest else ""},
    }
