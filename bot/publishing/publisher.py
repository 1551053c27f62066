"""The one way effects reach Slack: outbox items, claimed one at a time and carried out after the commit.

A request's own items are carried out by the thread that handled it, right after Slack got its answer
(`Publisher.after`); whatever that did not finish — Slack was down, the process died — a process's
`carry_out_due` picks up: its own items when their next attempt is due, and those of a process that
stopped beating. The claim is one UPDATE, so two processes never carry out one item at once; a post
that an earlier attempt may have made is looked up by its key before it is made again.
"""

from __future__ import annotations

import http.client
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.clock import Clock
from bot.errors import DomainError
from bot.i18n import Texts
from bot.publishing.carriers import Attempt
from bot.publishing.carriers import NotDeliverable
from bot.publishing.carriers import NotYet
from bot.publishing.carriers import Publishing
from bot.publishing.carriers import carrier_of
from bot.publishing.carriers import failure_handler_of
from bot.services import Services
from bot.services.outbox import EffectKind
from bot.services.processes import LEASE
from bot.slack_api import WorkspaceClients
from bot.views.common import notice
from bot.workspace import WORKSPACE_NOT_INSTALLED
from storage import queries_outbox as q
from storage.db import SessionFactory
from storage.db import unit_of_work
from storage.models import OutboxItem

log = logging.getLogger(__name__)

CARRYING_LEASE = timedelta(minutes=5)
"""How long a claimed item is left to the process carrying it out before that process tries again."""
MAX_ATTEMPTS = 8
FIRST_RETRY_AFTER = timedelta(seconds=2)
LONGEST_WAIT = timedelta(minutes=5)
PURGE_DONE_AFTER = timedelta(days=1)

# Slack's answers that will not change by asking again: the effect fails for good, with this reason.
REFUSED_FOR_GOOD = frozenset(
    {
        "account_inactive",
        "cant_update_message",
        "channel_not_found",
        "invalid_arguments",
        "invalid_auth",
        "invalid_blocks",
        "invalid_blocks_format",
        "is_archived",
        "message_not_found",
        "missing_scope",
        "msg_too_long",
        "no_text",
        "not_authed",
        "not_in_channel",
        "restricted_action",
        "token_revoked",
        "user_not_found",
        "user_not_in_channel",
        "user_disabled",
        "cannot_dm_bot",
        "too_many_users",
    }
)
_CONNECTION_ERRORS = (OSError, http.client.HTTPException)


