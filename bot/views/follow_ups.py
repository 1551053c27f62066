"""The follow-up of a closed case: its part of the close modal, the question in the owner's DM, the
answer modal, and where the answer goes (the case's thread, the advisers, the meeting's agenda)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock
from slack_sdk.models.blocks import Block
from slack_sdk.models.blocks import ButtonElement
from slack_sdk.models.blocks import DividerBlock
from slack_sdk.models.blocks import Option
from slack_sdk.models.views import View

from bot.i18n import Texts
from bot.services.cases import CaseState
from bot.services.follow_ups import AgendaFollowUp
from bot.services.follow_ups import FollowUpQuestion
from bot.services.follow_ups import FollowUpTally
from bot.text import fit_user_text
from bot.views import ids
from bot.views.checkins import format_date
from bot.views.common import Message
from bot.views.common import ModalContext
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
from storage.models import FollowUpOutcome
from storage.models import FollowUpState
from storage.models.follow_ups import FOLLOW_UP_ANSWER_MAX
from storage.models.follow_ups import FOLLOW_UP_PLAN_MAX

TEXT_ROOM = 1_200


@dataclass(frozen=True, slots=True)
class FollowUpModalContext(ModalContext):
    follow_up_id: int
    language: str


def quoted(text: str, room: int) -> str:
    """User text for after a "> ": each of its lines quoted, within `room` characters and a section."""
    lines = [fit_user_text(line, room) for line in text.splitlines() if line.strip()]
    joined = "\n> ".join(lines)
    if len(joined) <= room:
        return joined
    return fit_user_text(text, room, one_line=True)


def close_modal_follow_up(texts: Texts, state: CaseState, *, look_back_on: date) -> list[Block]:
    """The close modal's follow-up block: what the owner will try, when to look back, and for a
    confidential case whether its lesson may be read by the network."""
    blocks: list[Block] = [
        DividerBlock(),
        mrkdwn_section(texts("follow_ups.close.intro")),
        text_input(
            ids.FollowUpCloseBlocks.PLAN,
            texts("follow_ups.close.plan_label"),
            placeholder=texts("follow_ups.close.plan_placeholder"),
            max_length=FOLLOW_UP_PLAN_MAX,
            multiline=True,
            optional=True,
        ),
        date_input(
            ids.FollowUpCloseBlocks.DATE,
            texts("follow_ups.close.date_label"),
            look_back_on,
            hint=texts("follow_ups.close.date_hint"),
        ),
    ]
    if state.case.confidential:
        share = Option(value=ids.SHARE_LESSON_OPTION, text=texts("follow_ups.close.share_lesson"))
        blocks.append(
            checkbox_input(
                ids.FollowUpCloseBlocks.SHARE,
                texts("follow_ups.close.share_label"),
                share,
                hint=texts("follow_ups.close.share_hint"),
            )
        )
    return blocks


def _case_line(texts: Texts, question: FollowUpQuestion) -> str:
    text = texts("follow_ups.question.case", title=fit_user_text(question.case_title, 300, one_line=True))
    if question.plan:
        text += "\n" + texts("follow_ups.question.plan", plan=fit_user_text(question.plan, TEXT_ROOM))
    return text


def question_message(texts: Texts, question: FollowUpQuestion) -> Message:
    """The private question to the case's owner, one button per outcome."""
    again = question.asked_count > 1
    buttons = [
        ButtonElement(
            text=plain(texts(f"follow_ups.outcome.{outcome.value}")),
            action_id=f"{ids.FollowUpActions.ANSWER}:{outcome.value}",
            value=f"{question.follow_up_id}:{outcome.value}",
            style="primary" if outcome == FollowUpOutcome.HELPED else None,
        )
        for outcome in FollowUpOutcome
    ]
    return Message(
        text=texts("follow_ups.question.text"),
        blocks=[
            mrkdwn_section(texts("follow_ups.question.again" if again else "follow_ups.question.intro")),
            mrkdwn_section(_case_line(texts, question)),
            ActionsBlock(elements=buttons),
            context_line(
                texts(f"follow_ups.question.where_it_goes{'_confidential' if question.confidential else ''}")
            ),
        ],
    )


