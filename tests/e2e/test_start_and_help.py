"""`/netwerk start` and `/netwerk help`, end to end: signed requests in, the sandbox's Web API out."""

from __future__ import annotations

import time

from bot.demo.harness import LocalBot
from bot.sandbox.emulator import SlackEmulator
from tests.blocks import message_text
from tests.e2e.conftest import CHANNEL_WITHOUT_BOT
from tests.e2e.conftest import DIRECT_MESSAGE
from tests.e2e.conftest import ENGLISH_SPEAKER
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import PARTICIPANTS
from tests.e2e.conftest import START_FORM
from tests.e2e.conftest import ephemeral_texts
from tests.e2e.conftest import exported
from tests.e2e.conftest import start_network
from tests.factories import form_values


def network_is_linked(bot: LocalBot, channel_id: str = NETWORK_CHANNEL) -> bool:
    from bot.errors import ChannelNotLinked

    try:
        exported(bot, channel_id)
    except ChannelNotLinked:
        return False
    return True


def test_start_opens_the_modal_in_the_callers_language(bot: LocalBot, emulator: SlackEmulator) -> None:
    response = bot.command("start", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)

    assert response.status == 200
    view = emulator.open_view(FACILITATOR)
    assert view is not None
    assert view["title"]["text"] == "Lerend netwerk starten"
    assert view["callback_id"] == "network_start"
    assert not network_is_linked(bot)


