"""The Slack side of the summary, shared by `/netwerk samenvatting` and the scheduled digest.

The summary goes to the channel (once: its key travels in the message metadata), the chart follows in
its thread through the file upload API, and the names of members who have not contributed yet go to
each facilitator privately, never to the channel.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.i18n import Texts
from bot.services.summary import NetworkSummary
from bot.services.summary import SummaryService
from bot.slack_api import CONNECTION_ERRORS
from bot.slack_api import post_message_once
from bot.slack_api import upload_file
from bot.views.summary import chart_comment
from bot.views.summary import chart_title
from bot.views.summary import quiet_members_note
from bot.views.summary import summary_message

log = logging.getLogger(__name__)


def publish_summary(
    client: WebClient, summaries: SummaryService, *, network_id: int, key: str | None = None
) -> str:
    """Build the network's summary and post it; returns the ts of the summary message."""
    summary = summaries.build(network_id=network_id)
    texts = Texts(summary.language)
    message = summary_message(texts, summary)
    ts = post_message_once(
        client, channel=summary.channel_id, text=message.text, blocks=message.blocks, key=key
    )
    share_extras(client, texts, summary, thread_ts=ts)
    return ts


def share_extras(
    client: WebClient,
    texts: Texts,
    summary: NetworkSummary,
    *,
    thread_ts: str,
    chart_may_be_there: bool = False,
) -> None:
    """The chart in the summary's thread and the facilitators' note. They are extras: when Slack refuses
    them, the summary stays posted and the failure is logged. A chart an earlier attempt may have shared
    is looked for first: a file is not shared twice."""
    if summary.has_chart and not (
        chart_may_be_there and file_in_thread(client, summary.channel_id, thread_ts)
    ):
        try:
            upload_chart(client, texts, summary, thread_ts=thread_ts)
        except (SlackApiError, *CONNECTION_ERRORS) as error:
            log.warning("the chart of network %s was not shared: %s", summary.network_id, error)
    tell_facilitators(client, texts, summary)


def file_in_thread(client: WebClient, channel: str, thread_ts: str) -> bool:
    page = client.conversations_replies(channel=channel, ts=thread_ts, limit=50)
    return any(message.get("files") for message in page.get("messages", []))


def upload_chart(client: WebClient, texts: Texts, summary: NetworkSummary, *, thread_ts: str) -> str:
    # matplotlib (with numpy) holds about 60 MB once imported: load it when the first chart is drawn,
    # not in every bot process at start-up.
    from bot.charts import summary_chart

    return upload_file(
        client,
        channel=summary.channel_id,
        filename=texts("summary.chart.filename"),
        content=summary_chart(texts, summary),
        title=chart_title(texts, summary),
        initial_comment=chart_comment(texts),
        thread_ts=thread_ts,
    )


def tell_facilitators(client: WebClient, texts: Texts, summary: NetworkSummary) -> None:
    """Who has not contributed yet, to each facilitator alone (an ephemeral message in the channel)."""
    note = quiet_members_note(texts, summary)
    if note is None:
        return
    for user_id in summary.facilitator_ids:
        try:
            client.chat_postEphemeral(
                channel=summary.channel_id, user=user_id, text=note.text, blocks=note.blocks_as_dicts()
            )
        except SlackApiError as error:
            log.info("could not tell facilitator %s privately: %s", user_id, error.response.get("error"))
