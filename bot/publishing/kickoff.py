"""What the kickoff's effects look like in Slack: intro cards, the expectations map, the agreements,
welcomes, notes to facilitators, and the private answers that follow a vote, an acceptance or a role."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from collections.abc import Hashable

from slack_sdk.errors import SlackApiError

from bot.i18n import Texts
from bot.publishing.carriers import Attempt
from bot.publishing.carriers import Publishing
from bot.publishing.carriers import carries
from bot.services.expectations import VoteOutcome
from bot.services.kickoff import SizeNote
from bot.services.outbox import EffectKind
from bot.services.roster import RoleChange
from bot.views.common import notice
from bot.views.kickoff import acceptance_notice
from bot.views.kickoff import agreements_message
from bot.views.kickoff import agreements_replaced
from bot.views.kickoff import expectations_map
from bot.views.kickoff import intro_card
from bot.views.kickoff import join_welcome
from bot.views.kickoff import map_replaced
from bot.views.kickoff import role_changed
from bot.views.kickoff import size_note
from bot.views.kickoff import vote_feedback
from storage.models import Role

log = logging.getLogger(__name__)

# Who is no longer in the channel cannot be welcomed there, and that is fine.
_NOT_THERE = frozenset({"user_not_in_channel", "channel_not_found", "not_in_channel"})


class MessageRefresher:
    """Keeps a posted message (the map, the agreements) in step with the database, per key.

    Posting holds the key's lock around "post, remember the ts, mark the old one replaced"; a refresh
    holds it around "read the latest state, chat.update". Refreshes are coalesced: while one runs,
    further requests only mark it stale, and the running one reads again until nothing changed
    meanwhile. So the last update always shows the latest state, and a burst of clicks costs a few
    chat.update calls instead of one each (a Tier 3 method: about 50 a minute). Within this process;
    a refresh whose process died is done again from the outbox by another.
    """

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[Hashable, threading.Lock] = {}
        self._running: set[Hashable] = set()
        self._stale: set[Hashable] = set()

    def lock(self, key: Hashable) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def refresh(self, key: Hashable, update: Callable[[], None]) -> None:
        """Run `update` (read the latest state, update the message) now, or have the refresh that is
        running run it once more when it is done."""
        with self._guard:
            if key in self._running:
                self._stale.add(key)
                return
            self._running.add(key)
        try:
            while True:
                with self._guard:
                    self._stale.discard(key)
                with self.lock(key):
                    update()
                with self._guard:
                    if key not in self._stale:
                        self._running.discard(key)
                        return
        except BaseException:
            with self._guard:
                self._running.discard(key)
                self._stale.discard(key)
            raise


_refresher = MessageRefresher()


def _map_key(network_id: int) -> tuple[str, int]:
    return ("expectations_map", network_id)


def _agreements_key(network_id: int) -> tuple[str, int]:
    return ("agreements", network_id)


# ---------------------------------------------------------------------- introductions


@carries(EffectKind.INTRO_CARD)
def show_intro_card(publishing: Publishing, attempt: Attempt) -> None:
    """One card per member: the first save posts it, later saves update it (or post it again if it
    was deleted). Of two cards posted by racing first saves, the one attached first stays."""
    intros = publishing.services.intros
    shown = intros.card(intro_id=int(attempt.payload["intro_id"]))
    if shown is None:
        return
    texts = Texts(shown.language)
    card = intro_card(texts, shown.intro)
    ts = shown.intro.card_ts
    if ts and publishing.update_if_there(channel=shown.channel_id, ts=ts, message=card):
        if attempt.requester is not None:
            publishing.tell(attempt, attempt.requester, notice(texts("kickoff.intro.updated")))
        return
    intro_id = shown.intro.id or 0
    posted = publishing.post(attempt, channel=shown.channel_id, message=card, key=f"intro-card-{intro_id}")
    standing = intros.attach_card(intro_id=intro_id, ts=posted, replace=bool(ts))
    if standing != posted:
        publishing.delete(channel=shown.channel_id, ts=posted)


# ---------------------------------------------------------------------- the expectations map


@carries(EffectKind.EXPECTATIONS_MAP)
def post_expectations_map(publishing: Publishing, attempt: Attempt) -> None:
    """Post the map; the map it replaces says where the new one is."""
    payload = attempt.payload
    network_id, channel_id = int(payload["network_id"]), str(payload["channel_id"])
    expectations = publishing.services.expectations
    with _refresher.lock(_map_key(network_id)):
        overview = expectations.current_map(network_id=network_id)
        texts = Texts(overview.network.language)
        ts = publishing.post(attempt, channel=channel_id, message=expectations_map(texts, overview))
        previous = expectations.record_map(
            network_id=network_id, channel_id=channel_id, message_ts=ts, posted_by=str(payload["posted_by"])
        )
        if previous is not None and previous.message_ts != ts:
            publishing.update_if_there(
                channel=previous.channel_id,
                ts=previous.message_ts,
                message=map_replaced(texts),
            )


@carries(EffectKind.EXPECTATIONS_MAP_REFRESH)
def refresh_expectations_map(publishing: Publishing, attempt: Attempt) -> None:
    network_id = int(attempt.payload["network_id"])

    def update() -> None:
        overview = publishing.services.expectations.posted_map(network_id=network_id)
        if overview is not None and overview.map_message is not None:
            posted = overview.map_message
            message = expectations_map(Texts(overview.network.language), overview)
            publishing.update_if_there(channel=posted.channel_id, ts=posted.message_ts, message=message)

    _refresher.refresh(_map_key(network_id), update)


@carries(EffectKind.VOTE_FEEDBACK)
def tell_vote(publishing: Publishing, attempt: Attempt) -> None:
    payload, requester = attempt.payload, attempt.requester
    network_id = int(payload["network_id"])
    goal = publishing.services.expectations.goal(network_id=network_id, ref=str(payload["ref"]))
    if requester is None or goal is None:
        return
    outcome = VoteOutcome(
        goal=goal,
        added=bool(payload["added"]),
        votes_left=int(payload["votes_left"]),
        overview=publishing.services.expectations.current_map(network_id=network_id),
    )
    publishing.tell(attempt, requester, vote_feedback(Texts(str(payload.get("language") or "")), outcome))


# ---------------------------------------------------------------------- the agreements


@carries(EffectKind.AGREEMENTS)
def post_agreements(publishing: Publishing, attempt: Attempt) -> None:
    """Post a version of the agreements; the version it replaces says that it is replaced."""
    agreements = publishing.services.agreements
    previous_id = attempt.payload.get("previous_version_id")
    found = agreements.to_post(
        version_id=int(attempt.payload["version_id"]),
        previous_version_id=int(previous_id) if previous_id else None,
    )
    if found is None:
        return  # replaced before it was posted: the newer version is posted instead
    status, previous = found
    version = status.version
    assert version is not None
    texts = Texts(status.network.language)
    channel_id = status.network.channel_id
    with _refresher.lock(_agreements_key(status.network.id or 0)):
        if version.message_ts is None:
            message = agreements_message(texts, status)
            key = f"agreements-{version.id}"
            ts = publishing.post(attempt, channel=channel_id, message=message, key=key)
            agreements.attach_message(version_id=version.id or 0, message_ts=ts)
        if previous is not None and previous.message_ts:
            replaced = agreements_replaced(texts, current_version=version.version)
            publishing.update_if_there(channel=channel_id, ts=previous.message_ts, message=replaced)


@carries(EffectKind.AGREEMENTS_REFRESH)
def refresh_agreements(publishing: Publishing, attempt: Attempt) -> None:
    network_id = int(attempt.payload["network_id"])

    def update() -> None:
        status = publishing.services.agreements.posted_status(network_id=network_id)
        if status is not None and status.version is not None and status.version.message_ts:
            message = agreements_message(Texts(status.network.language), status)
            publishing.update_if_there(
                channel=status.network.channel_id, ts=status.version.message_ts, message=message
            )

    _refresher.refresh(_agreements_key(network_id), update)


@carries(EffectKind.ACCEPTANCE)
def thank_for_accepting(publishing: Publishing, attempt: Attempt) -> None:
    """The thanks replace the private agreements the member accepted in, while Slack lets us."""
    payload, requester = attempt.payload, attempt.requester
    if requester is None:
        return
    texts = Texts(str(payload.get("language") or ""))
    thanks = acceptance_notice(texts, version=int(payload["version"]), newly=bool(payload["newly"]))
    if payload.get("in_place"):
        publishing.answer_in_place(attempt, requester, thanks)
    else:
        publishing.tell(attempt, requester, thanks)


# ---------------------------------------------------------------------- members and roles


@carries(EffectKind.JOIN_WELCOME)
def welcome_member(publishing: Publishing, attempt: Attempt) -> None:
    change = publishing.services.members.welcome(
        network_id=int(attempt.payload["network_id"]), user_id=str(attempt.payload["user_id"])
    )
    if change is None:
        return
    message = join_welcome(Texts(change.network.language), change)
    try:
        publishing.client.chat_postEphemeral(
            channel=change.network.channel_id,
            user=change.user_id,
            text=message.text,
            blocks=message.blocks_as_dicts(),
        )
    except SlackApiError as error:
        if error.response.get("error") not in _NOT_THERE:
            raise
        log.info("could not welcome %s: %s", change.user_id, error.response.get("error"))


@carries(EffectKind.SIZE_NOTE)
def note_group_size(publishing: Publishing, attempt: Attempt) -> None:
    """A private note (a direct message) to one facilitator."""
    payload = attempt.payload
    network = publishing.services.members.network(network_id=int(payload["network_id"]))
    if network is None:
        return
    note = size_note(
        Texts(network.language),
        note=SizeNote(payload["note"]),
        network_name=network.name,
        count=int(payload["count"]),
    )
    publishing.post_privately(attempt, str(payload["facilitator_id"]), note)


@carries(EffectKind.ROLE_CHANGED)
def tell_role_changed(publishing: Publishing, attempt: Attempt) -> None:
    payload, requester = attempt.payload, attempt.requester
    network = publishing.services.members.network(network_id=int(payload["network_id"]))
    if requester is None or network is None:
        return
    change = RoleChange(
        network=network,
        user_id=str(payload["user_id"]),
        previous=Role(payload["previous"]),
        role=Role(payload["role"]),
    )
    publishing.tell(attempt, requester, role_changed(Texts(network.language), change))
