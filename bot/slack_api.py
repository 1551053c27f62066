"""The bot's side of the Slack Web API: the client, and the few calls that need care beyond one request."""

from __future__ import annotations

import http.client
import io
import json
import logging
import ssl
import threading
import time
import uuid
from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.error import HTTPError
from urllib.error import URLError
from urllib.parse import urlparse
from urllib.request import Request

from slack_bolt import Respond
from slack_bolt.context.respond.internals import _build_message
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.models.blocks import Block
from slack_sdk.webhook import WebhookClient
from slack_sdk.webhook import WebhookResponse

from bot.i18n import normalise_language
from bot.keep_alive import POOLS
from bot.keep_alive import Answer
from bot.keep_alive import NotSent
from bot.workspace import current_team

log = logging.getLogger(__name__)

# Calls that create something: repeating one whose answer was lost could create it twice.
NON_IDEMPOTENT_METHODS = frozenset(
    {"chat.postMessage", "chat.scheduleMessage", "files.completeUploadExternal", "files.getUploadURLExternal"}
)
# Calls that may be sent again after a connection broke while they were under way (they may have
# arrived): reads, and writes whose second arrival shows the member nothing new — the same view or
# text put in place again, a reaction that is already there (already_reacted counts as done).
# chat.postMessage is not among them: post_message_once looks its key up before it posts again.
REPEATABLE_METHODS = frozenset(
    {
        "auth.test",
        "chat.delete",
        "chat.getPermalink",
        "chat.update",
        "conversations.history",
        "conversations.info",
        "conversations.members",
        "conversations.open",
        "conversations.replies",
        "pins.add",
        "reactions.add",
        "reactions.get",
        "users.info",
        "views.publish",
        "views.update",
    }
)
POST_METADATA_EVENT = "netwerkbot_post"
CONNECTION_ERRORS = (OSError, http.client.HTTPException)
# What a connection that broke under a request raises: the request may or may not have arrived.
_CUT_OFF = (ConnectionError, http.client.RemoteDisconnected, http.client.IncompleteRead, URLError)


class _NoDoubleRetryHandler(ConnectionErrorRetryHandler):
    """Send a request again when its connection broke, wherever that cannot double an effect: one that
    never left (no connection could be made) always; one that may have arrived when it is repeatable."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if isinstance(error, NotSent):
            return True
        if response is not None or not isinstance(error, _CUT_OFF):
            return False
        return self._repeatable(request)

    def _repeatable(self, request: HttpRequest) -> bool:
        raise NotImplementedError


class IdempotentConnectionRetryHandler(_NoDoubleRetryHandler):
    """A Web API call, repeatable when its method is in REPEATABLE_METHODS."""

    def _repeatable(self, request: HttpRequest) -> bool:
        return urlparse(request.url).path.rsplit("/", 1)[-1] in REPEATABLE_METHODS


class ResponseUrlRetryHandler(_NoDoubleRetryHandler):
    """A response_url answer, repeatable when it replaces (or deletes) the original message: a second
    arrival puts the same message in the same place, where the member cannot see it twice."""

    def _repeatable(self, request: HttpRequest) -> bool:
        try:
            answer = json.loads(request.data or b"{}")
        except ValueError:
            return False
        return isinstance(answer, dict) and bool(
            answer.get("replace_original") or answer.get("delete_original")
        )


class KeptAliveWebClient(WebClient):
    """slack_sdk's WebClient, sending over the process's kept-alive connections (bot.keep_alive)."""

    def _perform_urllib_http_request_internal(self, url: str, req: Request) -> dict[str, Any]:
        if self.proxy is not None:
            return super()._perform_urllib_http_request_internal(url, req)
        answer = _send(req, timeout=self.timeout, context=self.ssl)
        if answer.headers.get_content_type() == "application/gzip":
            return {"status": answer.status, "headers": answer.headers, "body": answer.body}
        charset = answer.headers.get_content_charset() or "utf-8"
        return {"status": answer.status, "headers": answer.headers, "body": answer.body.decode(charset)}


class KeptAliveWebhookClient(WebhookClient):
    """slack_sdk's WebhookClient (response_url answers), over the kept-alive connections."""

    def _perform_http_request_internal(self, url: str, req: Request) -> WebhookResponse:
        if self.proxy is not None:
            return super()._perform_http_request_internal(url, req)
        answer = _send(req, timeout=self.timeout, context=self.ssl)
        charset = answer.headers.get_content_charset() or "utf-8"
        return WebhookResponse(
            url=url,
            status_code=answer.status,
            body=answer.body.decode(charset),
            headers=answer.headers,  # type: ignore[arg-type]
        )


