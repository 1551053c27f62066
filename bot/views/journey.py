"""The trajectory and the agenda in Slack: the plan modal, the themes modal, the plan in the channel,
a member's own view with their roles, the question to take a role over, and the agenda to pick from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock
from slack_sdk.models.blocks import Block
from slack_sdk.models.blocks import ButtonElement
from slack_sdk.models.blocks import DividerBlock
from slack_sdk.models.blocks import HeaderBlock
from slack_sdk.models.blocks import SectionBlock
from slack_sdk.models.views import View

from bot.i18n import Texts
from bot.i18n.formats import slack_day
from bot.i18n.formats import slack_time
from bot.services.agenda import AgendaOverview
from bot.services.journey import JourneyPlan
from bot.services.journey import JourneyShown
from bot.services.journey import PlannedSession
from bot.services.journey import RoleAsked
from bot.text import fit_user_text
from bot.views import ids
from bot.views.agenda import LINE_MAX
from bot.views.agenda import case_text
from bot.views.agenda import roles_line
from bot.views.checkins import format_date
from bot.views.checkins import meeting_time_inputs
from bot.views.common import Message
from bot.views.common import ModalContext
from bot.views.common import button_block
from bot.views.common import context_line
from bot.views.common import date_input
from bot.views.common import modal
from bot.views.common import mrkdwn_section
from bot.views.common import mrkdwn_sections
from bot.views.common import named_options
from bot.views.common import notice
from bot.views.common import plain
from bot.views.common import section_with_button
from bot.views.common import select_input
from bot.views.common import text_input
from bot.views.workforms import workform_label
from bot.views.workforms import workform_name
from storage.models.checkins import TOPIC_MAX
from storage.models.journey import PLACE_MAX
from storage.models.journey import WORKFORM_MAX
from storage.models.journey import Rhythm

OWN_ROLES_SHOWN = 10
AGENDA_ENTRIES_SHOWN = 20


@dataclass(frozen=True, slots=True)
class JourneyModalContext(ModalContext):
    network_id: int
    channel_id: str
    language: str
    timezone: str
    version: int


def journey_plan_modal(texts: Texts, *, context: JourneyModalContext, suggested_day: date) -> View:
    blocks = ids.JourneyPlanBlocks
    rhythms = named_options(texts, "journey.rhythm", Rhythm)
    return modal(
        texts,
        "journey.plan",
        callback_id=ids.JOURNEY_PLAN_MODAL,
        context=context,
        blocks=[
            mrkdwn_section(texts("journey.plan.intro")),
            text_input(blocks.COUNT, texts("journey.plan.count_label"), max_length=2, initial="6"),
            select_input(blocks.RHYTHM, texts("journey.plan.rhythm_label"), rhythms, rhythms[3]),
            date_input(blocks.FIRST_DAY, texts("journey.plan.first_day_label"), suggested_day),
            *meeting_time_inputs(texts, start_block=blocks.START, end_block=blocks.END),
            text_input(blocks.PLACE, texts("journey.plan.place_label"), max_length=PLACE_MAX, optional=True),
            text_input(
                blocks.LINK,
                texts("journey.plan.link_label"),
                max_length=PLACE_MAX,
                optional=True,
                hint=texts("journey.plan.link_hint"),
            ),
        ],
    )


def journey_sessions_modal(texts: Texts, plan: JourneyPlan, *, context: JourneyModalContext) -> View:
    """The themes and work forms of the sessions still to come, one pair of fields per session."""
    blocks: list[Block] = [mrkdwn_section(texts("journey.sessions.intro"))]
    for planned in plan.sessions:
        day = format_date(texts, planned.starts_at.astimezone(ZoneInfo(plan.timezone)).date())
        blocks.append(
            text_input(
                f"{ids.THEME_BLOCK_PREFIX}{planned.session_id}",
                texts("journey.sessions.theme_label", position=planned.position + 1, date=day),
                max_length=TOPIC_MAX,
                optional=True,
                initial=planned.theme,
            )
        )
        blocks.append(
            text_input(
                f"{ids.WORKFORM_BLOCK_PREFIX}{planned.session_id}",
                texts("journey.sessions.workform_label"),
                max_length=WORKFORM_MAX,
                optional=True,
                initial=workform_name(texts, planned.workform),
            )
        )
    return modal(
        texts, "journey.sessions", callback_id=ids.JOURNEY_SESSIONS_MODAL, context=context, blocks=blocks
    )


def plan_message(texts: Texts, plan: JourneyPlan) -> Message:
    """The plan in the channel: each session's date, theme, work form and roles."""
    lines = [line for planned in plan.sessions for line in session_lines(texts, planned, plan.timezone)]
    place = texts("journey.message.place", place=fit_user_text(plan.place, LINE_MAX, one_line=True))
    blocks: list[Block] = [HeaderBlock(text=plain(texts("journey.message.header")))]
    blocks.append(mrkdwn_section(texts("journey.message.intro", count=len(plan.sessions))))
    if plan.place:
        blocks.append(context_line(place))
    blocks.append(DividerBlock())
    blocks += mrkdwn_sections(lines)
    blocks.append(context_line(texts("journey.message.footer")))
    return Message(text=texts("journey.message.text", count=len(plan.sessions)), blocks=blocks)


def session_lines(texts: Texts, planned: PlannedSession, timezone: str) -> list[str]:
    """Two lines for a session: when and what, then who holds which role."""
    theme = (
        fit_user_text(planned.theme, LINE_MAX, one_line=True) if planned.theme else texts("journey.no_theme")
    )
    head = texts(
        "journey.session_line",
        position=planned.position + 1,
        date=slack_day(texts, planned.starts_at, timezone),
        start=slack_time(texts, planned.starts_at, timezone),
        end=slack_time(texts, planned.ends_at, timezone),
        theme=theme,
    )
    if planned.workform:
        head += texts("journey.workform_suffix", workform=workform_label(texts, planned.workform))
    return [head, "      " + roles_line(texts, planned.roles)]


