"""The one error boundary: a domain error becomes the user's text where they are; anything else is logged
whole, and the user is asked to try again."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import App
from slack_bolt import BoltContext
from slack_bolt import BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import DomainError
from bot.errors import InvalidInput
from bot.i18n import Texts
from bot.slack_api import KeptAliveRespond
from bot.slack_api import kept_alive
from bot.slack_api import response_url_client
from bot.text import escape_mrkdwn
from bot.views.common import notice
from bot.views.home import unavailable_home_view
from bot.views.ids import FIELD_BLOCKS_BY_MODAL
from handlers import HandlerDeps
from handlers.home import publish_home

log = logging.getLogger(__name__)

# Bolt's thread runner (slack_bolt/listener/thread_runner.py) sets the ack back to None when a listener
# fails after acknowledging, right after this handler returns; the request thread polls for the ack
# every 10 ms, so it answers 404 after 3 s if it had not seen the ack yet. Holding the handler a little
# longer than one poll lets the request thread send the ack it already has.
_ACK_POLL_GRACE_SECONDS = 0.05
_INPUT_ELEMENTS_WITHOUT_ERRORS = frozenset({"button", "overflow"})


@dataclass(frozen=True, slots=True)
class _Whom:
    """Who to tell, and where: a response_url, else a channel for an ephemeral, else their App Home."""

    user_id: str
    channel_id: str = ""
    response_url: str = ""
    home: bool = False
    thread_ts: str | None = None


def register(app: App, deps: HandlerDeps) -> None:
    @app.middleware
    def answer_over_kept_alive_connections(
        context: BoltContext, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        # Bolt builds a plain WebClient and `respond` for each request, each call on a new connection;
        # every answer, the error boundary's among them, goes over the kept-alive ones instead.
        context["client"] = kept_alive(context.client)
        if context.response_url:
            context["respond"] = KeptAliveRespond(response_url=context.response_url)
        return next()

    @app.error
    def handle_error(
        error: Exception, body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> BoltResponse | None:
        return answer_error(deps, error, body=body, client=client, context=context)


def answer_error(
    deps: HandlerDeps, error: Exception, *, body: dict[str, Any], client: WebClient, context: BoltContext
) -> BoltResponse | None:
    """Tell the user, where they are and in their language, why their request did not go through.

    A domain error names the text that explains it; anything else is logged whole and the user is asked
    to try again. A modal not yet answered shows the text under the field it is about and stays open.
    """
    if _opened_too_late(error):
        log.warning("a modal opened after its trigger_id had expired; the user is asked to try again")
    elif not isinstance(error, DomainError):
        log.error("unhandled error while handling a Slack request", exc_info=error)
    acknowledged = context.ack.response is not None
    if acknowledged and not deps.replaying:
        time.sleep(_ACK_POLL_GRACE_SECONDS)
    whom = _whom_to_tell(body)
    if not whom.user_id:
        return BoltResponse(status=200, body="") if _unanswered_submission(body, acknowledged) else None
    texts = Texts(_language_of(deps, body, whom, context, ask_database=isinstance(error, DomainError)))
    submission = _unanswered_submission(body, acknowledged)
    if submission:
        errors = _field_errors(texts, error, body.get("view") or {})
        if errors:
            return field_errors_answer(errors)
    try:
        _tell(deps, client, whom, texts, error, team_id=context.team_id or "")
    except Exception:
        log.exception("could not tell %s about the error", whom.user_id)
    # A modal with no field to show the text under closes; the user was told privately instead. An
    # error status would only make Slack say it had trouble connecting.
    return BoltResponse(status=200, body="") if submission else None


def _tell(
    deps: HandlerDeps, client: WebClient, whom: _Whom, texts: Texts, error: Exception, *, team_id: str
) -> None:
    """On the response_url, else as an ephemeral in the channel, else at the top of their App Home."""
    text = _text_of(texts, error, mrkdwn=True)
    if whom.response_url:
        response_url_client(whom.response_url).send(
            text=text,
            blocks=notice(text).blocks_as_dicts(),
            response_type="ephemeral",
            replace_original=False,
        )
    elif whom.channel_id:
        client.chat_postEphemeral(
            channel=whom.channel_id, user=whom.user_id, text=text, thread_ts=whom.thread_ts
        )
    elif whom.home and (isinstance(error, DomainError) or _opened_too_late(error)):
        # A refused click on App Home, or a form that opened too late: the home is shown again, with why
        # at its top and its buttons to press again.
        publish_home(
            deps, client, team_id=team_id, user_id=whom.user_id, notice=texts("home.notice.failed", text=text)
        )
    elif whom.home:
        client.views_publish(user_id=whom.user_id, view=unavailable_home_view(texts, notice=text))


def _unanswered_submission(body: dict[str, Any], acknowledged: bool) -> bool:
    return not acknowledged and body.get("type") == "view_submission"


def _text_of(texts: Texts, error: Exception, *, mrkdwn: bool = False) -> str:
    """What the user reads about `error`; `mrkdwn` where Slack reads it as mrkdwn (not a field error)."""
    if isinstance(error, InvalidInput) and error.text_key == InvalidInput.text_key and error.problems:
        # Told outside its form (the words of a command): what is wrong, not only that something is.
        return " ".join(texts(key, **values) for key, values in error.problems.values())
    if isinstance(error, DomainError):
        values = {
            name: escape_mrkdwn(str(value)) if mrkdwn and name in error.typed_values else value
            for name, value in error.values.items()
        }
        return texts(error.text_key, **values)
    if _opened_too_late(error):
        return texts("error.opened_too_late")
    return texts("error.unexpected")


def _opened_too_late(error: Exception) -> bool:
    """Slack keeps a trigger_id three seconds: a request worked later than that cannot open its modal, and
    the user only needs to ask again, not to wait for us to mend something."""
    return isinstance(error, SlackApiError) and error.response.get("error") == "expired_trigger_id"


def _field_errors(texts: Texts, error: Exception, view: dict[str, Any]) -> dict[str, str]:
    """`response_action="errors"` for the modal: each problem under its own field, else under the first.

    The modal stays open with what was typed in it and says why it did not go through; an error status
    would only show Slack's own "trouble connecting" without saying what to do.
    """
    if isinstance(error, InvalidInput):
        blocks = FIELD_BLOCKS_BY_MODAL.get(str(view.get("callback_id") or ""), {})
        errors = {
            block: texts(key, **values)
            for name, (key, values) in error.problems.items()
            if (block := _block_of_field(blocks, name))
        }
        if errors:
            return errors
    block_id = first_input_block(view)
    return {block_id: _text_of(texts, error)} if block_id else {}


def _block_of_field(blocks: dict[str, str], name: str) -> str | None:
    """The block a field's problem is shown under; `prefix-*` in a map stands for one block per row."""
    if name in blocks:
        return blocks[name]
    prefix, _, row = name.rpartition("-")
    block_prefix = blocks.get(f"{prefix}-*") if prefix else None
    return f"{block_prefix}{row}" if block_prefix else None