def _send(req: Request, *, timeout: float, context: ssl.SSLContext | None) -> Answer:
    """The request on a pooled connection; an error status raised as urllib raises it, which
    slack_sdk's clients read (429's Retry-After, a 404 from an expired response_url)."""
    data = req.data
    if data is not None and not isinstance(data, bytes):
        raise TypeError("slack_sdk sends bytes")
    answer = POOLS.request(
        req.get_method(),
        req.full_url,
        body=data,
        headers=dict(req.header_items()),
        timeout=timeout,
        context=context,
    )
    if answer.status >= 400:
        raise HTTPError(req.full_url, answer.status, answer.reason, answer.headers, io.BytesIO(answer.body))
    return answer


def response_url_client(url: str, *, timeout: int = 10) -> WebhookClient:
    """The client that answers on a response_url: kept-alive, and sent again where that is safe."""
    return KeptAliveWebhookClient(
        url,
        timeout=timeout,
        retry_handlers=[
            ResponseUrlRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=1),
        ],
    )


def make_web_client(
    *, token: str | None, base_url: str, timeout: int = 10, rate_limit_retries: int = 3
) -> WebClient:
    """A WebClient that waits out 429s and retries 5xx and lost connections, never doubling a post.

    The timed jobs want more `rate_limit_retries` than a person's request: when many polls fall due at
    once their threads share one workspace budget, and a post that gave up would wait for its claim to
    go stale (minutes) instead of its turn (seconds).
    """
    return KeptAliveWebClient(
        token=token,
        base_url=base_url,
        timeout=timeout,
        retry_handlers=[
            IdempotentConnectionRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=rate_limit_retries),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


def kept_alive(client: WebClient) -> WebClient:
    """The same client (token, team, URL, retries) on kept-alive connections: for the client Bolt builds
    afresh for each request. One per token and team is kept (a WebClient holds no per-call state)."""
    if isinstance(client, KeptAliveWebClient):
        return client
    key = (client.token, client.default_params.get("team_id"), client.base_url)
    with _KEPT_ALIVE_LOCK:
        kept = _KEPT_ALIVE.get(key)
    if kept is not None:
        return kept
    kept = KeptAliveWebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        ssl=client.ssl,
        proxy=client.proxy,
        headers=client.headers,
        team_id=client.default_params.get("team_id"),
        logger=client.logger,
        retry_handlers=client.retry_handlers,
    )
    with _KEPT_ALIVE_LOCK:
        if len(_KEPT_ALIVE) > 10_000:
            _KEPT_ALIVE.clear()
        _KEPT_ALIVE[key] = kept
    return kept


_KEPT_ALIVE: dict[tuple[str | None, str | None, str], WebClient] = {}
_KEPT_ALIVE_LOCK = threading.Lock()


class WorkspaceClients:
    """The one place that answers "the WebClient for workspace T".

    With one bot token every workspace gets the one client. With many workspaces each gets a client
    with its own installation's token (one client per token, kept), and a workspace without an
    installation gets none: never another workspace's token.
    """

    def __init__(
        self,
        *,
        base_url: str,
        token: str | None = None,
        token_of_team: Callable[[str], str | None] | None = None,
        team_of_network: Callable[[int], str | None] | None = None,
        rate_limit_retries: int = 3,
    ) -> None:
        self._base_url = base_url
        self._rate_limit_retries = rate_limit_retries
        self._token_of_team = token_of_team
        self._team_of_network = team_of_network
        self._single = None if token is None else self._new_client(token)
        self._by_token: dict[str, WebClient] = {}
        self._lock = threading.Lock()

    @classmethod
    def of(cls, client: WebClient) -> WorkspaceClients:
        """The one client for every workspace."""
        clients = cls(base_url=client.base_url)
        clients._single = client
        return clients

    @property
    def many_workspaces(self) -> bool:
        return self._single is None

    def for_team(self, team_id: str | None) -> WebClient | None:
        if self._single is not None:
            return self._single
        token = self._token_of_team(team_id) if team_id and self._token_of_team else None
        if token is None:
            return None
        with self._lock:
            client = self._by_token.get(token)
            if client is None:
                if len(self._by_token) > 10_000:
                    self._by_token.clear()
                client = self._by_token[token] = self._new_client(token)
            return client

    def for_network(self, network_id: int) -> WebClient | None:
        if self._single is not None:
            return self._single
        team_id = self._team_of_network(network_id) if self._team_of_network else None
        return self.for_team(team_id)

    def for_current_team(self) -> WebClient | None:
        """The client of the workspace whose request (or network) is at hand."""
        return self.for_team(current_team())

    def _new_client(self, token: str) -> WebClient:
        return make_web_client(
            token=token, base_url=self._base_url, rate_limit_retries=self._rate_limit_retries
        )


