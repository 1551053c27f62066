"""HTTP mode: one WSGI app for Slack's requests and the health check, served by waitress."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.request.internals import parse_body
from slack_sdk.signature import SignatureVerifier
from waitress import wasyncore
from waitress.server import create_server

from bot.request_shape import shape_problem

SLACK_EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Health:
    database: bool
    scheduler: bool

    @property
    def ok(self) -> bool:
        return self.database and self.scheduler


def make_wsgi_app(app: App, *, health: Callable[[], Health], signing_secret: str | None = None) -> WSGIApp:
    slack = SlackRequestHandler(app, path=SLACK_EVENTS_PATH)
    verifier = SignatureVerifier(signing_secret) if signing_secret else None

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            return _health_answer(health(), start_response)
        if environ.get("PATH_INFO") == SLACK_EVENTS_PATH and environ.get("REQUEST_METHOD") == "POST":
            body = _read_body(environ)
            environ["wsgi.input"] = io.BytesIO(body)
            # Unsigned requests go on to Bolt, which refuses them (401) before it reads the body; only a
            # request that really comes from Slack is worth telling that its body makes no sense.
            if _signed(verifier, body, environ) and not _shaped_as_slack_sends(
                body, environ.get("CONTENT_TYPE")
            ):
                return _bad_request(start_response)
            try:
                return slack(environ, start_response)
            except Exception:
                # Bolt parses the whole body before its own error handling starts; what fails there is
                # a body Slack never sends, not a fault of ours.
                log.warning("refused a request Bolt could not read", exc_info=True)
                return _bad_request(start_response)
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


def _signed(verifier: SignatureVerifier | None, body: bytes, environ: dict[str, Any]) -> bool:
    if verifier is None:
        return True
    try:
        return verifier.is_valid(
            body=body.decode("utf-8"),
            timestamp=str(environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")),
            signature=str(environ.get("HTTP_X_SLACK_SIGNATURE", "")),
        )
    except ValueError:  # not UTF-8, or a timestamp that is no number: not from Slack
        return False


def _read_body(environ: dict[str, Any]) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return environ["wsgi.input"].read(length) if length > 0 else b""


def _shaped_as_slack_sends(body: bytes, content_type: str | None) -> bool:
    """False for a body no Slack request has: not UTF-8, not JSON where JSON belongs, not Slack's shape."""
    try:
        payload = parse_body(body.decode("utf-8"), content_type)
    except ValueError:
        return False
    problem = shape_problem(payload)
    if problem is not None:
        log.info("refused a signed request not shaped as Slack sends it: %s", problem)
    return problem is None


def _bad_request(start_response: Callable[..., Any]) -> Iterable[bytes]:
    body = b"bad request"
    start_response(
        "400 Bad Request", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
    )
    return [body]


class HttpServer:
    """waitress on a host and port (0 picks a free one); `serve_forever` or `start` in a thread."""

    def __init__(self, wsgi: WSGIApp, *, host: str, port: int, threads: int = 16) -> None:
        self._server = create_server(wsgi, host=host, port=port, threads=threads, ident="netwerkbot")
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
