"""The sandbox workspace: its team and bot, people, conversations with their messages, and the ids and ts
Slack hands out.

Nothing here locks: ``SlackEmulator`` holds its lock around every call into this package.
"""

from __future__ import annotations

import copy
import random
import string
from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo
from zoneinfo import ZoneInfoNotFoundError

from bot.sandbox._args import JsonDict
from bot.sandbox._args import SlackError
from bot.sandbox._args import arg_str
from bot.sandbox._args import decode_cursor
from bot.sandbox._args import encode_cursor
from bot.sandbox.emulator.messages import by_ts
from bot.sandbox.emulator.messages import is_top_level
from bot.sandbox.emulator.messages import with_ids


@dataclass
class Channel:
    """A conversation and its messages (top-level and replies) by ts."""

    id: str
    name: str
    is_private: bool
    is_im: bool
    members: list[str]
    created: int
    topic: str = ""
    purpose: str = ""
    messages: dict[str, JsonDict] = field(default_factory=dict)
    last_ts_us: int = 0
    canvas_id: str | None = None
    """The channel canvas, shown in conversations.info's `properties`."""
    is_mpim: bool = False
    """A multi-person DM (conversations.open with several users)."""
    team_id: str = ""
    """The workspace it belongs to; a token of another cannot reach it ("" for a DM the bot opened)."""

    def new_ts(self, now: float) -> str:
        """A ts unique in this conversation, as Slack's are: the time, moved on a microsecond if taken."""
        micros = max(int(now * 1_000_000), self.last_ts_us + 1)
        self.last_ts_us = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def top_level(self) -> list[JsonDict]:
        return [m for m in by_ts(self.messages.values()) if is_top_level(m)]

    def thread_replies(self, thread_ts: str) -> list[JsonDict]:
        """The replies in a thread (without its parent), oldest first."""
        return [
            m
            for m in by_ts(self.messages.values())
            if m.get("thread_ts") == thread_ts and m["ts"] != thread_ts
        ]

    def find(self, ts: str | None) -> JsonDict:
        """A message the Web API may act on; raises message_not_found (a tombstone is not one)."""
        if not ts or ts not in self.messages:
            raise SlackError("message_not_found")
        message = self.messages[ts]
        if message.get("subtype") == "tombstone":
            raise SlackError("message_not_found")
        return message

    def store(self, message: JsonDict, thread_ts: str | None) -> None:
        self.messages[message["ts"]] = message
        if thread_ts is None:
            return
        message["thread_ts"] = thread_ts
        parent = self.messages.get(thread_ts)
        # A reply to an unknown ts (or to a reply) is kept but shown nowhere: Slack answers ok all the same.
        if parent is not None and is_top_level(parent) and parent is not message:
            message["parent_user_id"] = parent.get("user")
            self.recount_thread(thread_ts)

    def remove(self, message: JsonDict) -> None:
        """Take a message out; its thread's parent counts its replies again."""
        ts = message["ts"]
        thread_ts = message.get("thread_ts")
        self.messages.pop(ts, None)
        if thread_ts and thread_ts != ts:
            self.recount_thread(thread_ts)

    def recount_thread(self, thread_ts: str) -> None:
        parent = self.messages.get(thread_ts)
        if parent is None:
            return
        replies = self.thread_replies(thread_ts)
        for key in ("thread_ts", "reply_count", "reply_users", "reply_users_count", "latest_reply"):
            parent.pop(key, None)
        if not replies:
            if parent.get("subtype") == "tombstone":
                del self.messages[thread_ts]
            return
        reply_users = list(dict.fromkeys(m.get("user") for m in replies))
        parent.update(
            thread_ts=thread_ts,
            reply_count=len(replies),
            reply_users=reply_users,
            reply_users_count=len(reply_users),
            latest_reply=replies[-1]["ts"],
        )


