"""Cases: the intake, advice and close modals, the case card, its thread posts, and `/case lijst`."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import ActionsBlock
from slack_sdk.models.blocks import Block
from slack_sdk.models.blocks import ButtonElement
from slack_sdk.models.blocks import CheckboxesElement
from slack_sdk.models.blocks import ConfirmObject
from slack_sdk.models.blocks import HeaderBlock
from slack_sdk.models.blocks import InputBlock
from slack_sdk.models.blocks import Option
from slack_sdk.models.blocks import SectionBlock
from slack_sdk.models.views import View

from bot.i18n import Texts
from bot.services.cases import CaseListing
from bot.services.cases import CaseState
from bot.services.cases import CaseSummary
from bot.services.cases import GiveAndReceive
from bot.services.cases import slack_link
from bot.services.roster import RosterEntry
from bot.text import fit_user_text
from bot.text import truncate
from bot.views import ids
from bot.views.case_rounds import round_fact
from bot.views.common import ChannelModalContext
from bot.views.common import Message
from bot.views.common import checkbox_input
from bot.views.common import choice_input
from bot.views.common import context_line
from bot.views.common import header_block
from bot.views.common import modal
from bot.views.common import mrkdwn_section
from bot.views.common import mrkdwn_sections
from bot.views.common import notice
from bot.views.common import plain
from bot.views.common import text_input
from bot.views.journey import case_agenda_block
from bot.views.safe import forget_details_input
from bot.views.safe import guests_button
from bot.views.safe import read_button
from storage.models import ADVICE_MAX
from storage.models import CASE_QUESTION_MAX
from storage.models import CASE_SITUATION_MAX
from storage.models import CASE_TITLE_MAX
from storage.models import CASE_TRIED_MAX
from storage.models import LESSON_MAX
from storage.models import CaseStatus
from storage.models import HelpKind

# Room left in a section for one escaped user text beside a line of our own.
TEXT_ROOM = SectionBlock.text_max_length - 200
# `/case lijst` shows this many cases; a message holds 50 blocks, and hundreds of cases would not help.
LIST_LIMIT = 30
LIST_TITLE_MAX = 80


@dataclass(frozen=True, slots=True)
class CaseModalContext(ChannelModalContext):
    """What a case modal must remember until it is submitted (its private_metadata), the case included
    (none yet in the intake)."""

    case_id: int | None = None


@dataclass(frozen=True, slots=True)
class SourcedIntakeContext(CaseModalContext):
    """The intake of a case brought in from a message ("Breng in als casus"): it keeps the link to it."""

    source_permalink: str | None = None


# ---------------------------------------------------------------------- the intake


def intake_modal(texts: Texts, *, context: CaseModalContext, title: str = "", situation: str = "") -> View:
    """The intake modal, its title pre-filled with what followed `/case`, or its situation with the
    message it is brought in from (linked to it when the context has its permalink)."""
    blocks = ids.CaseIntakeBlocks
    help_options = [
        Option(value=kind.value, text=plain(texts(f"cases.help.{kind.value}"))) for kind in HelpKind
    ]
    confidential = Option(
        value=ids.CONFIDENTIAL_OPTION,
        text=plain(texts("cases.intake.confidential_option")),
        description=plain(texts("cases.intake.confidential_description")),
    )
    return modal(
        texts,
        "cases.intake",
        callback_id=ids.CASE_INTAKE_MODAL,
        context=context,
        blocks=[
            mrkdwn_section(texts("cases.intake.intro")),
            *_intake_source(texts, context),
            _intake_text(
                texts, blocks.TITLE, "title", CASE_TITLE_MAX, initial=truncate(title.strip(), CASE_TITLE_MAX)
            ),
            _intake_text(
                texts,
                blocks.SITUATION,
                "situation",
                CASE_SITUATION_MAX,
                multiline=True,
                initial=truncate(situation.strip(), CASE_SITUATION_MAX),
            ),
            _intake_text(texts, blocks.QUESTION, "question", CASE_QUESTION_MAX, multiline=True),
            _intake_text(texts, blocks.TRIED, "tried", CASE_TRIED_MAX, multiline=True, optional=True),
            choice_input(
                blocks.HELP_WANTED,
                texts("cases.intake.help_label"),
                CheckboxesElement(
                    action_id=ids.VALUE_ACTION, options=help_options, initial_options=[help_options[0]]
                ),
            ),
            checkbox_input(blocks.CONFIDENTIAL, texts("cases.intake.confidential_label"), confidential),
        ],
    )


def _intake_source(texts: Texts, context: CaseModalContext) -> list[Block]:
    permalink = context.source_permalink if isinstance(context, SourcedIntakeContext) else None
    link = slack_link(permalink or "")
    return [context_line(texts("shortcuts.intake.source", link=link))] if link else []


def _intake_text(texts: Texts, block_id: str, field: str, max_length: int, **options: Any) -> InputBlock:
    return text_input(
        block_id,
        texts(f"cases.intake.{field}_label"),
        placeholder=texts(f"cases.intake.{field}_placeholder"),
        max_length=max_length,
        **options,
    )


# ---------------------------------------------------------------------- the card and its thread


def case_card(texts: Texts, state: CaseState) -> Message:
    """The card in the channel: title, owner, question, help wanted, counts and the buttons that fit."""
    case = state.case
    blocks: list[Block] = [
        header_block(texts("cases.card.header", title=case.title)),
        _card_body(texts, state),
    ]
    kinds = " · ".join(texts(f"cases.help.{kind.value}") for kind in case.help_kinds)
    if kinds and not case.confidential:
        blocks.append(context_line(texts("cases.card.help_wanted", kinds=kinds)))
    blocks.append(context_line("   ".join(_card_facts(texts, state))))
    if case.status == CaseStatus.CLOSED:
        closed = "safe.card.closed" if case.confidential else "cases.card.closed"
        blocks.append(mrkdwn_section(texts(closed, owner=case.owner_id)))
        blocks.append(
            ActionsBlock(block_id=ids.CaseCardBlocks.ACTIONS, elements=_closed_buttons(texts, state))
        )
    else:
        hint = "safe.card.open_hint" if case.confidential else "cases.card.open_hint"
        blocks.append(context_line(texts(hint)))
        blocks.append(ActionsBlock(block_id=ids.CaseCardBlocks.ACTIONS, elements=_open_buttons(texts, state)))
        blocks.append(context_line(texts("cases.card.roles_hint")))
        blocks.append(case_agenda_block(texts, state.case_id))
    return Message(
        text=texts("cases.card.text", owner=case.owner_id, title=fit_user_text(case.title, TEXT_ROOM)),
        blocks=blocks,
    )


def _card_body(texts: Texts, state: CaseState) -> Block:
    """Who brings the case, and its question unless it is confidential: that is read in the modal."""
    case = state.case
    body = texts("cases.card.brought_by", owner=case.owner_id)
    if not case.confidential:
        body += "\n\n" + texts("cases.card.question", question=fit_user_text(case.question, TEXT_ROOM))
    return mrkdwn_section(body)


def _closed_buttons(texts: Texts, state: CaseState) -> list[ButtonElement]:
    if state.case.confidential:
        return [read_button(texts, state.case_id), _delete_button(texts, state)]
    return [_delete_button(texts, state)]


def _card_facts(texts: Texts, state: CaseState) -> list[str]:
    case = state.case
    facts = [
        texts("cases.card.advice_count", count=state.advice_count),
        texts("cases.card.recognition_count", count=state.recognition_count),
    ]
    if case.confidential:
        facts.append(texts("cases.card.confidential"))
    if case.on_agenda:
        facts.append(texts("cases.card.on_agenda"))
    if case.round_method is not None:
        facts.append(round_fact(texts, state) or "")
    if state.followed_up:
        facts.append(texts("follow_ups.card.followed_up"))
    if case.source_permalink and not case.confidential:
        # A confidential case does not say in the channel which conversation it comes from.
        facts.append(texts("shortcuts.card.source", link=case.source_permalink))
    return facts


def _open_buttons(texts: Texts, state: CaseState) -> list[ButtonElement]:
    case_id = str(state.case_id)
    on_agenda = state.case.on_agenda
    buttons = [
        ButtonElement(
            text=plain(texts("cases.button.give_advice")),
            action_id=ids.CaseActions.GIVE_ADVICE,
            value=case_id,
            style=None if state.case.confidential else "primary",
        ),
        ButtonElement(
            text=plain(texts("cases.button.recognise")), action_id=ids.CaseActions.RECOGNISE, value=case_id
        ),
        ButtonElement(
            text=plain(texts("cases.button.agenda_off" if on_agenda else "cases.button.agenda_on")),
            action_id=ids.CaseActions.AGENDA,
            value=f"{case_id}:{'off' if on_agenda else 'on'}",
        ),
    ]
    if state.case.round_method is None:
        buttons.append(
            ButtonElement(
                text=plain(texts("cases.button.start_round")),
                action_id=ids.CaseActions.START_ROUND,
                value=case_id,
            )
        )
    buttons += [
        ButtonElement(
            text=plain(texts("cases.button.close")), action_id=ids.CaseActions.CLOSE, value=case_id
        ),
        _delete_button(texts, state),
    ]
    if state.case.confidential:
        buttons = [read_button(texts, state.case_id), *buttons, guests_button(texts, state.case_id)]
    return buttons


def _delete_button(texts: Texts, state: CaseState) -> ButtonElement:
    return ButtonElement(
        text=plain(texts("cases.button.delete")),
        action_id=ids.CaseActions.DELETE,
        value=str(state.case_id),
        style="danger",
        confirm=ConfirmObject(
            title=plain(texts("cases.delete_confirm.title")),
            text=plain(texts("cases.delete_confirm.text")),
            confirm=plain(texts("cases.delete_confirm.confirm")),
            deny=plain(texts("cases.delete_confirm.deny")),
            style="danger",
        ),
    )


def case_details(texts: Texts, state: CaseState) -> Message:
    """The first post in the case's thread: the situation and what was already tried."""
    case = state.case
    blocks: list[Block] = [
        mrkdwn_section(texts("cases.details.situation", situation=fit_user_text(case.situation, TEXT_ROOM)))
    ]
    if case.tried:
        blocks.append(
            mrkdwn_section(texts("cases.details.tried", tried=fit_user_text(case.tried, TEXT_ROOM)))
        )
    blocks.append(context_line(texts("cases.details.invitation")))
    return Message(text=texts("cases.details.text"), blocks=blocks)


