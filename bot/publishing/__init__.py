"""What the bot sends: every effect on Slack that follows a change, carried out from the outbox.

`publisher` claims and carries out the items; `carriers` holds the registry and what the carriers
share; one module per part of the bot renders its kinds of effect (`cases`, ...).
"""

from bot.publishing import cases  # noqa: F401  (registers the carriers of the case effects)
from bot.publishing import charter  # noqa: F401  (the charter on the channel's canvas or pinned)
from bot.publishing import checkins  # noqa: F401  (registers the carriers of the check-in effects)
from bot.publishing import follow_ups  # noqa: F401  (a closed case's follow-up: the question, the answer shared)
from bot.publishing import journey  # noqa: F401  (the trajectory's plan and the role questions)
from bot.publishing import kickoff  # noqa: F401  (registers the carriers of the kickoff's effects)
from bot.publishing import network  # noqa: F401  (the welcome of a newly linked network)
from bot.publishing import pairs  # noqa: F401  (the pairing rounds' group DMs)
from bot.publishing import privacy  # noqa: F401  (privacy: my data, forgetting, archiving)
from bot.publishing import safe  # noqa: F401  (the safe group: confidential advice, guest experts, public replies)
from bot.publishing import shortcuts  # noqa: F401  (a saved lesson's consent question to its author)
from bot.publishing import summary  # noqa: F401  (the summary with its chart, the facilitator's CSV)
from bot.publishing import thermometer  # noqa: F401  (the network thermometer's round, results and suggestions)
from bot.publishing import wrap_up  # noqa: F401  (closing the network: the announcement, invitations, harvest and its file)
from bot.publishing.publisher import Publisher

__all__ = ["Publisher"]
