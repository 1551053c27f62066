"""HTTP mode: one WSGI app for Slack's requests and the health check, served by waitress."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress import wasyncore
from waitress.server import create_server

SLACK_EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@dataclass(frozen=True, slots=True)
class Health:
    database: bool
    scheduler: bool

    @property
    def ok(self) -> bool:
        return self.database and self.scheduler


def make_wsgi_app(app: App, *, health: Callable[[], Health]) -> WSGIApp:
    slack = SlackRequestHandler(app, path=SLACK_EVENTS_PATH)

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            state = health()
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
            status = "200 OK" if state.ok else "503 Service Unavailable"
            start_response(
                status,
                [
                    ("Content-Type", "application/json"),
                    ("Content-Length", str(len(payload))),
                    ("Cache-Control", "no-store"),
                ],
            )
            return [payload]
        return slack(environ, start_response)

    return wsgi


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
