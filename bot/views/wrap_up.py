"""Closing the network as Block Kit: the confirmation, the announcement and invitation, the look-back
modal, the harvest (and the harvest as a Markdown document for the facilitators)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock
from slack_sdk.models.blocks import Block
from slack_sdk.models.blocks import HeaderBlock
from slack_sdk.models.blocks import Option
from slack_sdk.models.views import View

from bot.i18n import Texts
from bot.i18n.formats import format_number
from bot.i18n.formats import slack_moment
from bot.services.wrap_up import LEVEL_MAX
from bot.services.wrap_up import LEVEL_MIN
from bot.services.wrap_up import GoalRef
from bot.services.wrap_up import Harvest
from bot.services.wrap_up import LookBackDraft
from bot.services.wrap_up import Story
from bot.services.wrap_up import WrapUpPlan
from bot.services.wrap_up import WrapUpPost
from bot.text import escape_markdown
from bot.text import fit_user_text
from bot.views import ids
from bot.views.checkins import NetworkModalContext
from bot.views.checkins import format_date
from bot.views.checkins import format_moment
from bot.views.common import Message
from bot.views.common import ModalContext
from bot.views.common import button_block
from bot.views.common import checkbox_input
from bot.views.common import context_line
from bot.views.common import date_input
from bot.views.common import modal
from bot.views.common import mrkdwn_section
from bot.views.common import mrkdwn_sections
from bot.views.common import named_options
from bot.views.common import option_for
from bot.views.common import plain
from bot.views.common import radio_input
from bot.views.common import text_input
from storage.models.wrap_up import LOOK_BACK_TEXT_MAX
from storage.models.wrap_up import STORY_PART_MAX

GOAL_ROOM = 300
LESSON_ROOM = 600
STORY_ROOM = 900
STORIES_SHOWN = 10
"""The harvest post shows this many stories (each a block); the facilitators' file has them all."""
EARLIER_SHOWN = 5
LESSON_SECTIONS = 10


@dataclass(frozen=True, slots=True)
class LookBackModalContext(ModalContext):
    wrap_up_id: int
    channel_id: str
    language: str


def _goal_lines(texts: Texts, goals: list[GoalRef]) -> str:
    if not goals:
        return texts("wrap_up.no_goals")
    return "\n".join(
        texts("wrap_up.goal_line", goal=fit_user_text(g.text, GOAL_ROOM, one_line=True)) for g in goals
    )


# ---------------------------------------------------------------------- starting


def wrap_up_modal(texts: Texts, plan: WrapUpPlan) -> View:
    """The facilitator's confirmation: what the ritual asks, its last day, and that the archive follows."""
    blocks: list[Block] = [
        mrkdwn_section(
            texts("wrap_up.modal.intro", name=fit_user_text(plan.network.name, 150, one_line=True))
        ),
        mrkdwn_section(texts("wrap_up.modal.goals") + "\n" + _goal_lines(texts, plan.goals)),
        date_input(
            ids.WrapUpBlocks.ENDS_ON,
            texts("wrap_up.modal.ends_on"),
            plan.default_ends_on,
            hint=texts("wrap_up.modal.ends_on_hint"),
        ),
        context_line(texts("wrap_up.modal.archive_note")),
    ]
    context = NetworkModalContext.of(plan.network)
    return modal(texts, "wrap_up.modal", callback_id=ids.WRAP_UP_MODAL, context=context, blocks=blocks)


def _look_back_button(texts: Texts, post: WrapUpPost) -> ActionsBlock:
    return button_block(
        texts("wrap_up.look_back.button"),
        action_id=ids.WrapUpActions.LOOK_BACK,
        value=str(post.wrap_up_id),
        style="primary",
    )


def announcement_message(texts: Texts, post: WrapUpPost) -> Message:
    """The ritual in the channel: what each member is asked, until when, one button."""
    closes = slack_moment(texts, post.closes_at, post.timezone)
    return Message(
        text=texts("wrap_up.announcement.text"),
        blocks=[
            HeaderBlock(text=plain(texts("wrap_up.announcement.header"))),
            mrkdwn_section(texts("wrap_up.announcement.intro", closes=closes)),
            mrkdwn_section(texts("wrap_up.modal.goals") + "\n" + _goal_lines(texts, post.goals)),
            _look_back_button(texts, post),
            context_line(texts("wrap_up.announcement.privacy")),
        ],
    )


def closed_announcement_message(texts: Texts) -> Message:
    return Message(
        text=texts("wrap_up.announcement.text"),
        blocks=[
            HeaderBlock(text=plain(texts("wrap_up.announcement.header"))),
            context_line(texts("wrap_up.announcement.closed")),
        ],
    )


