"""Check-ins and meetings as Block Kit: the poll, its results, its modals, the schedule, meetings."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from slack_sdk.models.blocks import Block
from slack_sdk.models.blocks import ButtonElement
from slack_sdk.models.blocks import DividerBlock
from slack_sdk.models.blocks import HeaderBlock
from slack_sdk.models.blocks import InputBlock
from slack_sdk.models.blocks import Option
from slack_sdk.models.blocks import SectionBlock
from slack_sdk.models.blocks import TimePickerElement
from slack_sdk.models.views import View

from bot.i18n import Texts
from bot.i18n.formats import clock_time
from bot.i18n.formats import format_date

# Re-exported: views written before the formats moved to bot.i18n.formats import them from here.
from bot.i18n.formats import format_moment as format_moment
from bot.i18n.formats import hour_minute
from bot.i18n.formats import slack_day
from bot.i18n.formats import slack_moment
from bot.i18n.formats import slack_time
from bot.i18n.formats import weekday_name
from bot.services.agenda import AgendaCase
from bot.services.checkin_answers import AnswerDraft
from bot.services.checkin_common import SCALE
from bot.services.checkin_common import WrittenAnswer
from bot.services.checkin_polls import PollPost
from bot.services.checkin_polls import PollResults
from bot.services.checkin_reminders import Reminder
from bot.services.checkin_schedule import ANONYMITY_THRESHOLD_MAX
from bot.services.checkin_schedule import OPEN_DAYS_CHOICES
from bot.services.checkin_schedule import Irregularity
from bot.services.checkin_schedule import ScheduleOverview
from bot.services.meetings import USEFULNESS_SCALE
from bot.services.meetings import EvaluationDraft
from bot.services.meetings import MeetingInfo
from bot.services.pauses import Pause
from bot.text import escape_mrkdwn
from bot.text import fit_user_text
from bot.views import ids
from bot.views.agenda import agenda_lines
from bot.views.agenda import linked_cases_input
from bot.views.common import Message
from bot.views.common import ModalContext
from bot.views.common import bar_of
from bot.views.common import checkbox_input
from bot.views.common import choice_input
from bot.views.common import context_line
from bot.views.common import date_input
from bot.views.common import modal
from bot.views.common import mrkdwn_section
from bot.views.common import mrkdwn_sections
from bot.views.common import named_options
from bot.views.common import notice
from bot.views.common import option_for
from bot.views.common import plain
from bot.views.common import radio_input
from bot.views.common import section_with_button
from bot.views.common import select_input
from bot.views.common import text_input
from bot.views.limits import MESSAGE_BLOCKS_MAX
from storage.models import Network
from storage.models.checkins import ANSWER_MAX
from storage.models.checkins import MEETING_CASES_MAX
from storage.models.checkins import TAKEAWAY_MAX
from storage.models.checkins import TOPIC_MAX
from storage.models.checkins import Frequency
from storage.models.checkins import Question

_USER_ID = re.compile(r"^[UW][A-Z0-9]{1,30}$")
_LINE_BREAKS = re.compile(r"\s*\n\s*")


# ---------------------------------------------------------------------- modal contexts


@dataclass(frozen=True, slots=True)
class AnswerModalContext(ModalContext):
    poll_id: int
    question: str
    channel_id: str
    language: str


@dataclass(frozen=True, slots=True)
class NetworkModalContext(ModalContext):
    """The schedule and meeting modals: which network, where to answer, in which language and zone."""

    network_id: int
    channel_id: str
    language: str
    timezone: str

    @classmethod
    def of(cls, network: Network) -> NetworkModalContext:
        return cls(
            network_id=network.id or 0,
            channel_id=network.channel_id,
            language=network.language,
            timezone=network.timezone,
        )


@dataclass(frozen=True, slots=True)
class EvaluationModalContext(ModalContext):
    meeting_id: int
    channel_id: str
    language: str


# ---------------------------------------------------------------------- the poll


def _scale_line(texts: Texts) -> str:
    return "   ".join(
        texts("checkins.poll.scale_choice", emoji=f":{emoji}:", label=texts(f"checkins.scale.{emoji}"))
        for emoji in SCALE
    )


def poll_message(texts: Texts, post: PollPost) -> Message:
    """The poll: the scale question (answered with the reactions the bot adds), two written questions."""
    return Message(
        text=texts("checkins.poll.text"),
        blocks=[
            *_poll_questions(texts, post.poll_id),
            context_line(
                texts("checkins.poll.open_until", closes=slack_moment(texts, post.closes_at, post.timezone))
            ),
        ],
    )


def closed_poll_message(texts: Texts) -> Message:
    """The poll once closed: the same questions, no buttons, a pointer to the results in the thread."""
    return Message(
        text=texts("checkins.poll.text"),
        blocks=[*_poll_questions(texts, None), context_line(texts("checkins.poll.closed"))],
    )


def _poll_questions(texts: Texts, poll_id: int | None) -> list[Block]:
    """The three questions; with a `poll_id` (the poll is open) the written ones have their button."""

    def written(question_key: str, block_id: str, action_id: str) -> SectionBlock:
        accessory = (
            ButtonElement(text=texts("checkins.poll.write"), action_id=action_id, value=str(poll_id))
            if poll_id is not None
            else None
        )
        return SectionBlock(text=texts(question_key), block_id=block_id, accessory=accessory)

    return [
        HeaderBlock(text=plain(texts("checkins.poll.header"))),
        mrkdwn_section(
            texts("checkins.poll.scale_question")
            + "\n"
            + _scale_line(texts)
            + "\n"
            # Slack shows who reacted: the scale says so beside itself, and where the anonymous way is.
            + texts("checkins.poll.scale_visible")
        ),
        written(
            "checkins.poll.goes_well", ids.CheckinPollBlocks.GOES_WELL, ids.CheckinActions.WRITE_GOES_WELL
        ),
        written(
            "checkins.poll.could_be_better",
            ids.CheckinPollBlocks.COULD_BE_BETTER,
            ids.CheckinActions.WRITE_COULD_BE_BETTER,
        ),
    ]


def results_message(texts: Texts, results: PollResults) -> Message:
    """The results, posted in the poll's thread when it closes.

    Below the anonymity threshold only the count shows. Otherwise the distribution, the response rate and
    every written answer, sorted by text and escaped; what would not fit in one message is counted.
    """
    blocks: list[Block] = [
        HeaderBlock(text=plain(texts("checkins.results.header"))),
        mrkdwn_section(_rate(texts, results)),
    ]
    if not results.shows_answers:
        blocks.append(
            mrkdwn_section(texts("checkins.results.too_few", threshold=results.anonymity_threshold))
        )
        return Message(text=texts("checkins.results.text"), blocks=blocks)
    blocks.append(mrkdwn_section(_distribution(texts, results)))
    # What is left of the message's 50 blocks goes to the written answers (one block for the footer),
    # shared fairly between the two questions when they do not both fit.
    room = MESSAGE_BLOCKS_MAX - len(blocks) - 1
    goes_well = _answer_sections(texts, "checkins.results.goes_well_title", results.goes_well)
    could_be_better = _answer_sections(
        texts, "checkins.results.could_be_better_title", results.could_be_better
    )
    goes_well_room = min(len(goes_well), room - min(len(could_be_better), room // 2))
    blocks += _within(texts, goes_well, goes_well_room)
    blocks += _within(texts, could_be_better, room - goes_well_room)
    blocks.append(context_line(texts("checkins.results.order")))
    return Message(text=texts("checkins.results.text"), blocks=blocks)


def _rate(texts: Texts, results: PollResults) -> str:
    members = max(results.member_count, results.respondent_count)
    percent = round(100 * results.respondent_count / members) if members else 0
    return texts("checkins.results.rate", count=results.respondent_count, members=members, percent=percent)


def _distribution(texts: Texts, results: PollResults) -> str:
    lines = [texts("checkins.results.scale_title")]
    total = sum(results.distribution.values())
    if total == 0:
        lines.append(texts("checkins.results.no_votes"))
    biggest = max(results.distribution.values(), default=0) or 1
    for emoji in SCALE:
        count = results.distribution.get(emoji, 0)
        bar = bar_of(count, biggest) if count else "·"
        lines.append(
            texts(
                "checkins.results.scale_line",
                emoji=f":{emoji}:",
                label=texts(f"checkins.scale.{emoji}"),
                bar=bar,
                count=count,
            )
        )
    return "\n".join(lines)


def _answer_line(texts: Texts, answer: WrittenAnswer) -> str:
    text = _LINE_BREAKS.sub(" ", answer.text.strip())
    if answer.signed_by and _USER_ID.match(answer.signed_by):
        return texts(
            "checkins.results.signed_answer",
            text=fit_user_text(text, SectionBlock.text_max_length - 60),
            user=answer.signed_by,
        )
    return texts("checkins.results.answer", text=fit_user_text(text, SectionBlock.text_max_length - 20))


def _answer_sections(texts: Texts, title_key: str, answers: list[WrittenAnswer]) -> list[list[str]]:
    """The answers in section-sized groups of lines; the first group starts with the question."""
    groups: list[list[str]] = [[texts(title_key)]]
    if not answers:
        groups[0].append(texts("checkins.results.no_answers"))
        return groups
    for answer in answers:
        line = _answer_line(texts, answer)
        current = groups[-1]
        if sum(len(part) + 1 for part in current) + len(line) > SectionBlock.text_max_length:
            groups.append([line])
        else:
            current.append(line)
    return groups


def _within(texts: Texts, groups: list[list[str]], room: int) -> list[Block]:
    """At most `room` sections of `groups`; when some do not fit, a last line counts the answers left out."""
    if len(groups) <= room:
        return [mrkdwn_section("\n".join(group)) for group in groups]
    total = sum(len(group) for group in groups) - 1
    kept = [list(group) for group in groups[: max(1, room)]]

    def more() -> str:
        return texts("checkins.results.more", count=total - (sum(len(group) for group in kept) - 1))

    last = kept[-1]
    # The question itself (first line of the first group) always stays.
    keep_at_least = 1 if len(kept) == 1 else 0
    while (
        len(last) > keep_at_least
        and sum(len(line) + 1 for line in last) + len(more()) > SectionBlock.text_max_length
    ):
        last.pop()
    last.append(more())
    return [mrkdwn_section("\n".join(group)) for group in kept]


def answer_modal(texts: Texts, draft: AnswerDraft, *, channel_id: str) -> View:
    blocks = ids.CheckinAnswerBlocks
    question = "goes_well" if draft.question == Question.GOES_WELL else "could_be_better"
    sign_option = Option(value=ids.SIGN_ANSWER_OPTION, text=texts("checkins.answer.sign"))
    context = AnswerModalContext(
        poll_id=draft.poll_id, question=str(draft.question), channel_id=channel_id, language=draft.language
    )
    return modal(
        texts,
        "checkins.answer",
        callback_id=ids.CHECKIN_ANSWER_MODAL,
        context=context,
        title=f"title_{question}",
        blocks=[
            mrkdwn_section(texts("checkins.answer.intro")),
            text_input(
                blocks.TEXT,
                texts("checkins.answer.label"),
                max_length=ANSWER_MAX,
                placeholder=texts("checkins.answer.placeholder"),
                multiline=True,
                optional=None,
                initial=draft.text,
            ),
            checkbox_input(blocks.SIGN, texts("checkins.answer.sign"), sign_option, ticked=draft.signed),
        ],
    )


def reminder_message(texts: Texts, reminder: Reminder) -> Message:
    return notice(
        texts(
            "checkins.reminder.text",
            channel=reminder.post.channel_id,
            closes=slack_moment(texts, reminder.post.closes_at, reminder.post.timezone),
        )
    )


# ---------------------------------------------------------------------- the schedule


def describe_pauses(texts: Texts, pauses: list[Pause]) -> str:
    """The pauses to come, for the schedule view and the summary ("" without any)."""
    if not pauses:
        return ""
    spans = [pause_span(texts, pause) for pause in pauses]
    return texts("pause.paused", spans="; ".join(spans))


def pause_span(texts: Texts, pause: Pause) -> str:
    return texts(
        "pause.span", start=format_date(texts, pause.starts_on), end=format_date(texts, pause.ends_on)
    )


def describe_schedule(texts: Texts, key: str, overview: ScheduleOverview, **values: object) -> str:
    """The text `key` about the schedule, given it as `summary` in words, how long a poll stays `open`,
    and when the `next` one comes (besides `values`)."""
    rule = overview.rule
    summary = texts(
        f"checkins.schedule.describe.{rule.frequency}",
        weekday=weekday_name(texts, rule.weekday),
        time=hour_minute(texts, rule.hour, rule.minute),
    )
    open_for = texts("checkins.schedule.open_days", count=overview.open_days)
    following = (
        slack_moment(texts, overview.next_run, overview.timezone)
        if overview.next_run is not None
        else texts("checkins.schedule.none")
    )
    return texts(key, summary=summary, open=open_for, next=following, **values)


def _irregular_notes(texts: Texts, overview: ScheduleOverview) -> list[str]:
    rule = overview.rule
    notes = []
    for run in overview.irregular[:2]:
        values = {
            "date": format_date(texts, run.run_date),
            "time": hour_minute(texts, rule.hour, rule.minute),
            "actual": clock_time(texts, run.runs_at, overview.timezone),
        }
        key = "checkins.schedule.gap" if run.kind == Irregularity.GAP else "checkins.schedule.fold"
        notes.append(texts(key, **values))
    return notes


def schedule_notice(texts: Texts, overview: ScheduleOverview) -> Message:
    """The schedule for a member who may not change it."""
    text = describe_schedule(texts, "checkins.schedule.show", overview)
    blocks = _schedule_blocks(texts, text, overview)
    if overview.pauses:
        blocks.append(context_line(describe_pauses(texts, overview.pauses)))
    blocks.append(context_line(texts("checkins.schedule.only_facilitators")))
    return Message(text=text, blocks=blocks)


def schedule_saved_message(texts: Texts, overview: ScheduleOverview, *, user_id: str) -> Message:
    """Told to the channel, so everyone knows when the next poll comes."""
    text = describe_schedule(texts, "checkins.schedule.saved", overview, user=user_id)
    return Message(text=text, blocks=_schedule_blocks(texts, text, overview))


def _schedule_blocks(texts: Texts, text: str, overview: ScheduleOverview) -> list[Block]:
    """`text` about the schedule, with its anonymity and its irregular runs beneath."""
    return [
        mrkdwn_section(text),
        context_line(_anonymity_line(texts, overview)),
        *[context_line(note) for note in _irregular_notes(texts, overview)],
    ]


def _anonymity_line(texts: Texts, overview: ScheduleOverview) -> str:
    return texts(
        "checkins.schedule.anonymity",
        threshold=overview.anonymity_threshold,
        reminders=texts(
            "checkins.schedule.reminders_yes" if overview.reminders else "checkins.schedule.reminders_no"
        ),
    )


def schedule_modal(texts: Texts, overview: ScheduleOverview, *, context: NetworkModalContext) -> View:
    current = describe_schedule(texts, "checkins.schedule.current", overview)
    if overview.is_default:
        current += "\n" + texts("checkins.schedule.default")
    return modal(
        texts,
        "checkins.schedule",
        callback_id=ids.CHECKIN_SCHEDULE_MODAL,
        context=context,
        blocks=[
            mrkdwn_section(current),
            *[context_line(note) for note in _irregular_notes(texts, overview)],
            *[context_line(describe_pauses(texts, overview.pauses)) for _ in overview.pauses[:1]],
            *_schedule_fields(texts, overview),
        ],
    )


def _schedule_fields(texts: Texts, overview: ScheduleOverview) -> list[Block]:
    blocks = ids.CheckinScheduleBlocks
    rule = overview.rule
    frequencies = named_options(texts, "checkins.schedule.frequency", Frequency)
    weekdays = [Option(value=str(day), text=weekday_name(texts, day)) for day in range(7)]
    open_days = [
        Option(value=str(days), text=texts("checkins.schedule.open_days", count=days))
        for days in OPEN_DAYS_CHOICES
    ]
    reminders = [
        Option(value="on", text=texts("checkins.schedule.reminders_on")),
        Option(value="off", text=texts("checkins.schedule.reminders_off")),
    ]
    thresholds = [
        Option(value=str(n), text=str(n))
        for n in range(overview.anonymity_threshold, ANONYMITY_THRESHOLD_MAX + 1)
    ]
    time = TimePickerElement(
        action_id=ids.VALUE_ACTION,
        initial_time=hour_minute(texts, rule.hour, rule.minute),
        timezone=overview.timezone,
    )
    return [
        _select(
            blocks.FREQUENCY, texts("checkins.schedule.frequency_label"), frequencies, rule.frequency.value
        ),
        _select(blocks.WEEKDAY, texts("checkins.schedule.weekday_label"), weekdays, str(rule.weekday)),
        choice_input(
            blocks.TIME,
            texts("checkins.schedule.time_label"),
            time,
            hint=texts("checkins.schedule.time_hint", timezone=overview.timezone),
        ),
        _select(
            blocks.OPEN_DAYS, texts("checkins.schedule.open_days_label"), open_days, str(overview.open_days)
        ),
        radio_input(
            blocks.REMINDERS,
            texts("checkins.schedule.reminders_label"),
            reminders,
            reminders[0] if overview.reminders else reminders[1],
        ),
        _select(
            blocks.ANONYMITY_THRESHOLD,
            texts("checkins.schedule.threshold_label"),
            thresholds,
            thresholds[0].value,
            hint=texts("checkins.schedule.threshold_hint"),
        ),
    ]


def _select(
    block_id: str, label: str, options: list[Option], initial: str, *, hint: str | None = None
) -> InputBlock:
    return select_input(
        block_id, label, options, option_for(options, initial, otherwise=options[0]), hint=hint
    )


# ---------------------------------------------------------------------- meetings


def meeting_modal(
    texts: Texts,
    *,
    context: NetworkModalContext,
    suggested_day: date,
    open_cases: Sequence[AgendaCase] = (),
) -> View:
    blocks = ids.MeetingPlanBlocks
    linked = [linked_cases_input(texts, open_cases)] if open_cases else []
    return modal(
        texts,
        "checkins.meeting",
        callback_id=ids.MEETING_PLAN_MODAL,
        context=context,
        blocks=[
            mrkdwn_section(texts("checkins.meeting.intro")),
            date_input(blocks.DAY, texts("checkins.meeting.day_label"), suggested_day),
            *meeting_time_inputs(texts, start_block=blocks.START, end_block=blocks.END),
            text_input(
                blocks.TOPIC,
                texts("checkins.meeting.topic_label"),
                max_length=TOPIC_MAX,
                placeholder=texts("checkins.meeting.topic_placeholder"),
                optional=None,
            ),
            text_input(
                blocks.CASES,
                texts("checkins.meeting.cases_label"),
                max_length=MEETING_CASES_MAX,
                multiline=True,
                optional=True,
                hint=texts("checkins.meeting.cases_hint"),
            ),
            *linked,
        ],
    )


def _when(texts: Texts, meeting: MeetingInfo) -> str:
    return texts(
        "checkins.meeting.when",
        date=slack_day(texts, meeting.starts_at, meeting.timezone),
        start=slack_time(texts, meeting.starts_at, meeting.timezone),
        end=slack_time(texts, meeting.ends_at, meeting.timezone),
    )


def _topic(texts: Texts, topic: str) -> str:
    """A meeting's topic in a message: a session of the trajectory may have no theme yet, and says so."""
    return escape_mrkdwn(topic) or texts("journey.no_theme")