def post_message_once(
    client: WebClient,
    *,
    channel: str,
    text: str,
    blocks: Sequence[Block | dict[str, Any]] | None = None,
    thread_ts: str | None = None,
    key: str | None = None,
) -> str:
    """Post a message exactly once and return its ts.

    Each post carries an idempotency key in its metadata. When the connection drops before Slack
    answers, the post may or may not have landed: we look for the key in the channel before posting
    again, instead of letting the client retry blindly.
    """
    key = key or uuid.uuid4().hex
    arguments: dict[str, Any] = {
        "channel": channel,
        "text": text,
        "blocks": list(blocks) if blocks is not None else None,
        "thread_ts": thread_ts,
        "metadata": {"event_type": POST_METADATA_EVENT, "event_payload": {"key": key}},
    }
    try:
        return str(client.chat_postMessage(**arguments)["ts"])
    except CONNECTION_ERRORS as error:
        log.warning("chat.postMessage lost its answer (%s); checking whether it landed", error)
    landed = find_posted_message(client, channel=channel, key=key, thread_ts=thread_ts)
    if landed is not None:
        return landed
    return str(client.chat_postMessage(**arguments)["ts"])


def find_posted_message(client: WebClient, *, channel: str, key: str, thread_ts: str | None) -> str | None:
    """The ts of the bot's recent message carrying `key`, if there is one."""
    if thread_ts:
        page = client.conversations_replies(
            channel=channel, ts=thread_ts, limit=50, include_all_metadata=True
        )
    else:
        page = client.conversations_history(channel=channel, limit=50, include_all_metadata=True)
    for message in page.get("messages", []):
        metadata = message.get("metadata") or {}
        if (
            metadata.get("event_type") == POST_METADATA_EVENT
            and metadata.get("event_payload", {}).get("key") == key
        ):
            return str(message["ts"])
    return None


@dataclass(frozen=True, slots=True)
class ChannelStatus:
    channel_id: str
    found: bool
    bot_is_member: bool
    name: str | None = None
    is_private: bool | None = None
    """None when the bot cannot see the channel."""


def channel_status(client: WebClient, channel_id: str) -> ChannelStatus:
    """Whether the bot can see the channel and is in it (a private channel it is not in looks absent)."""
    try:
        channel = client.conversations_info(channel=channel_id)["channel"]
    except SlackApiError as error:
        if error.response.get("error") in ("channel_not_found", "not_in_channel", "missing_scope"):
            return ChannelStatus(channel_id=channel_id, found=False, bot_is_member=False)
        raise
    return ChannelStatus(
        channel_id=channel_id,
        found=True,
        bot_is_member=bool(channel.get("is_member")),
        name=channel.get("name"),
        is_private=bool(channel.get("is_private")),
    )


def channel_member_ids(client: WebClient, channel_id: str, *, exclude: Sequence[str] = ()) -> list[str]:
    """Every member of the channel, following the cursor, without the users in `exclude`."""
    members: list[str] = []
    cursor: str | None = None
    while True:
        page = client.conversations_members(channel=channel_id, limit=200, cursor=cursor)
        members.extend(m for m in page.get("members", []) if m not in exclude)
        cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            return members


