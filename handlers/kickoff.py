"""The kickoff's listeners: `/netwerk intro`, `verwachtingen`, `afspraken`, `leden` and `rol`; their
modals and buttons; and the member_joined_channel / member_left_channel events."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Hashable, Sequence
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import AgreementsNotPosted, DomainError, RoleUsage
from bot.i18n import Texts
from bot.services.agreements import validate_agreements
from bot.services.expectations import ExpectationAnswers, validate_expectations
from bot.services.intros import IntroAnswers, SavedIntro, validate_intro
from bot.services.networks import NetworkOverview
from bot.services.roster import role_from_word
from bot.slack_api import post_message_once
from bot.views import ids
from bot.views.cases import give_and_receive_column
from bot.views.common import Message, notice
from bot.views.kickoff import (
    KickoffModalContext,
    acceptance_notice,
    agreements_for_member,
    agreements_message,
    agreements_modal,
    agreements_replaced,
    agreements_unchanged,
    default_agreements,
    expectations_map,
    expectations_modal,
    intro_card,
    intro_modal,
    join_welcome,
    map_replaced,
    pending_members,
    role_changed,
    roster_message,
    size_note,
    vote_feedback,
)
from handlers import HandlerDeps
from handlers.commands import Invocation, Subhandler
from handlers.common import field_errors, state_value

log = logging.getLogger(__name__)

# A mention as a slash command with should_escape delivers it: <@U123|name>, or <@U123>.
_MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
_MAP_WORDS = frozenset({"kaart", "map"})
# Errors of chat.update that mean the message is gone (deleted by someone): post it anew instead.
_MESSAGE_GONE = frozenset({"message_not_found", "cant_update_message", "channel_not_found"})


class MessageRefresher:
    """Keeps a posted message (the map, the agreements) in step with the database, per key.

    Writers hold the key's lock around "write, post, remember the ts"; a refresh holds it around
    "read the latest state, chat.update". Refreshes are coalesced: while one runs, further requests
    only mark it stale, and the running one reads again until nothing changed meanwhile. So the last
    update always shows the latest state, and a burst of clicks costs a few chat.update calls instead
    of one each (a Tier 3 method: about 50 a minute). Within this process; the database's unique keys
    keep the data itself right across processes.
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


def _network_id(overview: NetworkOverview) -> int:
    return overview.network.id or 0


def _modal_context(invocation: Invocation) -> KickoffModalContext:
    return KickoffModalContext(channel_id=invocation.request.channel_id, language=invocation.texts.language)


# ---------------------------------------------------------------------- /netwerk subcommands


def _intro(invocation: Invocation, deps: HandlerDeps) -> None:
    network = invocation.require_network()
    intro = deps.services.intros.current(network_id=_network_id(network), user_id=invocation.request.user_id)
    modal = intro_modal(invocation.texts, context=_modal_context(invocation), intro=intro)
    invocation.client.views_open(trigger_id=invocation.request.trigger_id, view=modal)


def _expectations(invocation: Invocation, deps: HandlerDeps) -> None:
    network = invocation.require_network()
    if invocation.arguments and invocation.arguments[0].lower() in _MAP_WORDS:
        _post_map(invocation, deps, network)
        return
    current = deps.services.expectations.current(
        network_id=_network_id(network), user_id=invocation.request.user_id
    )
    modal = expectations_modal(invocation.texts, context=_modal_context(invocation), current=current)
    invocation.client.views_open(trigger_id=invocation.request.trigger_id, view=modal)


def _post_map(invocation: Invocation, deps: HandlerDeps, network: NetworkOverview) -> None:
    """Post the expectations map; the map it replaces says where the new one is."""
    network_id = _network_id(network)
    channel_id = invocation.request.channel_id
    client = invocation.client
    with _refresher.lock(_map_key(network_id)):
        overview = deps.services.expectations.overview(
            network_id=network_id, user_id=invocation.request.user_id
        )
        message = expectations_map(invocation.texts, overview)
        ts = post_message_once(client, channel=channel_id, text=message.text, blocks=message.blocks)
        previous = deps.services.expectations.record_map(
            network_id=network_id, channel_id=channel_id, message_ts=ts, posted_by=invocation.request.user_id
        )
        if previous is not None and previous.message_ts != ts:
            _update_message(client, previous.channel_id, previous.message_ts, map_replaced(invocation.texts))


