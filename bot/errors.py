"""Domain errors. Each names the catalog text that explains it to the user, so handlers only render."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A request the bot refuses for a reason the user can act on."""

    text_key: str = "error.generic"

    def __init__(self, **values: Any) -> None:
        super().__init__(self.text_key, values)
        self.values = values


class NotInChannel(DomainError):
    """The command came from a direct message or group DM, not a channel."""

    text_key = "error.not_in_channel"


class BotNotInChannel(DomainError):
    text_key = "error.bot_not_in_channel"


class ChannelNotLinked(DomainError):
    text_key = "error.channel_not_linked"


class ChannelAlreadyLinked(DomainError):
    text_key = "start.already_linked"


class NotAMember(DomainError):
    text_key = "error.not_a_member"


class NotAFacilitator(DomainError):
    text_key = "error.not_a_facilitator"


class InvalidInput(DomainError):
    """One or more fields of a form are wrong: `problems` maps a field name to a catalog key."""

    text_key = "error.invalid_input"

    def __init__(self, problems: dict[str, tuple[str, dict[str, Any]]]) -> None:
        super().__init__()
        self.problems = problems