def advice_post(texts: Texts, *, giver_id: str, advice: str) -> Message:
    """Advice given through the modal, in the case's thread, credited to its giver."""
    return Message(
        text=texts("cases.advice.text", giver=giver_id),
        blocks=[
            mrkdwn_section(
                texts("cases.advice.post", giver=giver_id, advice=fit_user_text(advice, TEXT_ROOM))
            )
        ],
    )


def lesson_post(texts: Texts, state: CaseState) -> Message:
    """What the owner takes away, in the thread, when closing the case."""
    case = state.case
    return Message(
        text=texts("cases.lesson.text", owner=case.owner_id),
        blocks=[
            mrkdwn_section(
                texts("cases.lesson.post", owner=case.owner_id, lesson=fit_user_text(case.lesson, TEXT_ROOM))
            ),
            context_line(texts("cases.lesson.thanks")),
        ],
    )


# ---------------------------------------------------------------------- the advice and close modals


def _case_summary_section(texts: Texts, state: CaseState) -> Block:
    case = state.case
    if case.confidential:
        # What a confidential case says is read in its reading modal alone.
        return mrkdwn_section(texts("safe.advice_modal.case", title=fit_user_text(case.title, 600)))
    return mrkdwn_section(
        texts(
            "cases.advice_modal.case",
            title=fit_user_text(case.title, 600),
            owner=case.owner_id,
            question=fit_user_text(case.question, 2_200),
        )
    )


