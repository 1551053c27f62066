"""End-to-end fixtures: the sandbox workspace and the bot serving it over real HTTP; and the steps and
readings that flows of several modules share (starting a network, bringing a case, private answers)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session
from sqlmodel import select

from bot.clock import ManualClock
from bot.demo.harness import LocalBot
from bot.sandbox.driver import DriverResponse
from bot.sandbox.emulator import SlackEmulator
from bot.services.export import export_network
from bot.views.ids import CONFIDENTIAL_OPTION
from bot.views.ids import CaseIntakeBlocks
from bot.views.ids import PrivacyActions
from storage.db import create_db_engine
from storage.db import session_factory
from tests.blocks import message_text
from tests.factories import CASE_FORM
from tests.factories import form_values

FACILITATOR = "U0ELS"
PARTICIPANTS = ("U0JOKE", "U0MEHMET")
ENGLISH_SPEAKER = "U0SAM"
OUTSIDER = "U0KAREL"
NETWORK_CHANNEL = "C0NETWERK"
CHANNEL_WITHOUT_BOT = "C0ZONDERBOT"
DIRECT_MESSAGE = "D0ELS"


@pytest.fixture(scope="session")
def emulator_server() -> Iterator[SlackEmulator]:
    emulator = SlackEmulator()
    emulator.start()
    yield emulator
    emulator.stop()


@pytest.fixture
def emulator(emulator_server: SlackEmulator) -> SlackEmulator:
    """A small Flemish workspace: a network channel with three people, and a channel the bot is not in."""
    populate_workspace(emulator_server)
    return emulator_server


def populate_workspace(emulator: SlackEmulator) -> None:
    emulator.reset()
    emulator.add_user(FACILITATOR, "els", real_name="Els Peeters", locale="nl-BE")
    emulator.add_user(PARTICIPANTS[0], "joke", real_name="Joke Janssens", locale="nl-BE")
    emulator.add_user(PARTICIPANTS[1], "mehmet", real_name="Mehmet Yilmaz", locale="nl-NL")
    emulator.add_user(ENGLISH_SPEAKER, "sam", real_name="Sam Carter", locale="en-GB")
    emulator.add_user(OUTSIDER, "karel", real_name="Karel De Smet", locale="nl-BE")
    emulator.add_channel(NETWORK_CHANNEL, "lerend-netwerk-jeugdhulp", members=[FACILITATOR, *PARTICIPANTS])
    emulator.add_channel(
        CHANNEL_WITHOUT_BOT, "koffiehoek", members=[FACILITATOR, ENGLISH_SPEAKER], bot_is_member=False
    )


@pytest.fixture
def bot(
    request: pytest.FixtureRequest, emulator: SlackEmulator, database_url: str, clock: ManualClock
) -> Iterator[LocalBot]:
    """The bot, the calls of its start-up forgotten; with its scheduler stopped in a module marked
    `scheduler_stopped`, whose tests run the timed jobs themselves, one step at a time."""
    start_scheduler = request.node.get_closest_marker("scheduler_stopped") is None
    with LocalBot(
        emulator, database_url=database_url, clock=clock, start_scheduler=start_scheduler
    ) as local_bot:
        emulator.reset_calls()
        yield local_bot


START_FORM = {
    "start_name": "Lerend netwerk jeugdhulp",
    "start_goal": "Samen sterker in moeilijke gesprekken met ouders",
    "start_origin": "organised",
    "start_composition": "same_role",
    "start_language": "nl",
    "start_timezone": "Europe/Brussels",
}


def start_network(
    bot: LocalBot, *, user_id: str = FACILITATOR, channel_id: str = NETWORK_CHANNEL, **changes: str
):
    """Run `/netwerk start` and submit its modal; `changes` override form values by block id."""
    bot.command("start", user_id=user_id, channel_id=channel_id)
    return bot.submit_view(user_id, form_values({**START_FORM, **changes}))


def bring_case(
    bot: LocalBot, *, user_id: str = PARTICIPANTS[0], confidential: bool = False, **changes: Any
) -> DriverResponse:
    """Run `/case` and submit the intake as CASE_FORM fills it in, `confidential` or not; `changes`
    override form values by block id."""
    bot.command("", command="/case", user_id=user_id, channel_id=NETWORK_CHANNEL)
    confidentiality = {CaseIntakeBlocks.CONFIDENTIAL: [CONFIDENTIAL_OPTION] if confidential else []}
    return bot.submit_view(user_id, form_values({**CASE_FORM, **confidentiality, **changes}))


def cards(emulator: SlackEmulator) -> list[dict]:
    """The case cards in the network's channel."""
    return [
        message
        for message in emulator.messages(NETWORK_CHANNEL)
        if any(block.get("block_id") == "case_card_actions" for block in message.get("blocks") or [])
    ]


def the_card(emulator: SlackEmulator) -> dict:
    [card] = cards(emulator)
    return card


def channel_messages(
    emulator: SlackEmulator, fragment: str, *, channel_id: str = NETWORK_CHANNEL
) -> list[dict[str, Any]]:
    """The messages in the network's channel (or `channel_id`) whose text says `fragment`."""
    return [m for m in emulator.messages(channel_id) if fragment in message_text(m)]