def settled_message(texts: Texts, question: FollowUpQuestion) -> Message:
    """The question after the owner answered: their answer, or when they are asked again."""
    lines = [_case_line(texts, question), _answer_line(texts, question)]
    if question.state == FollowUpState.PENDING:
        day = question.due_at.astimezone(ZoneInfo(question.timezone)).date()
        lines.append(texts("follow_ups.settled.ask_again", date=format_date(texts, day)))
    else:
        lines.append(texts("follow_ups.settled.thanks"))
    return Message(text=texts("follow_ups.settled.text"), blocks=[mrkdwn_section("\n".join(lines))])


def _answer_line(texts: Texts, question: FollowUpQuestion) -> str:
    outcome = texts(f"follow_ups.outcome.{(question.outcome or FollowUpOutcome.OTHER).value}")
    if not question.answer:
        return texts("follow_ups.answer.outcome_only", outcome=outcome)
    return texts("follow_ups.answer.line", outcome=outcome, answer=quoted(question.answer, TEXT_ROOM))


def answer_modal(texts: Texts, question: FollowUpQuestion, *, outcome: str) -> View:
    options = named_options(texts, "follow_ups.outcome", FollowUpOutcome)
    chosen = option_for(options, outcome)
    return modal(
        texts,
        "follow_ups.modal",
        callback_id=ids.FOLLOW_UP_ANSWER_MODAL,
        context=FollowUpModalContext(follow_up_id=question.follow_up_id, language=question.language),
        blocks=[
            mrkdwn_section(_case_line(texts, question)),
            radio_input(
                ids.FollowUpAnswerBlocks.OUTCOME, texts("follow_ups.modal.outcome_label"), options, chosen
            ),
            text_input(
                ids.FollowUpAnswerBlocks.ANSWER,
                texts("follow_ups.modal.answer_label"),
                placeholder=texts("follow_ups.modal.answer_placeholder"),
                max_length=FOLLOW_UP_ANSWER_MAX,
                multiline=True,
                optional=True,
            ),
        ],
    )


def thread_post(texts: Texts, question: FollowUpQuestion) -> Message:
    """The answer in the case's thread."""
    return Message(
        text=texts("follow_ups.thread.text", owner=question.owner_id),
        blocks=[
            mrkdwn_section(
                texts("follow_ups.thread.heading", owner=question.owner_id)
                + "\n"
                + _answer_line(texts, question)
            )
        ],
    )


def adviser_message(texts: Texts, question: FollowUpQuestion) -> Message:
    """The answer, privately, to a member whose advice the case got."""
    title = fit_user_text(question.case_title, 300, one_line=True)
    return Message(
        text=texts("follow_ups.adviser.text", owner=question.owner_id),
        blocks=[
            mrkdwn_section(
                texts("follow_ups.adviser.heading", owner=question.owner_id, title=title)
                + "\n"
                + _answer_line(texts, question)
            )
        ],
    )


def agenda_follow_ups(texts: Texts, items: list[AgendaFollowUp]) -> list[Block]:
    """The meeting agenda's section of follow-ups since the last meeting; nothing when there are none."""
    if not items:
        return []
    lines = [texts("follow_ups.agenda.heading")]
    for item in items:
        outcome = texts(f"follow_ups.outcome.{item.outcome.value}")
        lines.append(
            texts(
                "follow_ups.agenda.line",
                owner=item.owner_id,
                title=fit_user_text(item.case_title, 200, one_line=True),
                outcome=outcome,
            )
        )
    return [DividerBlock(), *mrkdwn_sections(lines)]


def follow_up_tally(texts: Texts, tally: FollowUpTally | None) -> list[Block]:
    """The summary's section on what came back from practice; nothing while no case was followed up."""
    if tally is None or tally.planned == 0:
        return []
    outcomes = ", ".join(
        texts("follow_ups.summary.outcome", outcome=texts(f"follow_ups.outcome.{outcome}"), count=count)
        for outcome, count in tally.outcomes.items()
        if count
    )
    line = texts(
        "follow_ups.summary.line", answered=tally.answered, planned=tally.planned, outcomes=outcomes or "–"
    )
    return [mrkdwn_section(texts("follow_ups.summary.heading") + "\n" + line)]