class Publisher:
    def __init__(
        self,
        *,
        sessions: SessionFactory,
        clock: Clock,
        client: WebClient | WorkspaceClients,
        services: Services,
        process_id: str,
        lease: timedelta = LEASE,
    ) -> None:
        """`client`: the one client, or each workspace's (an item is carried out with its own workspace's).
        `lease`: how long a process may stay silent before its items are taken over (its beats
        come every `elect_every` of the scheduler; the default lease is three of the default beats)."""
        self._lease = lease
        self._sessions = sessions
        self._clock = clock
        self._process_id = process_id
        self._services = services
        self._clients = client if isinstance(client, WorkspaceClients) else WorkspaceClients.of(client)
        self._publishings: dict[int, Publishing] = {}

    @contextmanager
    def after(self) -> Iterator[None]:
        """Carry out, once the block is done, the items committed in it (the request's own effects)."""
        with q.collecting_committed() as committed:
            try:
                yield
            finally:
                self.carry_out(committed)

    def carry_out(self, item_ids: list[int]) -> None:
        """Carry out these items now, in order, unless another attempt has started on one.

        Items that carrying them out records (a failed card erases its case) join the end of the list.
        """
        done = 0
        while done < len(item_ids):
            self._attempt(item_ids[done], first=True)
            done += 1

    def carry_out_due(self, *, limit: int = 100) -> int:
        """Carry out what is due: our own items whose time has come, and a silent process's. How many."""
        now = self._clock.now()
        with unit_of_work(self._sessions) as session:
            due = q.claimable_ids(
                session=session,
                process_id=self._process_id,
                now=now,
                live_since=now - self._lease,
                limit=limit,
            )
        for item_id in due:
            self._attempt(item_id, first=False)
        return len(due)

    def purge_done(self) -> int:
        with unit_of_work(self._sessions) as session:
            return q.purge_done(session=session, done_before=self._clock.now() - PURGE_DONE_AFTER)

    def _publishing_for(self, team_id: str | None) -> Publishing | None:
        """What the carriers use in the item's workspace; None when the bot is not installed there."""
        client = self._clients.for_team(team_id)
        if client is None:
            return None
        publishing = self._publishings.get(id(client))
        if publishing is None or publishing.client is not client:
            publishing = Publishing(client=client, services=self._services, clock=self._clock)
            self._publishings[id(client)] = publishing
        return publishing

    def _attempt(self, item_id: int, *, first: bool) -> None:
        item = self._claim(item_id, first=first)
        if item is None:
            return
        publishing = self._publishing_for(item.team_id)
        attempt = Attempt(
            item_id=item_id,
            kind=item.kind,
            key=item.key,
            payload=json.loads(item.payload),
            number=item.attempts,
            created_at=item.created_at,
        )
        if publishing is None:
            # The workspace removed the bot (or never installed it): its token is gone, nothing is posted.
            self._fail(attempt, WORKSPACE_NOT_INSTALLED, None)
            return
        try:
            self._carry(publishing, attempt)
        except NotYet:
            self._retry_later(attempt, "waits_for_an_earlier_effect", publishing)
        except (SlackApiError, NotDeliverable) as error:
            reason = _reason(error)
            if reason in REFUSED_FOR_GOOD or isinstance(error, NotDeliverable):
                self._fail(attempt, reason, publishing)
            else:
                self._retry_later(attempt, reason, publishing)
        except DomainError as error:
            # What the effect was about is gone (a case deleted meanwhile): nothing is left to show.
            log.info("outbox item %s (%s) has nothing left to do: %s", item_id, item.kind, error.text_key)
            self._finish(attempt)
        except _CONNECTION_ERRORS as error:
            self._retry_later(attempt, type(error).__name__, publishing)
        except Exception as error:
            log.exception("outbox item %s (%s) failed", item_id, item.kind)
            self._retry_later(attempt, type(error).__name__, publishing)
        else:
            self._finish(attempt)

    def _claim(self, item_id: int, *, first: bool) -> OutboxItem | None:
        now = self._clock.now()
        with unit_of_work(self._sessions) as session:
            return q.claim(
                session=session,
                item_id=item_id,
                process_id=self._process_id,
                now=now,
                live_since=now - self._lease,
                until=now + CARRYING_LEASE,
                first=first,
            )

    def _carry(self, publishing: Publishing, attempt: Attempt) -> None:
        carrier = carrier_of(attempt.kind)
        if carrier is None:
            raise NotDeliverable(f"unknown_kind:{attempt.kind}")
        carrier(publishing, attempt)

    def _finish(self, attempt: Attempt) -> None:
        with unit_of_work(self._sessions) as session:
            q.finish(session=session, item_id=attempt.item_id, now=self._clock.now())

    def _retry_later(self, attempt: Attempt, reason: str, publishing: Publishing) -> None:
        if attempt.number >= MAX_ATTEMPTS:
            self._fail(attempt, f"{reason} (after {attempt.number} attempts)", publishing)
            return
        wait = min(FIRST_RETRY_AFTER * 2 ** (attempt.number - 1), LONGEST_WAIT)
        log.info("outbox item %s (%s) is tried again in %s: %s", attempt.item_id, attempt.kind, wait, reason)
        with unit_of_work(self._sessions) as session:
            q.postpone(
                session=session, item_id=attempt.item_id, until=self._clock.now() + wait, reason=reason
            )

    def _fail(self, attempt: Attempt, reason: str, publishing: Publishing | None) -> None:
        log.warning("outbox item %s (%s) failed for good: %s", attempt.item_id, attempt.kind, reason)
        with unit_of_work(self._sessions) as session:
            q.fail(session=session, item_id=attempt.item_id, reason=reason, now=self._clock.now())
        if publishing is None:
            return
        handler = failure_handler_of(attempt.kind)
        try:
            if handler is not None:
                handler(publishing, attempt, reason)
            self._tell_failure(publishing, attempt, reason)
        except Exception:
            log.exception("could not tell anyone that outbox item %s failed", attempt.item_id)

    def _tell_failure(self, publishing: Publishing, attempt: Attempt, reason: str) -> None:
        requester = attempt.requester
        if requester is None or attempt.kind == EffectKind.NOTICE:
            # A private answer that cannot be delivered cannot say so either.
            return
        texts = Texts(str(attempt.payload.get("language") or ""))
        publishing.tell(attempt, requester, notice(texts("outbox.failed", reason=reason)))


def _reason(error: Exception) -> str:
    if isinstance(error, SlackApiError):
        return str(error.response.get("error") or f"http_{error.response.status_code}")
    return str(error) or type(error).__name__