def _language_of(
    deps: HandlerDeps, body: dict[str, Any], whom: _Whom, context: BoltContext, *, ask_database: bool
) -> str:
    """The modal's language, else the network's of the channel, else the user's own Slack locale.

    An unexpected error may come from the database itself: then it is not asked again.
    """
    metadata = _modal_metadata(body.get("view") or {})
    if isinstance(metadata.get("language"), str) and metadata["language"]:
        return str(metadata["language"])
    if whom.channel_id and ask_database:
        try:
            network = deps.services.networks.find_by_channel(
                team_id=context.team_id or "", channel_id=whom.channel_id
            )
        except Exception:
            # The database may be why we are here; the user's own language is then the best we have.
            network = None
        if network is not None:
            return network.network.language
    return deps.languages.language_of(whom.user_id)


def _whom_to_tell(body: dict[str, Any]) -> _Whom:
    """The user, and where to reach them, of a command, interaction, modal or event, where it has them."""
    event = body.get("event") or {}
    if body.get("type") == "event_callback":
        user = event.get("user")
        if not isinstance(user, str) or not user:
            return _Whom("")
        if event.get("type") == "app_home_opened":
            return _Whom(user, home=event.get("tab") == "home")
        channel = event.get("channel") or (event.get("item") or {}).get("channel") or ""
        thread_ts = event.get("thread_ts")
        return _Whom(
            user,
            channel_id=str(channel) if isinstance(channel, str) else "",
            thread_ts=thread_ts if isinstance(thread_ts, str) else None,
        )
    user = body.get("user_id") or (body.get("user") or {}).get("id") or ""
    channel = body.get("channel_id") or (body.get("channel") or {}).get("id") or ""
    response_url = body.get("response_url") or ""
    if not response_url:
        urls = body.get("response_urls") or []
        response_url = urls[0].get("response_url", "") if urls else ""
    if not channel and (body.get("view") or {}).get("type") == "modal":
        # A submission, or a click inside a modal: the channel the modal was opened from.
        channel = _channel_of_modal(body.get("view") or {})
    on_home = body.get("type") == "block_actions" and (body.get("view") or {}).get("type") == "home"
    return _Whom(str(user), channel_id=str(channel), response_url=str(response_url), home=on_home)


def _channel_of_modal(view: dict[str, Any]) -> str:
    """The channel a modal was opened from, which every ModalContext keeps in the private_metadata."""
    channel = _modal_metadata(view).get("channel_id")
    return channel if isinstance(channel, str) else ""


def _modal_metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        metadata = json.loads(view.get("private_metadata") or "{}")
    except (TypeError, ValueError):
        return {}
    return metadata if isinstance(metadata, dict) else {}


def field_errors_answer(errors: dict[str, str]) -> BoltResponse:
    """The answer to a modal's submission that keeps the modal open with `errors` under their blocks."""
    answer = {"response_action": "errors", "errors": errors}
    return BoltResponse(status=200, body=json.dumps(answer), headers={"content-type": "application/json"})


def first_input_block(view: dict[str, Any]) -> str:
    """The block a modal's error can be shown under: its first input that Slack can mark."""
    for block in view.get("blocks") or []:
        element = block.get("element") or {}
        if block.get("type") == "input" and element.get("type") not in _INPUT_ELEMENTS_WITHOUT_ERRORS:
            return str(block.get("block_id") or "")
    return ""
