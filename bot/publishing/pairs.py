"""A pairing round's groups in Slack: one group DM each, with its two questions, posted once."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError

from bot.i18n import Texts
from bot.publishing.carriers import Attempt
from bot.publishing.carriers import Publishing
from bot.publishing.carriers import carries
from bot.services.outbox import EffectKind
from bot.services.pairs import PairingGroupPost
from bot.views.pairs import pairs_group_message


@carries(EffectKind.PAIRS_GROUP)
def greet_group(publishing: Publishing, attempt: Attempt) -> None:
    """Open the group's DM and post the questions under the item's key.

    A deactivated member (`user_disabled`) is left out and the others still meet; with fewer than two
    left, or any other lasting refusal, the item fails for good, as every kind's does."""
    post = publishing.services.pairs.group_post(group_id=int(attempt.payload["group_id"]))
    if post is None:
        return
    try:
        channel_id = _open(publishing, post)
    except SlackApiError as error:
        if error.response.get("error") != "user_disabled":
            raise
        active = [m for m in post.members if not _deactivated(publishing, m.user_id)]
        if len(active) < 2 or len(active) == len(post.members):
            raise
        post = PairingGroupPost(post.group_id, post.network_name, post.language, active)
        channel_id = _open(publishing, post)
    publishing.post(attempt, channel=channel_id, message=pairs_group_message(Texts(post.language), post))


def _open(publishing: Publishing, post: PairingGroupPost) -> str:
    opened = publishing.client.conversations_open(users=",".join(m.user_id for m in post.members))
    return str(opened["channel"]["id"])


def _deactivated(publishing: Publishing, user_id: str) -> bool:
    return bool(publishing.client.users_info(user=user_id)["user"].get("deleted"))