def journey_overview(texts: Texts, shown: JourneyShown) -> Message:
    """`/netwerk traject` for one member: the plan, their own roles to pass on, a facilitator's buttons."""
    plan = shown.plan
    if plan is None:
        return notice(texts("journey.none_yet_facilitator" if shown.may_plan else "journey.none_yet"))
    message = plan_message(texts, plan)
    blocks = list(message.blocks)
    own = [
        (planned, role)
        for planned in plan.sessions
        if planned.starts_at > shown.now
        for role in planned.roles
        if role.user_id == shown.viewer_id
    ][:OWN_ROLES_SHOWN]
    if own:
        blocks.append(mrkdwn_section(texts("journey.own_roles")))
    for planned, role in own:
        day = format_date(texts, planned.starts_at.astimezone(ZoneInfo(plan.timezone)).date())
        blocks.append(
            section_with_button(
                texts("journey.own_role", role=texts(f"journey.role.{role.role.value}"), date=day),
                texts("journey.button.pass"),
                action_id=ids.JourneyActions.PASS_ROLE,
                value=str(role.role_id),
            )
        )
    if shown.may_plan:
        blocks.append(
            ActionsBlock(
                elements=[
                    ButtonElement(
                        text=texts("journey.button.edit"),
                        action_id=ids.JourneyActions.EDIT_SESSIONS,
                        value=str(plan.network_id),
                    ),
                    ButtonElement(
                        text=texts("journey.button.replan"),
                        action_id=ids.JourneyActions.REPLAN,
                        value=str(plan.network_id),
                    ),
                ]
            )
        )
    return Message(text=message.text, blocks=blocks)


def role_asked_message(texts: Texts, asked: RoleAsked) -> Message:
    """The private question to take over a role someone passed on."""
    day = format_date(texts, asked.session.starts_at.astimezone(ZoneInfo(asked.timezone)).date())
    theme = fit_user_text(asked.session.theme, LINE_MAX, one_line=True) or texts("journey.no_theme")
    text = texts(
        "journey.ask.text",
        role=texts(f"journey.role.{asked.role.role.value}"),
        date=day,
        theme=theme,
        channel=asked.channel_id,
    )
    value = str(asked.role.role_id)
    buttons = [
        ButtonElement(
            text=texts("journey.button.accept"),
            action_id=ids.JourneyActions.ACCEPT_ROLE,
            value=value,
            style="primary",
        ),
        ButtonElement(
            text=texts("journey.button.decline"), action_id=ids.JourneyActions.DECLINE_ROLE, value=value
        ),
    ]
    return Message(text=text, blocks=[mrkdwn_section(text), ActionsBlock(elements=buttons)])


def role_answered_message(texts: Texts, asked: RoleAsked, *, accepted: bool) -> Message:
    """The question to take over a role, once answered: what was asked and what the member said."""
    day = format_date(texts, asked.session.starts_at.astimezone(ZoneInfo(asked.timezone)).date())
    key = "journey.ask.accepted" if accepted else "journey.ask.passed"
    return notice(texts(key, role=texts(f"journey.role.{asked.role.role.value}"), date=day))


def agenda_overview_message(texts: Texts, overview: AgendaOverview) -> Message:
    """`/netwerk agenda`: the proposals for the next meeting, with pick buttons for who may pick."""
    when = format_date(
        texts, overview.meeting.starts_at.astimezone(ZoneInfo(overview.network.timezone)).date()
    )
    topic = fit_user_text(overview.meeting.topic, LINE_MAX, one_line=True) or texts("journey.no_theme")
    blocks: list[Block] = [mrkdwn_section(texts("agenda.overview.header", date=when, topic=topic))]
    if not overview.entries:
        blocks.append(context_line(texts("agenda.overview.empty")))
    for entry in overview.entries[:AGENDA_ENTRIES_SHOWN]:
        text = (
            case_text(texts, entry.case)
            if entry.case
            else texts(
                "agenda.topic_line",
                text=fit_user_text(entry.text, LINE_MAX, one_line=True),
                user=entry.proposed_by or "-",
            )
        )
        if entry.picked:
            text = texts("agenda.picked_mark") + " " + text
        button = None
        if overview.may_pick:
            action = ids.JourneyActions.UNPICK_AGENDA if entry.picked else ids.JourneyActions.PICK_AGENDA
            label = "agenda.button.unpick" if entry.picked else "agenda.button.pick"
            button = ButtonElement(text=texts(label), action_id=action, value=str(entry.item_id))
        blocks.append(SectionBlock(text=text, accessory=button))
    for case in overview.own_open_cases[:OWN_ROLES_SHOWN]:
        blocks.append(
            section_with_button(
                texts("agenda.own_case", title=fit_user_text(case.title, LINE_MAX, one_line=True)),
                texts("agenda.button.put_forward"),
                action_id=ids.JourneyActions.PUT_CASE_FORWARD,
                value=str(case.case_id),
            )
        )
    blocks.append(context_line(texts("agenda.overview.footer")))
    return Message(text=texts("agenda.overview.text", date=when), blocks=blocks)


def case_agenda_block(texts: Texts, case_id: int) -> ActionsBlock:
    """The case card's agenda button, in a block of its own."""
    return button_block(
        texts("agenda.button.put_forward"),
        action_id=ids.JourneyActions.PUT_CASE_FORWARD,
        value=str(case_id),
        block_id=ids.CaseAgendaBlocks.ACTIONS,
    )