def _agreements(invocation: Invocation, deps: HandlerDeps) -> None:
    """A facilitator edits and posts the agreements; a member is shown them to accept."""
    network = invocation.require_network()
    status = deps.services.agreements.status(
        network_id=_network_id(network), user_id=invocation.request.user_id
    )
    texts = invocation.texts
    if status.viewer_is_facilitator:
        lines = status.version.lines if status.version else default_agreements(texts)
        modal = agreements_modal(texts, context=_modal_context(invocation), agreements=lines)
        invocation.client.views_open(trigger_id=invocation.request.trigger_id, view=modal)
        return
    if status.version is None:
        raise AgreementsNotPosted()
    invocation.reply(agreements_for_member(texts, status))


def _members(invocation: Invocation, deps: HandlerDeps) -> None:
    network = invocation.require_network()
    roster = deps.services.members.roster(
        network_id=_network_id(network), viewer_id=invocation.request.user_id
    )
    balance = deps.services.cases.give_and_receive(network_id=_network_id(network))
    column = give_and_receive_column(invocation.texts, balance)
    invocation.reply(roster_message(invocation.texts, roster, extra_columns=[column]))


def _role(invocation: Invocation, deps: HandlerDeps) -> None:
    network = invocation.require_network()
    user_id, role_word = _role_arguments(invocation.arguments)
    change = deps.services.members.set_role(
        network_id=_network_id(network),
        by_user_id=invocation.request.user_id,
        user_id=user_id,
        role=role_from_word(role_word),
    )
    invocation.reply(role_changed(invocation.texts, change))


def _role_arguments(arguments: Sequence[str]) -> tuple[str, str]:
    """The mentioned user and the role word, in either order; raises RoleUsage otherwise."""
    if len(arguments) != 2:
        raise RoleUsage()
    for mention, word in (arguments, reversed(arguments)):
        match = _MENTION.match(mention)
        if match:
            return match.group(1), word
    raise RoleUsage()


SUBHANDLERS: dict[str, Subhandler] = {
    "intro": _intro,
    "verwachtingen": _expectations,
    "afspraken": _agreements,
    "leden": _members,
    "rol": _role,
}


# ---------------------------------------------------------------------- Web API steps shared below


def _update_message(client: WebClient, channel_id: str, ts: str, message: Message) -> bool:
    """Update a posted message in place; False when it is gone (someone deleted it)."""
    try:
        client.chat_update(channel=channel_id, ts=ts, text=message.text, blocks=message.blocks)
    except SlackApiError as error:
        if error.response.get("error") in _MESSAGE_GONE:
            log.info("message %s in %s is gone; not updated", ts, channel_id)
            return False
        raise
    return True


def _tell(client: WebClient, *, channel_id: str, user_id: str, message: Message) -> None:
    """A private answer in the channel; someone who is no longer in it cannot get one, and that is fine."""
    try:
        client.chat_postEphemeral(
            channel=channel_id, user=user_id, text=message.text, blocks=message.blocks_as_dicts()
        )
    except SlackApiError as error:
        log.info("could not tell %s in %s: %s", user_id, channel_id, error.response.get("error"))


def _answer(respond: Respond, message: Message, *, replace: bool = False) -> None:
    respond(
        text=message.text,
        blocks=message.blocks_as_dicts(),
        response_type="ephemeral",
        replace_original=replace,
    )


def _note_facilitators(client: WebClient, facilitator_ids: Sequence[str], message: Message) -> None:
    """A private note (a direct message) to each facilitator."""
    for user_id in facilitator_ids:
        try:
            channel = client.conversations_open(users=user_id)["channel"]["id"]
            post_message_once(client, channel=channel, text=message.text, blocks=message.blocks)
        except SlackApiError as error:
            log.warning("could not send a note to facilitator %s: %s", user_id, error.response.get("error"))


