"""The charter in Slack: the channel's canvas, or a pinned message where the workspace has no canvas.

The canvas is written whole (`canvases.edit` with one `replace`) whenever the charter reads
differently from what was written last: Slack applies one operation per call and a section of a
canvas is one heading or paragraph, so one replace is the only edit that can never leave the charter
half old, half new. A canvas deleted by hand is created again. Where Slack has no canvas for the
bot (a free plan, canvases switched off, a scope missing, a canvas that is not the bot's) or refuses
an edit, the same charter is a pinned message, updated in place from then on.
"""

from __future__ import annotations

import hashlib
import logging
from functools import partial

from slack_sdk.errors import SlackApiError

from bot.i18n import Texts
from bot.publishing.carriers import MESSAGE_DELETED
from bot.publishing.carriers import Attempt
from bot.publishing.carriers import Publishing
from bot.publishing.carriers import carries
from bot.services.charter import Charter
from bot.services.charter import CharterPlace
from bot.services.outbox import EffectKind
from bot.views.charter import charter_markdown
from bot.views.charter import charter_message

log = logging.getLogger(__name__)

CANVAS_GONE = frozenset({"canvas_not_found", "canvas_deleted", "file_not_found", "file_deleted"})
"""The canvas the bot wrote is not there any more: a new one is created."""

NO_CANVAS_HERE = frozenset(
    {
        "canvas_disabled_user_team",
        "team_tier_cannot_create_channel_canvases",
        "free_team_canvas_tab_already_exists",
        "channel_canvas_already_exists",
        "canvas_creation_failed",
        "channel_canvas_creation_failed",
        "canvas_tab_creation_failed",
        "canvas_editing_failed",
        "missing_scope",
        "not_allowed_token_type",
        "restricted_action",
    }
)
"""Slack has no canvas for the bot in this channel, or will not let it write there: the pin instead."""


@carries(EffectKind.CHARTER_REFRESH)
def refresh_charter(publishing: Publishing, attempt: Attempt) -> None:
    network_id = int(attempt.payload["network_id"])
    publishing.services.charter.rewrite(network_id=network_id, write=partial(_write, publishing, attempt))


def _write(publishing: Publishing, attempt: Attempt, charter: Charter, place: CharterPlace) -> CharterPlace:
    texts = Texts(charter.language)
    markdown = charter_markdown(texts, charter)
    written_hash = hashlib.sha256(markdown.encode()).hexdigest()
    if written_hash == place.written_hash:
        return place
    if place.pinned_ts is None:
        canvas_id = _write_canvas(
            publishing, charter, place.canvas_id, markdown, texts("charter.title", name=charter.name)
        )
        if canvas_id is not None:
            return CharterPlace(canvas_id=canvas_id, written_hash=written_hash)
    pinned_ts = _write_pin(publishing, attempt, charter, place.pinned_ts, texts)
    return CharterPlace(pinned_ts=pinned_ts, written_hash=written_hash)


def _write_canvas(
    publishing: Publishing, charter: Charter, canvas_id: str | None, markdown: str, title: str
) -> str | None:
    """The canvas the charter is on now, or None where it cannot be on one."""
    content = {"type": "markdown", "markdown": markdown}
    try:
        if canvas_id is not None:
            try:
                _replace_canvas(publishing, canvas_id, content)
                return canvas_id
            except SlackApiError as error:
                if _error(error) not in CANVAS_GONE:
                    raise
        try:
            created = publishing.client.conversations_canvases_create(
                channel_id=charter.channel_id, document_content=content
            )
            return str(created["canvas_id"])
        except SlackApiError as error:
            ours = (
                _our_canvas(publishing, charter, title)
                if _error(error) == "channel_canvas_already_exists"
                else None
            )
            if ours is None:
                raise
            _replace_canvas(publishing, ours, content)
            return ours
    except SlackApiError as error:
        if _error(error) not in NO_CANVAS_HERE:
            raise
        log.info(
            "no canvas for network %s's charter (%s): it is pinned instead", charter.network_id, _error(error)
        )
        return None


def _replace_canvas(publishing: Publishing, canvas_id: str, content: dict[str, str]) -> None:
    publishing.client.canvases_edit(
        canvas_id=canvas_id, changes=[{"operation": "replace", "document_content": content}]
    )


def _our_canvas(publishing: Publishing, charter: Charter, title: str) -> str | None:
    """The channel's canvas if it is a charter the bot wrote (created by an attempt cut off before it
    could keep the canvas's id); None for anyone else's canvas, which the bot leaves alone."""
    channel = publishing.client.conversations_info(channel=charter.channel_id)["channel"]
    canvas_id = ((channel.get("properties") or {}).get("canvas") or {}).get("file_id")
    if not canvas_id:
        return None
    found = publishing.client.canvases_sections_lookup(
        canvas_id=canvas_id, criteria={"section_types": ["h1"], "contains_text": title}
    )
    return str(canvas_id) if found.get("sections") else None


def _write_pin(
    publishing: Publishing, attempt: Attempt, charter: Charter, pinned_ts: str | None, texts: Texts
) -> str:
    message = charter_message(texts, charter)
    if pinned_ts is not None and publishing.update_if_there(
        channel=charter.channel_id, ts=pinned_ts, message=message, gone=MESSAGE_DELETED
    ):
        return pinned_ts
    # One pinned charter per network, whichever attempt posts it.
    ts = publishing.post(
        attempt,
        channel=charter.channel_id,
        message=message,
        key=f"charter-{charter.network_id}-{attempt.key}",
    )
    try:
        publishing.client.pins_add(channel=charter.channel_id, timestamp=ts)
    except SlackApiError as error:
        if _error(error) != "already_pinned":
            log.info("could not pin network %s's charter: %s", charter.network_id, _error(error))
    return ts


def _error(error: SlackApiError) -> str:
    return str(error.response.get("error") or "")
