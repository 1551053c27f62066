"""The facilitator's summary as Block Kit: the channel message, the facilitators' private note, and the
digest schedule modal.

The message stays within Slack's limits however large the network: every list in the summary is
bounded by the service, and every user text is fitted to its own limit as Slack counts it (escaped),
so each section stays within Slack's section limit without cutting what is already escaped.
"""

from __future__ import annotations

from slack_sdk.models.blocks import Block
from slack_sdk.models.blocks import DividerBlock
from slack_sdk.models.blocks import HeaderBlock
from slack_sdk.models.views import View

from bot.i18n import Texts
from bot.i18n.formats import format_number
from bot.i18n.formats import slack_moment
from bot.services.summary import DigestOverview
from bot.services.summary import NetworkSummary
from bot.services.summary import TrendPoint
from bot.text import fit_user_text
from bot.text import truncate
from bot.views import ids
from bot.views.checkins import NetworkModalContext
from bot.views.checkins import describe_pauses
from bot.views.checkins import format_date
from bot.views.common import Message
from bot.views.common import context_line
from bot.views.common import mrkdwn_section
from bot.views.common import named_options
from bot.views.common import notice
from bot.views.common import option_for
from bot.views.common import plain
from bot.views.common import setting_modal
from bot.views.follow_ups import follow_up_tally
from bot.views.thermometer import thermometer_sections
from storage.models import NAME_MAX
from storage.models import DigestFrequency

GOAL_MAX = 600
TITLE_MAX = 100
LESSON_MAX = 280
GOAL_TEXT_MAX = 150
TAKEAWAY_MAX = 200
TREND_SHOWN = 6
MENTIONS_MAX = 60


def _score(texts: Texts, score: float | None) -> str:
    return texts("summary.trend.no_answers") if score is None else format_number(texts, score)


def summary_message(texts: Texts, summary: NetworkSummary) -> Message:
    """The summary for the channel: counts, totals and spread; no names of who did not contribute."""
    title = truncate(texts("summary.title", name=summary.name), HeaderBlock.text_max_length)
    blocks: list[Block] = [
        HeaderBlock(text=plain(title)),
        mrkdwn_section(
            texts("summary.goal", goal=fit_user_text(summary.goal, GOAL_MAX, one_line=True))
            if summary.goal.strip()
            else texts("summary.no_goal")
        ),
        context_line(
            texts("summary.as_of", date=slack_moment(texts, summary.generated_at, summary.timezone))
        ),
    ]
    if summary.is_new:
        blocks.append(mrkdwn_section(texts("summary.new_network")))
    if summary.pauses:
        blocks.append(context_line(describe_pauses(texts, summary.pauses)))
    if summary.wrap_up_closes_at is not None:
        closes = slack_moment(texts, summary.wrap_up_closes_at, summary.timezone)
        blocks.append(context_line(texts("wrap_up.summary.running", closes=closes)))
    blocks += [
        DividerBlock(),
        mrkdwn_section(_members(texts, summary)),
        mrkdwn_section(_goals(texts, summary)),
        mrkdwn_section(_cases(texts, summary)),
        mrkdwn_section(_lessons(texts, summary)),
        *follow_up_tally(texts, summary.follow_ups),
        mrkdwn_section(_give_and_receive(texts, summary)),
        mrkdwn_section(_trend(texts, summary)),
        mrkdwn_section(_last_meeting(texts, summary)),
        *thermometer_sections(texts, summary),
        DividerBlock(),
        mrkdwn_section(_attention(texts, summary)),
    ]
    if summary.has_chart:
        blocks.append(context_line(texts("summary.chart_follows")))
    fallback = texts(
        "summary.fallback",
        name=fit_user_text(summary.name, NAME_MAX, one_line=True),
        members=summary.member_count,
        open=summary.cases.open_without_advice + summary.cases.open_with_advice,
    )
    return Message(text=fallback, blocks=blocks)


def _members(texts: Texts, summary: NetworkSummary) -> str:
    lines = [
        texts(
            "summary.members.count",
            count=summary.member_count,
            low=summary.guideline_min,
            high=summary.guideline_max,
        ),
        texts("summary.members.introduced", count=summary.introduced, members=summary.member_count),
    ]
    if summary.agreements_accepted is None:
        lines.append(texts("summary.members.no_agreements"))
    else:
        lines.append(
            texts("summary.members.accepted", count=summary.agreements_accepted, members=summary.member_count)
        )
    return _part(texts, "members", lines)


def _part(texts: Texts, part: str, lines: list[str], *, bullet: str = "• ") -> str:
    """A part of the summary under its heading: its lines, each after `bullet`; without lines, that there
    is nothing to show yet."""
    heading = texts(f"summary.{part}.heading")
    if not lines:
        return heading + "\n" + texts(f"summary.{part}.none")
    return heading + "\n" + "\n".join(bullet + line for line in lines)


def _goals(texts: Texts, summary: NetworkSummary) -> str:
    lines = [
        f"{number}. "
        + texts(
            "summary.goals.line",
            goal=fit_user_text(goal.text, GOAL_TEXT_MAX, one_line=True),
            count=goal.votes,
        )
        for number, goal in enumerate(summary.top_goals, start=1)
    ]
    return _part(texts, "goals", lines, bullet="")


