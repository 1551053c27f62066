"""What a newly linked network looks like in Slack: the welcome in its channel."""

from __future__ import annotations

from bot.i18n import Texts
from bot.publishing.carriers import Attempt
from bot.publishing.carriers import Publishing
from bot.publishing.carriers import carries
from bot.services.outbox import EffectKind
from bot.slack_api import is_app_user
from bot.views.network import welcome_message
from storage.models import Role


@carries(EffectKind.NETWORK_WELCOME)
def welcome_the_group(publishing: Publishing, attempt: Attempt) -> None:
    network_id = int(attempt.payload["network_id"])
    overview = publishing.services.networks.overview(network_id=network_id)
    if overview.network.archived_at is not None:
        return
    # The channel's members became members as the modal closed, too soon for a users.info each (Slack
    # waits 3 s for that answer); an app among them is taken out here, before the group is welcomed and
    # counted, and again on a later attempt if a process died before this one got this far.
    apps = [
        membership.user_id
        for membership in overview.memberships
        if membership.role == Role.PARTICIPANT and is_app_user(publishing.client, membership.user_id)
    ]
    if publishing.services.members.leave_out_apps(network_id=network_id, app_user_ids=apps):
        overview = publishing.services.networks.overview(network_id=network_id)
    message = welcome_message(Texts(overview.network.language), overview)
    publishing.post(attempt, channel=overview.network.channel_id, message=message)
