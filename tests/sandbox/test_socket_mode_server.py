"""The sandbox's Socket Mode endpoint, driven by slack_sdk's own built-in Socket Mode client."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.sandbox.emulator import SlackEmulator
from bot.sandbox.socket_mode import accept_key
from tests.sandbox.conftest import ANNA
from tests.sandbox.conftest import GENERAL


@pytest.fixture
def socket_client(emulator: SlackEmulator) -> Iterator[SocketModeClient]:
    client = SocketModeClient(
        app_token=emulator.app_token,
        web_client=WebClient(token=emulator.bot_token, base_url=emulator.api_url),
        auto_reconnect_enabled=False,
    )
    yield client
    # Closed from the server's side, the client stops reading at once instead of at its next recv timeout.
    emulator.socket_mode.close_connections()
    client.close()


def connect(client: SocketModeClient, timeout: float = 5) -> dict:
    """Connect and wait for Slack's hello: from then on the server sends envelopes to this connection."""
    hello = threading.Event()
    messages: list[dict] = []

    def on_message(_client: SocketModeClient, message: dict, _raw: str | None) -> None:
        messages.append(message)
        if message.get("type") == "hello":
            hello.set()

    client.message_listeners.append(on_message)
    client.connect()
    assert hello.wait(timeout), "no hello from the server"
    return messages[0]


def test_the_accept_key_is_rfc_6455s_example() -> None:
    assert accept_key("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="


def test_apps_connections_open_wants_the_app_token(emulator: SlackEmulator) -> None:
    bot_client = WebClient(token=emulator.bot_token, base_url=emulator.api_url)
    answer = bot_client.apps_connections_open(app_token=emulator.app_token)
    assert answer["url"].startswith(f"ws://127.0.0.1:{emulator.socket_mode.port}/link?ticket=")
    with pytest.raises(SlackApiError) as refused:
        bot_client.apps_connections_open(app_token="xapp-wrong")
    assert refused.value.response["error"] == "invalid_auth"
    assert [call.method for call in emulator.calls] == ["apps.connections.open"] * 2


def test_a_client_connects_gets_hello_receives_an_envelope_and_acks_it(
    emulator: SlackEmulator, socket_client: SocketModeClient
) -> None:
    server = emulator.socket_mode
    seen: list[SocketModeRequest] = []
    got = threading.Event()

    def on_request(client: SocketModeClient, request: SocketModeRequest) -> None:
        seen.append(request)
        client.send_socket_mode_response(
            SocketModeResponse(envelope_id=request.envelope_id, payload={"text": "ok"})
        )
        got.set()

    socket_client.socket_mode_request_listeners.append(on_request)
    hello = connect(socket_client)

    assert server.wait_for_connection(timeout=5)
    payload = {"command": "/netwerk", "text": "help", "user_id": ANNA, "channel_id": GENERAL}
    envelope_id = server.send_envelope("slash_commands", payload)

    assert server.wait_for_ack(envelope_id, timeout=5) == {
        "envelope_id": envelope_id,
        "payload": {"text": "ok"},
    }
    assert got.wait(5)
    [request] = seen
    assert (request.type, request.envelope_id, request.payload) == ("slash_commands", envelope_id, payload)
    assert request.accepts_response_payload is True
    assert hello["type"] == "hello"
    assert hello["connection_info"] == {"app_id": emulator.app_id}
    assert server.envelopes[0]["envelope_id"] == envelope_id


def test_the_server_answers_the_clients_pings(
    emulator: SlackEmulator, socket_client: SocketModeClient
) -> None:
    connect(socket_client)
    session = socket_client.current_session
    assert session is not None and session.is_active()
    # The client pings right after its handshake; a pong carries its session id back.
    deadline = time.monotonic() + 5
    while session.last_ping_pong_time is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert session.last_ping_pong_time is not None


def test_a_large_envelope_crosses_in_one_piece(
    emulator: SlackEmulator, socket_client: SocketModeClient
) -> None:
    server = emulator.socket_mode
    received: list[SocketModeRequest] = []
    socket_client.socket_mode_request_listeners.append(lambda _client, request: received.append(request))
    connect(socket_client)

    envelope_id = server.send_envelope("events_api", {"event": {"type": "message", "text": "x" * 70_000}})

    deadline = time.monotonic() + 5
    while not received and time.monotonic() < deadline:
        time.sleep(0.02)
    [request] = received
    assert request.envelope_id == envelope_id
    assert len(request.payload["event"]["text"]) == 70_000
    assert request.retry_attempt == 0


def test_a_connection_needs_a_ticket_from_apps_connections_open(emulator: SlackEmulator) -> None:
    server = emulator.socket_mode
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as raw:
        raw.sendall(
            b"GET /link?ticket=made-up HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            b"Sec-WebSocket-Version: 13\r\n\r\n"
        )
        assert raw.recv(1024).startswith(b"HTTP/1.1 401 ")


def test_waiting_for_an_ack_that_never_comes_times_out(emulator: SlackEmulator) -> None:
    with pytest.raises(TimeoutError):
        emulator.socket_mode.wait_for_ack("never-sent", timeout=0.1)
