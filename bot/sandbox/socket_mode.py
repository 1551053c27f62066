"""Slack's Socket Mode endpoint on loopback, for tests: a minimal RFC 6455 WebSocket server, stdlib only.

The emulator hands out its URLs from ``apps.connections.open``. An app that connects is greeted with Slack's
``hello``; a test then pushes envelopes (``send_envelope``) and waits for the app's acknowledgement
(``wait_for_ack``). Everything sent and received is recorded.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import hashlib
import json
import secrets
import socket
import struct
import threading
import uuid
from typing import Any
from urllib.parse import parse_qs
from urllib.parse import urlsplit

JsonDict = dict[str, Any]

WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
OP_CONTINUATION, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA
CLOSE_NORMAL, CLOSE_GOING_AWAY, CLOSE_PROTOCOL_ERROR = 1000, 1001, 1002
HANDSHAKE_MAX_BYTES = 16 * 1024
# Slack asks for a response payload only where one can change what the user sees.
ACCEPTS_RESPONSE_PAYLOAD = {"slash_commands": True, "interactive": True, "events_api": False}


def accept_key(key: str) -> str:
    """The Sec-WebSocket-Accept answer to a client's Sec-WebSocket-Key."""
    return base64.b64encode(hashlib.sha1((key + WEBSOCKET_GUID).encode()).digest()).decode()


def encode_frame(opcode: int, data: bytes) -> bytes:
    """One unmasked, final frame, as a server sends it."""
    length = len(data)
    if length <= 125:
        header = struct.pack("!BB", 0x80 | opcode, length)
    elif length <= 0xFFFF:
        header = struct.pack("!BBH", 0x80 | opcode, 126, length)
    else:
        header = struct.pack("!BBQ", 0x80 | opcode, 127, length)
    return header + data


class _Closed(Exception):
    """The peer went away, or broke the protocol."""


class _Connection:
    def __init__(self, sock: socket.socket, number: int) -> None:
        self.sock = sock
        self.number = number
        self.buffer = b""
        self.open = True
        self.greeted = False
        self._send_lock = threading.Lock()

    def read_exact(self, size: int) -> bytes:
        while len(self.buffer) < size:
            try:
                chunk = self.sock.recv(65536)
            except OSError:
                chunk = b""
            if not chunk:
                raise _Closed
            self.buffer += chunk
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def read_frame(self) -> tuple[bool, int, bytes]:
        first, second = self.read_exact(2)
        length = second & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", self.read_exact(2))
        elif length == 127:
            (length,) = struct.unpack("!Q", self.read_exact(8))
        if not second & 0x80:
            # RFC 6455 5.1: a server must close the connection on an unmasked client frame.
            self.close(CLOSE_PROTOCOL_ERROR, "unmasked frame")
            raise _Closed
        mask = self.read_exact(4)
        payload = self.read_exact(length)
        data = bytes(byte ^ mask[i % 4] for i, byte in enumerate(payload))
        return bool(first & 0x80), first & 0x0F, data

    def send(self, opcode: int, data: bytes) -> None:
        with self._send_lock:
            if not self.open:
                raise ConnectionError("the Socket Mode connection is closed")
            self.sock.sendall(encode_frame(opcode, data))

    def send_json(self, message: JsonDict) -> None:
        self.send(OP_TEXT, json.dumps(message).encode())

    def close(self, code: int = CLOSE_NORMAL, reason: str = "") -> None:
        with self._send_lock:
            if not self.open:
                return
            self.open = False
            with contextlib.suppress(OSError):
                self.sock.sendall(encode_frame(OP_CLOSE, struct.pack("!H", code) + reason.encode()))
            with contextlib.suppress(OSError):
                self.sock.shutdown(socket.SHUT_RDWR)
            self.sock.close()


