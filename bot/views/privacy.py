"""Privacy: the answers to my-data, and the confirmations and answers of forget-me and archive."""

from __future__ import annotations

from slack_sdk.models.blocks import ConfirmObject

from bot.i18n import Texts
from bot.text import escape_mrkdwn
from bot.views.common import Message
from bot.views.common import button_block
from bot.views.common import mrkdwn_section
from bot.views.common import notice
from bot.views.common import plain
from bot.views.ids_privacy import PrivacyActions


def my_data_comment(texts: Texts) -> str:
    """The comment beside the JSON file in the user's DM."""
    return texts("privacy.my_data.comment")


def my_data_sent_message(texts: Texts) -> Message:
    return notice(texts("privacy.my_data.sent"))


def forget_confirmation_message(texts: Texts) -> Message:
    """What forgetting erases and keeps, with the one button that does it."""
    forget = button_block(
        texts("privacy.forget.button"),
        action_id=PrivacyActions.FORGET,
        value=texts.language,
        style="danger",
        confirm=ConfirmObject(
            title=plain(texts("privacy.forget.confirm_title")),
            text=plain(texts("privacy.forget.confirm_text")),
            confirm=plain(texts("privacy.forget.confirm_yes")),
            deny=plain(texts("privacy.forget.confirm_no")),
            style="danger",
        ),
    )
    return Message(
        text=texts("privacy.forget.ask"),
        blocks=[
            mrkdwn_section(texts("privacy.forget.ask")),
            mrkdwn_section(texts("privacy.forget.what")),
            forget,
        ],
    )


def advice_removed_message(texts: Texts) -> Message:
    """Replaces the bot's post of advice whose giver asked to be forgotten."""
    return notice(texts("privacy.advice_removed"))


def forget_done_message(texts: Texts, *, cases_removed: int) -> Message:
    cases = cases_removed
    lines = [texts("privacy.forget.done")]
    if cases:
        lines.append(texts("privacy.forget.cases_removed", count=cases))
    return notice("\n".join(lines))


def archive_confirmation_message(texts: Texts, *, network_id: int, name: str) -> Message:
    name = escape_mrkdwn(name)
    archive = button_block(
        texts("privacy.archive.button"),
        action_id=PrivacyActions.ARCHIVE,
        value=str(network_id),
        style="danger",
    )
    return Message(
        text=texts("privacy.archive.ask", name=name),
        blocks=[mrkdwn_section(texts("privacy.archive.ask", name=name)), archive],
    )


def archive_done_message(texts: Texts, *, name: str) -> Message:
    return notice(texts("privacy.archive.done", name=escape_mrkdwn(name)))


def archived_channel_message(texts: Texts, *, name: str, user_id: str) -> Message:
    """Posted in the channel: the network is archived, and the channel is free for a new one."""
    return notice(texts("privacy.archive.announcement", name=escape_mrkdwn(name), user=user_id))