def _publish_intro_card(
    client: WebClient, deps: HandlerDeps, *, channel_id: str, saved: SavedIntro, texts: Texts
) -> None:
    """One card per member: the first save posts it, later saves update it (or post it again if it
    was deleted). Of two cards posted by racing first saves, the one attached first stays."""
    card = intro_card(texts, saved.intro)
    ts = saved.intro.card_ts
    if ts and _update_message(client, channel_id, ts, card):
        _tell(
            client,
            channel_id=channel_id,
            user_id=saved.intro.user_id,
            message=notice(texts("kickoff.intro.updated")),
        )
        return
    posted = post_message_once(client, channel=channel_id, text=card.text, blocks=card.blocks)
    standing = deps.services.intros.attach_card(intro_id=saved.intro.id or 0, ts=posted, replace=bool(ts))
    if standing != posted:
        client.chat_delete(channel=channel_id, ts=posted)


def _refresh_map(client: WebClient, deps: HandlerDeps, *, network_id: int, texts: Texts) -> None:
    def update() -> None:
        overview = deps.services.expectations.posted_map(network_id=network_id)
        if overview is not None and overview.map_message is not None:
            posted = overview.map_message
            _update_message(client, posted.channel_id, posted.message_ts, expectations_map(texts, overview))

    _refresher.refresh(_map_key(network_id), update)


def _refresh_agreements(client: WebClient, deps: HandlerDeps, *, network_id: int, texts: Texts) -> None:
    def update() -> None:
        status = deps.services.agreements.posted_status(network_id=network_id)
        if status is not None and status.version is not None and status.version.message_ts:
            message = agreements_message(texts, status)
            _update_message(client, status.network.channel_id, status.version.message_ts, message)

    _refresher.refresh(_agreements_key(network_id), update)


def _refresh_group_messages(client: WebClient, deps: HandlerDeps, *, network_id: int, texts: Texts) -> None:
    """After someone joined or left: the agreements count "X of Y members" and the map's votes (only
    current members' count) follow the group."""
    _refresh_agreements(client, deps, network_id=network_id, texts=texts)
    _refresh_map(client, deps, network_id=network_id, texts=texts)


# ---------------------------------------------------------------------- modals, buttons and events