class SocketModeServer:
    """Slack's Socket Mode endpoint on ``127.0.0.1``, on a free port, served by daemon threads."""

    def __init__(self, *, app_id: str = "A0NETWERK", host: str = "127.0.0.1") -> None:
        self.app_id = app_id
        self.host = host
        self._cond = threading.Condition()
        self._listener: socket.socket | None = None
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._tickets: set[str] = set()
        self._connections: list[_Connection] = []
        self._accepted = 0
        self.envelopes: list[JsonDict] = []
        self.received: list[JsonDict] = []
        self.acks: dict[str, JsonDict] = {}

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> SocketModeServer:
        if self._listener is not None:
            return self
        listener = socket.create_server((self.host, 0))
        listener.settimeout(0.05)
        self._listener = listener
        self._stopping.clear()
        self._spawn(self._accept_loop, "socket-mode-accept")
        return self

    def stop(self) -> None:
        listener = self._listener
        if listener is None:
            return
        self._stopping.set()
        with self._cond:
            connections = list(self._connections)
        for connection in connections:
            connection.close(CLOSE_GOING_AWAY, "server stopping")
        for thread in self._threads:
            thread.join(timeout=5)
        listener.close()
        self._listener = None
        self._threads.clear()

    def __enter__(self) -> SocketModeServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._listener is None:
            raise RuntimeError("the Socket Mode server is not started")
        return int(self._listener.getsockname()[1])

    def new_url(self) -> str:
        """A one-use connection URL, as ``apps.connections.open`` returns it."""
        ticket = secrets.token_hex(16)
        with self._cond:
            self._tickets.add(ticket)
        return f"ws://{self.host}:{self.port}/link?ticket={ticket}&app_id={self.app_id}"

    # ------------------------------------------------------------------ what a test does

    @property
    def connected(self) -> bool:
        with self._cond:
            return bool(self._live())

    def wait_for_connection(self, timeout: float = 10.0) -> bool:
        """True once an app is connected and greeted; False if none came within ``timeout`` seconds."""
        with self._cond:
            return self._cond.wait_for(self._live, timeout)

    def _live(self) -> list[_Connection]:
        return [c for c in self._connections if c.open and c.greeted]

    def send_envelope(
        self,
        type: str,
        payload: JsonDict,
        *,
        accepts_response_payload: bool | None = None,
        retry_attempt: int | None = None,
        retry_reason: str | None = None,
    ) -> str:
        """Push an envelope to the newest connection, as Slack does; returns its envelope_id."""
        envelope: JsonDict = {
            "envelope_id": str(uuid.uuid4()),
            "type": type,
            "payload": copy.deepcopy(payload),
            "accepts_response_payload": (
                ACCEPTS_RESPONSE_PAYLOAD.get(type, False)
                if accepts_response_payload is None
                else accepts_response_payload
            ),
        }
        if type == "events_api":
            envelope["retry_attempt"] = retry_attempt or 0
            envelope["retry_reason"] = retry_reason or ""
        with self._cond:
            live = self._live()
            if not live:
                raise RuntimeError("no app is connected over Socket Mode")
            self.envelopes.append(copy.deepcopy(envelope))
        live[-1].send_json(envelope)
        return envelope["envelope_id"]

    def wait_for_ack(self, envelope_id: str, timeout: float = 10.0) -> JsonDict:
        """The app's acknowledgement ``{"envelope_id": ..., "payload": ...}``; TimeoutError if none came."""
        with self._cond:
            if not self._cond.wait_for(lambda: envelope_id in self.acks, timeout):
                raise TimeoutError(f"no acknowledgement for envelope {envelope_id} within {timeout}s")
            return copy.deepcopy(self.acks[envelope_id])

    def disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask every connected app to reconnect, as Slack does before it drops a connection."""
        message = {"type": "disconnect", "reason": reason, "debug_info": {"host": "applink-sandbox"}}
        with self._cond:
            live = self._live()
        for connection in live:
            connection.send_json(message)

    def close_connections(self, code: int = CLOSE_GOING_AWAY, reason: str = "") -> None:
        """Drop every connection with a close frame, as Slack does when it goes away without warning."""
        with self._cond:
            live = self._live()
        for connection in live:
            connection.close(code, reason)

    def reset(self) -> None:
        """Forget what was sent and received; connections stay."""
        with self._cond:
            self.envelopes.clear()
            self.received.clear()
            self.acks.clear()

    # ------------------------------------------------------------------ serving

    def _spawn(self, target: Any, name: str, *args: Any) -> None:
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        self._threads = [t for t in self._threads if t.is_alive()]
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        listener = self._listener
        assert listener is not None
        while not self._stopping.is_set():
            try:
                sock, _address = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            sock.settimeout(None)
            self._accepted += 1
            connection = _Connection(sock, self._accepted)
            with self._cond:
                self._connections.append(connection)
            self._spawn(self._serve, f"socket-mode-{self._accepted}", connection)

    def _serve(self, connection: _Connection) -> None:
        try:
            if not self._handshake(connection):
                return
            with self._cond:
                count = len(self._live()) + 1
            connection.send_json(
                {
                    "type": "hello",
                    "num_connections": count,
                    "debug_info": {
                        "host": "applink-sandbox",
                        "build_number": 1,
                        "approximate_connection_time": 18060,
                    },
                    "connection_info": {"app_id": self.app_id},
                }
            )
            with self._cond:
                connection.greeted = True
                self._cond.notify_all()
            self._read_loop(connection)
        except (_Closed, OSError):
            pass
        finally:
            connection.close(CLOSE_GOING_AWAY)
            with self._cond:
                if connection in self._connections:
                    self._connections.remove(connection)
                self._cond.notify_all()

    def _handshake(self, connection: _Connection) -> bool:
        while b"\r\n\r\n" not in connection.buffer:
            if len(connection.buffer) > HANDSHAKE_MAX_BYTES:
                return self._refuse(connection, "431 Request Header Fields Too Large")
            chunk = connection.sock.recv(4096)
            if not chunk:
                return False
            connection.buffer += chunk
        head, connection.buffer = connection.buffer.split(b"\r\n\r\n", 1)
        request_line, *header_lines = head.decode("latin-1").split("\r\n")
        parts = request_line.split(" ")
        headers = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if len(parts) != 3 or parts[0] != "GET":
            return self._refuse(connection, "400 Bad Request")
        target = urlsplit(parts[1])
        key = headers.get("sec-websocket-key", "")
        if (
            headers.get("upgrade", "").lower() != "websocket"
            or "upgrade" not in headers.get("connection", "").lower()
            or headers.get("sec-websocket-version") != "13"
            or not key
        ):
            return self._refuse(connection, "400 Bad Request")
        if target.path.rstrip("/") != "/link":
            return self._refuse(connection, "404 Not Found")
        ticket = parse_qs(target.query).get("ticket", [""])[0]
        with self._cond:
            known = ticket in self._tickets
            self._tickets.discard(ticket)
        if not known:
            return self._refuse(connection, "401 Unauthorized")
        connection.sock.sendall(
            (
                "HTTP/1.1 101 Switching Protocols\r\n"
                "Upgrade: websocket\r\n"
                "Connection: Upgrade\r\n"
                f"Sec-WebSocket-Accept: {accept_key(key)}\r\n\r\n"
            ).encode()
        )
        return True

    @staticmethod
    def _refuse(connection: _Connection, status: str) -> bool:
        connection.sock.sendall(
            f"HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".encode()
        )
        return False

    def _read_loop(self, connection: _Connection) -> None:
        message_opcode: int | None = None
        fragments: list[bytes] = []
        while True:
            fin, opcode, data = connection.read_frame()
            if opcode == OP_PING:
                connection.send(OP_PONG, data)
                continue
            if opcode == OP_PONG:
                continue
            if opcode == OP_CLOSE:
                code = struct.unpack("!H", data[:2])[0] if len(data) >= 2 else CLOSE_NORMAL
                connection.close(code)
                return
            if opcode in (OP_TEXT, OP_BINARY):
                message_opcode, fragments = opcode, [data]
            elif opcode == OP_CONTINUATION and message_opcode is not None:
                fragments.append(data)
            else:
                connection.close(CLOSE_PROTOCOL_ERROR, "unexpected frame")
                return
            if fin:
                if message_opcode == OP_TEXT:
                    self._received(b"".join(fragments).decode())
                message_opcode, fragments = None, []

    def _received(self, text: str) -> None:
        try:
            message = json.loads(text)
        except ValueError:
            message = {"text": text}
        if not isinstance(message, dict):
            message = {"value": message}
        with self._cond:
            self.received.append(message)
            envelope_id = message.get("envelope_id")
            if isinstance(envelope_id, str):
                self.acks[envelope_id] = message
            self._cond.notify_all()


__all__ = ["SocketModeServer", "accept_key", "encode_frame"]
