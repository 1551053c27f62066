"""What a newly linked network looks like in Slack: the welcome in its channel."""

from __future__ import annotations

from bot.i18n import Texts
from bot.publishing.carriers import Attempt
from bot.publishing.carriers import Publishing
from bot.publishing.carriers import carries
from bot.services.outbox import EffectKind
from bot.views.network import welcome_message


@carries(EffectKind.NETWORK_WELCOME)
def welcome_the_group(publishing: Publishing, attempt: Attempt) -> None:
    overview = publishing.services.networks.overview(network_id=int(attempt.payload["network_id"]))
    if overview.network.archived_at is not None:
        return
    message = welcome_message(Texts(overview.network.language), overview)
    publishing.post(attempt, channel=overview.network.channel_id, message=message)