def register(app: App, deps: HandlerDeps) -> None:
    def user_and_team(body: dict[str, Any]) -> tuple[str, str]:
        user_id = str((body.get("user") or {}).get("id") or "")
        team_id = str((body.get("team") or {}).get("id") or (body.get("view") or {}).get("team_id") or "")
        return user_id, team_id

    @app.view(ids.INTRO_MODAL)
    def handle_intro_submitted(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        modal = KickoffModalContext.decode(view.get("private_metadata", ""))
        texts = Texts(modal.language)
        blocks = ids.IntroBlocks
        answers = IntroAnswers(
            job_role=state_value(view, blocks.JOB_ROLE),
            organisation=state_value(view, blocks.ORGANISATION),
            gives=state_value(view, blocks.GIVES),
            wants=state_value(view, blocks.WANTS),
            practice_question=state_value(view, blocks.PRACTICE_QUESTION),
        )
        problems = validate_intro(answers)
        if problems:
            ack(response_action="errors", errors=field_errors(texts, problems, blocks.BY_FIELD))
            return
        ack()
        user_id, team_id = user_and_team(body)
        try:
            network = deps.services.networks.require_network(team_id=team_id, channel_id=modal.channel_id)
            saved = deps.services.intros.save(
                network_id=_network_id(network), user_id=user_id, answers=answers
            )
        except DomainError as error:
            _tell(
                client,
                channel_id=modal.channel_id,
                user_id=user_id,
                message=notice(texts(error.text_key, **error.values)),
            )
            return
        _publish_intro_card(
            client, deps, channel_id=modal.channel_id, saved=saved, texts=Texts(network.network.language)
        )

    @app.view(ids.EXPECTATIONS_MODAL)
    def handle_expectations_submitted(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        modal = KickoffModalContext.decode(view.get("private_metadata", ""))
        texts = Texts(modal.language)
        blocks = ids.ExpectationsBlocks
        answers = ExpectationAnswers(
            text=state_value(view, blocks.TEXT),
            goals=tuple(state_value(view, block_id) for block_id in blocks.GOALS),
        )
        problems = validate_expectations(answers)
        if problems:
            ack(response_action="errors", errors=field_errors(texts, problems, blocks.BY_FIELD))
            return
        ack()
        user_id, team_id = user_and_team(body)
        try:
            network = deps.services.networks.require_network(team_id=team_id, channel_id=modal.channel_id)
            network_id = _network_id(network)
            overview = deps.services.expectations.save(
                network_id=network_id, user_id=user_id, answers=answers
            )
        except DomainError as error:
            _tell(
                client,
                channel_id=modal.channel_id,
                user_id=user_id,
                message=notice(texts(error.text_key, **error.values)),
            )
            return
        texts = Texts(overview.network.language)
        if overview.map_message is not None:
            _refresh_map(client, deps, network_id=network_id, texts=texts)
        key = (
            "kickoff.expectations.saved_map_updated" if overview.map_message else "kickoff.expectations.saved"
        )
        _tell(client, channel_id=modal.channel_id, user_id=user_id, message=notice(texts(key)))

    @app.view(ids.AGREEMENTS_MODAL)
    def handle_agreements_submitted(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        modal = KickoffModalContext.decode(view.get("private_metadata", ""))
        texts = Texts(modal.language)
        text = state_value(view, ids.AgreementsBlocks.TEXT)
        problems = validate_agreements(text)
        if problems:
            ack(response_action="errors", errors=field_errors(texts, problems, ids.AgreementsBlocks.BY_FIELD))
            return
        ack()
        user_id, team_id = user_and_team(body)
        channel_id = modal.channel_id
        try:
            network = deps.services.networks.require_network(team_id=team_id, channel_id=channel_id)
            network_id = _network_id(network)
            texts = Texts(network.network.language)
            with _refresher.lock(_agreements_key(network_id)):
                publication = deps.services.agreements.publish(
                    network_id=network_id, user_id=user_id, text=text
                )
                version = publication.status.version
                assert version is not None
                if not publication.to_post:
                    _tell(
                        client,
                        channel_id=channel_id,
                        user_id=user_id,
                        message=agreements_unchanged(texts, version=version.version),
                    )
                    return
                message = agreements_message(texts, publication.status)
                ts = post_message_once(client, channel=channel_id, text=message.text, blocks=message.blocks)
                deps.services.agreements.attach_message(version_id=version.id or 0, message_ts=ts)
                previous = publication.previous
                if previous is not None and previous.message_ts:
                    replaced = agreements_replaced(texts, current_version=version.version)
                    _update_message(client, channel_id, previous.message_ts, replaced)
        except DomainError as error:
            _tell(
                client,
                channel_id=channel_id,
                user_id=user_id,
                message=notice(texts(error.text_key, **error.values)),
            )
            return
        if publication.size_note is not None:
            note = size_note(
                texts,
                note=publication.size_note,
                network_name=publication.status.network.name,
                count=publication.status.member_count,
            )
            _note_facilitators(client, network.facilitator_ids, note)

    def network_for_action(body: dict[str, Any]) -> tuple[NetworkOverview, str]:
        """The network of the channel the click came from, and who clicked."""
        user_id, team_id = user_and_team(body)
        channel_id = str(
            (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id") or ""
        )
        network = deps.services.networks.require_network(team_id=team_id, channel_id=channel_id)
        return network, user_id

    def answer_error(
        respond: Respond, body: dict[str, Any], network: NetworkOverview | None, error: DomainError
    ) -> None:
        user_id = str((body.get("user") or {}).get("id") or "")
        texts = Texts(network.network.language) if network else Texts(deps.languages.language_of(user_id))
        _answer(respond, notice(texts(error.text_key, **error.values)))

    def vote(body: dict[str, Any], respond: Respond, client: WebClient, ref: str) -> None:
        network: NetworkOverview | None = None
        try:
            network, user_id = network_for_action(body)
            network_id = _network_id(network)
            texts = Texts(network.network.language)
            outcome = deps.services.expectations.toggle_vote(network_id=network_id, user_id=user_id, ref=ref)
        except DomainError as error:
            answer_error(respond, body, network, error)
            return
        _answer(respond, vote_feedback(texts, outcome))
        _refresh_map(client, deps, network_id=network_id, texts=texts)

    @app.action(ids.KickoffActions.VOTE)
    def handle_goal_vote(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        ack()
        vote(body, respond, client, str(action.get("value") or ""))

    @app.action(ids.KickoffActions.VOTE_OTHER_GOAL)
    def handle_goal_vote_from_the_tail(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        ack()
        vote(body, respond, client, str((action.get("selected_option") or {}).get("value") or ""))

    @app.action(ids.KickoffActions.ACCEPT_AGREEMENTS)
    def handle_agreements_accepted(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        ack()
        from_ephemeral = bool((body.get("container") or {}).get("is_ephemeral"))
        network: NetworkOverview | None = None
        try:
            network, user_id = network_for_action(body)
            network_id = _network_id(network)
            texts = Texts(network.network.language)
            acceptance = deps.services.agreements.accept(
                network_id=network_id, user_id=user_id, version_id=_int(action.get("value"))
            )
        except DomainError as error:
            answer_error(respond, body, network, error)
            return
        version = acceptance.status.version
        assert version is not None
        _answer(
            respond,
            acceptance_notice(texts, version=version.version, newly=acceptance.newly),
            replace=from_ephemeral,
        )
        if acceptance.newly:
            _refresh_agreements(client, deps, network_id=network_id, texts=texts)

    @app.action(ids.KickoffActions.SHOW_PENDING)
    def handle_pending_members_asked(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        network: NetworkOverview | None = None
        try:
            network, user_id = network_for_action(body)
            status = deps.services.agreements.pending_members(
                network_id=_network_id(network), user_id=user_id
            )
        except DomainError as error:
            answer_error(respond, body, network, error)
            return
        _answer(respond, pending_members(Texts(network.network.language), status))

    @app.event("member_joined_channel")
    def handle_member_joined_channel(
        ack: Ack, body: dict[str, Any], event: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        ack()
        user_id = str(event.get("user") or "")
        channel_id = str(event.get("channel") or "")
        if not user_id or user_id == context.bot_user_id:
            return
        change = deps.services.members.member_joined(
            team_id=str(body.get("team_id") or event.get("team") or ""),
            channel_id=channel_id,
            user_id=user_id,
            event_id=str(body.get("event_id") or ""),
        )
        if change is None:
            return
        texts = Texts(change.network.language)
        _tell(client, channel_id=channel_id, user_id=user_id, message=join_welcome(texts, change))
        _refresh_group_messages(client, deps, network_id=change.network.id or 0, texts=texts)
        if change.size_note is not None:
            note = size_note(
                texts, note=change.size_note, network_name=change.network.name, count=change.member_count
            )
            _note_facilitators(client, change.facilitator_ids, note)

    @app.event("member_left_channel")
    def handle_member_left_channel(
        ack: Ack, body: dict[str, Any], event: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        ack()
        user_id = str(event.get("user") or "")
        if not user_id or user_id == context.bot_user_id:
            return
        change = deps.services.members.member_left(
            team_id=str(body.get("team_id") or event.get("team") or ""),
            channel_id=str(event.get("channel") or ""),
            user_id=user_id,
            event_id=str(body.get("event_id") or ""),
        )
        if change is None:
            return
        texts = Texts(change.network.language)
        _refresh_group_messages(client, deps, network_id=change.network.id or 0, texts=texts)
        if change.size_note is None:
            return
        note = size_note(
            texts, note=change.size_note, network_name=change.network.name, count=change.member_count
        )
        _note_facilitators(client, change.facilitator_ids, note)


def _int(value: object) -> int:
    """A number from a button's value; 0 (matching nothing) for anything else."""
    try:
        return int(str(value))
    except ValueError:
        return 0