def advice_modal(texts: Texts, *, context: CaseModalContext, state: CaseState) -> View:
    return modal(
        texts,
        "cases.advice_modal",
        callback_id=ids.CASE_ADVICE_MODAL,
        context=context,
        blocks=[
            _case_summary_section(texts, state),
            text_input(
                ids.CaseAdviceBlocks.ADVICE,
                texts("cases.advice_modal.label"),
                placeholder=texts("cases.advice_modal.placeholder"),
                max_length=ADVICE_MAX,
                multiline=True,
                hint=texts(
                    "safe.advice_modal.hint" if state.case.confidential else "cases.advice_modal.hint"
                ),
            ),
        ],
    )


def close_modal(
    texts: Texts, *, context: CaseModalContext, state: CaseState, follow_up: Sequence[Block] = ()
) -> View:
    """The owner's lesson, then `follow_up` (bot.views.follow_ups.close_modal_follow_up)."""
    case = state.case
    hint = "cases.close_modal.hint_confidential" if case.confidential else "cases.close_modal.hint"
    return modal(
        texts,
        "cases.close_modal",
        callback_id=ids.CASE_CLOSE_MODAL,
        context=context,
        blocks=[
            mrkdwn_section(texts("cases.close_modal.intro", title=fit_user_text(case.title, 600))),
            text_input(
                ids.CaseCloseBlocks.LESSON,
                texts("cases.close_modal.label"),
                placeholder=texts("cases.close_modal.placeholder"),
                max_length=LESSON_MAX,
                multiline=True,
                hint=texts(hint),
            ),
            # The safe group: a confidential case's details may go when it closes.
            *([forget_details_input(texts)] if case.confidential else []),
            *follow_up,
        ],
    )


