"""What closing the network looks like in Slack: the announcement in the channel, an invitation in each
member's DM, the harvest in the channel with its chart in the thread, and the harvest as a Markdown
document in each facilitator's DM."""

from __future__ import annotations

import base64
import logging

from slack_sdk.errors import SlackApiError

from bot.i18n import Texts
from bot.publishing.carriers import Attempt
from bot.publishing.carriers import NotYet
from bot.publishing.carriers import Publishing
from bot.publishing.carriers import carries
from bot.services.outbox import EffectKind
from bot.services.wrap_up import Harvest
from bot.slack_api import CONNECTION_ERRORS
from bot.slack_api import upload_file
from bot.summary_post import file_in_thread
from bot.views.wrap_up import announcement_message
from bot.views.wrap_up import closed_announcement_message
from bot.views.wrap_up import harvest_file_comment
from bot.views.wrap_up import harvest_markdown
from bot.views.wrap_up import harvest_message
from bot.views.wrap_up import invitation_message
from storage.models.base import AnswerPeriodStatus

log = logging.getLogger(__name__)


@carries(EffectKind.WRAP_UP_ANNOUNCE)
def announce(publishing: Publishing, attempt: Attempt) -> None:
    wrap_up = publishing.services.wrap_up
    post = wrap_up.post(wrap_up_id=int(attempt.payload["wrap_up_id"]))
    if post is None or post.message_ts is not None:
        return
    texts = Texts(post.language)
    message = (
        announcement_message(texts, post)
        if post.status == AnswerPeriodStatus.OPEN
        else closed_announcement_message(texts)
    )
    ts = publishing.post(attempt, channel=post.channel_id, message=message, key=post.key)
    wrap_up.record_posted(wrap_up_id=post.wrap_up_id, message_ts=ts)


@carries(EffectKind.WRAP_UP_INVITE)
def invite(publishing: Publishing, attempt: Attempt) -> None:
    """Only a member who still takes part is invited: who left or was forgotten meanwhile is not."""
    _tell_member(publishing, attempt, reminder=False)


@carries(EffectKind.WRAP_UP_REMIND)
def remind(publishing: Publishing, attempt: Attempt) -> None:
    """Only a member who still takes part and has not looked back meanwhile is reminded."""
    _tell_member(publishing, attempt, reminder=True)


def _tell_member(publishing: Publishing, attempt: Attempt, *, reminder: bool) -> None:
    user_id = str(attempt.payload["user_id"])
    post = publishing.services.wrap_up.invitation(
        wrap_up_id=int(attempt.payload["wrap_up_id"]), user_id=user_id, unless_answered=reminder
    )
    if post is None:
        return
    message = invitation_message(Texts(post.language), post, reminder=reminder)
    publishing.post_privately(attempt, user_id, message)


@carries(EffectKind.WRAP_UP_HARVEST)
def post_harvest(publishing: Publishing, attempt: Attempt) -> None:
    wrap_up = publishing.services.wrap_up
    wrap_up_id = int(attempt.payload["wrap_up_id"])
    harvest = wrap_up.harvest(wrap_up_id=wrap_up_id)
    if harvest is None:
        return
    post = harvest.post
    if post.message_ts is None:
        # Closed before its announcement went out: the announcement's own item posts it (closed) first.
        raise NotYet()
    texts = Texts(post.language)
    ts = publishing.post(attempt, channel=post.channel_id, message=harvest_message(texts, harvest))
    publishing.update(channel=post.channel_id, ts=post.message_ts, message=closed_announcement_message(texts))
    if not harvest.has_chart:
        return
    if attempt.may_have_landed_before and file_in_thread(publishing.client, post.channel_id, ts):
        return
    try:
        upload_file(
            publishing.client,
            channel=post.channel_id,
            filename=texts("wrap_up.chart.filename"),
            content=_chart(texts, harvest),
            title=texts("wrap_up.chart.title", name=post.network_name),
            initial_comment=texts("wrap_up.chart.comment"),
            thread_ts=ts,
        )
    except (SlackApiError, *CONNECTION_ERRORS) as error:
        # The chart is an extra: the harvest stays posted, and a file is not shared twice on a guess.
        log.warning("the harvest chart of wrap-up %s was not shared: %s", wrap_up_id, error)


@carries(EffectKind.WRAP_UP_FILE)
def send_harvest_file(publishing: Publishing, attempt: Attempt) -> None:
    user_id = str(attempt.payload["user_id"])
    harvest = publishing.services.wrap_up.harvest(wrap_up_id=int(attempt.payload["wrap_up_id"]))
    if harvest is None:
        return
    texts = Texts(harvest.post.language)
    chart = None
    if harvest.has_chart:
        chart = "data:image/png;base64," + base64.b64encode(_chart(texts, harvest)).decode()
    try:
        upload_file(
            publishing.client,
            channel=publishing.direct_message(user_id),
            filename=texts("wrap_up.file.filename"),
            content=harvest_markdown(texts, harvest, chart=chart).encode(),
            title=texts("wrap_up.file.title", name=harvest.post.network_name),
            initial_comment=harvest_file_comment(texts, harvest),
        )
    except (SlackApiError, *CONNECTION_ERRORS):
        # A file is not shared twice on a guess; the harvest itself is in the channel.
        log.exception("could not send the harvest file to %s", user_id)


def _chart(texts: Texts, harvest: Harvest) -> bytes:
    # matplotlib loads when the first chart is drawn, not in every bot process at start-up.
    from bot.charts import harvest_chart

    return harvest_chart(texts, harvest)
