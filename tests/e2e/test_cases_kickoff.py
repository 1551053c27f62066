"""Where cases meet the kickoff: the agreements come before a case, and the roster counts give and receive."""

from __future__ import annotations

from bot.demo.harness import LocalBot
from bot.sandbox.emulator import SlackEmulator
from tests.blocks import message_text
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import PARTICIPANTS
from tests.e2e.conftest import bring_case
from tests.e2e.conftest import start_network
from tests.e2e.conftest import the_card
from tests.e2e.test_cases import give_advice
from tests.e2e.test_kickoff_agreements import accept
from tests.e2e.test_kickoff_agreements import post_agreements

JOKE = PARTICIPANTS[0]


def test_a_member_who_has_not_accepted_is_shown_the_agreements_before_the_intake(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    start_network(bot)
    post_agreements(bot, "Vertrouwelijk: wat hier gezegd wordt, blijft hier.")
    emulator.reset_calls()

    bot.command("Moeilijk gesprek", command="/case", user_id=JOKE, channel_id=NETWORK_CHANNEL)

    assert emulator.calls_to("views.open") == []
    shown = emulator.ephemerals(user_id=JOKE)[-1]
    assert "Voor je een casus inbrengt" in message_text(shown)
    assert "Vertrouwelijk: wat hier gezegd wordt, blijft hier." in message_text(shown)

    accept(bot, shown, JOKE)
    bot.command("Moeilijk gesprek", command="/case", user_id=JOKE, channel_id=NETWORK_CHANNEL)
    assert emulator.open_view(JOKE) is not None


def test_without_posted_agreements_the_intake_opens_at_once(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    bot.command("", command="/case", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    assert emulator.open_view(FACILITATOR) is not None


def test_the_roster_shows_what_each_member_gave_and_received(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    bring_case(bot, user_id=JOKE)
    give_advice(bot, PARTICIPANTS[1], the_card(emulator)["ts"], "Bel ze op voorhand even op.")

    bot.command("leden", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)

    text = message_text(emulator.ephemerals(user_id=FACILITATOR)[-1])
    assert f"<@{JOKE}> · deelnemer · nog niet voorgesteld · 0 keer advies gegeven, 1 casus ingebracht" in text
    assert (
        f"<@{PARTICIPANTS[1]}> · deelnemer · nog niet voorgesteld · 1 keer advies gegeven, 0 casussen" in text
    )
