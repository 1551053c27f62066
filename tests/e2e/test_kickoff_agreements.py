"""Group agreements end to end over HTTP: posted by a facilitator, accepted with one click, versioned."""

from __future__ import annotations

from typing import Any

from bot.demo.harness import LocalBot
from bot.sandbox.emulator import SlackEmulator
from bot.views.ids import AgreementsBlocks
from bot.views.ids import KickoffActions
from tests.blocks import message_text
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import OUTSIDER
from tests.e2e.conftest import forget_me
from tests.e2e.conftest import join_network_channel
from tests.e2e.conftest import last_private
from tests.e2e.conftest import leave_network_channel
from tests.e2e.conftest import open_modal
from tests.e2e.conftest import start_network
from tests.e2e.test_kickoff import HOSTILE
from tests.e2e.test_kickoff import JOKE
from tests.e2e.test_kickoff import MEHMET
from tests.e2e.test_kickoff import add_people
from tests.e2e.test_kickoff import click
from tests.e2e.test_kickoff import dm_texts
from tests.e2e.test_kickoff import exported
from tests.factories import form_values


def post_agreements(bot: LocalBot, text: str | None = None, *, user_id: str = FACILITATOR):  # type: ignore[no-untyped-def]
    """`/netwerk afspraken`, then submit the modal as it is (the defaults) or with `text`."""
    bot.command("afspraken", user_id=user_id, channel_id=NETWORK_CHANNEL)
    values = form_values({AgreementsBlocks.TEXT: text}) if text is not None else None
    return bot.submit_view(user_id, values)


def agreements_in_channel(emulator: SlackEmulator) -> list[dict[str, Any]]:
    return [m for m in emulator.messages(NETWORK_CHANNEL) if "groepsafspraken" in m.get("text", "").lower()]


def network_with_agreements(bot: LocalBot, emulator: SlackEmulator, text: str) -> dict[str, Any]:
    """Start the network and post `text` as its agreements; their one message in the channel."""
    start_network(bot)
    post_agreements(bot, text)
    [message] = agreements_in_channel(emulator)
    return message


def accepted(bot: LocalBot) -> dict[str, bool]:
    return {m["user_id"]: m["accepted_agreements"] for m in exported(bot)["members"] if m["active"]}


def accept(bot: LocalBot, message: dict[str, Any], user_id: str):  # type: ignore[no-untyped-def]
    return click(bot, message, user_id=user_id, action_id=KickoffActions.ACCEPT_AGREEMENTS)


