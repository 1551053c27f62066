"""Fixtures for the sandbox's own tests: one emulator for the session, reset per test, on a clock we move."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox.emulator import SlackEmulator

START = 1_700_000_000.0

ANNA = "U0ANNA"
BEN = "U0BEN"
CAROL = "U0CAROL"
GENERAL = "C0GENERAL"
PRIVATE = "C0PRIVATE"
WITHOUT_BOT = "C0NOBOT"
SECRET = "G0SECRET"


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that answers in one call and keeps the test output free of its access log."""

    def answer(self, status: int, body: bytes, headers: list[tuple[str, str]]) -> None:
        self.send_response(status)
        for key, value in headers:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


@contextmanager
def served_on_loopback(handler: type[QuietHandler], *, poll_interval: float) -> Iterator[str]:
    """`handler` serving requests on a free loopback port, in threads of its own, until the block ends;
    the URL a driver sends Slack's requests to."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": poll_interval}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/slack/events"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def slack_error(call: Callable[..., object], /, **kwargs: object) -> SlackApiError:
    """The error the Web API answered `call(**kwargs)` with; that it failed at all is asserted."""
    with pytest.raises(SlackApiError) as raised:
        call(**kwargs)
    return raised.value


def option(text: str, value: str) -> dict[str, Any]:
    """A Block Kit option as Slack sends it, its text plain."""
    return {"text": {"type": "plain_text", "text": text}, "value": value}


def input_block(block_id: str, label: str, element: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A modal's input block as raw Block Kit JSON (`extra`: "optional" and the like)."""
    return {
        "type": "input",
        "block_id": block_id,
        **extra,
        "label": {"type": "plain_text", "text": label},
        "element": element,
    }


NAME_INPUT = input_block("name", "Naam", {"type": "plain_text_input", "action_id": "value"})
KIND_INPUT = input_block(
    "kind",
    "Soort",
    {
        "type": "static_select",
        "action_id": "value",
        "options": [option("Georganiseerd", "organised"), option("Spontaan", "spontaneous")],
    },
)
"""Two inputs of the test modals: a plain text and a static select."""


def intro_modal(*blocks: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """The test modals' "Kennismaking" (callback "intro", opened in #general) as raw Block Kit JSON
    (`extra`: "notify_on_close" and the like)."""
    return {
        "type": "modal",
        "callback_id": "intro",
        "private_metadata": GENERAL,
        **extra,
        "title": {"type": "plain_text", "text": "Kennismaking"},
        "submit": {"type": "plain_text", "text": "Opslaan"},
        "blocks": list(blocks),
    }


class FakeClock:
    """A float clock (seconds since the epoch) that only moves when told."""

    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(scope="session")
def emulator_server() -> Iterator[SlackEmulator]:
    with SlackEmulator() as emulator:
        yield emulator


@pytest.fixture
def sandbox_clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def emulator(emulator_server: SlackEmulator, sandbox_clock: FakeClock) -> SlackEmulator:
    """Three people; a public channel, a private one, one without the bot and a private one without it."""
    emulator = emulator_server
    emulator.reset()
    emulator.clock = sandbox_clock
    emulator.add_user(ANNA, "anna", real_name="Anna Peeters", locale="nl-BE")
    emulator.add_user(BEN, "ben", real_name="Ben Janssens", locale="en-GB", tz="Europe/London")
    emulator.add_user(CAROL, "carol", real_name="Carol Dupont", locale="fr-BE")
    emulator.add_channel(GENERAL, "general", members=[ANNA, BEN])
    emulator.add_channel(PRIVATE, "kern", members=[ANNA], is_private=True)
    emulator.add_channel(WITHOUT_BOT, "koffie", members=[ANNA, CAROL], bot_is_member=False)
    emulator.add_channel(SECRET, "geheim", members=[CAROL], is_private=True, bot_is_member=False)
    return emulator


@pytest.fixture
def client(emulator: SlackEmulator) -> WebClient:
    """slack_sdk's own client, as the bot uses it, pointed at the emulator."""
    return WebClient(token=emulator.bot_token, base_url=emulator.api_url)


@dataclass
class ReceivedRequest:
    path: str
    headers: dict[str, str]
    body: bytes

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)


@dataclass
class RecordingApp:
    """A stand-in for the app: records what the driver sends and answers what a test tells it to."""

    url: str
    received: list[ReceivedRequest] = field(default_factory=list)
    status: int = 200
    answer: Any = None
    delay: float = 0.0

    @property
    def last(self) -> ReceivedRequest:
        return self.received[-1]

    def reply_with(self, answer: Any, status: int = 200) -> None:
        self.answer, self.status = answer, status

    def reset(self) -> None:
        self.received.clear()
        self.status, self.answer, self.delay = 200, None, 0.0


@pytest.fixture
def recording_app(recording_server: RecordingApp) -> RecordingApp:
    recording_server.reset()
    return recording_server


@pytest.fixture(scope="session")
def recording_server() -> Iterator[RecordingApp]:
    app = RecordingApp(url="")
    stop_waiting = threading.Event()

    class Handler(QuietHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            app.received.append(
                ReceivedRequest(self.path, dict(self.headers.items()), self.rfile.read(length))
            )
            if app.delay:
                stop_waiting.wait(app.delay)
            body = b"" if app.answer is None else json.dumps(app.answer).encode()
            self.answer(app.status, body, [("Content-Type", "application/json")])

    with served_on_loopback(Handler, poll_interval=0.05) as url:
        app.url = url
        yield app
        stop_waiting.set()
