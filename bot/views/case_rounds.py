"""A case's round by a peer-consultation method: the modal that starts it, and its steps in the thread.

A confidential case's thread carries the steps and counts only: no names, no case text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_sdk.models.blocks import Block
from slack_sdk.models.blocks import Option
from slack_sdk.models.blocks import UserSelectElement
from slack_sdk.models.views import View

from bot.i18n import Texts
from bot.services.cases import CaseState
from bot.services.cases import round_method
from bot.services.workforms import Speaker
from bot.services.workforms import WorkForm
from bot.services.workforms import WorkFormStep
from bot.services.workforms import peer_consultation_methods
from bot.text import fit_user_text
from bot.views import ids
from bot.views.common import Message
from bot.views.common import button_block
from bot.views.common import choice_input
from bot.views.common import context_line
from bot.views.common import modal
from bot.views.common import mrkdwn_section
from bot.views.common import plain
from bot.views.common import select_input
from bot.views.ids_network import VALUE_ACTION
from bot.views.workforms import form_facts
from bot.views.workforms import form_name
from bot.views.workforms import step_title
from bot.views.workforms import step_what

if TYPE_CHECKING:
    from bot.views.cases import CaseModalContext


def round_start_modal(texts: Texts, *, context: CaseModalContext, state: CaseState, starter_id: str) -> View:
    """The method to follow and the session lead (the starter unless another member is named)."""
    methods = [
        Option(value=form.key, text=plain(form_name(texts, form)), description=plain(form_facts(texts, form)))
        for form in peer_consultation_methods()
    ]
    return modal(
        texts,
        "case_rounds.modal",
        callback_id=ids.CASE_ROUND_MODAL,
        context=context,
        blocks=[
            mrkdwn_section(texts("case_rounds.modal.intro", title=fit_user_text(state.case.title, 600))),
            select_input(
                ids.CaseRoundBlocks.METHOD,
                texts("case_rounds.modal.method"),
                methods,
                methods[0],
                hint=texts("case_rounds.modal.method_hint"),
            ),
            choice_input(
                ids.CaseRoundBlocks.LEAD,
                texts("case_rounds.modal.lead"),
                UserSelectElement(action_id=VALUE_ACTION, initial_user=starter_id),
                optional=True,
                hint=texts("case_rounds.modal.lead_hint"),
            ),
        ],
    )


def round_fact(texts: Texts, state: CaseState) -> str | None:
    """Where the round stands, for the case card; None without a round."""
    form = round_method(state.case)
    if form is None:
        return None
    index = state.case.round_step_index or 0
    if index >= len(form.steps):
        step = texts("case_rounds.finished_short")
    else:
        step = step_title(texts, form, form.steps[index])
    return texts("case_rounds.card_fact", method=form_name(texts, form), step=step)


def round_step_post(texts: Texts, state: CaseState, *, index: int) -> Message:
    """Step `index` of the round in the thread, with the button that moves it on (past the last step:
    the round's end)."""
    form = round_method(state.case)
    assert form is not None, "a round step is posted only for a case with a round"
    if index >= len(form.steps):
        return _round_finished(texts, state, form)
    finishing = index == len(form.steps) - 1
    blocks: list[Block] = [
        _step_section(texts, state, form, index),
        button_block(
            texts("case_rounds.finish" if finishing else "case_rounds.next"),
            action_id=ids.CaseActions.NEXT_STEP,
            value=f"{state.case_id}:{index}",
            style="primary",
            block_id=ids.CaseCardBlocks.ROUND_ACTIONS,
        ),
        context_line(texts("case_rounds.next_hint")),
    ]
    return Message(text=_step_text(texts, form, index), blocks=blocks)


def round_step_done(texts: Texts, state: CaseState, *, index: int, moved_on_by: str) -> Message:
    """A step's post once it was moved on: what happened stays, its button goes."""
    form = round_method(state.case)
    assert form is not None, "a round step is marked done only for a case with a round"
    return Message(
        text=_step_text(texts, form, index),
        blocks=[
            _step_section(texts, state, form, index),
            context_line(
                texts("case_rounds.moved_on_plain")
                if state.case.confidential
                else texts("case_rounds.moved_on", user=moved_on_by)
            ),
        ],
    )


def _step_text(texts: Texts, form: WorkForm, index: int) -> str:
    return texts(
        "case_rounds.text",
        method=form_name(texts, form),
        step=step_title(texts, form, form.steps[index]),
    )


def _step_section(texts: Texts, state: CaseState, form: WorkForm, index: int) -> Block:
    step = form.steps[index]
    lines = [
        texts(
            "case_rounds.step_title",
            method=form_name(texts, form),
            number=index + 1,
            total=len(form.steps),
            title=step_title(texts, form, step),
        ),
        step_what(texts, form, step),
        texts("case_rounds.speaks", speaker=_speaker(texts, state, step.speaker), minutes=step.minutes),
        texts(_advice_line(state, step)),
    ]
    return mrkdwn_section("\n".join(lines))


def _advice_line(state: CaseState, step: WorkFormStep) -> str:
    if not step.asks_for_advice:
        return "case_rounds.no_advice_now"
    # A confidential case's advice goes through the card's modal: the thread is the whole channel's.
    return "safe.round.advice_counts" if state.case.confidential else "case_rounds.advice_counts"


def _speaker(texts: Texts, state: CaseState, speaker: Speaker) -> str:
    """Who speaks, by name where the step is one person's, except in a confidential case's thread."""
    case = state.case
    role = texts(f"workforms.speaker.{speaker}")
    person = {Speaker.CASE_OWNER: case.owner_id, Speaker.SESSION_LEAD: case.round_lead_id}.get(speaker)
    if case.confidential or not person:
        return role
    return texts("case_rounds.person", user=person, role=role)


def _round_finished(texts: Texts, state: CaseState, form: WorkForm) -> Message:
    text = texts("case_rounds.finished", method=form_name(texts, form))
    return Message(
        text=text,
        blocks=[
            mrkdwn_section(f"{text}\n{texts('case_rounds.finished_body')}"),
            context_line(texts("case_rounds.finished_counts", count=state.advice_count)),
        ],
    )
