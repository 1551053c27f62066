"""What an agenda names: the roles of a session and the cases with who brings them, and the lines the
agenda the day before adds (bot.views.checkins) for a session of the trajectory or an agenda made
together."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import InputBlock
from slack_sdk.models.blocks import Option
from slack_sdk.models.blocks import StaticMultiSelectElement

from bot.i18n import Texts
from bot.services.agenda import AgendaCase
from bot.services.agenda import SessionAgenda
from bot.services.journey import PlannedRole
from bot.text import fit_user_text
from bot.text import truncate
from bot.views import ids
from bot.views.common import choice_input
from bot.views.workforms import workform_label
from bot.views.workforms import workform_steps
from storage.models.journey import SessionRole

LINE_MAX = 300


def roles_line(texts: Texts, roles: list[PlannedRole]) -> str:
    parts = []
    for role in SessionRole:
        holders = [r for r in roles if r.role == role]
        if holders:
            names = ", ".join(_holder(texts, r) for r in holders)
            parts.append(texts(f"journey.role.{role.value}") + f" {names}")
    return " · ".join(parts) or texts("journey.no_roles")


def _holder(texts: Texts, role: PlannedRole) -> str:
    if not role.user_id:
        return texts("journey.role_open")
    asked = texts("journey.role_asked_mark") if role.state == "asked" else ""
    return f"<@{role.user_id}>{asked}"


def case_text(texts: Texts, case: AgendaCase) -> str:
    title = fit_user_text(case.title, LINE_MAX, one_line=True)
    key = "agenda.case_line_confidential" if case.confidential else "agenda.case_line"
    return texts(key, title=title, owner=case.owner_id)


def agenda_lines(texts: Texts, agenda: SessionAgenda) -> list[str]:
    """What the agenda the day before adds: follow-up first, then the work form, roles, topics and cases."""
    lines = [texts("agenda.follow_up_title")]
    lines += [f"• {case_text(texts, case)}" for case in agenda.follow_up] or [texts("agenda.follow_up_none")]
    if agenda.workform:
        lines.append(texts("agenda.workform", workform=workform_label(texts, agenda.workform)))
        lines += workform_steps(texts, agenda.workform)
    if agenda.roles:
        lines.append(texts("agenda.roles", roles=roles_line(texts, agenda.roles)))
    if agenda.topics:
        lines.append(texts("agenda.topics_title"))
        lines += [f"• {fit_user_text(topic, LINE_MAX, one_line=True)}" for topic in agenda.topics]
    lines.append(texts("agenda.cases_title"))
    lines += [f"• {case_text(texts, case)}" for case in agenda.cases] or [texts("agenda.cases_none")]
    return lines


def linked_cases_input(texts: Texts, open_cases: Sequence[AgendaCase]) -> InputBlock:
    """The network's open cases to choose for a meeting: they go on its agenda, linked."""
    options = [
        Option(value=str(case.case_id), text=truncate(case.title, Option.label_max_length))
        for case in open_cases[: StaticMultiSelectElement.options_max_length]
    ]
    element = StaticMultiSelectElement(action_id=ids.VALUE_ACTION, options=options)
    return choice_input(
        ids.MeetingPlanBlocks.LINKED_CASES,
        texts("agenda.linked_cases_label"),
        element,
        optional=True,
        hint=texts("agenda.linked_cases_hint"),
    )
