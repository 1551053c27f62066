"""The kickoff's views: intro, expectations and agreements modals; intro cards, the expectations map,
the agreements message, the roster, and the short notes around them."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import ActionsBlock
from slack_sdk.models.blocks import Block
from slack_sdk.models.blocks import ButtonElement
from slack_sdk.models.blocks import DividerBlock
from slack_sdk.models.blocks import HeaderBlock
from slack_sdk.models.blocks import InputBlock
from slack_sdk.models.blocks import MarkdownTextObject
from slack_sdk.models.blocks import Option
from slack_sdk.models.blocks import SectionBlock
from slack_sdk.models.blocks import StaticSelectElement
from slack_sdk.models.views import View

from bot.i18n import Texts
from bot.services.agreements import AgreementsStatus
from bot.services.expectations import ExpectationsOverview
from bot.services.expectations import MapGoal
from bot.services.expectations import MemberExpectations
from bot.services.expectations import VoteOutcome
from bot.services.kickoff import SizeNote
from bot.services.roster import MembershipChange
from bot.services.roster import RoleChange
from bot.services.roster import Roster
from bot.services.roster import RosterEntry
from bot.text import escape_mrkdwn
from bot.text import fit_user_text
from bot.text import truncate
from bot.views import ids
from bot.views.common import ChannelModalContext
from bot.views.common import Message
from bot.views.common import button_block
from bot.views.common import chunk_lines
from bot.views.common import context_line
from bot.views.common import header_block
from bot.views.common import modal
from bot.views.common import mrkdwn_section
from bot.views.common import mrkdwn_sections
from bot.views.common import notice
from bot.views.common import plain
from bot.views.common import section_with_button
from bot.views.common import text_input
from bot.views.limits import SECTION_FIELD_TEXT_MAX
from storage.models import Intro
from storage.models.kickoff import AGREEMENTS_MAX
from storage.models.kickoff import EXPECTATION_MAX
from storage.models.kickoff import INTRO_ANSWER_MAX
from storage.models.kickoff import JOB_ROLE_MAX
from storage.models.kickoff import LEARNING_GOAL_MAX
from storage.models.kickoff import ORGANISATION_MAX

# The map gives the most-voted goals a button each and summarises the tail, to stay far within
# Slack's 50 blocks a message whatever the number of goals.
MAP_GOALS_WITH_BUTTONS = 20
MAP_TAIL_SECTIONS = 3
MAP_EXPECTATION_SECTIONS = 5
MAP_EXPECTATION_SHOWN = 280
ROSTER_SECTIONS = 30
VOTE_DOTS_MAX = 15


# ---------------------------------------------------------------------- sections within limits


def _sections_with_more(
    lines: Sequence[str], *, max_sections: int, more: Callable[[int], str]
) -> list[Block]:
    """Sections holding `lines`; what does not fit in `max_sections` is counted in a context line."""
    blocks: list[Block] = []
    shown = 0
    for chunk in chunk_lines(lines):
        if len(blocks) == max_sections:
            break
        blocks.append(mrkdwn_section(chunk))
        shown += chunk.count("\n") + 1
    if shown < len(lines):
        blocks.append(context_line(more(len(lines) - shown)))
    return blocks


def _input(block_id: str, label: str, **options: Any) -> InputBlock:
    # The kickoff's fields say `"multiline": false` outright, as Slack has always been sent them.
    return text_input(block_id, label, **{"multiline": False, **options})


def role_name(texts: Texts, role: str) -> str:
    return texts(f"kickoff.roles.{role}")


# ---------------------------------------------------------------------- introductions


def _kickoff_modal(
    texts: Texts,
    part: str,
    *,
    callback_id: str,
    context: ChannelModalContext,
    inputs: Sequence[Block],
    submit: str = "submit",
) -> View:
    """A modal of the kickoff (texts under `kickoff.<part>`): its explanation, then its inputs."""
    return modal(
        texts,
        f"kickoff.{part}",
        callback_id=callback_id,
        context=context,
        title="modal_title",
        submit=submit,
        blocks=[mrkdwn_section(texts(f"kickoff.{part}.explanation")), *inputs],
    )


def intro_modal(texts: Texts, *, context: ChannelModalContext, intro: Intro | None) -> View:
    blocks = ids.IntroBlocks

    def field(
        block_id: str, name: str, max_length: int, *, label: str = "", example: bool = True, **options: Any
    ) -> InputBlock:
        """The field of the intro's `name`, labelled `<label or name>_label`, with `<name>_placeholder`."""
        return _input(
            block_id,
            texts(f"kickoff.intro.{label or name}_label"),
            max_length=max_length,
            initial=getattr(intro, name) if intro else None,
            placeholder=texts(f"kickoff.intro.{name}_placeholder") if example else None,
            **options,
        )

    return _kickoff_modal(
        texts,
        "intro",
        callback_id=ids.INTRO_MODAL,
        context=context,
        submit="submit_edit" if intro else "submit",
        inputs=[
            field(blocks.JOB_ROLE, "job_role", JOB_ROLE_MAX),
            field(blocks.ORGANISATION, "organisation", ORGANISATION_MAX),
            field(blocks.GIVES, "gives", INTRO_ANSWER_MAX, multiline=True),
            field(blocks.WANTS, "wants", INTRO_ANSWER_MAX, multiline=True),
            field(
                blocks.PRACTICE_QUESTION,
                "practice_question",
                INTRO_ANSWER_MAX,
                label="question",
                example=False,
                hint=texts("kickoff.intro.question_hint"),
                multiline=True,
                optional=True,
            ),
        ],
    )


