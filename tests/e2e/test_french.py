"""French as a third language, end to end: a network that speaks French, and a member whose Slack does.

A network's language decides what its channel and its members read there; where no network decides
(a direct message, the App Home), a member is answered in the language of their own Slack locale."""

from __future__ import annotations

import pytest

from bot.demo.harness import LocalBot
from bot.i18n import Texts
from bot.sandbox.emulator import SlackEmulator
from bot.views.ids import StartNetworkBlocks
from tests.blocks import block_texts
from tests.blocks import message_text
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import PARTICIPANTS
from tests.e2e.conftest import open_modal
from tests.e2e.conftest import private_texts
from tests.e2e.conftest import start_network

FRENCH_SPEAKER = "U0CLAIRE"
POLL_QUESTIONS = (
    "On est sur la bonne voie ?",
    "Qu'est-ce qui va bien ?",
    "Qu'est-ce qui pourrait être mieux ?",
)


@pytest.fixture
def french_speaker(emulator: SlackEmulator) -> str:
    """A member of the channel whose Slack speaks Belgian French."""
    emulator.add_user(FRENCH_SPEAKER, "claire", real_name="Claire Lambert", locale="fr-BE")
    emulator.join(NETWORK_CHANNEL, FRENCH_SPEAKER)
    return FRENCH_SPEAKER


def test_the_start_modal_offers_french_and_a_french_network_welcomes_in_french(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    view = open_modal(bot, "start", FACILITATOR)
    [picker] = [block for block in view["blocks"] if block.get("block_id") == StartNetworkBlocks.LANGUAGE]
    options = {option["value"]: option["text"]["text"] for option in picker["element"]["options"]}
    assert options["fr"] == "Français"

    start_network(bot, **{StartNetworkBlocks.LANGUAGE: "fr"})

    [welcome] = emulator.messages(NETWORK_CHANNEL)
    assert "Donner et recevoir" in message_text(welcome)
    assert "/netwerk verwachtingen" in message_text(welcome), "French readers type the Dutch names"


def test_a_french_network_answers_in_french_and_knows_the_french_names_of_its_work_forms(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    start_network(bot, start_language="fr", start_name="Réseau apprenant aide à la jeunesse")
    emulator.reset_calls()

    bot.command("werkvormen", user_id=PARTICIPANTS[0], channel_id=NETWORK_CHANNEL)
    bot.command("werkvormen methode du dos tourne", user_id=PARTICIPANTS[1], channel_id=NETWORK_CHANNEL)
    bot.command("help", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)

    [catalogue] = private_texts(emulator, PARTICIPANTS[0])
    assert "Méthodes d'intervision pour un tour d'intervision" in catalogue
    assert "1-2-4-tous" in catalogue and "Entretien socratique" in catalogue
    [gossip] = private_texts(emulator, PARTICIPANTS[1])
    assert "*Dos tourné*" in gossip and "comptent comme des conseils" in gossip
    [help_text] = private_texts(emulator, FACILITATOR)
    assert "`/netwerk werkvormen` : le catalogue des méthodes d'animation" in help_text


def test_the_check_in_poll_asks_its_three_questions_in_french(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot, start_language="fr")

    bot.command("peiling", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)

    poll = emulator.messages(NETWORK_CHANNEL)[-1]
    for question in POLL_QUESTIONS:
        assert question in message_text(poll)


def test_a_member_whose_slack_speaks_french_reads_french_where_no_network_decides(
    bot: LocalBot, emulator: SlackEmulator, french_speaker: str
) -> None:
    start_network(bot)
    emulator.reset_calls()

    bot.command("werkvormen", user_id=french_speaker, channel_id=NETWORK_CHANNEL)
    bot.command("help", user_id=french_speaker, channel_id=emulator.dm_channel_id(french_speaker))
    assert bot.driver is not None
    bot.send_event(bot.driver.app_home_opened(french_speaker))

    in_the_network, in_private = private_texts(emulator, french_speaker)
    assert "Werkvormen voor een sessie" in in_the_network, "the Dutch network's channel stays Dutch"
    assert "`/netwerk werkvormen` : le catalogue des méthodes d'animation" in in_private
    home = emulator.home_view(french_speaker)
    assert home is not None
    assert Texts("fr")("home.title") in block_texts(home["blocks"])


def test_a_french_network_names_a_co_facilitator_with_the_word_its_roster_shows(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    start_network(bot, start_language="fr")

    bot.command(f"rol <@{PARTICIPANTS[1]}> facilitateur", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)

    changed = f"<@{PARTICIPANTS[1]}> participe désormais à ce réseau en tant que facilitateur."
    assert changed in private_texts(emulator, FACILITATOR)[-1]
