"""The network's charter end to end: on the channel's canvas, following what the group agrees and
learns, pinned where the workspace has no canvas, and never showing a confidential case."""

from __future__ import annotations

from slack_sdk import WebClient
from sqlmodel import select

from bot.demo.harness import LocalBot
from bot.sandbox.emulator import SlackEmulator
from bot.views.ids import CaseIntakeBlocks
from storage.models import NetworkCharter
from tests.blocks import message_text
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import PARTICIPANTS
from tests.e2e.conftest import bring_case
from tests.e2e.conftest import start_network
from tests.e2e.conftest import stored_sessions
from tests.e2e.conftest import the_card
from tests.e2e.test_cases import ADVISER
from tests.e2e.test_cases import agree_to_keep_it
from tests.e2e.test_cases import close_case
from tests.e2e.test_cases import give_advice
from tests.e2e.test_kickoff import JOKE
from tests.e2e.test_kickoff_agreements import accept
from tests.e2e.test_kickoff_agreements import agreements_in_channel
from tests.e2e.test_kickoff_agreements import post_agreements
from tests.e2e.test_kickoff_map import goals_on_the_map
from tests.e2e.test_kickoff_map import share
from tests.e2e.test_kickoff_map import vote


def canvas(emulator: SlackEmulator) -> str:
    markdown = emulator.canvas(NETWORK_CHANNEL)
    assert markdown is not None, "the channel has no canvas"
    return markdown


def edits(emulator: SlackEmulator) -> int:
    return len(emulator.calls_to("canvases.edit"))


def test_a_new_network_gets_its_charter_on_the_channel_canvas(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)

    markdown = canvas(emulator)
    assert markdown.startswith("# Charter van ")
    assert "## Ons doel" in markdown and "## Onze afspraken" in markdown
    assert f"Facilitator: ![](@{FACILITATOR})" in markdown
    assert "Nog geen groepsafspraken." in markdown and "Nog geen traject gepland." in markdown
    assert len(emulator.calls_to("conversations.canvases.create")) == 1
    assert emulator.pinned(NETWORK_CHANNEL) == []


def test_the_charter_follows_the_agreements_and_who_accepted_them(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    start_network(bot)
    post_agreements(bot, "Wat hier gezegd wordt, blijft hier.\nWe komen op tijd.")

    assert "- Wat hier gezegd wordt, blijft hier\\." not in canvas(emulator)
    assert "- Wat hier gezegd wordt, blijft hier." in canvas(emulator)
    assert "0 van de 3 leden aanvaardden deze afspraken." in canvas(emulator)

    [message] = agreements_in_channel(emulator)
    accept(bot, message, JOKE)

    assert "1 van de 3 leden aanvaardde deze afspraken." in canvas(emulator)
    assert len(emulator.calls_to("conversations.canvases.create")) == 1


def test_the_learning_goals_with_the_most_votes_are_on_it_and_an_unchanged_charter_is_not_rewritten(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    goals_on_the_map(bot)
    vote(bot, emulator, JOKE, "Feedback geven")
    assert "1. Feedback geven (1 stem)" in canvas(emulator)

    before = edits(emulator)
    share(bot, JOKE, "Omgaan met agressie", "Feedback geven", text="Anders verwoord")

    assert edits(emulator) == before


def test_lessons_of_open_cases_reach_the_charter_and_confidential_ones_never_do(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    start_network(bot)
    bring_case(bot, confidential=True, **{CaseIntakeBlocks.TITLE: "Geheime zaak"})
    secret_ts = the_card(emulator)["ts"]
    agree_to_keep_it(bot, ADVISER, PARTICIPANTS[0])
    give_advice(bot, ADVISER, secret_ts, "Praat met je leidinggevende.")
    close_case(bot, secret_ts, "Het geheime inzicht.")
    bring_case(bot, **{CaseIntakeBlocks.TITLE: "Ouders die niet opdagen"})
    open_ts = [c for c in emulator.messages(NETWORK_CHANNEL) if "Ouders" in message_text(c)][-1]["ts"]
    give_advice(bot, ADVISER, open_ts, "Bel ze zelf op.")
    close_case(bot, open_ts, "Zelf bellen werkt beter dan een brief.")

    markdown = canvas(emulator)
    assert "**Ouders die niet opdagen**: Zelf bellen werkt beter dan een brief." in markdown
    assert "Geheime zaak" not in markdown and "geheime inzicht" not in markdown


def test_user_text_on_the_canvas_is_literal(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    post_agreements(bot, "# Geen kop ![](@U0JOKE) [klik](https://example.com) *vet*")

    markdown = canvas(emulator)
    assert "- \\# Geen kop \\!\\[\\]\\(\\@U0JOKE\\) \\[klik\\]\\(https://example.com\\) \\*vet\\*" in markdown
    assert "![](@U0JOKE)" not in markdown


def test_a_workspace_without_canvases_gets_the_charter_pinned_and_updated_in_place(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    emulator.disable_canvases()
    start_network(bot)

    [pinned] = emulator.pinned(NETWORK_CHANNEL)
    assert "Charter van" in message_text(pinned) and "Nog geen groepsafspraken." in message_text(pinned)

    post_agreements(bot, "Wat hier gezegd wordt, blijft hier.")

    [still] = emulator.pinned(NETWORK_CHANNEL)
    assert still["ts"] == pinned["ts"]
    assert "Wat hier gezegd wordt, blijft hier." in message_text(still)
    assert emulator.canvas(NETWORK_CHANNEL) is None


def test_a_canvas_deleted_by_hand_is_created_again(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    emulator.delete_canvas(NETWORK_CHANNEL)

    post_agreements(bot, "We komen op tijd.")

    assert "- We komen op tijd." in canvas(emulator)
    assert len(emulator.calls_to("conversations.canvases.create")) == 2


def test_someone_elses_canvas_is_left_alone_and_the_charter_pinned(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    WebClient(token=bot.settings.slack_bot_token, base_url=emulator.api_url).conversations_canvases_create(
        channel_id=NETWORK_CHANNEL, document_content={"type": "markdown", "markdown": "# Ons eigen canvas"}
    )

    start_network(bot)

    assert canvas(emulator) == "# Ons eigen canvas"
    [pinned] = emulator.pinned(NETWORK_CHANNEL)
    assert "Charter van" in message_text(pinned)


def test_a_canvas_created_by_a_cut_off_attempt_is_taken_up_again(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    start_network(bot)
    # The canvas was created, but the attempt was cut off before the bot kept its id.
    with stored_sessions(bot) as sessions, sessions() as session:
        for row in session.exec(select(NetworkCharter)).all():
            row.canvas_id = None
            row.written_hash = ""
            session.add(row)
        session.commit()

    post_agreements(bot, "We komen op tijd.")

    assert "- We komen op tijd." in canvas(emulator)
    assert emulator.pinned(NETWORK_CHANNEL) == []
    assert len(emulator.calls_to("canvases.sections.lookup")) == 1