def intro_card(texts: Texts, intro: Intro) -> Message:
    """The introduction as the channel sees it; it mentions the member."""

    def answer(label_key: str, value: str, limit: int) -> str:
        label = texts(label_key)
        return f"{label}\n{fit_user_text(value, limit - len(label) - 1)}"

    blocks: list[Block] = [
        mrkdwn_section(texts("kickoff.intro.card_title", user=intro.user_id)),
        SectionBlock(
            fields=[
                MarkdownTextObject(
                    text=answer("kickoff.intro.job_role", intro.job_role, SECTION_FIELD_TEXT_MAX)
                ),
                MarkdownTextObject(
                    text=answer("kickoff.intro.organisation", intro.organisation, SECTION_FIELD_TEXT_MAX)
                ),
            ]
        ),
        mrkdwn_section(answer("kickoff.intro.gives", intro.gives, SectionBlock.text_max_length)),
        mrkdwn_section(answer("kickoff.intro.wants", intro.wants, SectionBlock.text_max_length)),
    ]
    if intro.practice_question:
        blocks.append(
            mrkdwn_section(
                answer(
                    "kickoff.intro.practice_question", intro.practice_question, SectionBlock.text_max_length
                )
            )
        )
    blocks.append(context_line(texts("kickoff.intro.card_context")))
    return Message(text=texts("kickoff.intro.card_text", user=intro.user_id), blocks=blocks)


# ---------------------------------------------------------------------- expectations and the map


def expectations_modal(texts: Texts, *, context: ChannelModalContext, current: MemberExpectations) -> View:
    blocks = ids.ExpectationsBlocks
    goals = [goal.text for goal in sorted(current.goals, key=lambda goal: goal.position)]
    goal_inputs = [
        _input(
            block_id,
            texts("kickoff.expectations.goal_label", number=number),
            max_length=LEARNING_GOAL_MAX,
            initial=goals[number - 1] if number <= len(goals) else None,
            placeholder=texts("kickoff.expectations.goal_placeholder") if number == 1 else None,
            hint=texts("kickoff.expectations.goals_hint") if number == 1 else None,
            optional=True,
        )
        for number, block_id in enumerate(blocks.GOALS, 1)
    ]
    return _kickoff_modal(
        texts,
        "expectations",
        callback_id=ids.EXPECTATIONS_MODAL,
        context=context,
        inputs=[
            _input(
                blocks.TEXT,
                texts("kickoff.expectations.text_label"),
                max_length=EXPECTATION_MAX,
                initial=current.expectation.text if current.expectation else None,
                placeholder=texts("kickoff.expectations.text_placeholder"),
                multiline=True,
            ),
            *goal_inputs,
        ],
    )


