"""What the privacy effects look like in Slack: the my-data file, the clean-up after forgetting someone,
the archive announcement, and the answers to whoever asked."""

from __future__ import annotations

import json
import logging

from slack_sdk.errors import SlackApiError

from bot.i18n import Texts
from bot.publishing.carriers import Attempt
from bot.publishing.carriers import Publishing
from bot.publishing.carriers import carries
from bot.services.outbox import EffectKind
from bot.slack_api import CONNECTION_ERRORS
from bot.slack_api import find_posted_message
from bot.slack_api import upload_file
from bot.views.common import Message
from bot.views.common import notice
from bot.views.privacy import advice_removed_message
from bot.views.privacy import archive_done_message
from bot.views.privacy import archived_channel_message
from bot.views.privacy import forget_done_message
from bot.views.privacy import my_data_comment
from bot.views.privacy import my_data_sent_message
from bot.views.safe import forget_archived_actions

log = logging.getLogger(__name__)


@carries(EffectKind.PRIVACY_MY_DATA)
def send_my_data(publishing: Publishing, attempt: Attempt) -> None:
    """The JSON file, built now, in the user's DM; the user is told whether it arrived."""
    payload, requester = attempt.payload, attempt.requester
    texts = Texts(str(payload.get("language") or ""))
    user_id = str(payload["user_id"])
    data = publishing.services.privacy.my_data(team_id=str(payload["team_id"]), user_id=user_id)
    try:
        upload_file(
            publishing.client,
            channel=publishing.direct_message(user_id),
            filename=texts("privacy.my_data.filename"),
            content=json.dumps(data, ensure_ascii=False, indent=2).encode(),
            title=texts("privacy.my_data.title"),
            initial_comment=my_data_comment(texts),
        )
    except (SlackApiError, *CONNECTION_ERRORS) as error:
        # An upload is not posted twice on a guess: the user is told, and may ask again.
        log.warning("could not send a user their data: %s", type(error).__name__)
        if requester is not None:
            publishing.tell(attempt, requester, notice(texts("privacy.error.dm_failed")))
        return
    if requester is None:
        return
    try:
        publishing.tell(attempt, requester, my_data_sent_message(texts))
    except (SlackApiError, *CONNECTION_ERRORS) as error:
        # The file is in their DM: a hiccup in saying so is no reason to send their data a second time.
        log.warning("could not tell a user their data was sent: %s", type(error).__name__)


@carries(EffectKind.PRIVACY_DELETE_POST)
def delete_post(publishing: Publishing, attempt: Attempt) -> None:
    publishing.delete(channel=str(attempt.payload["channel_id"]), ts=str(attempt.payload["ts"]))


@carries(EffectKind.PRIVACY_ADVICE_REMOVED)
def show_advice_removed(publishing: Publishing, attempt: Attempt) -> None:
    post = publishing.services.privacy.removed_advice(advice_id=int(attempt.payload["advice_id"]))
    if post is None:
        return
    channel_id, thread_ts = post.channel_id, post.thread_ts
    if post.owner_id:
        # Advice on a confidential case went to its owner's private messages (bot.publishing.safe).
        channel_id = publishing.direct_message(post.owner_id)
        thread_ts = None
    # The key the cases part gave the post (bot.publishing.cases, post_advice).
    ts = find_posted_message(
        publishing.client, channel=channel_id, key=f"case-advice-{post.advice_id}", thread_ts=thread_ts
    )
    if ts is not None:
        publishing.update(channel=channel_id, ts=ts, message=advice_removed_message(Texts(post.language)))


@carries(EffectKind.PRIVACY_FORGOTTEN)
def tell_forgotten(publishing: Publishing, attempt: Attempt) -> None:
    texts = Texts(str(attempt.payload.get("language") or ""))
    answer = forget_done_message(texts, cases_removed=int(attempt.payload.get("cases") or 0))
    _answer_in_place(publishing, attempt, answer)


@carries(EffectKind.PRIVACY_ARCHIVED)
def announce_archival(publishing: Publishing, attempt: Attempt) -> None:
    archival = publishing.services.privacy.archival(network_id=int(attempt.payload["network_id"]))
    announcement = archived_channel_message(
        Texts(archival.language), name=archival.name, user_id=str(attempt.payload["by_user_id"])
    )
    publishing.post(attempt, channel=archival.channel_id, message=announcement)


@carries(EffectKind.PRIVACY_ARCHIVE_DONE)
def tell_archived(publishing: Publishing, attempt: Attempt) -> None:
    network_id = int(attempt.payload["network_id"])
    archival = publishing.services.privacy.archival(network_id=network_id)
    texts = Texts(archival.language)
    answer = archive_done_message(texts, name=archival.name)
    if publishing.services.safe.details_kept(network_id=network_id):
        # The safe group: whoever archived may erase the confidential cases' details now.
        answer = Message(
            text=answer.text, blocks=[*answer.blocks, *forget_archived_actions(texts, network_id)]
        )
    _answer_in_place(publishing, attempt, answer)


def _answer_in_place(publishing: Publishing, attempt: Attempt, answer: Message) -> None:
    """The answer takes the place of the confirmation its button was on, while Slack takes it there."""
    requester = attempt.requester
    if requester is not None:
        publishing.answer_in_place(attempt, requester, answer)