def ephemeral_texts(emulator: SlackEmulator, user_id: str) -> list[str]:
    """The fallback text of each private answer `user_id` got, oldest first."""
    return [entry["text"] for entry in emulator.ephemerals(user_id=user_id)]


def dm_blocks(emulator: SlackEmulator, user_id: str) -> str:
    """The blocks of every direct message the bot sent `user_id`, as one string, ids and all."""
    return " ".join(str(m.get("blocks")) for m in emulator.messages(emulator.dm_channel_id(user_id)))


def private_texts(emulator: SlackEmulator, user_id: str) -> list[str]:
    """All that `user_id` was told privately, fallback and blocks, oldest first."""
    return [message_text(entry) for entry in emulator.ephemerals(user_id=user_id)]


def last_private(emulator: SlackEmulator, user_id: str) -> str:
    """The text of the last thing `user_id` was told privately; that they were told something at all is
    asserted."""
    texts = private_texts(emulator, user_id)
    assert texts, f"{user_id} was told nothing"
    return texts[-1]


def open_modal(bot: LocalBot, subcommand: str, user_id: str, *, channel_id: str = NETWORK_CHANNEL) -> dict:
    """`user_id` types `/netwerk <subcommand>` in the network's channel (or `channel_id`); the modal it
    opened, which is asserted to be there."""
    bot.command(subcommand, user_id=user_id, channel_id=channel_id)
    view = bot.emulator.open_view(user_id)
    assert view is not None, f"/netwerk {subcommand} opened no modal for {user_id}"
    return view


def press(
    bot: LocalBot,
    user_id: str,
    action_id: str,
    message_ts: str,
    *,
    channel_id: str = NETWORK_CHANNEL,
    **options: Any,
) -> DriverResponse:
    """`user_id` presses `action_id` on the message `message_ts` (in the network channel unless told);
    that the bot answered without problems is asserted."""
    assert bot.driver is not None
    response = bot.driver.block_action(
        user_id=user_id, action_id=action_id, channel_id=channel_id, message_ts=message_ts, **options
    )
    bot.settle()
    assert response.status == 200 and response.problems == [], response.problems
    return response


def press_on_ephemeral(
    bot: LocalBot, emulator: SlackEmulator, user_id: str, action_id: str
) -> DriverResponse:
    """`user_id` presses `action_id` on the last private answer they got (a confirmation, mostly)."""
    assert bot.driver is not None
    ephemeral = emulator.ephemerals(user_id=user_id)[-1]
    response = bot.driver.block_action(
        user_id=user_id, action_id=action_id, channel_id=ephemeral["channel"], message_ts=ephemeral["ts"]
    )
    bot.settle()
    assert response.status == 200 and response.problems == [], response.problems
    return response


def forget_me(bot: LocalBot, user_id: str) -> DriverResponse:
    """`/netwerk vergeet-mij` and its confirmation: the bot forgets `user_id`."""
    bot.command("vergeet-mij", user_id=user_id, channel_id=NETWORK_CHANNEL)
    return press_on_ephemeral(bot, bot.emulator, user_id, PrivacyActions.FORGET)


def join_network_channel(bot: LocalBot, user_id: str) -> None:
    """`user_id` joins the network's channel, and the bot has handled Slack's event about it."""
    assert bot.driver is not None
    bot.driver.join_channel(user_id, NETWORK_CHANNEL)
    bot.settle()


def leave_network_channel(bot: LocalBot, user_id: str) -> None:
    """`user_id` leaves the network's channel, and the bot has handled Slack's event about it."""
    assert bot.driver is not None
    bot.driver.leave_channel(user_id, NETWORK_CHANNEL)
    bot.settle()


@contextmanager
def stored_sessions(bot: LocalBot) -> Iterator[sessionmaker[Session]]:
    """Sessions on the bot's database, for a test to read or arrange what is stored behind its back."""
    engine = create_db_engine(bot.settings.database_url)
    try:
        yield session_factory(engine)
    finally:
        engine.dispose()


def exported(bot: LocalBot, channel_id: str = NETWORK_CHANNEL) -> dict[str, Any]:
    """All the bot keeps about the network in `channel_id`, as the export gives it."""
    with stored_sessions(bot) as sessions:
        return export_network(sessions=sessions, channel_id=channel_id)


def stored(bot: LocalBot, model: type[Any]) -> list[Any]:
    """Every stored row of `model`, in the order they were written."""
    with stored_sessions(bot) as sessions, sessions() as session:
        return list(session.exec(select(model).order_by(model.id)))


@pytest.fixture
def network(bot: LocalBot, emulator: SlackEmulator) -> LocalBot:
    """The bot with a network started in NETWORK_CHANNEL, its set-up done and the calls it made forgotten."""
    start_network(bot)
    bot.settle()
    emulator.reset_calls()
    return bot


@pytest.fixture
def card_ts(network: LocalBot, emulator: SlackEmulator) -> str:
    """The ts of the card of a case the owner brought into the started network."""
    bring_case(network)
    return str(the_card(emulator)["ts"])


@pytest.fixture
def confidential_card_ts(network: LocalBot, emulator: SlackEmulator) -> str:
    """The ts of the card of a confidential case the owner brought into the started network."""
    bring_case(network, confidential=True)
    return str(the_card(emulator)["ts"])