def meeting_planned_message(texts: Texts, meeting: MeetingInfo) -> Message:
    topic = _topic(texts, meeting.topic)
    text = texts(
        "checkins.meeting.planned", facilitator=meeting.planned_by, topic=topic, when=_when(texts, meeting)
    )
    return Message(text=texts("checkins.meeting.planned_text", topic=topic), blocks=[mrkdwn_section(text)])


def agenda_message(texts: Texts, meeting: MeetingInfo, follow_ups: Sequence[Block] = ()) -> Message:
    """The agenda; `follow_ups` is its section of follow-ups since the last meeting (bot.views.follow_ups)."""
    topic = _topic(texts, meeting.topic)
    cases = [line.strip() for line in meeting.cases_text.splitlines() if line.strip()]
    if meeting.agenda is not None:
        # A session of the trajectory or with an agenda made together: follow-up, roles, picked cases.
        lines = agenda_lines(texts, meeting.agenda)
        lines += [f"• {fit_user_text(line, 300)}" for line in cases]
    else:
        lines = [texts("checkins.meeting.cases_title")]
        lines += [f"• {fit_user_text(line, 300)}" for line in cases] or [texts("checkins.meeting.no_cases")]
    return Message(
        text=texts("checkins.meeting.agenda_text", topic=topic),
        blocks=[
            HeaderBlock(text=plain(texts("checkins.meeting.agenda_header"))),
            mrkdwn_section(texts("checkins.meeting.agenda_topic", topic=topic, when=_when(texts, meeting))),
            DividerBlock(),
            # A long agenda goes on in a next section rather than being cut.
            *mrkdwn_sections(lines),
            *follow_ups,
            context_line(texts("checkins.meeting.agenda_footer")),
        ],
    )


