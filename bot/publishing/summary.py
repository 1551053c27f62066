"""What the summary's effects look like in Slack: the summary with its chart, and the facilitator's CSV."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.i18n import Texts
from bot.publishing.carriers import Attempt
from bot.publishing.carriers import Publishing
from bot.publishing.carriers import carries
from bot.services.outbox import EffectKind
from bot.services.safe import public_channel_noted
from bot.slack_api import CONNECTION_ERRORS
from bot.slack_api import channel_status
from bot.slack_api import upload_file
from bot.summary_post import share_extras
from bot.text import escape_mrkdwn
from bot.views.export_csv import csv_content
from bot.views.home import home_view
from bot.views.summary import digest_saved_message
from bot.views.summary import summary_message

log = logging.getLogger(__name__)


@carries(EffectKind.SUMMARY_POST)
def post_summary(publishing: Publishing, attempt: Attempt) -> None:
    """The summary as it stands now in the channel, its chart in the thread, the quiet members' note
    to each facilitator."""
    summary = publishing.services.summary.build(network_id=int(attempt.payload["network_id"]))
    if channel_status(publishing.client, summary.channel_id).is_private is False:
        summary = public_channel_noted(summary)
    texts = Texts(summary.language)
    ts = publishing.post(attempt, channel=summary.channel_id, message=summary_message(texts, summary))
    share_extras(
        publishing.client, texts, summary, thread_ts=ts, chart_may_be_there=attempt.may_have_landed_before
    )


@carries(EffectKind.SUMMARY_DIGEST_SAVED)
def tell_digest_saved(publishing: Publishing, attempt: Attempt) -> None:
    requester = attempt.requester
    if requester is None:
        return
    overview = publishing.services.summary.digest_overview(network_id=int(attempt.payload["network_id"]))
    texts = Texts(str(attempt.payload.get("language") or ""))
    publishing.tell(attempt, requester, digest_saved_message(texts, overview))


@carries(EffectKind.HOME_CSV)
def send_network_csv(publishing: Publishing, attempt: Attempt) -> None:
    """The network's CSV file, built now, in the facilitator's DM; their App Home says how it went."""
    payload = attempt.payload
    user_id = str(payload["user_id"])
    texts = Texts(str(payload.get("language") or ""))
    data = publishing.services.home.network_csv(
        team_id=str(payload["team_id"]), network_id=int(payload["network_id"]), user_id=user_id
    )
    active = [str(m["user_id"]) for m in data.exported.get("members", []) if m.get("active", True)]
    file_texts = Texts(data.language)
    name = escape_mrkdwn(data.network_name)
    try:
        upload_file(
            publishing.client,
            channel=publishing.direct_message(user_id),
            filename=data.filename,
            content=csv_content(data, _names(publishing.client, active)),
            title=file_texts("home.csv.title", name=data.network_name),
            initial_comment=file_texts("home.csv.comment", name=name),
        )
    except (SlackApiError, *CONNECTION_ERRORS):
        # A file is not shared twice on a guess: the facilitator is told, and may press again.
        # The network's name is typed text: it stays out of the log.
        log.exception("could not send a network's CSV file to %s", user_id)
        _refresh_home(publishing, attempt, texts("home.notice.csv_failed"))
        return
    try:
        _refresh_home(publishing, attempt, texts("home.notice.csv_sent", name=name))
    except (SlackApiError, *CONNECTION_ERRORS) as error:
        # The file is in their DM: a home Slack did not refresh is no reason to send it a second time.
        log.warning("the home of %s was not refreshed after its CSV went out: %s", user_id, error)


def _refresh_home(publishing: Publishing, attempt: Attempt, notice: str) -> None:
    payload = attempt.payload
    user_id = str(payload["user_id"])
    home = publishing.services.home.home(team_id=str(payload["team_id"]), user_id=user_id)
    view = home_view(
        Texts(str(payload.get("language") or "")),
        home,
        summary_available=bool(payload.get("summary_available")),
        notice=notice,
    )
    publishing.client.views_publish(user_id=user_id, view=view)


def _names(client: WebClient, user_ids: list[str]) -> dict[str, str]:
    """The members' names as Slack shows them, for the CSV; a user Slack does not tell us about keeps
    only their id there."""
    names: dict[str, str] = {}
    for user_id in user_ids:
        try:
            user = client.users_info(user=user_id)["user"]
        except (SlackApiError, *CONNECTION_ERRORS) as error:
            log.info("no name for %s in the CSV: %s", user_id, error)
            continue
        profile = user.get("profile") or {}
        names[user_id] = str(profile.get("real_name") or user.get("real_name") or user.get("name") or "")
    return names