# ---------------------------------------------------------------------- `/case lijst`


def case_list(texts: Texts, listing: CaseListing, *, limit: int = LIST_LIMIT) -> Message:
    """The network's cases in the listing's order: the first `limit`, then how many more there are."""
    if not listing.cases:
        return notice(texts("cases.list.empty"))
    shown = listing.cases[:limit]
    blocks: list[Block] = [
        HeaderBlock(text=plain(texts("cases.list.header"))),
        context_line(texts("cases.list.intro", count=len(listing.cases))),
    ]
    lines = [_list_line(texts, summary, listing.now) for summary in shown]
    blocks += mrkdwn_sections(lines)
    hidden = len(listing.cases) - len(shown)
    if hidden > 0:
        blocks.append(context_line(texts("cases.list.more", count=hidden)))
    legend = []
    if any(summary.confidential for summary in shown):
        legend.append(texts("cases.list.legend_confidential"))
    if any(summary.on_agenda for summary in shown):
        legend.append(texts("cases.list.legend_agenda"))
    legend.append(texts("cases.list.legend_new"))
    blocks.append(context_line(" · ".join(legend)))
    return Message(text=texts("cases.list.text"), blocks=blocks)


def _list_line(texts: Texts, summary: CaseSummary, now: datetime) -> str:
    days = max(0, (now - summary.created_at).days)
    advice = (
        texts("cases.list.advice", count=summary.advice_count)
        if summary.advice_count
        else texts("cases.list.no_advice")
    )
    marks = ""
    if summary.confidential:
        marks += texts("cases.list.confidential_mark")
    if summary.on_agenda:
        marks += texts("cases.list.agenda_mark")
    return texts(
        "cases.list.line",
        title=fit_user_text(summary.title, LIST_TITLE_MAX),
        status=texts(f"cases.list.status.{summary.status}"),
        advice=advice,
        age=texts("cases.list.today") if days == 0 else texts("cases.list.age", count=days),
        marks=marks,
    )


def give_and_receive_column(
    texts: Texts, balance: Mapping[str, GiveAndReceive]
) -> Callable[[RosterEntry], str | None]:
    """A roster column: how much each member gave (advice) and received (cases brought)."""

    def column(entry: RosterEntry) -> str | None:
        counts = balance.get(entry.user_id)
        if counts is None:
            return None
        given = texts("cases.roster.advice_given", count=counts.advice_given)
        return given + ", " + texts("cases.roster.cases_brought", count=counts.cases_brought)

    return column