def evaluation_request_message(texts: Texts, meeting: MeetingInfo) -> Message:
    topic = _topic(texts, meeting.topic)
    return Message(
        text=texts("checkins.meeting.evaluation_text", topic=topic),
        blocks=[
            HeaderBlock(text=plain(texts("checkins.meeting.evaluation_header"))),
            section_with_button(
                texts("checkins.meeting.evaluation_body", topic=topic),
                texts("checkins.meeting.evaluate"),
                action_id=ids.CheckinActions.EVALUATE_MEETING,
                value=str(meeting.meeting_id),
                style="primary",
            ),
        ],
    )


def evaluation_modal(texts: Texts, draft: EvaluationDraft, *, channel_id: str) -> View:
    blocks = ids.MeetingEvaluationBlocks
    scores = named_options(texts, "checkins.evaluation.usefulness", USEFULNESS_SCALE)
    chosen = option_for(scores, str(draft.usefulness))
    context = EvaluationModalContext(
        meeting_id=draft.meeting_id, channel_id=channel_id, language=draft.language
    )
    return modal(
        texts,
        "checkins.evaluation",
        callback_id=ids.MEETING_EVALUATION_MODAL,
        context=context,
        blocks=[
            mrkdwn_section(
                texts(
                    "checkins.evaluation.intro",
                    topic=fit_user_text(draft.topic, TOPIC_MAX) or texts("journey.no_theme"),
                )
            ),
            radio_input(blocks.USEFULNESS, texts("checkins.evaluation.usefulness_label"), scores, chosen),
            text_input(
                blocks.TAKEAWAY,
                texts("checkins.evaluation.takeaway_label"),
                max_length=TAKEAWAY_MAX,
                placeholder=texts("checkins.evaluation.takeaway_placeholder"),
                multiline=True,
                optional=True,
                initial=draft.takeaway,
            ),
            _share_takeaway_input(texts, shared=draft.share_takeaway),
        ],
    )


def _share_takeaway_input(texts: Texts, *, shared: bool) -> InputBlock:
    # Opt-in: a take-away joins the network's lessons (without its writer) only when they tick this.
    share = Option(value=ids.SHARE_TAKEAWAY_OPTION, text=texts("checkins.evaluation.share_takeaway"))
    return checkbox_input(
        ids.SHARE_TAKEAWAY_BLOCK, texts("checkins.evaluation.share_label"), share, ticked=shared
    )


def meeting_time_inputs(texts: Texts, *, start_block: str, end_block: str) -> list[InputBlock]:
    """A meeting's start and end time, an afternoon session by default."""
    return [
        choice_input(
            start_block,
            texts("checkins.meeting.start_label"),
            TimePickerElement(action_id=ids.VALUE_ACTION, initial_time="13:30"),
        ),
        choice_input(
            end_block,
            texts("checkins.meeting.end_label"),
            TimePickerElement(action_id=ids.VALUE_ACTION, initial_time="16:30"),
        ),
    ]
