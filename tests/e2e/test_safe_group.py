"""The safe group end to end (issue 15): a confidential case is read only in the reading modal, by members
who accepted the current agreements and guest experts its owner invited; advice reaches its owner alone;
its details can be forgotten; the bot is honest about what is anonymous and where a channel is public."""

from __future__ import annotations

from typing import Any

import pytest

from bot.demo.harness import LocalBot
from bot.sandbox.emulator import SlackEmulator
from bot.views.ids import (
    CASE_READING_MODAL,
    CaseActions,
    CaseAdviceBlocks,
    CaseIntakeBlocks,
    SafeActions,
)
from tests.blocks import message_text
from tests.e2e.conftest import FACILITATOR, NETWORK_CHANNEL, OUTSIDER, PARTICIPANTS, exported, start_network
from tests.e2e.test_cases import action_ids, bring_case, press, reply_in_thread, the_card, values
from tests.e2e.test_kickoff_agreements import accept, agreements_in_channel, post_agreements

OWNER, ADVISER = PARTICIPANTS
SITUATION = "Een moeder dreigde met een klacht na een huisbezoek."
QUESTION = "Hoe herstel ik het vertrouwen zonder mijn grenzen op te geven?"
TRIED = "Een gesprek met mijn teamleider."
ADVICE = "Nodig haar uit op neutraal terrein, met een collega erbij."
LESSON = "Eerst luisteren, dan pas uitleggen."
SECRETS = (SITUATION, QUESTION, TRIED, ADVICE, LESSON)
CONFIDENTIAL: dict[str, Any] = {
    CaseIntakeBlocks.TITLE: "Klacht na huisbezoek",
    CaseIntakeBlocks.SITUATION: SITUATION,
    CaseIntakeBlocks.QUESTION: QUESTION,
    CaseIntakeBlocks.TRIED: TRIED,
    CaseIntakeBlocks.CONFIDENTIAL: ["confidential"],
}


# ---------------------------------------------------------------------- helpers


def agree(bot: LocalBot, *user_ids: str, text: str = "Wat hier gezegd wordt, blijft hier.") -> None:
    """The facilitator posts agreements and `user_ids` accept them."""
    post_agreements(bot, text)
    message = agreements_in_channel(bot.emulator)[-1]
    for user_id in user_ids:
        accept(bot, message, user_id)


def bring_confidential(bot: LocalBot, user_id: str = OWNER) -> str:
    bring_case(bot, user_id=user_id, **CONFIDENTIAL)
    return the_card(bot.emulator)["ts"]


def read(bot: LocalBot, user_id: str, card_ts: str, **options: Any) -> dict[str, Any] | None:
    """Press "read" on the card; the reading modal that opened for `user_id`, or None."""
    bot.emulator.close_view(user_id, clear=True)
    press(bot, user_id, SafeActions.READ, card_ts, **options)
    view = bot.emulator.open_view(user_id)
    return view if view is not None and view["callback_id"] == CASE_READING_MODAL else None


def last_private(emulator: SlackEmulator, user_id: str) -> str:
    shown = emulator.ephemerals(user_id=user_id)
    assert shown, f"{user_id} was told nothing"
    return message_text(shown[-1])


def view_text(view: dict[str, Any]) -> str:
    return message_text({"text": "", "blocks": view["blocks"]})


def give_confidential_advice(bot: LocalBot, user_id: str, card_ts: str, text: str = ADVICE) -> None:
    press(bot, user_id, CaseActions.GIVE_ADVICE, card_ts)
    bot.submit_view(user_id, values({CaseAdviceBlocks.ADVICE: text}))


def direct_messages(emulator: SlackEmulator, user_id: str) -> list[dict[str, Any]]:
    channel = next(
        (cid for cid, c in emulator.channels.items() if c.get("is_im") and c.get("user") == user_id), None
    )
    return emulator.messages(channel) if channel else []


@pytest.fixture
def network(bot: LocalBot) -> LocalBot:
    start_network(bot)
    return bot


# ---------------------------------------------------------------------- the card and the reading modal


def test_the_card_shows_the_title_owner_counts_and_a_read_button_and_the_thread_stays_empty(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    card_ts = bring_confidential(network)

    card = the_card(emulator)
    shown = message_text(card)
    assert "Klacht na huisbezoek" in shown and f"<@{OWNER}>" in shown
    assert all(secret not in shown for secret in SECRETS)
    assert action_ids(card)[0] == SafeActions.READ and SafeActions.GUESTS in action_ids(card)
    assert emulator.replies(NETWORK_CHANNEL, card_ts) == []


def test_only_members_who_accepted_the_current_agreements_read_it(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    card_ts = bring_confidential(network)

    assert read(network, ADVISER, card_ts) is None
    assert "nog geen groepsafspraken" in last_private(emulator, ADVISER)

    agree(network, ADVISER)
    view = read(network, ADVISER, card_ts)
    assert view is not None
    assert all(secret in view_text(view) for secret in (SITUATION, QUESTION, TRIED))

    assert read(network, FACILITATOR, card_ts) is None
    assert "versie 1" in last_private(emulator, FACILITATOR)
    assert read(network, OUTSIDER, card_ts) is None
    assert "Vraag een trekker om je toe te voegen" in last_private(emulator, OUTSIDER)
    # The owner reads their own case, agreements or not.
    assert read(network, OWNER, card_ts) is not None


def test_changed_agreements_must_be_accepted_again_before_reading(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    card_ts = bring_confidential(network)
    agree(network, ADVISER)
    assert read(network, ADVISER, card_ts) is not None

    agree(network, text="Wat hier gezegd wordt, blijft hier.\nWe komen op tijd.")

    assert read(network, ADVISER, card_ts) is None
    assert "versie 2" in last_private(emulator, ADVISER)
    accept(network, agreements_in_channel(emulator)[-1], ADVISER)
    assert read(network, ADVISER, card_ts) is not None


def test_advice_reaches_the_owner_privately_and_the_reading_modal_never_the_thread(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    card_ts = bring_confidential(network)
    agree(network, ADVISER)

    give_confidential_advice(network, ADVISER, card_ts)

    assert emulator.replies(NETWORK_CHANNEL, card_ts) == []
    assert "1 advies" in message_text(the_card(emulator))
    [dm] = direct_messages(emulator, OWNER)
    assert ADVICE in message_text(dm) and SafeActions.READ in action_ids(dm)
    view = read(network, OWNER, card_ts)
    assert view is not None and ADVICE in view_text(view)


def test_advice_on_it_is_refused_to_who_may_not_read_it(network: LocalBot, emulator: SlackEmulator) -> None:
    card_ts = bring_confidential(network)
    agree(network, ADVISER)

    press(network, FACILITATOR, CaseActions.GIVE_ADVICE, card_ts)

    assert emulator.open_view(FACILITATOR) is None
    assert "versie 1" in last_private(emulator, FACILITATOR)
    assert exported(network)["cases"][0]["advice_count"] == 0


def test_a_plain_reply_in_its_thread_is_no_advice_and_its_writer_is_told_privately(
    network: LocalBot, emulator: SlackEmulator
) -> None:
    card_ts = bring_confidential(network)

    reply_in_thread(network, emulator, ADVISER, "Ik zou haar bellen.", card_ts)
    network.settle()

    [note] = emulator.ephemerals(user_id=ADVISER)
    assert "hele kanaal" in message_text(note) and SafeActions.READ in action_ids(note)
    assert exported(network)["cases"][0]["advice_count"] == 0