def _vote_line(texts: Texts, goal: MapGoal) -> str:
    dots = "●" * min(goal.votes, VOTE_DOTS_MAX) + ("+" if goal.votes > VOTE_DOTS_MAX else "")
    proposers = len(goal.proposer_ids)
    proposed = (
        texts("kickoff.map.proposed_by_one")
        if proposers == 1
        else texts("kickoff.map.proposed_by_many", count=proposers)
    )
    votes = texts("kickoff.map.votes", count=goal.votes)
    return " · ".join(part for part in (f"{dots} {votes}".strip(), proposed) if part)


def _goal_text(goal: MapGoal) -> str:
    return fit_user_text(goal.text, LEARNING_GOAL_MAX * 3)


def expectations_map(texts: Texts, overview: ExpectationsOverview) -> Message:
    """The expectations map: the learning goals most-voted first, each with a vote button, the tail
    summarised with a select to vote on it, and the group's expectations beneath."""
    goals = overview.goals
    blocks: list[Block] = [
        HeaderBlock(text=plain(texts("kickoff.map.header"))),
        mrkdwn_section(texts("kickoff.map.explanation", votes=overview.votes_per_member)),
        DividerBlock(),
        mrkdwn_section(texts("kickoff.map.goals_title") if goals else texts("kickoff.map.no_goals")),
    ]
    for goal in goals[:MAP_GOALS_WITH_BUTTONS]:
        blocks.append(
            section_with_button(
                f"*{_goal_text(goal)}*\n{_vote_line(texts, goal)}",
                texts("kickoff.map.vote_button"),
                action_id=ids.KickoffActions.VOTE,
                value=goal.ref,
                block_id=ids.GOAL_BLOCK_PREFIX + goal.ref,
            )
        )
    tail = goals[MAP_GOALS_WITH_BUTTONS:]
    if tail:
        lines = [f"• {_goal_text(goal)} · {_vote_line(texts, goal)}" for goal in tail]
        blocks.append(mrkdwn_section(texts("kickoff.map.more_goals_title", count=len(tail))))
        blocks += _sections_with_more(
            lines,
            max_sections=MAP_TAIL_SECTIONS,
            more=lambda count: texts("kickoff.map.more_goals_title", count=count),
        )
        blocks.append(_vote_select(texts, tail))
    if overview.expectations:
        blocks.append(DividerBlock())
        lines = [
            "• " + fit_user_text(expectation.text, MAP_EXPECTATION_SHOWN, one_line=True)
            for expectation in overview.expectations
        ]
        lines[0] = texts("kickoff.map.expectations_title") + "\n" + lines[0]
        blocks += _sections_with_more(
            lines,
            max_sections=MAP_EXPECTATION_SECTIONS,
            more=lambda count: texts("kickoff.map.more_expectations", count=count),
        )
    blocks.append(context_line(texts("kickoff.map.footer")))
    return Message(
        text=texts("kickoff.map.text", name=escape_mrkdwn(overview.network.name)),
        blocks=blocks,
    )


def _vote_select(texts: Texts, goals: Sequence[MapGoal]) -> ActionsBlock:
    """A select to vote on the goals that have no button of their own (an option's label is plain text)."""
    options = [
        Option(value=goal.ref, text=plain(truncate(goal.text, Option.label_max_length)))
        for goal in goals[: StaticSelectElement.options_max_length]
    ]
    select = StaticSelectElement(
        action_id=ids.KickoffActions.VOTE_OTHER_GOAL,
        placeholder=plain(texts("kickoff.map.pick_placeholder")),
        options=options,
    )
    return ActionsBlock(elements=[select])


def map_replaced(texts: Texts) -> Message:
    return notice(texts("kickoff.map.replaced"))


def vote_feedback(texts: Texts, outcome: VoteOutcome) -> Message:
    goal = _goal_text(outcome.goal)
    if outcome.added and outcome.votes_left == 0:
        return notice(texts("kickoff.vote.added_last", goal=goal))
    key = "kickoff.vote.added" if outcome.added else "kickoff.vote.removed"
    return notice(texts(key, goal=goal, count=outcome.votes_left))


# ---------------------------------------------------------------------- agreements


def default_agreements(texts: Texts) -> list[str]:
    return [line for line in texts("kickoff.agreements.defaults").splitlines() if line.strip()]