@dataclass
class Workspace:
    """One team with the app installed: who the bot is, its tokens, the people and the conversations."""

    team_id: str
    team_domain: str
    team_name: str
    bot_token: str
    app_token: str
    bot_user_id: str
    bot_id: str
    app_id: str
    bot_name: str
    clock: Callable[[], float]
    users: dict[str, JsonDict] = field(init=False)
    channels: dict[str, Channel] = field(init=False)
    # Ephemerals shown to one person each, oldest first; they live outside the conversations' messages.
    ephemerals: list[JsonDict] = field(init=False)
    calling_team: str = field(init=False, default="")
    """The workspace of the token of the call being answered ("" between calls): a view it opens is its."""

    @property
    def team_of_call(self) -> str:
        return self.calling_team or self.team_id

    def __post_init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget the people, conversations and messages; the bot user stays."""
        self._random = random.Random(0)
        self._counter = 0
        self.users = {}
        self.channels = {}
        self.ephemerals = []
        # ts for ephemerals in conversations the emulator was not told about (a DM between two people).
        self._loose_ts = Channel(id="", name="", is_private=True, is_im=True, members=[], created=0)
        self.add_user(
            self.bot_user_id,
            self.bot_name.lower(),
            real_name=self.bot_name,
            locale="en-US",
            is_bot=True,
            tz="Europe/Brussels",
            display_name=None,
        )

    # ------------------------------------------------------------------ ids

    def next_counter(self) -> int:
        self._counter += 1
        return self._counter

    def new_id(self, prefix: str) -> str:
        return f"{prefix}{self.next_counter():010d}"

    def random_alnum(self, length: int) -> str:
        return "".join(self._random.choice(string.ascii_letters + string.digits) for _ in range(length))

    def random_hex(self, length: int) -> str:
        return "".join(self._random.choice("0123456789abcdef") for _ in range(length))

    def random_uuid(self) -> str:
        h = self.random_hex(32)
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def with_ids(self, blocks: list[JsonDict]) -> list[JsonDict]:
        return with_ids(blocks, self.random_alnum)

    # ------------------------------------------------------------------ people

    def add_user(
        self,
        user_id: str,
        name: str,
        *,
        real_name: str | None,
        locale: str,
        is_bot: bool,
        tz: str,
        display_name: str | None,
    ) -> JsonDict:
        real = real_name or name
        shown_name = display_name if display_name is not None else real
        user = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name,
            "deleted": False,
            "real_name": real,
            "tz": tz,
            "tz_label": tz,
            "tz_offset": _tz_offset(tz, self.clock()),
            "locale": locale,
            "is_admin": False,
            "is_owner": False,
            "is_bot": is_bot,
            "is_app_user": False,
            "updated": int(self.clock()),
            "profile": {
                "real_name": real,
                "real_name_normalized": real,
                "display_name": shown_name,
                "display_name_normalized": shown_name,
                "team": self.team_id,
            },
        }
        if is_bot and user_id == self.bot_user_id:
            user["profile"]["bot_id"] = self.bot_id
            user["profile"]["api_app_id"] = self.app_id
        self.users[user_id] = user
        return user

    # ------------------------------------------------------------------ conversations

    def add_channel(
        self,
        channel_id: str,
        name: str,
        members: Iterable[str],
        *,
        is_private: bool,
        bot_is_member: bool,
        topic: str,
        purpose: str,
    ) -> Channel:
        is_im = channel_id.startswith("D")
        member_list = list(dict.fromkeys(members))
        if (bot_is_member or is_im) and self.bot_user_id not in member_list:
            member_list.append(self.bot_user_id)
        channel = Channel(
            id=channel_id,
            name=name,
            is_private=is_private or is_im,
            is_im=is_im,
            members=member_list,
            created=int(self.clock()),
            topic=topic,
            purpose=purpose,
        )
        self.channels[channel_id] = channel
        return channel

    def dm_channel(self, user_id: str) -> Channel:
        """The bot's DM with this person, opened on first use as conversations.open does."""
        for channel in self.channels.values():
            if channel.is_im and user_id in channel.members:
                return channel
        channel_id = "D" + (user_id[1:] if user_id[:1] in ("U", "W") else user_id)
        channel = Channel(
            id=channel_id,
            name=user_id,
            is_private=True,
            is_im=True,
            members=[user_id, self.bot_user_id],
            created=int(self.clock()),
        )
        self.channels[channel_id] = channel
        return channel

    def group_dm_channel(self, user_ids: list[str]) -> Channel:
        """The bot's group DM with exactly these people, opened on first use as conversations.open does."""
        wanted = {*user_ids, self.bot_user_id}
        for channel in self.channels.values():
            if channel.is_mpim and set(channel.members) == wanted:
                return channel
        names = "--".join(str(self.users[u].get("name") or u) for u in user_ids)
        channel = Channel(
            id=f"G{len(self.channels) + 1:09d}",
            name=f"mpdm-{names}-1",
            is_private=True,
            is_im=False,
            members=[*user_ids, self.bot_user_id],
            created=int(self.clock()),
            is_mpim=True,
        )
        self.channels[channel.id] = channel
        return channel

    def visible_channel(self, ref: str | None, *, user_ids_open_dm: bool = False) -> Channel:
        """The channel (id or name) as the bot sees it; raises channel_not_found as Slack does otherwise."""
        if not ref:
            raise SlackError("channel_not_found")
        channel = self.channels.get(ref)
        if channel is None:
            name = ref.removeprefix("#")
            channel = next((c for c in self.channels.values() if not c.is_im and c.name == name), None)
        if channel is None and user_ids_open_dm and ref in self.users:
            channel = self.dm_channel(ref)
        if channel is None:
            raise SlackError("channel_not_found")
        if channel.is_private and self.bot_user_id not in channel.members:
            raise SlackError("channel_not_found")
        return channel

    def member_channel(self, ref: str | None, *, user_ids_open_dm: bool = False) -> Channel:
        """A channel the bot is in; raises not_in_channel for one it only sees."""
        channel = self.visible_channel(ref, user_ids_open_dm=user_ids_open_dm)
        if self.bot_user_id not in channel.members:
            raise SlackError("not_in_channel")
        return channel

    def channel_object(
        self, channel: Channel, *, include_num_members: bool = False, include_locale: bool = False
    ) -> JsonDict:
        """The conversation object of conversations.info and conversations.list."""
        obj = self._im_object(channel) if channel.is_im else self._channel_object(channel)
        if include_num_members:
            obj["num_members"] = len(channel.members)
        if include_locale:
            obj["locale"] = "en-US"
        return obj

    def _im_object(self, channel: Channel) -> JsonDict:
        return {
            "id": channel.id,
            "created": channel.created,
            "is_archived": False,
            "is_im": True,
            "is_org_shared": False,
            "context_team_id": self.team_id,
            "updated": channel.created * 1000,
            "user": next((m for m in channel.members if m != self.bot_user_id), self.bot_user_id),
            "is_user_deleted": False,
            "priority": 0,
        }

    def _channel_object(self, channel: Channel) -> JsonDict:
        legacy_group = channel.id.startswith("G")
        properties: JsonDict = {}
        if channel.canvas_id is not None:
            properties["canvas"] = {"file_id": channel.canvas_id, "is_empty": False, "quip_thread_id": ""}
        return {
            **({"properties": properties} if properties else {}),
            "id": channel.id,
            "name": channel.name,
            "is_channel": not legacy_group,
            "is_group": legacy_group,
            "is_im": False,
            "is_mpim": channel.is_mpim,
            "is_private": channel.is_private,
            "created": channel.created,
            "is_archived": False,
            "is_general": channel.name == "general",
            "unlinked": 0,
            "name_normalized": channel.name,
            "is_shared": False,
            "is_org_shared": False,
            "is_pending_ext_shared": False,
            "pending_shared": [],
            "context_team_id": self.team_id,
            "updated": channel.created * 1000,
            "parent_conversation": None,
            "creator": channel.members[0] if channel.members else "",
            "is_ext_shared": False,
            "shared_team_ids": [self.team_id],
            "pending_connected_team_ids": [],
            "is_member": self.bot_user_id in channel.members,
            "topic": {"value": channel.topic, "creator": "", "last_set": 0},
            "purpose": {"value": channel.purpose, "creator": "", "last_set": 0},
            "previous_names": [],
        }

    # ------------------------------------------------------------------ messages

    def add_message(
        self, channel_id: str, user_id: str, text: str, thread_ts: str | None, blocks: list[JsonDict] | None
    ) -> JsonDict:
        """Store a message a person wrote."""
        channel = self.channels[channel_id]
        message: JsonDict = {
            "type": "message",
            "user": user_id,
            "text": text,
            "ts": channel.new_ts(self.clock()),
            "team": self.team_id,
            "client_msg_id": self.random_uuid(),
        }
        if blocks is not None:
            message["blocks"] = copy.deepcopy(blocks)
        channel.store(message, thread_ts)
        return message

    def bot_message(self, text: str, blocks: list[JsonDict] | None, now: float) -> JsonDict:
        """A message from the bot, as Slack stores it; ``ts`` is left for the caller."""
        message: JsonDict = {
            "user": self.bot_user_id,
            "type": "message",
            "ts": "",
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "text": text,
            "team": self.team_id,
            "bot_profile": {
                "id": self.bot_id,
                "deleted": False,
                "name": self.bot_name,
                "updated": int(now),
                "app_id": self.app_id,
                "team_id": self.team_id,
            },
        }
        if blocks is not None:
            message["blocks"] = blocks
        return message

    def post_bot_message(
        self,
        channel: Channel,
        text: str,
        blocks: list[JsonDict] | None,
        thread_ts: str | None,
        now: float,
        **extra: Any,
    ) -> JsonDict:
        """Post as the bot into ``channel`` (a reply when ``thread_ts`` is given), with ``extra`` fields."""
        message = self.bot_message(text, blocks, now)
        message.update(extra)
        message["ts"] = channel.new_ts(now)
        channel.store(message, thread_ts)
        return message

    def add_ephemeral(
        self,
        channel_id: str,
        user_id: str,
        text: str,
        blocks: list[JsonDict] | None,
        thread_ts: str | None,
        source: str,
        now: float,
    ) -> JsonDict:
        """An ephemeral from the bot that only ``user_id`` sees; ``source`` says how the app sent it."""
        ephemeral = self.bot_message(text, blocks, now)
        channel = self.channels.get(channel_id)
        ephemeral.update(
            ts=(channel or self._loose_ts).new_ts(now),
            channel=channel_id,
            visible_to=user_id,
            source=source,
            is_ephemeral=True,
        )
        if thread_ts is not None:
            ephemeral["thread_ts"] = thread_ts
        self.ephemerals.append(ephemeral)
        return ephemeral


def page(items: list[str], args: JsonDict, limit: int, kind: str) -> tuple[list[str], str]:
    """One page of ids from the ``cursor`` argument on, and the cursor of the next page ("" at the end)."""
    cursor = arg_str(args, "cursor")
    start = 0
    if cursor:
        start_item = decode_cursor(cursor, kind)
        if start_item not in items:
            raise SlackError("invalid_cursor")
        start = items.index(start_item)
    shown = items[start : start + limit]
    rest = items[start + limit :]
    return shown, encode_cursor(kind, rest[0]) if rest else ""


def _tz_offset(tz: str, now: float) -> int:
    try:
        offset = datetime.fromtimestamp(now, tz=UTC).astimezone(ZoneInfo(tz)).utcoffset()
    except (ZoneInfoNotFoundError, ValueError):
        return 0
    return int(offset.total_seconds()) if offset is not None else 0
