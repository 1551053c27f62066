"""How each kind of effect is carried out: a registry the publishing modules fill, and what they share."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.clock import Clock
from bot.i18n import Texts
from bot.services import Services
from bot.services.outbox import EffectKind
from bot.services.outbox import Requester
from bot.slack_api import find_posted_message
from bot.slack_api import post_message_once
from bot.slack_api import response_url_client
from bot.views.checkins import format_date
from bot.views.common import Message
from bot.views.common import notice

log = logging.getLogger(__name__)

RESPONSE_URL_LIFETIME = timedelta(minutes=29)
"""Slack takes answers on a response_url for 30 minutes; we stop a minute short of that."""

MESSAGE_GONE = frozenset({"message_not_found", "cant_update_message", "channel_not_found"})
"""What chat.update answers for a message that is gone (someone deleted it, or its channel)."""
MESSAGE_DELETED = frozenset({"message_not_found"})
"""Only a message someone deleted, for an update after which any other refusal is a failure."""


class NotYet(Exception):
    """What the effect builds on is not in Slack yet (a thread whose card is still to be posted)."""


@dataclass(frozen=True, slots=True)
class Attempt:
    """One try at an outbox item."""

    item_id: int
    kind: str
    key: str
    payload: dict[str, Any]
    number: int
    """1 on the first try; more when an earlier try may have reached Slack before it was cut off."""
    created_at: datetime

    @property
    def may_have_landed_before(self) -> bool:
        return self.number > 1

    @property
    def requester(self) -> Requester | None:
        return Requester.from_payload(self.payload.get("requester"))


class Publishing:
    """What the carriers use: the Web API client, the services (to read what they render), the clock."""

    def __init__(self, *, client: WebClient, services: Services, clock: Clock) -> None:
        self.client = client
        self.services = services
        self.clock = clock
        self._bot_user_id: str | None = None

    @property
    def bot_user_id(self) -> str:
        if self._bot_user_id is None:
            self._bot_user_id = str(self.client.auth_test().get("user_id") or "")
        return self._bot_user_id

    def post(
        self,
        attempt: Attempt,
        *,
        channel: str,
        message: Message,
        thread_ts: str | None = None,
        key: str | None = None,
    ) -> str:
        """Post once under `key` (the item's own by default) and return the message's ts."""
        key = key or attempt.key
        if attempt.may_have_landed_before:
            landed = find_posted_message(self.client, channel=channel, key=key, thread_ts=thread_ts)
            if landed is not None:
                return landed
        return post_message_once(
            self.client,
            channel=channel,
            text=message.text,
            blocks=message.blocks,
            thread_ts=thread_ts,
            key=key,
        )

    def direct_message(self, user_id: str) -> str:
        """The channel of the bot's direct message with `user_id` (Slack opens it if need be)."""
        return str(self.client.conversations_open(users=user_id)["channel"]["id"])

    def post_privately(
        self, attempt: Attempt, user_id: str, message: Message, *, key: str | None = None
    ) -> str:
        """Post once (as `post` does) in the bot's direct message with `user_id`."""
        return self.post(attempt, channel=self.direct_message(user_id), message=message, key=key)

    def update(self, *, channel: str, ts: str, message: Message) -> None:
        self.client.chat_update(channel=channel, ts=ts, text=message.text, blocks=message.blocks_as_dicts())

    def update_if_there(
        self, *, channel: str, ts: str, message: Message, gone: frozenset[str] = MESSAGE_GONE
    ) -> bool:
        """Update a posted message in place; False when Slack answers one of the errors `gone` (someone
        deleted it), for the caller to post it anew or let it be."""
        try:
            self.update(channel=channel, ts=ts, message=message)
        except SlackApiError as error:
            if error.response.get("error") in gone:
                log.info("message %s in %s is gone; not updated", ts, channel)
                return False
            raise
        return True

    def delete(self, *, channel: str, ts: str) -> None:
        """Delete one of the bot's messages; one that is gone already is fine."""
        try:
            self.client.chat_delete(channel=channel, ts=ts)
        except SlackApiError as error:
            if error.response.get("error") != "message_not_found":
                raise

    def take_back(self, attempt: Attempt, *, channel: str) -> None:
        """Delete what an earlier try of this item posted under its key before it was cut off, if it did:
        for an item whose post is no longer wanted, and which nobody else knows reached Slack."""
        if attempt.may_have_landed_before:
            landed = find_posted_message(self.client, channel=channel, key=attempt.key, thread_ts=None)
            if landed is not None:
                self.delete(channel=channel, ts=landed)

    def tell(self, attempt: Attempt, requester: Requester, message: Message) -> None:
        """A private answer: on the request's response_url while Slack takes it, else an ephemeral."""
        if self._answer_on_response_url(attempt, requester, message, replace_original=False):
            return
        if not requester.channel_id:
            raise NotDeliverable("no_channel_to_answer_in")
        self.client.chat_postEphemeral(
            channel=requester.channel_id,
            user=requester.user_id,
            text=message.text,
            blocks=message.blocks_as_dicts(),
        )

    def answer_in_place(self, attempt: Attempt, requester: Requester, message: Message) -> None:
        """The answer takes the place of the private message whose button asked for it, while Slack takes
        it there; otherwise it comes as `tell` gives it."""
        if not self._answer_on_response_url(attempt, requester, message, replace_original=True):
            self.tell(attempt, requester, message)

    def _answer_on_response_url(
        self, attempt: Attempt, requester: Requester, message: Message, *, replace_original: bool
    ) -> bool:
        """Answer on the request's response_url while Slack takes answers there; whether Slack took it."""
        if not requester.response_url or self.clock.now() - attempt.created_at >= RESPONSE_URL_LIFETIME:
            return False
        response = response_url_client(requester.response_url, timeout=10).send(
            text=message.text,
            blocks=message.blocks,
            response_type="ephemeral",
            replace_original=replace_original,
        )
        if response.status_code >= 300:
            log.info("the response_url answered %s", response.status_code)
        return response.status_code < 300


class NotDeliverable(Exception):
    """Slack offers no place to carry the effect out: it fails for good with this reason."""


Carrier = Callable[[Publishing, Attempt], None]
FailureHandler = Callable[[Publishing, Attempt, str], None]

_carriers: dict[str, Carrier] = {}
_on_failure: dict[str, FailureHandler] = {}


def carries(kind: EffectKind) -> Callable[[Carrier], Carrier]:
    """Register the function that carries out effects of `kind`."""

    def register(carrier: Carrier) -> Carrier:
        _carriers[kind.value] = carrier
        return carrier

    return register


def when_failed(kind: EffectKind) -> Callable[[FailureHandler], FailureHandler]:
    """Register what to do when an effect of `kind` fails for good (besides telling its requester)."""

    def register(handler: FailureHandler) -> FailureHandler:
        _on_failure[kind.value] = handler
        return handler

    return register


def carrier_of(kind: str) -> Carrier | None:
    return _carriers.get(kind)


def failure_handler_of(kind: str) -> FailureHandler | None:
    return _on_failure.get(kind)


def known_kinds() -> frozenset[str]:
    return frozenset(_carriers)


@carries(EffectKind.NOTICE)
def tell_requester(publishing: Publishing, attempt: Attempt) -> None:
    requester = attempt.requester
    if requester is None:
        return
    texts = Texts(str(attempt.payload.get("language") or ""))
    days = {
        name: format_date(texts, date.fromisoformat(day))
        for name, day in attempt.payload.get("days", {}).items()
    }
    text = texts(str(attempt.payload["text_key"]), **(attempt.payload.get("values") or {}), **days)
    publishing.tell(attempt, requester, notice(text))
