"""What the check-in and meeting effects a request asks for look like in Slack.

A poll closed at a facilitator's request is closed as a scheduled one is (bot.jobs: the results in the
poll's thread under their key, the poll message marked closed); a planned meeting and a changed schedule
are announced in the network's channel.
"""

from __future__ import annotations

from bot.i18n import Texts
from bot.jobs import meeting_agenda
from bot.jobs import publish_results
from bot.publishing.carriers import Attempt
from bot.publishing.carriers import Publishing
from bot.publishing.carriers import carries
from bot.publishing.carriers import when_failed
from bot.services.outbox import EffectKind
from bot.views.checkins import meeting_planned_message
from bot.views.checkins import schedule_saved_message
from storage.models.checkins import PollStatus


@carries(EffectKind.CHECKIN_RESULTS)
def post_results(publishing: Publishing, attempt: Attempt) -> None:
    services = publishing.services
    results = services.checkin_polls.results(poll_id=int(attempt.payload["poll_id"]))
    if results is None or results.post.status != PollStatus.CLOSING:
        return
    publish_results(
        publishing.client,
        services.checkin_polls,
        services.checkin_answers,
        results,
        recovering=attempt.may_have_landed_before,
    )


@when_failed(EffectKind.CHECKIN_RESULTS)
def give_up_close(publishing: Publishing, attempt: Attempt, _reason: str) -> None:
    # A close Slack will not take must not keep the network from having another poll.
    publishing.services.checkin_polls.give_up_close(poll_id=int(attempt.payload["poll_id"]))


@carries(EffectKind.MEETING_PLANNED)
def announce_meeting(publishing: Publishing, attempt: Attempt) -> None:
    meeting = publishing.services.meetings.meeting(meeting_id=int(attempt.payload["meeting_id"]))
    if meeting is None:
        return
    message = meeting_planned_message(Texts(meeting.language), meeting)
    publishing.post(attempt, channel=meeting.channel_id, message=message, key=meeting.planned_key)


@carries(EffectKind.MEETING_AGENDA_REFRESH)
def refresh_agenda(publishing: Publishing, attempt: Attempt) -> None:
    """The agenda in the channel of a meeting still to come, updated in place; one deleted by hand stays
    deleted."""
    posted = publishing.services.meetings.posted_agenda(meeting_id=int(attempt.payload["meeting_id"]))
    if posted is None:
        return
    meeting, ts = posted
    message = meeting_agenda(Texts(meeting.language), meeting, publishing.services.follow_ups)
    publishing.update_if_there(channel=meeting.channel_id, ts=ts, message=message)


@carries(EffectKind.CHECKIN_SCHEDULE_SAVED)
def announce_schedule(publishing: Publishing, attempt: Attempt) -> None:
    payload = attempt.payload
    shown = publishing.services.checkin_schedule.announced_schedule(network_id=int(payload["network_id"]))
    message = schedule_saved_message(Texts(shown.language), shown.overview, user_id=str(payload["user_id"]))
    publishing.post(attempt, channel=shown.channel_id, message=message)
