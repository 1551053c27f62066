"""App Home: each network a person takes part in, what they still have to do, and for facilitators the
network at a glance with buttons for the common actions."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock
from slack_sdk.models.blocks import Block
from slack_sdk.models.blocks import ButtonElement
from slack_sdk.models.blocks import ContextBlock
from slack_sdk.models.blocks import DividerBlock
from slack_sdk.models.blocks import MarkdownTextObject
from slack_sdk.models.blocks import SectionBlock
from slack_sdk.models.views import View

from bot.i18n import Texts
from bot.i18n.formats import slack_moment
from bot.services.home import Glance
from bot.services.home import Home
from bot.services.home import NetworkHome
from bot.services.home import OpenCase
from bot.services.home import ToDo
from bot.services.kickoff import GROUP_SIZE_MAX
from bot.services.kickoff import GROUP_SIZE_MIN
from bot.services.kickoff import SizeNote
from bot.text import escape_mrkdwn
from bot.text import fit_user_text
from bot.text import truncate
from bot.views import ids
from bot.views.checkins import format_date
from bot.views.common import context_line
from bot.views.common import header_block
from bot.views.common import mrkdwn_section
from bot.views.common import plain

BLOCKS_PER_NETWORK_MAX = 6
"""A divider, the name, the glance, the to-dos, the open cases and the buttons."""
OPEN_CASES_SHOWN = 5


def home_view(
    texts: Texts, home: Home, *, summary_available: bool = False, notice: str | None = None
) -> View:
    """The person's App Home; `notice` tells them how the action they just took went.

    However many networks they are in, the view keeps within Slack's 100 blocks: networks that do not
    fit are named in one line at the end.
    """
    blocks: list[Block] = [header_block(texts("home.title"))]
    if notice:
        blocks.append(
            mrkdwn_section(truncate(notice, SectionBlock.text_max_length), block_id=ids.HomeBlocks.NOTICE)
        )
    if not home.networks:
        blocks.append(mrkdwn_section(texts("home.none")))
        blocks.append(context_line(texts("home.none_hint")))
        return View(type="home", callback_id=ids.HOME_VIEW, blocks=blocks)
    room = View.blocks_max_length - len(blocks)
    shown = home.networks
    if len(shown) * BLOCKS_PER_NETWORK_MAX > room:
        # Keep one block for the line that names the networks left out.
        shown = shown[: (room - 1) // BLOCKS_PER_NETWORK_MAX]
    for network in shown:
        blocks.extend(_network_blocks(texts, network, summary_available=summary_available))
    rest = home.networks[len(shown) :]
    if rest:
        channels = ", ".join(f"<#{network.channel_id}>" for network in rest)
        blocks.append(
            ContextBlock(
                block_id=ids.HomeBlocks.MORE,
                elements=[
                    MarkdownTextObject(
                        text=truncate(
                            texts("home.more", count=len(rest), channels=channels),
                            SectionBlock.text_max_length,
                        )
                    )
                ],
            )
        )
    return View(type="home", callback_id=ids.HOME_VIEW, blocks=blocks)


def unavailable_home_view(texts: Texts, *, notice: str) -> View:
    """The App Home when the networks could not be read: only the title and why there is nothing more."""
    blocks: list[Block] = [
        header_block(texts("home.title")),
        mrkdwn_section(truncate(notice, SectionBlock.text_max_length), block_id=ids.HomeBlocks.NOTICE),
    ]
    return View(type="home", callback_id=ids.HOME_VIEW, blocks=blocks)


def _network_blocks(texts: Texts, network: NetworkHome, *, summary_available: bool) -> list[Block]:
    blocks: list[Block] = [
        DividerBlock(),
        mrkdwn_section(
            texts(
                "home.network",
                name=escape_mrkdwn(network.name),
                channel=network.channel_id,
                role=texts(f"home.role.{network.role}"),
            )
        ),
    ]
    if network.glance is not None:
        blocks.append(_glance(texts, network.glance, network))
    blocks.append(mrkdwn_section(_todo(texts, network.todo)))
    if network.open_cases:
        blocks.append(mrkdwn_section(_open_cases(texts, network.open_cases)))
    if network.is_facilitator:
        blocks.append(_buttons(texts, network, summary_available=summary_available))
    return blocks


def _glance(texts: Texts, glance: Glance, network: NetworkHome) -> SectionBlock:
    size = texts("home.glance.members", count=glance.member_count, low=GROUP_SIZE_MIN, high=GROUP_SIZE_MAX)
    if glance.size_note == SizeNote.TOO_SMALL:
        size += " " + texts("home.glance.too_small")
    elif glance.size_note == SizeNote.TOO_LARGE:
        size += " " + texts("home.glance.too_large")
    agreements = (
        texts("home.glance.accepted", accepted=glance.accepted, count=glance.member_count)
        if glance.agreements_posted
        else texts("home.glance.no_agreements")
    )
    fields = [
        size,
        texts("home.glance.introduced", introduced=glance.introduced, count=glance.member_count),
        agreements,
        texts("home.glance.cases", count=glance.open_cases_without_advice, open=glance.open_cases)
        if glance.open_cases
        else texts("home.glance.no_cases"),
        _last_checkin(texts, glance, network),
    ]
    return SectionBlock(fields=[MarkdownTextObject(text=text) for text in fields])


def _last_checkin(texts: Texts, glance: Glance, network: NetworkHome) -> str:
    checkin = glance.last_checkin
    if checkin is None:
        return texts("home.glance.no_checkin")
    posted = checkin.posted_at or checkin.closes_at
    day = format_date(texts, posted.astimezone(ZoneInfo(network.timezone)).date())
    if checkin.is_open:
        return texts(
            "home.glance.checkin_open",
            day=day,
            respondents=checkin.respondents,
            count=checkin.members,
            closes=slack_moment(texts, checkin.closes_at, network.timezone),
        )
    return texts(
        "home.glance.checkin_closed", day=day, respondents=checkin.respondents, count=checkin.members
    )


def _todo(texts: Texts, todo: ToDo) -> str:
    if not todo.anything:
        return texts("home.todo.done")
    lines = [texts("home.todo.title")]
    for name in ("introduce", "accept_agreements", "vote", "answer_checkin"):
        if getattr(todo, name):
            lines.append(texts(f"home.todo.{name}"))
    return "\n".join(lines)


def _open_cases(texts: Texts, cases: list[OpenCase]) -> str:
    lines = [texts("home.cases.title")]
    for case in cases[:OPEN_CASES_SHOWN]:
        lines.append(texts("home.cases.line", title=fit_user_text(case.title, 150), count=case.advice_count))
    if len(cases) > OPEN_CASES_SHOWN:
        lines.append(texts("home.cases.more", count=len(cases) - OPEN_CASES_SHOWN))
    return "\n".join(lines)


def _buttons(texts: Texts, network: NetworkHome, *, summary_available: bool) -> ActionsBlock:
    value = str(network.network_id)
    actions = ids.HomeActions
    buttons = [
        ButtonElement(
            text=plain(texts("home.button.post_checkin")), action_id=actions.POST_CHECKIN, value=value
        ),
        ButtonElement(
            text=plain(texts("home.button.plan_meeting")), action_id=actions.PLAN_MEETING, value=value
        ),
    ]
    if summary_available:
        buttons.append(
            ButtonElement(
                text=plain(texts("home.button.post_summary")), action_id=actions.POST_SUMMARY, value=value
            )
        )
    buttons.append(
        ButtonElement(
            text=plain(texts("home.button.download_csv")), action_id=actions.DOWNLOAD_CSV, value=value
        )
    )
    return ActionsBlock(block_id=f"{ids.HomeBlocks.NETWORK_PREFIX}{network.network_id}", elements=buttons)