def test_submitting_the_modal_links_the_channel_and_welcomes_the_group(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    response = start_network(bot)

    assert response.status == 200
    assert emulator.open_view(FACILITATOR) is None
    data = exported(bot)
    assert data["network"]["name"] == START_FORM["start_name"]
    assert data["network"]["facilitators"] == [FACILITATOR]
    assert data["network"]["language"] == "nl"
    assert data["network"]["timezone"] == "Europe/Brussels"
    members = {member["user_id"]: member["role"] for member in data["members"]}
    assert members == {
        FACILITATOR: "facilitator",
        PARTICIPANTS[0]: "participant",
        PARTICIPANTS[1]: "participant",
    }
    assert emulator.bot_user_id not in members

    [welcome] = emulator.messages(NETWORK_CHANNEL)
    assert welcome["user"] == emulator.bot_user_id
    text = message_text(welcome)
    for principle in ("Geven en ontvangen", "Iedereen draagt bij", "Gelijkwaardig", "Vertrouwelijk"):
        assert principle in text
    assert "/netwerk intro" in text and "/case" in text
    assert f"<@{FACILITATOR}>" in text
    assert welcome["text"] == "Welkom bij het lerend netwerk Lerend netwerk jeugdhulp!"


def test_an_english_network_is_welcomed_in_english(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot, start_language="en", start_name="Youth care network")
    [welcome] = emulator.messages(NETWORK_CHANNEL)
    assert "Give and receive" in message_text(welcome)
    assert "What is said in the group stays in the group" in message_text(welcome)


def test_a_second_start_says_which_network_the_channel_has(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    emulator.reset_calls()

    bot.command("start", user_id=PARTICIPANTS[0], channel_id=NETWORK_CHANNEL)

    assert emulator.calls_to("views.open") == []
    [answer] = ephemeral_texts(emulator, PARTICIPANTS[0])
    assert "al gekoppeld" in answer and "Lerend netwerk jeugdhulp" in answer
    assert len(emulator.messages(NETWORK_CHANNEL)) == 1


def test_a_channel_the_bot_is_not_in_gets_told_how_to_invite_it(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    bot.command("start", user_id=FACILITATOR, channel_id=CHANNEL_WITHOUT_BOT)

    assert emulator.calls_to("views.open") == []
    [answer] = ephemeral_texts(emulator, FACILITATOR)
    assert "/invite @Netwerkbot" in answer
    assert not network_is_linked(bot, CHANNEL_WITHOUT_BOT)


def test_start_in_a_direct_message_is_refused(bot: LocalBot, emulator: SlackEmulator) -> None:
    bot.command("start", user_id=FACILITATOR, channel_id=DIRECT_MESSAGE)
    [answer] = ephemeral_texts(emulator, FACILITATOR)
    assert "in een kanaal" in answer
    assert emulator.calls_to("views.open") == []


def test_a_name_over_the_limit_keeps_the_modal_open_with_the_reason(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    response = start_network(bot, start_name="n" * 81)

    body = response.json()
    assert body["response_action"] == "errors"
    assert body["errors"] == {"start_name": "Dit is 81 tekens lang; het mag er hoogstens 80 zijn."}
    assert emulator.open_view(FACILITATOR) is not None
    assert not network_is_linked(bot)
    assert emulator.messages(NETWORK_CHANNEL) == []


def test_an_empty_name_and_a_forged_time_zone_are_both_named(bot: LocalBot, emulator: SlackEmulator) -> None:
    response = start_network(bot, start_name="   ", start_timezone="Mars/Base")
    errors = response.json()["errors"]
    assert set(errors) == {"start_name", "start_timezone"}
    assert not network_is_linked(bot)


def test_help_lists_what_the_bot_does_in_the_callers_language(bot: LocalBot, emulator: SlackEmulator) -> None:
    bot.command("help", user_id=ENGLISH_SPEAKER, channel_id=CHANNEL_WITHOUT_BOT)
    bot.command("", user_id=FACILITATOR, channel_id=CHANNEL_WITHOUT_BOT)

    [english] = emulator.ephemerals(user_id=ENGLISH_SPEAKER)
    assert "/netwerk start" in message_text(english) and "what I can do" in english["text"]
    [dutch] = emulator.ephemerals(user_id=FACILITATOR)
    assert "wat ik kan" in dutch["text"]


def test_a_linked_channel_answers_in_the_networks_language(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    bot.command("help", user_id=ENGLISH_SPEAKER, channel_id=NETWORK_CHANNEL)
    [answer] = emulator.ephemerals(user_id=ENGLISH_SPEAKER)
    assert "Lerend netwerk jeugdhulp" in message_text(answer) and "Commando's" in message_text(answer)


def test_an_unknown_subcommand_is_named_and_answered_with_help(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    bot.command("fietsen <!channel>", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    bot.command("archive", user_id=ENGLISH_SPEAKER, channel_id=CHANNEL_WITHOUT_BOT)

    [unknown] = emulator.ephemerals(user_id=FACILITATOR)
    assert "Ik ken `/netwerk fietsen` niet" in message_text(unknown)
    # Every subcommand is available now: `archive` is no longer "coming soon" but answered for real.
    [answer] = emulator.ephemerals(user_id=ENGLISH_SPEAKER)
    assert "not linked to a learning network" in message_text(answer)
    assert emulator.messages(NETWORK_CHANNEL) == []


def test_the_command_is_acknowledged_within_three_seconds_when_slack_is_slow(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    emulator.delay_next("users.info", 3.5)
    assert bot.driver is not None
    began = time.monotonic()
    response = bot.driver.slash_command("start", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    acknowledged_after = time.monotonic() - began
    bot.settle(timeout=20)

    assert response.status == 200
    assert acknowledged_after < 3.0


def test_a_failing_post_is_retried_and_lands_once(bot: LocalBot, emulator: SlackEmulator) -> None:
    emulator.fail_next("chat.postMessage", status=503)
    start_network(bot)
    assert len(emulator.messages(NETWORK_CHANNEL)) == 1


def test_a_post_whose_answer_is_lost_is_not_posted_twice(bot: LocalBot, emulator: SlackEmulator) -> None:
    emulator.drop_response_next("chat.postMessage")
    start_network(bot)
    assert len(emulator.messages(NETWORK_CHANNEL)) == 1
    assert len(emulator.calls_to("chat.postMessage")) == 1


def test_every_member_of_a_large_channel_is_recorded(bot: LocalBot, emulator: SlackEmulator) -> None:
    crowd = [f"U{number:05d}" for number in range(250)]
    for user_id in crowd:
        emulator.add_user(user_id, user_id.lower())
        emulator.join(NETWORK_CHANNEL, user_id)
    start_network(bot)
    assert len(exported(bot)["members"]) == 3 + 250
    assert len(emulator.calls_to("conversations.members")) >= 2


def test_an_app_already_in_the_channel_is_no_member_and_slow_lookups_do_not_hold_the_modal(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    emulator.add_user("U0DRIVE", "google-drive", real_name="Google Drive", is_bot=True)
    emulator.join(NETWORK_CHANNEL, "U0DRIVE")
    assert bot.driver is not None
    bot.driver.slash_command("start", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    bot.settle()
    # Telling an app from a person takes a users.info per member: Slack waits 3 s for the modal's answer.
    emulator.delay_next("users.info", 3.5)
    began = time.monotonic()
    response = bot.driver.submit_view(FACILITATOR, form_values({**START_FORM, "start_language": "en"}))
    answered_after = time.monotonic() - began
    bot.settle(timeout=20)

    assert response.status == 200 and answered_after < 3.0
    members = {member["user_id"] for member in exported(bot)["members"]}
    assert members == {FACILITATOR, *PARTICIPANTS[:2]}
    [welcome] = emulator.messages(NETWORK_CHANNEL)
    assert "Right now you are 3." in message_text(welcome)


def test_two_facilitators_starting_at_once_leave_one_network(bot: LocalBot, emulator: SlackEmulator) -> None:
    assert bot.driver is not None
    for user_id in (FACILITATOR, PARTICIPANTS[0]):
        bot.driver.slash_command("start", user_id=user_id, channel_id=NETWORK_CHANNEL)
    bot.settle()
    answers = [
        bot.driver.submit_view(user_id, form_values(START_FORM)) for user_id in (FACILITATOR, PARTICIPANTS[0])
    ]
    bot.settle()

    assert len(emulator.messages(NETWORK_CHANNEL)) == 1
    assert len(exported(bot)["network"]["facilitators"]) == 1
    # The second one's modal stays open and says the channel is linked already.
    refused = [answer for answer in answers if "al gekoppeld" in str(answer.json())]
    assert len(refused) == 1
