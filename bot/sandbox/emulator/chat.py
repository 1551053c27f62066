"""chat.*: the bot posts, posts ephemerals, edits, deletes, links to and schedules messages."""

from __future__ import annotations

from typing import Any

from bot.sandbox._args import JsonDict
from bot.sandbox._args import SlackError
from bot.sandbox._args import arg_int
from bot.sandbox._args import arg_str
from bot.sandbox.emulator.family import MethodFamily
from bot.sandbox.emulator.family import serves
from bot.sandbox.emulator.messages import api_message
from bot.sandbox.emulator.messages import is_top_level
from bot.sandbox.emulator.messages import message_content
from bot.sandbox.emulator.messages import metadata_arg
from bot.sandbox.emulator.messages import thread_ts_arg
from bot.sandbox.emulator.workspace import Channel
from bot.sandbox.emulator.workspace import Workspace

SCHEDULE_MAX_AHEAD_SECONDS = 120 * 24 * 3600
_THREAD_KEYS = ("reply_count", "reply_users", "reply_users_count", "latest_reply")


class ChatApi(MethodFamily):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self.scheduled: list[JsonDict] = []

    @serves("chat.postMessage")
    def post_message(self, args: JsonDict, now: float) -> JsonDict:
        channel = self._ws.member_channel(arg_str(args, "channel"), user_ids_open_dm=True)
        text, blocks, attachments = message_content(args, self._ws.random_alnum)
        metadata = metadata_arg(args)
        thread_ts = thread_ts_arg(args)
        extra: dict[str, Any] = {}
        if attachments is not None:
            extra["attachments"] = attachments
        if metadata is not None:
            extra["metadata"] = metadata
        message = self._ws.post_bot_message(channel, text or "", blocks, thread_ts, now, **extra)
        return {
            "channel": channel.id,
            "ts": message["ts"],
            "message": api_message(message, include_metadata=True),
        }

    @serves("chat.postEphemeral")
    def post_ephemeral(self, args: JsonDict, now: float) -> JsonDict:
        # Slack answers channel_not_found, not not_in_channel, when the bot cannot post into the channel.
        channel = self._ws.visible_channel(arg_str(args, "channel"))
        if self._ws.bot_user_id not in channel.members:
            raise SlackError("channel_not_found")
        user_id = arg_str(args, "user") or ""
        if user_id not in channel.members:
            raise SlackError("user_not_in_channel")
        text, blocks, attachments = message_content(args, self._ws.random_alnum)
        thread_ts = thread_ts_arg(args)
        ephemeral = self._ws.add_ephemeral(
            channel.id, user_id, text or "", blocks, thread_ts, "chat.postEphemeral", now
        )
        if attachments is not None:
            ephemeral["attachments"] = attachments
        return {"message_ts": ephemeral["ts"]}

    @serves("chat.update")
    def update(self, args: JsonDict, now: float) -> JsonDict:
        channel, message = self._own_message(args, error="cant_update_message")
        text, blocks, attachments = message_content(args, self._ws.random_alnum)
        metadata = metadata_arg(args)
        if text is not None:
            message["text"] = text
        # As Slack documents: left out, the previous blocks stay; an empty array removes them.
        if blocks is not None:
            if blocks:
                message["blocks"] = blocks
            else:
                message.pop("blocks", None)
        if attachments is not None:
            message["attachments"] = attachments
        if metadata is not None:
            message["metadata"] = metadata
        message["edited"] = {"user": self._ws.bot_user_id, "ts": channel.new_ts(now)}
        shown = api_message(message, include_metadata=True)
        return {"channel": channel.id, "ts": message["ts"], "text": message["text"], "message": shown}

    @serves("chat.delete")
    def delete(self, args: JsonDict, now: float) -> JsonDict:
        channel, message = self._own_message(args, error="cant_delete_message")
        ts = message["ts"]
        if is_top_level(message) and message.get("reply_count"):
            # A parent with replies leaves a tombstone so the thread stays readable, as in Slack.
            channel.messages[ts] = {
                "type": "message",
                "subtype": "tombstone",
                "text": "This message was deleted.",
                "user": "USLACKBOT",
                "hidden": True,
                "ts": ts,
                "thread_ts": ts,
                **{k: message[k] for k in _THREAD_KEYS},
            }
        else:
            channel.remove(message)
        return {"channel": channel.id, "ts": ts}

    @serves("chat.getPermalink")
    def get_permalink(self, args: JsonDict, now: float) -> JsonDict:
        channel = self._ws.visible_channel(arg_str(args, "channel"))
        message = channel.find(arg_str(args, "message_ts"))
        ts = message["ts"]
        permalink = f"https://{self._ws.team_domain}.slack.com/archives/{channel.id}/p{ts.replace('.', '')}"
        if not is_top_level(message):
            permalink += f"?thread_ts={message['thread_ts']}&cid={channel.id}"
        return {"channel": channel.id, "permalink": permalink}

    @serves("chat.scheduleMessage")
    def schedule_message(self, args: JsonDict, now: float) -> JsonDict:
        channel = self._ws.member_channel(arg_str(args, "channel"), user_ids_open_dm=True)
        post_at = _post_at_arg(args, now)
        text, blocks, _ = message_content(args, self._ws.random_alnum)
        metadata = metadata_arg(args)
        thread_ts = thread_ts_arg(args)
        scheduled_id = self._ws.new_id("Q")
        message = self._ws.bot_message(text or "", blocks, now)
        message.pop("ts")
        message["type"] = "delayed_message"
        self.scheduled.append(
            {
                "id": scheduled_id,
                "channel": channel.id,
                "post_at": post_at,
                "date_created": int(now),
                "text": text or "",
                "blocks": blocks,
                "thread_ts": thread_ts,
                "metadata": metadata,
            }
        )
        return {
            "channel": channel.id,
            "scheduled_message_id": scheduled_id,
            "post_at": post_at,
            "message": message,
        }

    @serves("chat.deleteScheduledMessage")
    def delete_scheduled_message(self, args: JsonDict, now: float) -> JsonDict:
        channel = self._ws.visible_channel(arg_str(args, "channel"))
        scheduled_id = arg_str(args, "scheduled_message_id")
        for index, scheduled in enumerate(self.scheduled):
            if scheduled["id"] == scheduled_id and scheduled["channel"] == channel.id:
                del self.scheduled[index]
                return {}
        raise SlackError("invalid_scheduled_message_id")

    def _own_message(self, args: JsonDict, *, error: str) -> tuple[Channel, JsonDict]:
        """The bot's own message named by ``channel`` and ``ts``; another's raises ``error``."""
        channel = self._ws.visible_channel(arg_str(args, "channel"))
        message = channel.find(arg_str(args, "ts"))
        if message.get("user") != self._ws.bot_user_id:
            raise SlackError(error)
        return channel, message


def _post_at_arg(args: JsonDict, now: float) -> int:
    post_at = arg_int(args, "post_at", 0, error="invalid_time")
    if post_at <= 0:
        raise SlackError("invalid_time")
    if post_at <= now:
        raise SlackError("time_in_past")
    if post_at > now + SCHEDULE_MAX_AHEAD_SECONDS:
        raise SlackError("time_too_far")
    return post_at