def agreements_modal(texts: Texts, *, context: ChannelModalContext, agreements: Sequence[str]) -> View:
    """The agreements to edit before posting, one per line: the current ones, or the defaults."""
    return _kickoff_modal(
        texts,
        "agreements",
        callback_id=ids.AGREEMENTS_MODAL,
        context=context,
        inputs=[
            _input(
                ids.AgreementsBlocks.TEXT,
                texts("kickoff.agreements.label"),
                max_length=AGREEMENTS_MAX,
                initial="\n".join(agreements),
                hint=texts("kickoff.agreements.hint"),
                multiline=True,
            ),
        ],
    )


def _agreements_message(texts: Texts, status: AgreementsStatus, blocks: list[Block]) -> Message:
    """The agreements in `blocks`, with the notification text that names the network and the version."""
    assert status.version is not None, "there are no agreements to show"
    text = texts(
        "kickoff.agreements.text", name=escape_mrkdwn(status.network.name), version=status.version.version
    )
    return Message(text=text, blocks=blocks)


def _agreement_sections(lines: Sequence[str]) -> list[Block]:
    numbered = [f"{number}. {fit_user_text(line, 1000)}" for number, line in enumerate(lines, 1)]
    return mrkdwn_sections(numbered)


def _accepted_count(texts: Texts, status: AgreementsStatus) -> str:
    return texts("kickoff.agreements.accepted_count", count=status.accepted_count, total=status.member_count)


def agreements_message(texts: Texts, status: AgreementsStatus) -> Message:
    """The agreements in the channel: each member accepts with one button; the count is public, who
    has not accepted is not (the second button answers facilitators only)."""
    version = status.version
    assert version is not None, "there are no agreements to show"
    first = version.version == 1
    header = (
        texts("kickoff.agreements.header")
        if first
        else texts("kickoff.agreements.header_version", version=version.version)
    )
    value = str(version.id)
    blocks: list[Block] = [
        HeaderBlock(text=plain(header)),
        mrkdwn_section(
            texts(
                "kickoff.agreements.intro_first" if first else "kickoff.agreements.intro_changed",
                facilitator=version.created_by,
            )
        ),
        *_agreement_sections(version.lines),
        context_line(_accepted_count(texts, status)),
        ActionsBlock(
            elements=[
                ButtonElement(
                    text=plain(texts("kickoff.agreements.accept_button")),
                    action_id=ids.KickoffActions.ACCEPT_AGREEMENTS,
                    value=value,
                    style="primary",
                ),
                ButtonElement(
                    text=plain(texts("kickoff.agreements.pending_button")),
                    action_id=ids.KickoffActions.SHOW_PENDING,
                    value=value,
                ),
            ]
        ),
        context_line(texts("kickoff.agreements.pending_hint")),
    ]
    return _agreements_message(texts, status, blocks)


def agreements_replaced(texts: Texts, *, current_version: int) -> Message:
    return notice(texts("kickoff.agreements.replaced", version=current_version))


def agreements_for_member(
    texts: Texts, status: AgreementsStatus, *, intro_key: str = "kickoff.agreements.for_member"
) -> Message:
    """The current agreements for one member to read and accept, privately (an ephemeral message).

    `/case` shows this with `intro_key="kickoff.agreements.before_case"` to whoever has not accepted.
    """
    version = status.version
    assert version is not None, "there are no agreements to show"
    blocks: list[Block] = [
        mrkdwn_section(texts(intro_key, name=escape_mrkdwn(status.network.name))),
        *_agreement_sections(version.lines),
    ]
    if status.viewer_accepted:
        blocks.append(context_line(texts("kickoff.agreements.you_accepted")))
    else:
        blocks.append(
            button_block(
                texts("kickoff.agreements.accept_button"),
                action_id=ids.KickoffActions.ACCEPT_AGREEMENTS,
                value=str(version.id),
                style="primary",
            )
        )
    footer = [_accepted_count(texts, status)]
    if not status.viewer_is_facilitator:
        footer.append(texts("kickoff.agreements.only_facilitators_change"))
    blocks.append(context_line(" ".join(footer)))
    return _agreements_message(texts, status, blocks)


def acceptance_notice(texts: Texts, *, version: int, newly: bool) -> Message:
    key = "kickoff.agreements.accepted" if newly else "kickoff.agreements.already_accepted"
    return notice(texts(key, version=version))