def is_app_user(client: WebClient, user_id: str) -> bool:
    """Whether the user is an app's bot user: no person to count, welcome or pair. False when Slack cannot
    say, since leaving a person out is worse than counting an app."""
    try:
        user = client.users_info(user=user_id)["user"]
    except (SlackApiError, *CONNECTION_ERRORS) as error:
        log.info("could not tell whether %s is an app (%s); taking them for a person", user_id, error)
        return False
    return bool(user.get("is_bot"))


class UserLanguages:
    """The catalog language of each user's Slack locale, remembered for a while (users.info is Tier 4)."""

    def __init__(
        self, client: WebClient | WorkspaceClients, *, default: str, ttl_seconds: float = 3600
    ) -> None:
        self._clients = client if isinstance(client, WorkspaceClients) else WorkspaceClients.of(client)
        self._default = default
        self._ttl = ttl_seconds
        self._cache: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()

    def language_of(self, user_id: str) -> str:
        # A user id names a person within one workspace.
        cache_key = f"{current_team()}/{user_id}"
        with self._lock:
            cached = self._cache.get(cache_key)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        client = self._clients.for_current_team()
        if client is None:
            return self._default
        try:
            user = client.users_info(user=user_id, include_locale=True)["user"]
            locale = user.get("locale")
            language = normalise_language(locale, fallback=self._default)
        except (SlackApiError, *CONNECTION_ERRORS) as error:
            log.info("no locale for %s (%s); using %s", user_id, error, self._default)
            return self._default
        with self._lock:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[cache_key] = (time.monotonic() + self._ttl, language)
        return language


def reactions_on_message(client: WebClient, *, channel: str, ts: str) -> dict[str, list[str]] | None:
    """Emoji name → who has it on the message now; None when Slack could not say."""
    try:
        message = client.reactions_get(channel=channel, timestamp=ts, full=True)["message"]
    except (SlackApiError, *CONNECTION_ERRORS) as error:
        log.warning("could not read the reactions on %s/%s: %s", channel, ts, error)
        return None
    return {
        str(reaction.get("name")): [str(user) for user in reaction.get("users") or []]
        for reaction in message.get("reactions") or []
    }


def permalink_of(client: WebClient, *, channel: str, ts: str) -> str | None:
    """The link to a message, as Slack gives it; None when Slack could not say (the message then goes
    without its link, rather than not at all)."""
    try:
        permalink = client.chat_getPermalink(channel=channel, message_ts=ts).get("permalink")
    except (SlackApiError, *CONNECTION_ERRORS) as error:
        log.warning("could not get the link to %s/%s: %s", channel, ts, error)
        return None
    return str(permalink) if permalink else None


def upload_file(
    client: WebClient,
    *,
    channel: str,
    filename: str,
    content: bytes,
    title: str,
    initial_comment: str | None = None,
    thread_ts: str | None = None,
) -> str:
    """Share a file in a channel, a thread or a DM with the current upload API; return its file id.

    slack_sdk's `files_upload_v2` makes the three calls: `files.getUploadURLExternal`, a POST of the
    bytes to the `upload_url` it answers (on the client's `base_url` host: SLACK_API_URL is honoured),
    and `files.completeUploadExternal`, which shares it; the retired `files.upload` is never called.
    Neither API call is retried blindly (see NON_IDEMPOTENT_METHODS): a lost answer surfaces as an error.
    """
    response = client.files_upload_v2(
        channel=channel,
        content=content,
        filename=filename,
        title=title,
        initial_comment=initial_comment,
        thread_ts=thread_ts,
        # files.info adds nothing we use, and would be one more call that can fail after the share.
        request_file_info=False,
    )
    files = response.get("files") or [response.get("file") or {}]
    return str(files[0].get("id") or "")


class KeptAliveRespond(Respond):
    """Bolt's `respond`, answering through `response_url_client` (kept-alive, sent again where safe)."""

    def __call__(  # type: ignore[override]
        self, text: str | dict[str, Any] = "", **message: Any
    ) -> WebhookResponse:
        if self.response_url is None:
            raise ValueError("respond is unsupported here as there is no response_url")
        whole = _build_message(**text) if isinstance(text, dict) else _build_message(text=text, **message)
        return response_url_client(self.response_url).send_dict(whole)