def _cases(texts: Texts, summary: NetworkSummary) -> str:
    cases = summary.cases
    if cases.total == 0:
        return _part(texts, "cases", [])
    lines = [
        texts(
            "summary.cases.counts",
            waiting=cases.open_without_advice,
            discussed=cases.open_with_advice,
            closed=cases.closed,
        )
    ]
    if cases.waiting_long:
        titles = ", ".join(f"_{fit_user_text(t, TITLE_MAX, one_line=True)}_" for t in summary.waiting_titles)
        lines.append(texts("summary.cases.waiting_long", count=cases.waiting_long, titles=titles))
    if cases.confidential:
        titles = ", ".join(
            f"_{fit_user_text(t, TITLE_MAX, one_line=True)}_" for t in summary.confidential_titles
        )
        more = cases.confidential - len(summary.confidential_titles)
        line = texts("summary.cases.confidential", count=cases.confidential, titles=titles)
        if more > 0:
            line += " " + texts("summary.more", count=more)
        lines.append(line)
    lines.append(texts("summary.cases.list_hint"))
    return _part(texts, "cases", lines, bullet="")


def _lessons(texts: Texts, summary: NetworkSummary) -> str:
    lines = [
        texts(
            "summary.lessons.line",
            title=fit_user_text(lesson.case_title, TITLE_MAX, one_line=True),
            lesson=fit_user_text(lesson.lesson, LESSON_MAX, one_line=True),
        )
        for lesson in summary.lessons
    ]
    return _part(texts, "lessons", lines)


def _give_and_receive(texts: Texts, summary: NetworkSummary) -> str:
    given = summary.contribution
    if given.advice_total == 0 and given.cases_total == 0:
        return _part(texts, "give", [])
    lines = [
        texts("summary.give.advice", count=given.advice_total)
        + ", "
        + texts("summary.give.cases_brought", count=given.cases_total),
        texts("summary.give.contributors", count=given.contributors, members=given.members),
        texts(
            "summary.give.spread",
            median=format_number(texts, given.advice_median, trailing_zeros=False),
            most=given.advice_max,
        ),
    ]
    return _part(texts, "give", lines)


def _trend(texts: Texts, summary: NetworkSummary) -> str:
    if not summary.trend:
        return _part(texts, "trend", [])
    shown: list[TrendPoint] = summary.trend[-TREND_SHOWN:]
    lines = [
        texts(
            "summary.trend.line",
            date=format_date(texts, point.run_date),
            score=_score(texts, point.score),
            count=point.respondents,
        )
        for point in shown
    ]
    scored = [p.score for p in summary.trend if p.score is not None]
    if len(scored) >= 2:
        direction = "up" if scored[-1] > scored[-2] else "down" if scored[-1] < scored[-2] else "same"
        lines.append(texts(f"summary.trend.{direction}"))
    return _part(texts, "trend", [texts("summary.trend.scale"), *(f"• {line}" for line in lines)], bullet="")


def _last_meeting(texts: Texts, summary: NetworkSummary) -> str:
    last = summary.last_meeting
    if last is None:
        return _part(texts, "meeting", [])
    point = last.point
    lines = [
        texts(
            "summary.meeting.line",
            # A session of the trajectory may have no theme yet.
            topic=fit_user_text(point.topic, TITLE_MAX, one_line=True) or texts("journey.no_theme"),
            date=slack_moment(texts, point.starts_at, summary.timezone),
        ),
        texts("summary.meeting.no_evaluations")
        if point.average_usefulness is None
        else texts(
            "summary.meeting.score",
            score=format_number(texts, point.average_usefulness),
            count=point.responses,
        ),
    ]
    lines += [f"> {fit_user_text(takeaway, TAKEAWAY_MAX, one_line=True)}" for takeaway in last.takeaways]
    return _part(texts, "meeting", lines, bullet="")


def _attention(texts: Texts, summary: NetworkSummary) -> str:
    lines = [texts(f"summary.attention.{point.kind.value}", count=point.count) for point in summary.attention]
    return _part(texts, "attention", lines)


def quiet_members_note(texts: Texts, summary: NetworkSummary) -> Message | None:
    """For facilitators only: who has not given advice nor brought a case yet (None when everyone has)."""
    quiet = summary.quiet_member_ids
    if not quiet:
        return None
    mentions = ", ".join(f"<@{user_id}>" for user_id in quiet[:MENTIONS_MAX])
    if len(quiet) > MENTIONS_MAX:
        mentions += " " + texts("summary.more", count=len(quiet) - MENTIONS_MAX)
    text = texts("summary.quiet", count=len(quiet), members=mentions)
    return notice(text)


def chart_title(texts: Texts, summary: NetworkSummary) -> str:
    return truncate(texts("summary.chart.title", name=summary.name), 250)


def chart_comment(texts: Texts) -> str:
    return texts("summary.chart.comment")


# ---------------------------------------------------------------------- the digest's schedule


def describe_digest(texts: Texts, overview: DigestOverview) -> str:
    if overview.frequency == DigestFrequency.OFF or overview.next_run_at is None:
        return texts("summary.digest.off")
    return texts(
        "summary.digest.monthly",
        next=slack_moment(texts, overview.next_run_at, overview.timezone),
    )


def digest_notice(texts: Texts, overview: DigestOverview) -> Message:
    """What a member who is not a facilitator sees of the digest's schedule."""
    return notice(describe_digest(texts, overview) + "\n" + texts("summary.digest.facilitators_only"))


def digest_saved_message(texts: Texts, overview: DigestOverview) -> Message:
    return notice(texts("summary.digest.saved") + " " + describe_digest(texts, overview))


def digest_modal(texts: Texts, overview: DigestOverview, *, context: NetworkModalContext) -> View:
    options = named_options(texts, "summary.digest.frequency", DigestFrequency)
    chosen = option_for(options, overview.frequency.value)
    return setting_modal(
        texts,
        "summary.digest",
        callback_id=ids.SUMMARY_DIGEST_MODAL,
        context=context,
        described=describe_digest(texts, overview),
        block_id=ids.SummaryDigestBlocks.FREQUENCY,
        label=texts("summary.digest.frequency_label"),
        options=options,
        chosen=chosen,
    )
