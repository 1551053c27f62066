"""The tables, one module per part of the bot; importing this package registers them all."""

from storage.models.events import ProcessedEvent
from storage.models.network import (
    GOAL_MAX,
    NAME_MAX,
    Membership,
    Network,
    NetworkComposition,
    NetworkOrigin,
    Role,
    metadata,
)

__all__ = [
    "GOAL_MAX",
    "NAME_MAX",
    "Membership",
    "Network",
    "NetworkComposition",
    "NetworkOrigin",
    "ProcessedEvent",
    "Role",
    "metadata",
]
