"""One bot per test module for the fuzz tests: hypothesis runs many examples inside one test, and a
function-scoped bot would be shared by all of them anyway; so the bot, its workspace and its database
live as long as the module, and each example compares the database before and after itself."""

from __future__ import annotations

import json
import logging
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import Engine
from sqlalchemy import select

from bot.clock import ManualClock
from bot.demo.harness import LocalBot
from bot.sandbox.driver import DriverResponse
from bot.sandbox.driver import SlackDriver
from bot.sandbox.emulator import SlackEmulator
from storage.db import create_db_engine
from storage.models import metadata
from tests.blocks import block_texts
from tests.conftest import _empty_all_tables
from tests.e2e.conftest import populate_workspace
from tests.e2e.conftest import start_network

TableRows = dict[str, list[str]]
_JSON_ARGUMENTS = frozenset({"blocks", "view", "attachments"})
FORM = "application/x-www-form-urlencoded"


@dataclass
class FuzzWorld:
    """The running bot, its workspace and a way to read its whole database."""

    bot: LocalBot
    emulator: SlackEmulator
    engine: Engine
    failures: list[logging.LogRecord]
    """What reached the error boundary: a listener raised what it did not expect."""

    @property
    def driver(self) -> SlackDriver:
        assert self.bot.driver is not None
        return self.bot.driver

    def rows(self) -> TableRows:
        """Every row of every table, in a stable order: equal snapshots mean nothing was written."""
        with self.engine.connect() as connection:
            return {
                table.name: sorted(repr(tuple(row)) for row in connection.execute(select(table)))
                for table in metadata.sorted_tables
            }

    def post_signed(self, body: bytes, content_type: str) -> DriverResponse:
        """Send bytes exactly as given, signed as Slack signs: for bodies the driver would never build."""
        stamp = int(time.time())
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(stamp),
            "X-Slack-Signature": self.driver.sign(body, stamp),
        }
        response = self.driver.post_raw(body, headers)
        self.bot.settle()
        return response

    def post_interaction(self, payload: Any) -> DriverResponse:
        """An interaction payload sent as Slack sends one: form-encoded under `payload`, signed."""
        return self.post_signed(urlencode({"payload": json.dumps(payload)}).encode(), FORM)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def module_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("fuzz") / "netwerk.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    url = request.getfixturevalue("postgres_url")
    _empty_all_tables(url)
    yield url
    _empty_all_tables(url)


@pytest.fixture(scope="module")
def world(module_database_url: str) -> Iterator[FuzzWorld]:
    """A linked Dutch network in NETWORK_CHANNEL (facilitator and two participants), served for real."""
    emulator = SlackEmulator().start()
    populate_workspace(emulator)
    clock = ManualClock(datetime(2026, 9, 14, 8, 0, tzinfo=UTC))
    engine = create_db_engine(module_database_url)
    boundary = _Recorder()
    logging.getLogger("handlers.errors").addHandler(boundary)
    try:
        with LocalBot(emulator, database_url=module_database_url, clock=clock) as bot:
            response = start_network(bot)
            assert response.status == 200 and response.problems == [], response.problems
            emulator.reset_calls()
            yield FuzzWorld(bot=bot, emulator=emulator, engine=engine, failures=boundary.records)
    finally:
        logging.getLogger("handlers.errors").removeHandler(boundary)
        engine.dispose()
        emulator.stop()


class _Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def texts_in(node: Any) -> list[str]:
    """Every string under a `text` key in a Web API call's arguments, inside blocks and views too."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _JSON_ARGUMENTS and isinstance(value, str):
                # slack_sdk sends these form-encoded, as JSON text.
                value = json.loads(value)
            if key == "text" and isinstance(value, str):
                found.append(value)
            else:
                found.extend(texts_in(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(texts_in(item))
    return found


def mrkdwn_in(arguments: dict[str, Any]) -> list[str]:
    """What Slack parses for pings and links in a post: its `text`, and every mrkdwn text in its blocks.

    plain_text objects (headers, buttons, inputs) are shown as typed: Slack finds no pings there.
    """
    found = [arguments["text"]] if isinstance(arguments.get("text"), str) else []
    blocks = arguments.get("blocks")
    return found + block_texts(json.loads(blocks) if isinstance(blocks, str) else blocks, mrkdwn_only=True)
