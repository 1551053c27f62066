"""`/netwerk help`: what the bot does here, in the caller's language."""

from __future__ import annotations

from slack_sdk.models.blocks import Block
from slack_sdk.models.blocks import HeaderBlock

from bot.commands import available_subcommands
from bot.i18n import Texts
from bot.text import escape_mrkdwn
from bot.text import fit_user_text
from bot.views.common import Message
from bot.views.common import context_line
from bot.views.common import mrkdwn_section
from bot.views.common import mrkdwn_sections
from bot.views.common import plain

# What a user typed is echoed back in code style; a short excerpt is enough to recognise it.
_ECHO_LIMIT = 40


def help_message(
    texts: Texts, *, network_name: str | None, unknown_word: str | None = None, coming_soon: bool = False
) -> Message:
    """The help; `unknown_word` (an unknown or not yet available subcommand) is named first."""
    blocks: list[Block] = []
    if unknown_word is not None:
        key = "help.coming_soon" if coming_soon else "help.unknown"
        word = fit_user_text(unknown_word.replace("`", "'"), _ECHO_LIMIT)
        blocks.append(mrkdwn_section(texts(key, word=word)))
    blocks += [
        HeaderBlock(text=plain(texts("help.header"))),
        mrkdwn_section(texts("help.intro")),
    ]
    if network_name is None:
        blocks.append(mrkdwn_section(texts("help.unlinked")))
    else:
        blocks.append(mrkdwn_section(texts("help.linked", name=escape_mrkdwn(network_name))))
    english = texts.language == "en"
    lines = [texts("help.commands_title")]
    for sub in available_subcommands():
        lines.append(
            texts(
                "help.command_line",
                word=sub.alias if english else sub.name,
                description=texts(f"help.commands.{sub.name}"),
            )
        )
    lines.append(texts("help.case_line"))
    # Every subcommand added (and every longer language) brings the list nearer a section's limit.
    blocks += mrkdwn_sections(lines)
    blocks += [mrkdwn_section(texts("help.shortcuts_line")), context_line(texts("help.aliases"))]
    return Message(text=texts("help.text"), blocks=blocks)
