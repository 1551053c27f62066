"""A pairing round's groups in Slack: one group DM each, with its two questions, posted once."""

from __future__ import annotations

from bot.i18n import Texts
from bot.publishing.carriers import Attempt, Publishing, carries
from bot.services.outbox import EffectKind
from bot.views.pairs import pairs_group_message


@carries(EffectKind.PAIRS_GROUP)
def greet_group(publishing: Publishing, attempt: Attempt) -> None:
    """Open the group's DM and post the questions under the item's key. Slack's lasting refusals
    (a deactivated member: `user_disabled`) fail the item for good, as every kind's do."""
    post = publishing.services.pairs.group_post(group_id=int(attempt.payload["group_id"]))
    if post is None:
        return
    opened = publishing.client.conversations_open(users=",".join(m.user_id for m in post.members))
    channel_id = str(opened["channel"]["id"])
    publishing.post(attempt, channel=channel_id, message=pairs_group_message(Texts(post.language), post))
