"""Kept-alive HTTP connections to Slack, one small pool per host, shared by every thread.

slack_sdk opens a new connection (TCP, and TLS towards Slack) for every Web API call and every
response_url answer, and asks the server to close it afterwards. Under load that costs CPU on both
sides, and a busy peer resets fresh connections. urllib3 would pool them but is not among our
dependencies; http.client keeps a connection open as long as both sides speak HTTP/1.1, which is all
a pool of our own needs.

A failure is told apart by whether the request can have reached the server: `NotSent` when it never
left (the connection could not be made), so that a retry cannot double anything; any other error
(reset, broken pipe, closed without an answer) may have come after the server acted on it.
"""

from __future__ import annotations

import http.client
import select
import ssl
import threading
import time
from collections import deque
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urlsplit

IDLE_SECONDS = 30.0
"""How long an unused connection is kept: well under the idle timeouts of Slack's front ends."""
PER_HOST = 16
"""Idle connections kept per host; more may be open at once, the rest are closed after use."""


class NotSent(ConnectionError):
    """The request never left this process: no connection could be made. Repeating it doubles nothing."""


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    reason: str
    headers: Message
    body: bytes


@dataclass
class _Idle:
    connection: http.client.HTTPConnection
    since: float


class ConnectionPools:
    """One pool of idle connections per scheme, host and port; `request` takes one or opens one."""

    def __init__(self, *, per_host: int = PER_HOST, idle_seconds: float = IDLE_SECONDS) -> None:
        self._per_host = per_host
        self._idle_seconds = idle_seconds
        self._idle: dict[tuple[str, str, int], deque[_Idle]] = {}
        self._lock = threading.Lock()
        self.opened = 0
        """Connections opened so far: what the pool saves shows here."""

    def request(
        self,
        method: str,
        url: str,
        *,
        body: bytes | None,
        headers: dict[str, str],
        timeout: float,
        context: ssl.SSLContext | None = None,
    ) -> Answer:
        """Send one request and read its whole answer; raises NotSent, or the error that cut it off."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an HTTP URL: {url}")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        key = (parts.scheme, parts.hostname, port)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        connection = self._take(key) or self._open(key, timeout, context)
        try:
            if connection.sock is not None:
                connection.sock.settimeout(timeout)
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            answer = Answer(response.status, response.reason, response.msg, response.read())
        except BaseException:
            connection.close()
            raise
        if response.will_close:
            connection.close()
        else:
            self._give_back(key, connection)
        return answer

    def close(self) -> None:
        with self._lock:
            pools, self._idle = self._idle, {}
        for pool in pools.values():
            for idle in pool:
                idle.connection.close()

    def _take(self, key: tuple[str, str, int]) -> http.client.HTTPConnection | None:
        now = time.monotonic()
        while True:
            with self._lock:
                pool = self._idle.get(key)
                if not pool:
                    return None
                idle = pool.pop()
            if now - idle.since < self._idle_seconds and _still_open(idle.connection):
                return idle.connection
            idle.connection.close()

    def _open(
        self, key: tuple[str, str, int], timeout: float, context: ssl.SSLContext | None
    ) -> http.client.HTTPConnection:
        scheme, host, port = key
        connection: http.client.HTTPConnection
        if scheme == "https":
            connection = http.client.HTTPSConnection(host, port, timeout=timeout, context=context)
        else:
            connection = http.client.HTTPConnection(host, port, timeout=timeout)
        try:
            connection.connect()
        except OSError as error:
            connection.close()
            raise NotSent(f"could not connect to {host}:{port}: {error}") from error
        with self._lock:
            self.opened += 1
        return connection

    def _give_back(self, key: tuple[str, str, int], connection: http.client.HTTPConnection) -> None:
        with self._lock:
            pool = self._idle.setdefault(key, deque())
            if len(pool) < self._per_host:
                pool.append(_Idle(connection, time.monotonic()))
                return
        connection.close()


def _still_open(connection: http.client.HTTPConnection) -> bool:
    """False when the server closed the idle connection (or sent something unasked): it cannot be used.

    Asked before each reuse, so that a connection the server let go is never written to; one the server
    closes in the instant between this and the request still fails as "may have arrived".
    """
    sock = connection.sock
    if sock is None:
        return False
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return False
    return not readable


POOLS = ConnectionPools()
"""The process's pools: every Web API client and every response_url answer shares them."""
