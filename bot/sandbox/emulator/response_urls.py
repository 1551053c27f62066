"""response_urls: what an app's post to the URL in a command or action does (up to five, for 30 minutes)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.sandbox._args import JsonDict
from bot.sandbox._args import SlackError
from bot.sandbox._args import arg_bool
from bot.sandbox._args import arg_str
from bot.sandbox._args import is_ts
from bot.sandbox.emulator.messages import message_content
from bot.sandbox.emulator.workspace import Channel
from bot.sandbox.emulator.workspace import Workspace

RESPONSE_URL_TTL_SECONDS = 30 * 60
RESPONSE_URL_MAX_USES = 5


@dataclass
class _ResponseUrl:
    channel_id: str
    user_id: str
    message_ts: str | None
    issued_at: float
    uses: int = 0


class ResponseUrls:
    def __init__(self, workspace: Workspace, base_url: Callable[[], str]) -> None:
        self._ws = workspace
        self._base_url = base_url
        self._issued: dict[str, _ResponseUrl] = {}

    def new_url(self, channel_id: str, user_id: str, message_ts: str | None) -> str:
        token = f"{self._ws.team_id}/{self._ws.next_counter()}/{self._ws.random_alnum(24)}"
        self._issued[token] = _ResponseUrl(channel_id, user_id, message_ts, self._ws.clock())
        return f"{self._base_url()}/response/{token}"

    def apply(self, token: str, payload: object, now: float) -> tuple[int, str]:
        """Do what Slack does with a post to the URL; the HTTP status and the body ("ok" or the error)."""
        issued = self._issued.get(token)
        if issued is None:
            return 404, "no_service"
        if now - issued.issued_at > RESPONSE_URL_TTL_SECONDS:
            return 404, "expired_url"
        if issued.uses >= RESPONSE_URL_MAX_USES:
            return 404, "used_url"
        if not isinstance(payload, dict):
            return 400, "invalid_payload"
        # Slack answers through a response_url in any conversation, even one the bot is not in.
        channel = self._ws.channels.get(issued.channel_id)
        original = self._original_for(issued, channel)
        if arg_bool(payload, "delete_original"):
            if original is None:
                return 404, "message_not_found"
            issued.uses += 1
            self._remove_original(channel, original)
            return 200, "ok"
        try:
            text, blocks, _ = message_content(payload, self._ws.random_alnum)
        except SlackError as exc:
            return 400, exc.error
        issued.uses += 1
        if arg_bool(payload, "replace_original") and original is not None:
            self._replace_original(channel, original, text or "", blocks, now)
            return 200, "ok"
        thread_ts = arg_str(payload, "thread_ts")
        thread = thread_ts if is_ts(thread_ts) else None
        if payload.get("response_type") == "in_channel":
            if channel is None:
                return 404, "channel_not_found"
            self._ws.post_bot_message(channel, text or "", blocks, thread, now)
        else:
            self._ws.add_ephemeral(
                issued.channel_id, issued.user_id, text or "", blocks, thread, "response_url", now
            )
        return 200, "ok"

    def _original_for(self, issued: _ResponseUrl, channel: Channel | None) -> JsonDict | None:
        if issued.message_ts is None:
            return None
        for ephemeral in self._ws.ephemerals:
            if ephemeral["ts"] == issued.message_ts and ephemeral["channel"] == issued.channel_id:
                return ephemeral
        return channel.messages.get(issued.message_ts) if channel is not None else None

    def _replace_original(
        self,
        channel: Channel | None,
        original: JsonDict,
        text: str,
        blocks: list[JsonDict] | None,
        now: float,
    ) -> None:
        original["text"] = text
        if blocks:
            original["blocks"] = blocks
        else:
            original.pop("blocks", None)
        if not original.get("is_ephemeral") and channel is not None:
            original["edited"] = {"user": self._ws.bot_user_id, "ts": channel.new_ts(now)}

    def _remove_original(self, channel: Channel | None, original: JsonDict) -> None:
        if original.get("is_ephemeral") or channel is None:
            if original in self._ws.ephemerals:
                self._ws.ephemerals.remove(original)
            return
        channel.remove(original)