def agreements_unchanged(texts: Texts, *, version: int) -> Message:
    return notice(texts("kickoff.agreements.unchanged", version=version))


def pending_members(texts: Texts, status: AgreementsStatus) -> Message:
    """For a facilitator: who has not accepted the current agreements yet."""
    version = status.version
    assert version is not None, "there are no agreements to show"
    pending = status.pending_ids
    if not pending:
        return notice(
            texts("kickoff.agreements.all_accepted", count=status.member_count, version=version.version)
        )
    title = texts("kickoff.agreements.pending_title", version=version.version)
    lines = [title, *(f"• <@{user_id}>" for user_id in pending)]
    blocks: list[Block] = mrkdwn_sections(lines)[:ROSTER_SECTIONS]
    blocks.append(context_line(_accepted_count(texts, status)))
    return Message(text=title, blocks=blocks)


# ---------------------------------------------------------------------- the roster and roles

RosterColumn = Callable[[RosterEntry], str | None]
"""An extra column of the roster (say, cases given and received): mrkdwn for one member, or None."""


def roster_message(texts: Texts, roster: Roster, *, extra_columns: Sequence[RosterColumn] = ()) -> Message:
    """The roster, for the caller's eyes only: role, introduced, agreements accepted (facilitators
    see everyone's; others their own), and the group size against the 10-15 guideline."""
    size_line = texts("kickoff.roster.size", count=roster.size)
    note = roster.size_note
    size_line += " " + texts(f"kickoff.roster.size_note.{note.value if note else 'within'}")
    lines = []
    for entry in roster.entries:
        parts = [f"• <@{entry.user_id}>", role_name(texts, entry.role)]
        parts.append(
            texts("kickoff.roster.introduced" if entry.introduced else "kickoff.roster.not_introduced")
        )
        if entry.accepted is not None:
            parts.append(
                texts("kickoff.roster.accepted" if entry.accepted else "kickoff.roster.not_accepted")
            )
        parts += [column for column in (column(entry) for column in extra_columns) if column]
        lines.append(" · ".join(parts))
    footer = (
        texts(
            "kickoff.roster.agreements_summary",
            accepted=roster.accepted_count,
            total=roster.size,
            version=roster.agreements_version,
        )
        if roster.agreements_version is not None
        else texts("kickoff.roster.no_agreements")
    )
    if roster.agreements_version is not None and not roster.viewer_is_facilitator:
        footer += " " + texts("kickoff.roster.only_facilitators_see")
    blocks: list[Block] = [
        header_block(texts("kickoff.roster.header", name=roster.network.name)),
        mrkdwn_section(size_line),
        context_line(texts("kickoff.roster.guideline")),
        *_sections_with_more(
            lines, max_sections=ROSTER_SECTIONS, more=lambda count: texts("kickoff.roster.more", count=count)
        ),
        context_line(footer),
    ]
    return Message(
        text=texts("kickoff.roster.text", name=escape_mrkdwn(roster.network.name)),
        blocks=blocks,
    )


def role_changed(texts: Texts, change: RoleChange) -> Message:
    key = "kickoff.role.changed" if change.changed else "kickoff.role.unchanged"
    return notice(texts(key, user=change.user_id, role=role_name(texts, change.role)))


# ---------------------------------------------------------------------- members joining, group size


def join_welcome(texts: Texts, change: MembershipChange) -> Message:
    """The private welcome of a member who joins: the two things to do first."""
    name = escape_mrkdwn(change.network.name)
    return Message(
        text=texts("kickoff.join.text", name=name),
        blocks=[mrkdwn_section(texts("kickoff.join.welcome", name=name, user=change.user_id))],
    )


def size_note(texts: Texts, *, note: SizeNote, network_name: str, count: int) -> Message:
    """The private note to facilitators when the group is outside the 10-15 guideline, quoting it."""
    name = escape_mrkdwn(network_name)
    return Message(
        text=texts("kickoff.size.text", name=name),
        blocks=[
            mrkdwn_section(texts(f"kickoff.size.{note.value}", name=name, count=count)),
            mrkdwn_section(texts("kickoff.size.guideline")),
            context_line(texts(f"kickoff.size.advice_{note.value}")),
        ],
    )
