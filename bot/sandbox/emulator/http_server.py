"""The emulator's HTTP server: a daemon thread on a free loopback port, each request to one function."""

from __future__ import annotations

import contextlib
import json
import socket
import sys
import threading
import time
from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from typing import Any

from bot.sandbox._args import JsonDict


@dataclass
class Outcome:
    """What to answer one request: after ``delay`` seconds, or (``drop``) nothing at all."""

    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False

    @classmethod
    def json(cls, status: int, body: JsonDict, **kwargs: Any) -> Outcome:
        return cls(status, json.dumps(body).encode(), **kwargs)

    @classmethod
    def text(cls, status: int, body: str, **kwargs: Any) -> Outcome:
        return cls(status, body.encode(), content_type="text/plain; charset=utf-8", **kwargs)


# verb, target (path and query), headers with lower-case names, body.
RequestHandler = Callable[[str, str, Mapping[str, str], bytes], Outcome]


class HttpServer:
    """Serves ``handle`` on ``127.0.0.1`` on a free port until stopped."""

    def __init__(self, handle: RequestHandler) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.handle = handle
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="slack-emulator",
            daemon=True,
        )
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        # Kept-alive connections would go on being served by their threads: Slack gone is gone.
        self._server.close_open_connections()
        self._thread.join(timeout=5)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    handle: RequestHandler

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._open_lock:
                self._open.discard(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that went away (a test cutting the connection) is no fault of the sandbox.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    def close_open_connections(self) -> None:
        with self._open_lock:
            open_now, self._open = self._open, set()
        for connection in open_now:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "SlackEmulator/1.0"
    # Keep-alive, as Slack's own front ends: a client may send many requests on one connection.
    protocol_version = "HTTP/1.1"
    timeout = 120
    # The headers and the body go out in two writes: with Nagle's algorithm on, a kept-alive client
    # waits for its delayed ACK (40 ms) before it sees the body.
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, verb: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {key.lower(): value for key, value in self.headers.items()}
        outcome = self.server.handle(verb, self.path, headers, body)
        if outcome.delay > 0:
            time.sleep(outcome.delay)
        if outcome.drop:
            # Nothing written: the client sees the connection close without an answer.
            self.close_connection = True
            return
        self.send_response(outcome.status)
        self.send_header("Content-Type", outcome.content_type)
        self.send_header("Content-Length", str(len(outcome.body)))
        for key, value in outcome.headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(outcome.body)

    def log_message(self, format: str, *args: Any) -> None:
        # Request lines on stderr would bury test output.
        return
