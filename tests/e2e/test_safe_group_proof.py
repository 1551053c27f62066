"""The proof of issue 15: one confidential case with its advice and lesson goes through every part of the
bot, and every surface the bot writes to is searched for what the case says. It is found only in the
reading modal of a member who accepted the agreements, in the owner's own data, and in the owner's
private messages."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from bot.demo.harness import LocalBot
from bot.sandbox.emulator import SlackEmulator
from bot.views.ids import CASE_READING_VIEW
from bot.views.ids import CaseActions
from bot.views.ids import HomeActions
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import OUTSIDER
from tests.e2e.conftest import exported
from tests.e2e.conftest import press
from tests.e2e.conftest import start_network
from tests.e2e.test_cases import close_case
from tests.e2e.test_cases import reply_in_thread
from tests.e2e.test_safe_group import ADVISER
from tests.e2e.test_safe_group import OWNER
from tests.e2e.test_safe_group import SECRETS
from tests.e2e.test_safe_group import agree
from tests.e2e.test_safe_group import bring_confidential
from tests.e2e.test_safe_group import give_confidential_advice
from tests.e2e.test_safe_group import read

WRITING_METHODS = frozenset(
    {
        "chat.postMessage",
        "chat.postEphemeral",
        "chat.update",
        "chat.scheduleMessage",
        "views.open",
        "views.update",
        "views.push",
        "views.publish",
        "canvases.edit",
        "conversations.canvases.create",
        "files.completeUploadExternal",
        "response_url",
    }
)


def walk_every_part_of_the_bot(bot: LocalBot, emulator: SlackEmulator) -> str:
    """The case's life, with every kind of reader around it; the card's ts."""
    assert bot.driver is not None
    start_network(bot)
    agree(bot, ADVISER, OWNER)
    card_ts = bring_confidential(bot)
    assert read(bot, ADVISER, card_ts) is not None
    give_confidential_advice(bot, ADVISER, card_ts)
    reply_in_thread(bot, emulator, FACILITATOR, "Mag ik iets vragen over de situatie?", card_ts)
    assert read(bot, FACILITATOR, card_ts) is None
    assert read(bot, OUTSIDER, card_ts) is None
    press(bot, FACILITATOR, CaseActions.AGENDA, card_ts)
    press(bot, FACILITATOR, CaseActions.START_ROUND, card_ts)
    close_case(bot, card_ts, "Eerst luisteren, dan pas uitleggen.")
    assert read(bot, ADVISER, card_ts) is not None
    bot.command("lijst", command="/case", user_id=ADVISER, channel_id=NETWORK_CHANNEL)
    bot.command("samenvatting", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    for user_id in (FACILITATOR, OWNER, ADVISER):
        bot.send_event(bot.driver.app_home_opened(user_id), event_id=f"EvHOME{user_id}")
    home = emulator.home_view(FACILITATOR)
    assert home is not None
    bot.driver.block_action(user_id=FACILITATOR, action_id=HomeActions.DOWNLOAD_CSV, view_id=home["id"])
    for user_id in (OWNER, FACILITATOR):
        bot.command("mijn-gegevens", user_id=user_id, channel_id=NETWORK_CHANNEL)
    bot.settle()
    return card_ts


def reading_modal_of(emulator: SlackEmulator, call: Any) -> str | None:
    """Whose reading modal a views.open or views.update call showed; None for any other view."""
    view = call.args.get("view")
    view = json.loads(view) if isinstance(view, str) else view or {}
    if view.get("callback_id") != CASE_READING_VIEW:
        return None
    record = emulator.view(str((call.response.get("view") or {}).get("id") or ""))
    return record["user"] if record else None


def secrets_in(text: str) -> set[str]:
    return {secret for secret in SECRETS if secret in text}


def test_a_confidential_case_is_found_only_where_its_readers_and_its_owner_are(
    bot: LocalBot, emulator: SlackEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    walk_every_part_of_the_bot(bot, emulator)
    owner_dm = emulator.dm_channel_id(OWNER)

    found_where: dict[str, set[str]] = {}
    for call in emulator.calls:
        if call.method not in WRITING_METHODS:
            continue
        found = secrets_in(json.dumps(call.args, ensure_ascii=False))
        if not found:
            continue
        reader = reading_modal_of(emulator, call) if call.method.startswith("views.") else None
        if reader is not None:
            where = f"reading modal of {reader}"
        elif call.method == "chat.postMessage" and call.args.get("channel") == owner_dm:
            where = "the owner's private messages"
        else:
            where = f"{call.method} {call.args.get('channel') or call.args.get('user_id') or ''}"
        found_where.setdefault(where, set()).update(found)

    allowed = {f"reading modal of {ADVISER}", f"reading modal of {OWNER}", "the owner's private messages"}
    assert set(found_where) <= allowed, found_where
    assert found_where[f"reading modal of {ADVISER}"] == set(SECRETS)
    assert found_where["the owner's private messages"] == {SECRETS[3]}

    files = {
        file_id: (file.get("channels") or []) + (file.get("ims") or [])
        for file_id, file in emulator.files.items()
        if secrets_in(file["content"].decode("utf-8", "replace"))
    }
    assert list(files.values()) == [[owner_dm]], "only the owner's own data holds what the case says"
    assert len(emulator.files) >= 3, "the CSV and the other member's data were made too"

    assert not secrets_in(json.dumps(exported(bot), ensure_ascii=False))
    assert not secrets_in(emulator.canvas(NETWORK_CHANNEL) or "")
    assert not secrets_in(caplog.text)