def invitation_message(texts: Texts, post: WrapUpPost, *, reminder: bool = False) -> Message:
    """The private invitation to look back; as a reminder, it says the look-back is still missing."""
    closes = format_moment(texts, post.closes_at, post.timezone)
    name = fit_user_text(post.network_name, 150, one_line=True)
    key = "wrap_up.reminder.text" if reminder else "wrap_up.invitation.text"
    text = texts(key, name=name, closes=closes)
    section = texts(key, name=name, closes=slack_moment(texts, post.closes_at, post.timezone))
    return Message(text=text, blocks=[mrkdwn_section(section), _look_back_button(texts, post)])


# ---------------------------------------------------------------------- looking back


def look_back_modal(texts: Texts, draft: LookBackDraft, *, channel_id: str) -> View:
    """How far I got on each goal, the closing round, and the value story with its share box."""
    blocks = ids.LookBackBlocks
    inputs: list[Block] = [mrkdwn_section(texts("wrap_up.look_back.intro")), *_goal_inputs(texts, draft)]
    inputs.append(
        text_input(
            blocks.LESSON,
            texts("wrap_up.look_back.lesson"),
            max_length=LOOK_BACK_TEXT_MAX,
            multiline=True,
            initial=draft.lesson,
            hint=texts("wrap_up.look_back.lesson_hint"),
        )
    )
    inputs += _story_inputs(texts, draft)
    context = LookBackModalContext(
        wrap_up_id=draft.wrap_up_id, channel_id=channel_id, language=draft.language
    )
    return modal(texts, "wrap_up.look_back", callback_id=ids.LOOK_BACK_MODAL, context=context, blocks=inputs)


def _goal_inputs(texts: Texts, draft: LookBackDraft) -> list[Block]:
    levels = named_options(texts, "wrap_up.look_back.level", range(LEVEL_MIN, LEVEL_MAX + 1))
    inputs: list[Block] = []
    for position, goal in enumerate(draft.goals):
        earlier = draft.levels.get(goal.key)
        inputs.append(
            radio_input(
                f"{ids.LookBackBlocks.GOAL_PREFIX}{position}",
                texts("wrap_up.look_back.goal", goal=_fit_label(goal.text)),
                levels,
                option_for(levels, str(earlier)) if earlier else None,
            )
        )
    return inputs


def _story_inputs(texts: Texts, draft: LookBackDraft) -> list[Block]:
    blocks = ids.LookBackBlocks
    inputs: list[Block] = [mrkdwn_section(texts("wrap_up.look_back.story_intro"))]
    for block_id, name in (
        (blocks.TOOK_PART, "took_part"),
        (blocks.DID_DIFFERENTLY, "did_differently"),
        (blocks.YIELDED, "yielded"),
    ):
        inputs.append(
            text_input(
                block_id,
                texts(f"wrap_up.look_back.story.{name}"),
                max_length=STORY_PART_MAX,
                multiline=True,
                optional=True,
                initial=draft.story.get(name, ""),
            )
        )
    # Opt-in: a story goes into the harvest (without its writer) only when they tick this.
    share = Option(value=blocks.SHARE_OPTION, text=texts("wrap_up.look_back.share"))
    inputs.append(
        checkbox_input(blocks.SHARE, texts("wrap_up.look_back.share_label"), share, ticked=draft.shared)
    )
    return inputs


def _fit_label(text: str) -> str:
    """A goal as a modal label (plain text, at most 2,000 characters, one line)."""
    folded = " ".join(text.split())
    return folded[:GOAL_ROOM]


# ---------------------------------------------------------------------- the harvest


def _goal_harvest_line(texts: Texts, goal_text: str, average: float | None, answers: int) -> str:
    if average is None:
        return texts("wrap_up.harvest.goal_unanswered", goal=goal_text)
    return texts(
        "wrap_up.harvest.goal_line",
        goal=goal_text,
        average=format_number(texts, average),
        high=LEVEL_MAX,
        count=answers,
    )


def _figures_line(texts: Texts, harvest: Harvest) -> str:
    counts = " · ".join(
        texts(f"wrap_up.harvest.figure.{name}", count=harvest.figures[name])
        for name in ("sessions", "cases", "advice", "follow_ups")
    )
    figures = texts("wrap_up.harvest.figures", figures=counts)
    if len(harvest.thermometer) >= 2:
        first, last = harvest.thermometer[0].average, harvest.thermometer[-1].average
        figures += "\n" + texts(
            "wrap_up.harvest.thermometer", first=format_number(texts, first), last=format_number(texts, last)
        )
    elif harvest.thermometer:
        figures += "\n" + texts(
            "wrap_up.harvest.thermometer_once", last=format_number(texts, harvest.thermometer[-1].average)
        )
    return figures


