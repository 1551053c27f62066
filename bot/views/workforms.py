"""`/netwerk werkvormen`: the catalogue of work forms, and one form with its steps."""

from __future__ import annotations

from slack_sdk.models.blocks import Block
from slack_sdk.models.blocks import DividerBlock
from slack_sdk.models.blocks import HeaderBlock

from bot.i18n import Texts
from bot.services.workforms import WORK_FORMS
from bot.services.workforms import Span
from bot.services.workforms import WorkForm
from bot.services.workforms import WorkFormKind
from bot.services.workforms import WorkFormStep
from bot.services.workforms import work_form
from bot.text import escape_mrkdwn
from bot.text import fit_user_text
from bot.views.common import Message
from bot.views.common import context_line
from bot.views.common import mrkdwn_section
from bot.views.common import mrkdwn_sections
from bot.views.common import plain

# What a user typed is echoed back in code style; a short excerpt is enough to recognise it.
_ECHO_LIMIT = 40
_EXAMPLE = "incident"


def form_name(texts: Texts, form: WorkForm) -> str:
    return texts(f"workforms.{form.key}.name")


def form_facts(texts: Texts, form: WorkForm) -> str:
    """Time and group size in one line: `5 à 15 minuten · vanaf 2 personen`."""
    return texts(
        "workforms.facts", minutes=_minutes(texts, form.minutes), group=_group(texts, form.group_size)
    )


def _minutes(texts: Texts, span: Span) -> str:
    if span.high is None or span.high == span.low:
        return texts("workforms.minutes_exact", low=span.low)
    return texts("workforms.minutes_range", low=span.low, high=span.high)


def _group(texts: Texts, span: Span) -> str:
    if span.high is None:
        return texts("workforms.group_from", low=span.low)
    return texts("workforms.group_range", low=span.low, high=span.high)


def workform_name(texts: Texts, key: str) -> str:
    """A session's work form as a facilitator types it: its name in their language (or the key as kept)."""
    form = work_form(key)
    return form_name(texts, form) if form is not None else key


def workform_label(texts: Texts, key: str) -> str:
    """A session's work form by its name in the reader's language; a key the catalogue lost, as typed."""
    form = work_form(key)
    return form_name(texts, form) if form is not None else escape_mrkdwn(key)


def workform_steps(texts: Texts, key: str) -> list[str]:
    """The steps of a session's work form, a line each, for the agenda."""
    form = work_form(key)
    if form is None:
        return []
    return [
        texts(
            "agenda.workform_step", number=number, title=step_title(texts, form, step), minutes=step.minutes
        )
        for number, step in enumerate(form.steps, start=1)
    ]


def step_title(texts: Texts, form: WorkForm, step: WorkFormStep) -> str:
    return texts(f"workforms.{form.key}.steps.{step.key}.title")


def step_what(texts: Texts, form: WorkForm, step: WorkFormStep) -> str:
    """What happens in the step."""
    return texts(f"workforms.{form.key}.steps.{step.key}.what")


def step_text(texts: Texts, form: WorkForm, step: WorkFormStep, number: int) -> str:
    """One step as a line of mrkdwn: its number, title, who speaks, time and what happens."""
    line = texts(
        "workforms.step_line",
        number=number,
        title=step_title(texts, form, step),
        speaker=texts(f"workforms.speaker.{step.speaker}"),
        minutes=step.minutes,
        what=step_what(texts, form, step),
    )
    return f"{line}\n{texts('workforms.advice_step')}" if step.asks_for_advice else line


def workforms_catalogue(texts: Texts, *, unknown_word: str | None = None) -> Message:
    """Every form, grouped by kind, each with its goal, time and group size; `unknown_word` (a name
    that matched no form) is named first."""
    blocks: list[Block] = []
    if unknown_word is not None:
        word = fit_user_text(unknown_word.replace("`", "'"), _ECHO_LIMIT, one_line=True)
        blocks.append(mrkdwn_section(texts("workforms.unknown", word=word)))
    blocks += [HeaderBlock(text=plain(texts("workforms.header"))), mrkdwn_section(texts("workforms.intro"))]
    for kind in WorkFormKind:
        blocks += [DividerBlock(), mrkdwn_section(f"*{texts(f'workforms.kind.{kind}')}*")]
        blocks += [
            mrkdwn_section(
                texts(
                    "workforms.list_line",
                    name=form_name(texts, form),
                    goal=texts(f"workforms.{form.key}.goal"),
                    facts=form_facts(texts, form),
                )
            )
            for form in WORK_FORMS
            if form.kind == kind
        ]
    blocks.append(context_line(texts("workforms.show_one", example=_EXAMPLE)))
    return Message(text=texts("workforms.text"), blocks=blocks)


def workform_card(texts: Texts, form: WorkForm) -> Message:
    """One form: its goal, kind, time and group size, and its steps in order."""
    name = form_name(texts, form)
    blocks: list[Block] = [
        HeaderBlock(text=plain(name)),
        mrkdwn_section(texts(f"workforms.{form.key}.goal")),
        context_line(f"{texts(f'workforms.kind.{form.kind}')} · {form_facts(texts, form)}"),
    ]
    lines = [texts("workforms.steps_title")]
    lines += [step_text(texts, form, step, number) for number, step in enumerate(form.steps, start=1)]
    blocks += mrkdwn_sections(lines)
    if form.kind == WorkFormKind.PEER_CONSULTATION and not form.asks_for_advice:
        blocks.append(context_line(texts("workforms.no_advice")))
    blocks.append(context_line(texts("workforms.show_one", example=_EXAMPLE)))
    return Message(text=texts("workforms.form_text", name=name), blocks=blocks)
