"""`/netwerk werkvormen` through the sandbox: the catalogue, one form by a forgiving name, an unknown name,
and nobody outside the network."""

from __future__ import annotations

from bot.demo.harness import LocalBot
from bot.sandbox.emulator import SlackEmulator
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import OUTSIDER
from tests.e2e.conftest import PARTICIPANTS
from tests.e2e.conftest import private_texts
from tests.e2e.conftest import start_network


def test_a_member_reads_the_catalogue_privately(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    posted_before = len(emulator.messages(NETWORK_CHANNEL))

    bot.command("werkvormen", user_id=PARTICIPANTS[0], channel_id=NETWORK_CHANNEL)

    [answer] = private_texts(emulator, PARTICIPANTS[0])
    for name in ("Incheckronde", "1-2-4-allen", "World café", "Incidentmethode", "TOPOI-lens"):
        assert name in answer
    assert "Intervisiemethoden voor een casusronde" in answer
    assert len(emulator.messages(NETWORK_CHANNEL)) == posted_before


def test_one_form_by_a_name_typed_loosely_in_either_language(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    emulator.reset_calls()

    bot.command("werkvormen WORLD CAFE", user_id=PARTICIPANTS[0], channel_id=NETWORK_CHANNEL)
    bot.command("workforms gossip method", user_id=PARTICIPANTS[1], channel_id=NETWORK_CHANNEL)

    [cafe] = private_texts(emulator, PARTICIPANTS[0])
    assert "Eerste ronde" in cafe and "vanaf 8 personen" in cafe
    [gossip] = private_texts(emulator, PARTICIPANTS[1])
    assert "Roddelmethode" in gossip and "Roddelen" in gossip
    assert "tellen hier als advies" in gossip


def test_an_english_network_reads_the_catalogue_in_english(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot, start_language="en")
    emulator.reset_calls()

    bot.command("workforms socratisch gesprek", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)

    [answer] = private_texts(emulator, FACILITATOR)
    assert "Socratic dialogue" in answer and "The core statement" in answer


def test_an_unknown_name_is_answered_with_the_whole_list(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    emulator.reset_calls()

    bot.command("werkvormen <!channel> yoga", user_id=PARTICIPANTS[0], channel_id=NETWORK_CHANNEL)

    [answer] = private_texts(emulator, PARTICIPANTS[0])
    assert "Ik ken geen werkvorm die" in answer
    assert "<!channel>" not in answer and "Fishbowl" in answer


def test_someone_outside_the_network_is_told_so(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    emulator.reset_calls()

    bot.command("werkvormen", user_id=OUTSIDER, channel_id=NETWORK_CHANNEL)

    [answer] = private_texts(emulator, OUTSIDER)
    assert "geen lid" in answer