def test_the_facilitator_edits_the_defaults_and_posts_them(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    view = open_modal(bot, "afspraken", FACILITATOR)
    assert view["title"]["text"] == "Groepsafspraken"
    [field] = [b for b in view["blocks"] if b["type"] == "input"]
    assert field["element"]["initial_value"].startswith(
        "Vertrouwelijkheid: wat hier gezegd wordt, blijft hier."
    )

    bot.submit_view(FACILITATOR)

    [message] = agreements_in_channel(emulator)
    text = message_text(message)
    assert "1. Vertrouwelijkheid: wat hier gezegd wordt, blijft hier." in text
    assert "Geven en ontvangen" in text and "Gelijkwaardigheid" in text and "Iedereen draagt bij" in text
    assert "0 van de 3 leden hebben deze afspraken aanvaard." in text
    assert exported(bot)["agreements"]["version"] == 1


def test_members_accept_with_one_click_and_the_count_updates_in_place(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    message = network_with_agreements(
        bot, emulator, "Wat hier gezegd wordt, blijft hier.\nGeven en ontvangen."
    )

    accept(bot, message, JOKE)
    accept(bot, message, JOKE)
    accept(bot, message, MEHMET)

    [updated] = agreements_in_channel(emulator)
    assert updated["ts"] == message["ts"]
    assert "2 van de 3 leden hebben deze afspraken aanvaard." in message_text(updated)
    texts = [entry["text"] for entry in emulator.ephemerals(user_id=JOKE)]
    assert texts == [
        "Bedankt, je hebt de groepsafspraken aanvaard (versie 1).",
        "Je had deze afspraken al aanvaard (versie 1).",
    ]
    assert accepted(bot) == {FACILITATOR: False, JOKE: True, MEHMET: True}


def test_only_facilitators_see_who_has_not_accepted(bot: LocalBot, emulator: SlackEmulator) -> None:
    message = network_with_agreements(bot, emulator, "Vertrouwelijk")
    accept(bot, message, JOKE)

    click(bot, message, user_id=FACILITATOR, action_id=KickoffActions.SHOW_PENDING)
    click(bot, message, user_id=MEHMET, action_id=KickoffActions.SHOW_PENDING)

    pending = last_private(emulator, FACILITATOR)
    assert f"<@{FACILITATOR}>" in pending and f"<@{MEHMET}>" in pending and f"<@{JOKE}>" not in pending
    assert "Dat kan alleen een facilitator" in last_private(emulator, MEHMET)

    bot.command("leden", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    roster = last_private(emulator, FACILITATOR)
    assert f"<@{MEHMET}> · deelnemer · nog niet voorgesteld · afspraken nog niet aanvaard" in roster
    bot.command("leden", user_id=JOKE, channel_id=NETWORK_CHANNEL)
    lines = last_private(emulator, JOKE).splitlines()
    balance = "0 keer advies gegeven, 0 casussen ingebracht"
    assert f"• <@{JOKE}> · deelnemer · nog niet voorgesteld · afspraken aanvaard · {balance}" in lines
    assert f"• <@{MEHMET}> · deelnemer · nog niet voorgesteld · {balance}" in lines


def test_changed_agreements_are_a_new_version_everyone_accepts_again(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    first = network_with_agreements(bot, emulator, "Vertrouwelijk")
    accept(bot, first, JOKE)
    bot.command("afspraken", user_id=MEHMET, channel_id=NETWORK_CHANNEL)
    shown_before_the_change = emulator.ephemerals(user_id=MEHMET)[-1]

    bot.command("afspraken", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    [field] = [b for b in emulator.open_view(FACILITATOR)["blocks"] if b["type"] == "input"]  # type: ignore[index]
    assert field["element"]["initial_value"] == "Vertrouwelijk", "the current agreements, to edit"
    bot.submit_view(FACILITATOR, form_values({AgreementsBlocks.TEXT: "Vertrouwelijk\nOp tijd komen"}))

    old = emulator.message(NETWORK_CHANNEL, first["ts"])
    assert old is not None and "vervangen door versie 2" in message_text(old)
    assert not [b for b in old.get("blocks", []) if b["type"] == "actions"]
    [second] = [m for m in agreements_in_channel(emulator) if m["ts"] != first["ts"]]
    assert "versie 2" in message_text(second) and "opnieuw" in message_text(second)
    assert accepted(bot)[JOKE] is False

    accept(bot, shown_before_the_change, MEHMET)
    assert "Aanvaard versie 2" in last_private(emulator, MEHMET)
    assert accepted(bot)[MEHMET] is False
    accept(bot, second, JOKE)
    assert accepted(bot)[JOKE] is True


def test_the_same_agreements_again_post_nothing_new(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    post_agreements(bot, "Vertrouwelijk")
    post_agreements(bot, "- Vertrouwelijk")
    assert len(agreements_in_channel(emulator)) == 1
    assert "niet veranderd" in last_private(emulator, FACILITATOR)


def test_a_member_is_shown_the_agreements_privately_and_accepts_there(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    start_network(bot)
    bot.command("afspraken", user_id=JOKE, channel_id=NETWORK_CHANNEL)
    assert "nog geen groepsafspraken" in last_private(emulator, JOKE)
    assert emulator.open_view(JOKE) is None
    post_agreements(bot, "Vertrouwelijk")

    bot.command("agreements", user_id=JOKE, channel_id=NETWORK_CHANNEL)
    shown = emulator.ephemerals(user_id=JOKE)[-1]
    assert "1. Vertrouwelijk" in message_text(
        shown
    ) and "Alleen een facilitator kan de afspraken aanpassen." in message_text(shown)
    accept(bot, shown, JOKE)

    answer = emulator.ephemerals(user_id=JOKE)[-1]
    assert answer["ts"] == shown["ts"], "the private agreements are replaced by the thanks"
    assert answer["text"] == "Bedankt, je hebt de groepsafspraken aanvaard (versie 1)."
    [message] = agreements_in_channel(emulator)
    assert "1 van de 3 leden heeft deze afspraken aanvaard." in message_text(message)


def test_empty_agreements_keep_the_modal_open(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    response = post_agreements(bot, " \n ")
    assert response.json()["errors"] == {AgreementsBlocks.TEXT: "Vul dit in."}
    assert agreements_in_channel(emulator) == []


def test_agreements_typed_with_control_sequences_ping_nobody(bot: LocalBot, emulator: SlackEmulator) -> None:
    message = network_with_agreements(bot, emulator, HOSTILE)
    assert "<!channel>" not in message_text(message) and "&lt;!channel&gt;" in message_text(message)


def test_outsiders_and_members_who_left_cannot_accept(bot: LocalBot, emulator: SlackEmulator) -> None:
    message = network_with_agreements(bot, emulator, "Vertrouwelijk")
    leave_network_channel(bot, MEHMET)
    emulator.reset_calls()

    accept(bot, message, OUTSIDER)
    accept(bot, message, MEHMET)

    assert "geen lid" in last_private(emulator, OUTSIDER) and "geen lid" in last_private(emulator, MEHMET)
    assert emulator.calls_to("chat.update") == []
    everyone = {m["user_id"]: m["accepted_agreements"] for m in exported(bot)["members"]}
    assert everyone == {FACILITATOR: False, JOKE: False, MEHMET: False}


def test_the_first_agreements_end_the_kickoff_and_note_a_small_group(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    start_network(bot)
    post_agreements(bot, "Vertrouwelijk")
    [note] = dm_texts(emulator, FACILITATOR)
    assert "telt 3 leden, minder dan de 10 tot 15" in note

    post_agreements(bot, "Vertrouwelijk\nGeven en ontvangen")
    assert len(dm_texts(emulator, FACILITATOR)) == 1, "one note, at the end of the kickoff"


def test_a_group_of_twelve_gets_no_size_note_until_it_drops_under_ten(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    people = add_people(emulator, 9)
    start_network(bot)
    post_agreements(bot, "Vertrouwelijk")
    assert dm_texts(emulator, FACILITATOR) == []
    for person in people[:3]:
        leave_network_channel(bot, person)

    [note] = dm_texts(emulator, FACILITATOR)
    assert "telt 9 leden" in note and "Een lerend netwerk werkt het best met 10 tot 15 deelnemers" in note


def test_a_post_whose_answer_is_lost_lands_once(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    emulator.drop_response_next("chat.postMessage")
    post_agreements(bot, "Vertrouwelijk")
    [message] = agreements_in_channel(emulator)
    accept(bot, message, JOKE)
    assert "1 van de 3 leden" in message_text(agreements_in_channel(emulator)[0])


def test_the_count_follows_the_group_as_members_join_and_leave(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    message = network_with_agreements(bot, emulator, "Vertrouwelijk")
    accept(bot, message, JOKE)
    [newcomer] = add_people(emulator, 1, join=False)
    join_network_channel(bot, newcomer)
    assert "1 van de 4 leden" in message_text(agreements_in_channel(emulator)[0])
    leave_network_channel(bot, JOKE)
    assert "0 van de 3 leden" in message_text(agreements_in_channel(emulator)[0])


def test_the_count_follows_the_group_when_a_member_is_forgotten(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    message = network_with_agreements(bot, emulator, "Vertrouwelijk")
    accept(bot, message, JOKE)
    accept(bot, message, MEHMET)

    forget_me(bot, MEHMET)

    assert "1 van de 2 leden" in message_text(agreements_in_channel(emulator)[0])