def _story_text(texts: Texts, story: Story, fit: Callable[[str], str]) -> str:
    parts = [
        texts(f"wrap_up.harvest.story.{name}", text=fit(value))
        for name, value in (
            ("took_part", story.took_part),
            ("did_differently", story.did_differently),
            ("yielded", story.yielded),
        )
        if value
    ]
    return "\n".join(parts)


def _fit_story_part(value: str) -> str:
    return fit_user_text(value, STORY_ROOM // 3, one_line=True)


def harvest_message(texts: Texts, harvest: Harvest) -> Message:
    """The harvest in the channel: goals and how far the group got, the lessons, the shared stories, the
    figures; nobody's name."""
    blocks: list[Block] = [
        HeaderBlock(text=plain(texts("wrap_up.harvest.header"))),
        mrkdwn_section(
            texts(
                "wrap_up.harvest.intro",
                name=fit_user_text(harvest.post.network_name, 150, one_line=True),
                count=harvest.respondents,
                members=harvest.member_count,
            )
        ),
    ]
    if harvest.goals:
        lines = [
            _goal_harvest_line(texts, fit_user_text(g.text, GOAL_ROOM, one_line=True), g.average, g.answers)
            for g in harvest.goals
        ]
        blocks.append(mrkdwn_section(texts("wrap_up.harvest.goals") + "\n" + "\n".join(lines)))
    lessons = [
        texts("wrap_up.harvest.lesson_line", text=fit_user_text(t, LESSON_ROOM, one_line=True))
        for t in harvest.closing_lessons
    ]
    lessons += [
        texts("wrap_up.harvest.earlier_line", text=fit_user_text(t, LESSON_ROOM, one_line=True))
        for t in harvest.earlier_lessons[:EARLIER_SHOWN]
    ]
    if lessons:
        blocks += mrkdwn_sections([texts("wrap_up.harvest.lessons"), *lessons])[:LESSON_SECTIONS]
    if harvest.stories:
        blocks.append(mrkdwn_section(texts("wrap_up.harvest.stories", count=len(harvest.stories))))
        for story in harvest.stories[:STORIES_SHOWN]:
            blocks.append(mrkdwn_section(_story_text(texts, story, _fit_story_part)))
    blocks.append(mrkdwn_section(_figures_line(texts, harvest)))
    blocks.append(context_line(texts("wrap_up.harvest.archived")))
    return Message(
        text=texts("wrap_up.harvest.text", name=fit_user_text(harvest.post.network_name, 150, one_line=True)),
        blocks=blocks,
    )


def harvest_markdown(texts: Texts, harvest: Harvest, *, chart: str | None) -> str:
    """The harvest as a Markdown document, for the facilitators to keep and pass on; `chart` is the
    picture's address (a data URI keeps the document whole in one file)."""
    closed_at = harvest.closed_at.astimezone(ZoneInfo(harvest.post.timezone)) if harvest.closed_at else None
    closed = format_date(texts, closed_at.date()) if closed_at else ""
    name = escape_markdown(harvest.post.network_name)
    lines = [
        f"# {texts('wrap_up.file.title', name=name)}",
        "",
        texts("wrap_up.file.closed", date=closed, count=harvest.respondents, members=harvest.member_count),
        "",
        f"## {texts('wrap_up.file.goals')}",
        "",
    ]
    for goal in harvest.goals:
        line = _goal_harvest_line(texts, escape_markdown(goal.text), goal.average, goal.answers)
        # The channel's bullet becomes the document's list item.
        lines.append("- " + line.removeprefix("• "))
    lines += ["", f"## {texts('wrap_up.file.lessons')}", ""]
    lines += [f"- {escape_markdown(text)}" for text in harvest.closing_lessons]
    lines += [
        f"- {escape_markdown(text)} _({texts('wrap_up.file.earlier')})_" for text in harvest.earlier_lessons
    ]
    lines += ["", f"## {texts('wrap_up.file.stories')}", ""]
    for story in harvest.stories:
        lines += [
            _story_text(texts, story, escape_markdown),
            "",
        ]
    lines += [f"## {texts('wrap_up.file.figures')}", "", _figures_line(texts, harvest), ""]
    if chart:
        lines += [
            f"![{texts('wrap_up.chart.title', name=name)}]({chart})",
            "",
        ]
    return "\n".join(lines)


def harvest_file_comment(texts: Texts, harvest: Harvest) -> str:
    return texts("wrap_up.file.comment", name=fit_user_text(harvest.post.network_name, 150, one_line=True))
