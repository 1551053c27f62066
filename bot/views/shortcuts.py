"""The lesson consent question in the author's DM, and what it shows once answered."""

from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock
from slack_sdk.models.blocks import ButtonElement

from bot.i18n import Texts
from bot.services.shortcuts import ConsentQuestion
from bot.views.common import Message
from bot.views.common import context_line
from bot.views.common import mrkdwn_section
from bot.views.common import notice
from bot.views.common import plain
from bot.views.follow_ups import quoted
from bot.views.ids_shortcuts import ShortcutActions

QUOTE_ROOM = 2_000


def consent_question_message(texts: Texts, question: ConsentQuestion) -> Message:
    """Asks the author whether the message someone saved may be kept as a lesson of the network."""
    text = texts("shortcuts.consent.text", saver=question.saver_id)
    value = str(question.lesson_id)
    buttons = [
        ButtonElement(
            text=plain(texts("shortcuts.consent.yes")),
            action_id=ShortcutActions.CONSENT_YES,
            value=value,
            style="primary",
        ),
        ButtonElement(
            text=plain(texts("shortcuts.consent.no")), action_id=ShortcutActions.CONSENT_NO, value=value
        ),
    ]
    return Message(
        text=text,
        blocks=[
            mrkdwn_section(text),
            mrkdwn_section(texts("shortcuts.consent.quote", text=quoted(question.text, QUOTE_ROOM))),
            context_line(texts("shortcuts.consent.where", channel=question.channel_id)),
            ActionsBlock(elements=buttons),
        ],
    )


def consent_answered_message(texts: Texts, *, consent: bool) -> Message:
    """The question once answered: what the author said, in place of its buttons."""
    return notice(texts("shortcuts.consent.answered_yes" if consent else "shortcuts.consent.answered_no"))


def saver_told_message(texts: Texts, text_key: str, *, author: str) -> Message:
    """What became of a lesson its author was asked about, for the member who saved it."""
    return notice(texts(text_key, author=author))
