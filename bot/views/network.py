"""Starting a network: the start modal, the welcome, and the answers around them."""

from __future__ import annotations

from slack_sdk.models.blocks import Block
from slack_sdk.models.blocks import DividerBlock
from slack_sdk.models.blocks import InputBlock
from slack_sdk.models.blocks import Option
from slack_sdk.models.blocks import SectionBlock
from slack_sdk.models.views import View

from bot.i18n import SUPPORTED_LANGUAGES
from bot.i18n import Texts
from bot.services.networks import NetworkOverview
from bot.text import escape_mrkdwn
from bot.text import fit_user_text
from bot.views import ids
from bot.views.common import ChannelModalContext
from bot.views.common import Message
from bot.views.common import context_line
from bot.views.common import header_block
from bot.views.common import modal
from bot.views.common import mrkdwn_section
from bot.views.common import named_options
from bot.views.common import notice
from bot.views.common import option_for
from bot.views.common import radio_input
from bot.views.common import select_input
from bot.views.common import text_input
from storage.models import GOAL_MAX
from storage.models import NAME_MAX
from storage.models import NetworkComposition
from storage.models import NetworkOrigin

# The zones a Dutch-speaking network is likely in first, then the rest of Europe and a few beyond;
# a static select holds at most 100 options.
COMMON_TIMEZONES: tuple[str, ...] = (
    "Europe/Brussels",
    "Europe/Amsterdam",
    "Europe/Luxembourg",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Vienna",
    "Europe/Zurich",
    "Europe/Copenhagen",
    "Europe/Stockholm",
    "Europe/Oslo",
    "Europe/Helsinki",
    "Europe/Warsaw",
    "Europe/Prague",
    "Europe/Budapest",
    "Europe/Athens",
    "Europe/Bucharest",
    "Europe/Istanbul",
    "America/Paramaribo",
    "America/Curacao",
    "America/Aruba",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Africa/Johannesburg",
    "Asia/Jakarta",
    "Australia/Sydney",
    "UTC",
)


def start_network_modal(
    texts: Texts,
    *,
    context: ChannelModalContext,
    channel_name: str,
    default_timezone: str,
    public_channel: bool = False,
) -> View:
    """The start form; in a public channel it first says who can read along, and recommends a private one."""
    return modal(
        texts,
        "start",
        callback_id=ids.START_NETWORK_MODAL,
        context=context,
        title="modal_title",
        blocks=[
            mrkdwn_section(texts("start.intro", channel=escape_mrkdwn(channel_name))),
            *([mrkdwn_section(texts("safe.start.public_channel"))] if public_channel else []),
            *_about_the_network(texts),
            *_language_and_timezone(texts, default_timezone),
        ],
    )


def _about_the_network(texts: Texts) -> list[InputBlock]:
    blocks = ids.StartNetworkBlocks
    origins = named_options(texts, "start.origin", NetworkOrigin)
    compositions = named_options(texts, "start.composition", NetworkComposition)
    return [
        text_input(
            blocks.NAME,
            texts("start.name_label"),
            placeholder=texts("start.name_placeholder"),
            max_length=NAME_MAX,
            optional=None,
        ),
        text_input(
            blocks.GOAL,
            texts("start.goal_label"),
            placeholder=texts("start.goal_placeholder"),
            max_length=GOAL_MAX,
            multiline=True,
            optional=True,
        ),
        radio_input(blocks.ORIGIN, texts("start.origin_label"), origins, origins[1]),
        radio_input(blocks.COMPOSITION, texts("start.composition_label"), compositions, compositions[0]),
    ]


def _language_and_timezone(texts: Texts, default_timezone: str) -> list[InputBlock]:
    blocks = ids.StartNetworkBlocks
    zones = (
        COMMON_TIMEZONES if default_timezone in COMMON_TIMEZONES else (default_timezone, *COMMON_TIMEZONES)
    )
    languages = named_options(texts, "language", SUPPORTED_LANGUAGES)
    zone_options = [Option(value=zone, text=zone) for zone in zones]
    return [
        select_input(
            blocks.LANGUAGE,
            texts("start.language_label"),
            languages,
            option_for(languages, texts.language, otherwise=languages[0]),
        ),
        select_input(
            blocks.TIMEZONE,
            texts("start.timezone_label"),
            zone_options,
            option_for(zone_options, default_timezone, otherwise=zone_options[0]),
            hint=texts("start.timezone_hint"),
        ),
    ]


def welcome_message(texts: Texts, overview: NetworkOverview) -> Message:
    network = overview.network
    member_count = len(overview.memberships)
    blocks: list[Block] = [
        header_block(texts("welcome.header", name=network.name)),
        mrkdwn_section(texts("welcome.intro", facilitator=network.created_by)),
    ]
    if network.goal:
        # A goal of 1,000 typed characters can escape into more than a section holds.
        goal = fit_user_text(network.goal, SectionBlock.text_max_length - 100)
        blocks.append(mrkdwn_section(texts("welcome.goal", goal=goal)))
    blocks += [
        DividerBlock(),
        mrkdwn_section(
            "\n".join(
                [
                    texts("welcome.principles_title"),
                    "• " + texts("welcome.give_and_receive"),
                    "• " + texts("welcome.everyone_contributes"),
                    "• " + texts("welcome.equality"),
                    "• " + texts("welcome.confidentiality"),
                ]
            )
        ),
        mrkdwn_section(texts("welcome.next_steps_title") + "\n" + texts("welcome.next_steps")),
        context_line(texts("welcome.size", count=member_count)),
        context_line(
            texts(
                "welcome.context",
                origin=texts(f"start.origin.{network.origin}"),
                composition=texts(f"start.composition.{network.composition}"),
                facilitator=network.created_by,
            )
        ),
    ]
    return Message(text=texts("welcome.text", name=escape_mrkdwn(network.name)), blocks=blocks)


def already_linked_message(texts: Texts, overview: NetworkOverview) -> Message:
    facilitators = ", ".join(f"<@{user_id}>" for user_id in overview.facilitator_ids)
    lines = [texts("start.already_linked", name=escape_mrkdwn(overview.network.name))]
    if facilitators:
        lines.append(texts("start.already_linked_facilitators", facilitators=facilitators))
    return notice("\n".join(lines))
