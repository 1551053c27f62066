"""The network thermometer as Block Kit: the round, its answer modal, its results, the suggestions."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.models.blocks import Block
from slack_sdk.models.blocks import HeaderBlock
from slack_sdk.models.blocks import Option
from slack_sdk.models.blocks import SectionBlock
from slack_sdk.models.views import View

from bot.i18n import Texts
from bot.i18n.formats import format_number
from bot.i18n.formats import slack_moment
from bot.services.summary import NetworkSummary
from bot.services.thermometer import ASPECTS
from bot.services.thermometer import SCORE_MAX
from bot.services.thermometer import SCORE_MIN
from bot.services.thermometer import RoundPost
from bot.services.thermometer import RoundResults
from bot.services.thermometer import ThermometerDraft
from bot.text import fit_user_text
from bot.views import ids
from bot.views.common import Message
from bot.views.common import ModalContext
from bot.views.common import bar_of
from bot.views.common import button_block
from bot.views.common import context_line
from bot.views.common import modal
from bot.views.common import mrkdwn_section
from bot.views.common import mrkdwn_sections
from bot.views.common import option_for
from bot.views.common import plain
from bot.views.common import select_input
from bot.views.common import text_input
from bot.views.limits import MESSAGE_BLOCKS_MAX
from storage.models.thermometer import STRONGER_MAX
from storage.models.thermometer import Aspect


@dataclass(frozen=True, slots=True)
class ThermometerModalContext(ModalContext):
    round_id: int
    channel_id: str
    language: str


def _aspect_list(texts: Texts) -> str:
    return "\n".join(
        texts("thermometer.round.aspect_line", aspect=texts(f"thermometer.aspect.{a}")) for a in ASPECTS
    )


def round_message(texts: Texts, post: RoundPost) -> Message:
    """The round: the six aspects, the open question, what is anonymous and what is not, one button."""
    return Message(
        text=texts("thermometer.round.text"),
        blocks=[
            *_round_body(texts),
            button_block(
                texts("thermometer.round.answer"),
                action_id=ids.ThermometerActions.ANSWER,
                value=str(post.round_id),
                style="primary",
            ),
            context_line(
                texts(
                    "thermometer.round.anonymity",
                    threshold=post.anonymity_threshold,
                    closes=slack_moment(texts, post.closes_at, post.timezone),
                )
            ),
        ],
    )


def closed_round_message(texts: Texts) -> Message:
    return Message(
        text=texts("thermometer.round.text"),
        blocks=[*_round_body(texts), context_line(texts("thermometer.round.closed"))],
    )


def _round_body(texts: Texts) -> list[Block]:
    return [
        HeaderBlock(text=plain(texts("thermometer.round.header"))),
        mrkdwn_section(texts("thermometer.round.intro") + "\n" + _aspect_list(texts)),
        mrkdwn_section(texts("thermometer.round.open_question")),
    ]


def answer_modal(texts: Texts, draft: ThermometerDraft, *, channel_id: str) -> View:
    blocks = ids.ThermometerAnswerBlocks
    options = [Option(value=str(n), text=str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)]
    inputs: list[Block] = [mrkdwn_section(texts("thermometer.answer.intro"))]
    for aspect in ASPECTS:
        earlier = draft.scores.get(aspect.value)
        inputs.append(
            select_input(
                blocks.BY_FIELD[aspect.value],
                texts(f"thermometer.aspect.{aspect}"),
                options,
                option_for(options, str(earlier)) if earlier else None,
                placeholder=texts("thermometer.answer.score_placeholder"),
            )
        )
    inputs.append(
        text_input(
            blocks.STRONGER,
            texts("thermometer.answer.stronger"),
            max_length=STRONGER_MAX,
            multiline=True,
            optional=True,
            initial=draft.stronger,
        )
    )
    context = ThermometerModalContext(round_id=draft.round_id, channel_id=channel_id, language=draft.language)
    return modal(
        texts, "thermometer.answer", callback_id=ids.THERMOMETER_ANSWER_MODAL, context=context, blocks=inputs
    )


def results_message(texts: Texts, results: RoundResults) -> Message:
    """Per aspect the average with a bar and the trend since the previous round; the open answers,
    sorted by text. Below the anonymity threshold only the count."""
    members = max(results.member_count, results.respondent_count)
    blocks: list[Block] = [
        HeaderBlock(text=plain(texts("thermometer.results.header"))),
        mrkdwn_section(texts("thermometer.results.rate", count=results.respondent_count, members=members)),
    ]
    if not results.shows_answers:
        blocks.append(
            mrkdwn_section(texts("thermometer.results.too_few", threshold=results.post.anonymity_threshold))
        )
        return Message(text=texts("thermometer.results.text"), blocks=blocks)
    blocks.append(mrkdwn_section("\n".join(_aspect_line(texts, results, aspect) for aspect in ASPECTS)))
    lines = [texts("thermometer.results.stronger_title")]
    lines += [
        texts(
            "thermometer.results.answer",
            text=fit_user_text(text, SectionBlock.text_max_length - 20, one_line=True),
        )
        for text in results.stronger
    ] or [texts("thermometer.results.no_answers")]
    room = MESSAGE_BLOCKS_MAX - len(blocks) - 1
    blocks += mrkdwn_sections(lines)[:room]
    blocks.append(context_line(texts("thermometer.results.footer")))
    return Message(text=texts("thermometer.results.text"), blocks=blocks)


def _aspect_line(texts: Texts, results: RoundResults, aspect: Aspect) -> str:
    average = results.averages[aspect]
    return texts(
        "thermometer.results.aspect_line",
        aspect=texts(f"thermometer.aspect.{aspect}"),
        bar=bar_of(average, SCORE_MAX),
        score=format_number(texts, average),
        trend=_trend(texts, results.trend(aspect)),
    )


def _trend(texts: Texts, delta: float | None) -> str:
    if delta is None:
        return texts("thermometer.trend.first")
    if delta > 0:
        return texts("thermometer.trend.up", delta=format_number(texts, delta))
    if delta < 0:
        return texts("thermometer.trend.down", delta=format_number(texts, -delta))
    return texts("thermometer.trend.same")


def suggestions_message(texts: Texts, results: RoundResults, network_name: str) -> Message:
    """For the facilitators, privately: what to try for each aspect that is low or falling."""
    blocks: list[Block] = [
        HeaderBlock(text=plain(texts("thermometer.suggestions.header"))),
        mrkdwn_section(
            texts("thermometer.suggestions.intro", name=fit_user_text(network_name, 80, one_line=True))
        ),
    ]
    for aspect in results.needs_attention():
        blocks.append(
            mrkdwn_section(
                texts(
                    "thermometer.suggestions.aspect",
                    aspect=texts(f"thermometer.aspect.{aspect}"),
                    score=format_number(texts, results.averages[aspect]),
                    trend=_trend(texts, results.trend(aspect)),
                    tips=texts(f"thermometer.tips.{aspect}"),
                )
            )
        )
    blocks.append(context_line(texts("thermometer.suggestions.footer")))
    return Message(text=texts("thermometer.suggestions.text"), blocks=blocks)


def thermometer_sections(texts: Texts, summary: NetworkSummary) -> list[Block]:
    """The summary's thermometer: the latest round's averages with their trend (nothing without one)."""
    if not summary.thermometer:
        return []
    latest = summary.thermometer[-1]
    closed = latest.closed_at or summary.generated_at
    lines = [
        texts(
            "thermometer.summary.heading",
            date=slack_moment(texts, closed, summary.timezone),
            count=latest.respondent_count,
        )
    ]
    lines += [
        texts(
            "thermometer.summary.line",
            aspect=texts(f"thermometer.aspect.{aspect}"),
            score=format_number(texts, latest.averages[aspect]),
            trend=_trend(texts, latest.trend(aspect)),
        )
        for aspect in ASPECTS
    ]
    return [mrkdwn_section("\n".join(lines))]
