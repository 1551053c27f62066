"""HTTP mode: one WSGI app for Slack's requests and the health check, served by waitress."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import io
import json
import logging
import threading
import time
from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.request.internals import parse_body
from waitress import wasyncore
from waitress.server import create_server

from bot.inbound import Inbound
from bot.inbound import recorded_kind
from bot.request_shape import shape_problem

SLACK_EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
SIGNATURE_MAX_AGE_SECONDS = 300
MAX_REQUEST_BYTES = 4 * 1024 * 1024
"""Far above Slack's largest request (a modal of 100 blocks with its state), and small enough that every
serving thread at once holds little: a body is read whole before its signature can be checked."""

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Health:
    database: bool
    scheduler: bool

    @property
    def ok(self) -> bool:
        return self.database and self.scheduler


def make_wsgi_app(
    app: App,
    *,
    health: Callable[[], Health],
    signing_secret: str | None = None,
    inbound: Inbound | None = None,
) -> WSGIApp:
    """`inbound`: record what can be worked after its acknowledgement and answer at once (bot.inbound);
    without it Bolt answers every request itself."""
    slack = SlackRequestHandler(app, path=SLACK_EVENTS_PATH)
    secret = signing_secret.encode() if signing_secret else None

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            return _health_answer(health(), start_response)
        if environ.get("PATH_INFO") == SLACK_EVENTS_PATH and environ.get("REQUEST_METHOD") == "POST":
            body = _read_body(environ)
            # The signature is checked here, not by Bolt: a form body is mended below, which Bolt's own
            # check of the raw body would then refuse.
            if not _signed(secret, body, environ):
                return _answer(start_response, "401 Unauthorized", b"invalid request")
            content_type = environ.get("CONTENT_TYPE")
            body = _readable_by_bolt(body, content_type)
            environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(body), str(len(body))
            payload = _payload_if_shaped(body, content_type)
            if payload is None:
                return _answer(start_response, "400 Bad Request", b"bad request")
            kind = recorded_kind(payload) if inbound is not None else None
            if kind is not None and inbound.acknowledge(  # type: ignore[union-attr]
                payload,
                kind=kind,
                body=body.decode("utf-8"),
                content_type=str(content_type or ""),
                retry_num=environ.get("HTTP_X_SLACK_RETRY_NUM"),
            ):
                return _answer(start_response, "200 OK", b"")
            try:
                return slack(environ, start_response)
            except Exception:
                # Bolt parses the whole body before its own error handling starts; what fails there is
                # a body Slack never sends, not a fault of ours.
                log.warning("refused a request Bolt could not read", exc_info=True)
                return _answer(start_response, "400 Bad Request", b"bad request")
        # Bolt's own pages: with many workspaces, GET /slack/install and /slack/oauth_redirect (a
        # browser's, unsigned); anything else gets Bolt's 404.
        return slack(environ, start_response)

    return wsgi


def _health_answer(state: Health, start_response: Callable[..., Any]) -> Iterable[bytes]:
    body = (
        {"status": "ok"}
        if state.ok
        else {
            "status": "unavailable",
            "database": "ok" if state.database else "down",
            "scheduler": "ok" if state.scheduler else "down",
        }
    )
    payload = json.dumps(body).encode()
    start_response(
        "200 OK" if state.ok else "503 Service Unavailable",
        [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(payload))),
            ("Cache-Control", "no-store"),
        ],
    )
    return [payload]


def _signed(secret: bytes | None, body: bytes, environ: dict[str, Any]) -> bool:
    """Slack's v0 signature over the raw bytes, with a timestamp within five minutes of now.

    Computed here over bytes rather than with slack_sdk's verifier, which needs text: a signed body
    that is not UTF-8 is then a bad request (400), not a forgery (401).
    """
    timestamp = str(environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", ""))
    signature = str(environ.get("HTTP_X_SLACK_SIGNATURE", ""))
    if secret is None or not timestamp.isascii() or not timestamp.isdigit():
        return False
    if abs(time.time() - int(timestamp)) > SIGNATURE_MAX_AGE_SECONDS:
        return False
    expected = hmac.new(secret, b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(f"v0={expected}", signature)


def _read_body(environ: dict[str, Any]) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return environ["wsgi.input"].read(length) if length > 0 else b""


def _payload_if_shaped(body: bytes, content_type: str | None) -> dict[str, Any] | None:
    """The payload; None for a body no Slack request has: not UTF-8, not JSON where JSON belongs, not
    Slack's shape."""
    try:
        payload = parse_body(body.decode("utf-8"), content_type)
    except ValueError:
        return None
    problem = shape_problem(payload)
    if problem is not None:
        log.info("refused a signed request not shaped as Slack sends it: %s", problem)
        return None
    return payload


def _answer(start_response: Callable[..., Any], status: str, body: bytes) -> Iterable[bytes]:
    start_response(
        status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
    )
    return [body]


def _readable_by_bolt(body: bytes, content_type: str | None) -> bytes:
    """The same form body, without the word Bolt mistakes for an interactivity payload.

    Bolt reads any form body that contains "payload" anywhere as interactivity and finds nothing in it,
    so `/case Payload-problemen` would go unanswered (404). Percent-encoding one letter of the word
    changes no value: the form decodes to exactly what Slack sent.
    """
    if b"payload" not in body or body.lstrip().startswith(b"{") or content_type == "application/json":
        return body
    if any(
        key == "payload"
        for key, _ in parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    ):
        return body
    return body.replace(b"payload", b"%70ayload")


class HttpServer:
    """waitress on a host and port (0 picks a free one); `serve_forever` or `start` in a thread."""

    def __init__(self, wsgi: WSGIApp, *, host: str, port: int, threads: int = 16) -> None:
        self._server = create_server(
            wsgi,
            host=host,
            port=port,
            threads=threads,
            ident="netwerkbot",
            max_request_body_size=MAX_REQUEST_BYTES,
        )
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.effective_port)  # type: ignore[union-attr]

    @property
    def base_url(self) -> str:
        host = self._server.effective_host  # type: ignore[union-attr]
        host = "127.0.0.1" if host in ("0.0.0.0", "") else host
        return f"http://{host}:{self.port}"

    @property
    def events_url(self) -> str:
        return self.base_url + SLACK_EVENTS_PATH

    def serve_forever(self) -> None:
        self._server.run()

    def start(self) -> HttpServer:
        self._thread = threading.Thread(target=self._server.run, name="http", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; requests under way are finished first."""
        server = self._server
        if self._thread is not None and self._thread.is_alive():
            # The loop must close its own sockets: closing them from here pulls them out from under select().
            # If the loop is already closing its sockets, the trigger among them, there is nothing to wake.
            with contextlib.suppress(OSError):
                server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))  # type: ignore[union-attr]
            self._thread.join(timeout=5)
        server.task_dispatcher.shutdown()  # type: ignore[union-attr]
