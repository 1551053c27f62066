"""What the summary's effects look like in Slack: the summary with its chart, and the facilitator's CSV."""

from __future__ import annotations

from bot.i18n import Texts
from bot.publishing.carriers import Attempt, Publishing, carries
from bot.services.outbox import EffectKind
from bot.summary_post import share_extras
from bot.views.summary import summary_message


@carries(EffectKind.SUMMARY_POST)
def post_summary(publishing: Publishing, attempt: Attempt) -> None:
    """The summary as it stands now in the channel, its chart in the thread, the quiet members' note
    to each facilitator."""
    summary = publishing.services.summary.build(network_id=int(attempt.payload["network_id"]))
    texts = Texts(summary.language)
    ts = publishing.post(attempt, channel=summary.channel_id, message=summary_message(texts, summary))
    share_extras(
        publishing.client, texts, summary, thread_ts=ts, chart_may_be_there=attempt.may_have_landed_before
    )
