"""The kickoff end to end, over real HTTP through the sandbox: introductions, members following the
channel, the roster and roles. The helpers here serve the other test_kickoff_* files too."""

from __future__ import annotations

from typing import Any

import pytest

from bot.demo.harness import LocalBot
from bot.errors import ChannelNotLinked
from bot.sandbox.emulator import SlackEmulator
from bot.views.ids import IntroBlocks
from tests.blocks import message_text
from tests.e2e.conftest import CHANNEL_WITHOUT_BOT
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import OUTSIDER
from tests.e2e.conftest import PARTICIPANTS
from tests.e2e.conftest import channel_messages
from tests.e2e.conftest import exported
from tests.e2e.conftest import join_network_channel
from tests.e2e.conftest import last_private
from tests.e2e.conftest import leave_network_channel
from tests.e2e.conftest import open_modal
from tests.e2e.conftest import private_texts
from tests.e2e.conftest import start_network
from tests.factories import INTRO_FORM
from tests.factories import form_values

JOKE, MEHMET = PARTICIPANTS
HOSTILE = "<!channel> hallo <@U0MEHMET> *vet* & <https://x.example|klik>"


# ---------------------------------------------------------------------- helpers


def add_people(emulator: SlackEmulator, count: int, *, join: bool = True, prefix: str = "U0P") -> list[str]:
    """`count` more people in the workspace (and, with `join`, in the network channel already)."""
    people = [f"{prefix}{number:03d}" for number in range(count)]
    for user_id in people:
        emulator.add_user(user_id, user_id.lower(), real_name=f"Persoon {user_id[-3:]}", locale="nl-BE")
        if join:
            emulator.join(NETWORK_CHANNEL, user_id)
    return people


def submit_intro(bot: LocalBot, user_id: str, **changes: str):  # type: ignore[no-untyped-def]
    bot.command("intro", user_id=user_id, channel_id=NETWORK_CHANNEL)
    return bot.submit_view(user_id, form_values({**INTRO_FORM, **changes}))


def click(
    bot: LocalBot,
    message: dict[str, Any],
    *,
    user_id: str,
    action_id: str,
    block_id: str | None = None,
    selected_option: str | None = None,
    channel_id: str = NETWORK_CHANNEL,
):  # type: ignore[no-untyped-def]
    """A person clicks (or chooses) in a message, and the bot finishes handling it."""
    assert bot.driver is not None
    response = bot.driver.block_action(
        user_id=user_id,
        action_id=action_id,
        block_id=block_id,
        selected_option=selected_option,
        channel_id=channel_id,
        message_ts=message["ts"],
    )
    bot.settle()
    assert response.status == 200
    return response


def dm_texts(emulator: SlackEmulator, user_id: str) -> list[str]:
    channel = emulator.dm_channel_id(user_id)
    return [message_text(message) for message in emulator.messages(channel)]


# ---------------------------------------------------------------------- introductions


def test_intro_opens_a_modal_and_posts_a_card_that_mentions_the_member(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    start_network(bot)
    view = open_modal(bot, "intro", JOKE)
    assert view["title"]["text"] == "Stel je voor"

    response = bot.submit_view(JOKE, form_values(INTRO_FORM))

    assert response.status == 200 and response.problems == []
    assert emulator.open_view(JOKE) is None
    [card] = channel_messages(emulator, "stelt zich voor")
    text = message_text(card)
    assert f"<@{JOKE}>" in text
    assert "Gezinscoach" in text and "Omgaan met agressie van ouders" in text
    assert "Een vraag uit mijn praktijk" not in text, "the optional question was left empty"
    member = next(m for m in exported(bot)["members"] if m["user_id"] == JOKE)
    assert member["introduced"] is True
    [intro] = exported(bot)["intros"]
    assert intro["organisation"] == "CAW Oost-Vlaanderen"


def test_running_intro_again_edits_the_same_card(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    submit_intro(bot, JOKE)
    [card] = channel_messages(emulator, "stelt zich voor")

    view = open_modal(bot, "intro", JOKE)
    prefilled = {
        b["block_id"]: b["element"].get("initial_value") for b in view["blocks"] if b["type"] == "input"
    }
    assert prefilled[IntroBlocks.JOB_ROLE] == "Gezinscoach"
    bot.submit_view(JOKE, form_values({IntroBlocks.JOB_ROLE: "Teamcoach"}))

    [updated] = channel_messages(emulator, "stelt zich voor")
    assert updated["ts"] == card["ts"] and updated.get("edited")
    assert "Teamcoach" in message_text(updated) and "Gezinscoach" not in message_text(updated)
    assert len(emulator.calls_to("chat.update")) == 1
    assert "bijgewerkt" in last_private(emulator, JOKE)


def test_an_intro_card_deleted_from_the_channel_is_posted_again(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    start_network(bot)
    submit_intro(bot, JOKE)
    [card] = channel_messages(emulator, "stelt zich voor")
    bot.runtime.client.chat_delete(channel=NETWORK_CHANNEL, ts=card["ts"])  # type: ignore[union-attr]

    submit_intro(bot, JOKE, **{IntroBlocks.WANTS: "Grenzen stellen"})

    [again] = channel_messages(emulator, "stelt zich voor")
    assert again["ts"] != card["ts"] and "Grenzen stellen" in message_text(again)
    submit_intro(bot, JOKE, **{IntroBlocks.WANTS: "Nog iets anders"})
    [same] = channel_messages(emulator, "stelt zich voor")
    assert same["ts"] == again["ts"]


def test_empty_or_over_long_answers_keep_the_modal_open_and_store_nothing(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    start_network(bot)

    response = submit_intro(
        bot, JOKE, **{IntroBlocks.JOB_ROLE: "  ", IntroBlocks.GIVES: "g" * 1001, IntroBlocks.WANTS: ""}
    )

    body = response.json()
    assert body["response_action"] == "errors"
    assert body["errors"] == {
        IntroBlocks.JOB_ROLE: "Vul dit in.",
        IntroBlocks.GIVES: "Dit is 1001 tekens lang; het mag er hoogstens 1000 zijn.",
        IntroBlocks.WANTS: "Vul dit in.",
    }
    assert emulator.open_view(JOKE) is not None
    assert channel_messages(emulator, "stelt zich voor") == []
    assert exported(bot)["intros"] == []


def test_text_people_type_is_shown_as_typed_and_pings_nobody(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    submit_intro(bot, JOKE, **{IntroBlocks.GIVES: HOSTILE, IntroBlocks.PRACTICE_QUESTION: HOSTILE})

    [card] = channel_messages(emulator, "stelt zich voor")
    text = message_text(card)
    assert "<!channel>" not in text and "<@U0MEHMET>" not in text and "<https://" not in text
    assert "&lt;!channel&gt; hallo &lt;@U0MEHMET&gt;" in text
    assert exported(bot)["intros"][0]["gives"] == HOSTILE


def test_intro_outside_a_network_or_by_an_outsider_is_answered_privately(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    bot.command("intro", user_id=FACILITATOR, channel_id=CHANNEL_WITHOUT_BOT)
    assert "nog niet gekoppeld" in last_private(emulator, FACILITATOR)
    start_network(bot)
    bot.command("intro", user_id=OUTSIDER, channel_id=NETWORK_CHANNEL)
    assert "geen lid" in last_private(emulator, OUTSIDER)
    assert emulator.open_view(OUTSIDER) is None


def test_an_english_network_introduces_in_english(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot, start_language="en")
    bot.command("intro", user_id=JOKE, channel_id=NETWORK_CHANNEL)
    assert emulator.open_view(JOKE)["title"]["text"] == "Introduce yourself"  # type: ignore[index]
    bot.submit_view(JOKE, form_values(INTRO_FORM))
    [card] = channel_messages(emulator, "introduces themselves")
    assert "What I want to learn" in message_text(card)


# ---------------------------------------------------------------------- members following the channel


def test_a_member_who_joins_is_recorded_and_welcomed_privately_once(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    start_network(bot)
    [newcomer] = add_people(emulator, 1, join=False)
    assert bot.driver is not None

    join_network_channel(bot, newcomer)
    bot.driver.redeliver(retry_num=1)
    bot.driver.redeliver(retry_num=2, retry_reason="http_error")
    bot.settle()

    [welcome] = private_texts(emulator, newcomer)
    assert "/netwerk intro" in welcome and "/netwerk afspraken" in welcome and f"<@{newcomer}>" in welcome
    members = {m["user_id"]: m["active"] for m in exported(bot)["members"]}
    assert members[newcomer] is True and len(members) == 4


def test_an_app_added_to_the_channel_is_no_member(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    emulator.add_user("U0DRIVE", "google-drive", real_name="Google Drive", is_bot=True)

    join_network_channel(bot, "U0DRIVE")

    assert "U0DRIVE" not in {m["user_id"] for m in exported(bot)["members"]}
    assert private_texts(emulator, "U0DRIVE") == []


def test_a_member_who_leaves_stays_in_history_and_can_no_longer_take_part(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    start_network(bot)
    assert bot.driver is not None
    leave_network_channel(bot, MEHMET)
    bot.driver.redeliver()
    bot.settle()

    member = next(m for m in exported(bot)["members"] if m["user_id"] == MEHMET)
    assert member["active"] is False and member["left_at"] is not None
    bot.command("leden", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    assert f"<@{MEHMET}>" not in last_private(emulator, FACILITATOR)


def test_events_about_the_bot_itself_or_an_unlinked_channel_change_nothing(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    start_network(bot)
    assert bot.driver is not None
    response = bot.send_event(bot.driver.member_joined_channel(emulator.bot_user_id, NETWORK_CHANNEL))
    assert response.status == 200
    emulator.join(CHANNEL_WITHOUT_BOT, OUTSIDER)
    assert bot.send_event(bot.driver.member_joined_channel(OUTSIDER, CHANNEL_WITHOUT_BOT)).status == 200
    assert {m["user_id"] for m in exported(bot)["members"]} == {FACILITATOR, JOKE, MEHMET}
    assert emulator.calls_to("chat.postEphemeral") == []


def test_facilitators_get_a_private_note_when_the_group_grows_past_fifteen(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    add_people(emulator, 11)
    start_network(bot)
    assert len(exported(bot)["members"]) == 14
    newcomers = add_people(emulator, 2, join=False, prefix="U0N")
    assert bot.driver is not None

    join_network_channel(bot, newcomers[0])
    assert dm_texts(emulator, FACILITATOR) == [], "fifteen is within the guideline"
    join_network_channel(bot, newcomers[1])
    bot.driver.redeliver()
    bot.settle()

    [note] = dm_texts(emulator, FACILITATOR)
    assert "16 leden" in note and "> Een lerend netwerk werkt het best met 10 tot 15 deelnemers" in note


# ---------------------------------------------------------------------- the roster


def test_the_roster_shows_each_member_to_the_caller_only(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    submit_intro(bot, JOKE)

    bot.command("leden", user_id=MEHMET, channel_id=NETWORK_CHANNEL)

    [roster] = emulator.ephemerals(user_id=MEHMET)
    text = message_text(roster)
    assert f"• <@{FACILITATOR}> · facilitator · nog niet voorgesteld" in text
    assert f"• <@{JOKE}> · deelnemer · voorgesteld" in text
    assert "Het netwerk telt 3 leden" in text and "10 tot 15" in text
    assert "De groepsafspraken zijn nog niet geplaatst." in text
    assert emulator.ephemerals(user_id=JOKE) == []


def test_members_is_the_english_alias_of_leden(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    bot.command("members", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    assert "Leden van Lerend netwerk jeugdhulp" in last_private(emulator, FACILITATOR)


def test_outsiders_get_no_roster(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    bot.command("leden", user_id=OUTSIDER, channel_id=NETWORK_CHANNEL)
    assert "geen lid" in last_private(emulator, OUTSIDER)


# ---------------------------------------------------------------------- roles


def test_a_facilitator_names_a_guest_expert_and_a_co_facilitator(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    start_network(bot)

    bot.command(f"rol <@{JOKE}|joke> expert", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    bot.command(f"role <@{MEHMET}> facilitator", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)

    answers = [entry["text"] for entry in emulator.ephemerals(user_id=FACILITATOR)]
    assert answers == [
        f"<@{JOKE}> is nu gastexpert in dit netwerk.",
        f"<@{MEHMET}> is nu facilitator in dit netwerk.",
    ]
    roles = {m["user_id"]: m["role"] for m in exported(bot)["members"]}
    assert roles == {FACILITATOR: "facilitator", JOKE: "expert", MEHMET: "facilitator"}
    assert sorted(exported(bot)["network"]["facilitators"]) == sorted([FACILITATOR, MEHMET])


def test_role_changes_that_are_not_allowed_are_refused_privately(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    start_network(bot)

    bot.command(f"rol <@{MEHMET}|mehmet> trekker", user_id=JOKE, channel_id=NETWORK_CHANNEL)
    bot.command(f"rol <@{FACILITATOR}|els> deelnemer", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    bot.command(f"rol <@{OUTSIDER}|karel> expert", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    bot.command("rol joke expert", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    bot.command(f"rol <@{JOKE}|joke> baas", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)

    assert "Dat kan alleen een facilitator" in last_private(emulator, JOKE)
    refusals = [entry["text"] for entry in emulator.ephemerals(user_id=FACILITATOR)]
    assert "minstens één facilitator" in refusals[0]
    assert f"<@{OUTSIDER}> is geen lid" in refusals[1]
    assert refusals[2].startswith("Zo gebruik je het: `/netwerk rol @collega facilitator`")
    assert refusals[3] == refusals[2]
    roles = {m["user_id"]: m["role"] for m in exported(bot)["members"]}
    assert roles == {FACILITATOR: "facilitator", JOKE: "participant", MEHMET: "participant"}


def test_a_group_whose_last_facilitator_left_names_a_new_one_itself(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    # Nobody else could: naming a facilitator was a facilitator's, and the only one has left the channel.
    start_network(bot)
    assert bot.driver is not None
    bot.send_event(bot.driver.member_left_channel(FACILITATOR, NETWORK_CHANNEL), event_id="EvLEFT")
    bot.settle()

    bot.command(f"rol <@{JOKE}|joke> expert", user_id=MEHMET, channel_id=NETWORK_CHANNEL)
    bot.command(f"rol <@{JOKE}|joke> facilitator", user_id=MEHMET, channel_id=NETWORK_CHANNEL)
    bot.command(f"rol <@{MEHMET}|mehmet> facilitator", user_id=MEHMET, channel_id=NETWORK_CHANNEL)

    refused, named, again = (entry["text"] for entry in emulator.ephemerals(user_id=MEHMET))
    assert refused.startswith("Dit netwerk heeft geen facilitator meer.")
    assert named == f"<@{JOKE}> is nu facilitator in dit netwerk."
    assert "Dat kan alleen een facilitator" in again
    roles = {m["user_id"]: m["role"] for m in exported(bot)["members"] if m["left_at"] is None}
    assert roles == {JOKE: "facilitator", MEHMET: "participant"}


def test_help_now_lists_the_kickoff(bot: LocalBot, emulator: SlackEmulator) -> None:
    bot.command("help", user_id=FACILITATOR, channel_id=CHANNEL_WITHOUT_BOT)
    text = last_private(emulator, FACILITATOR)
    for word in ("intro", "verwachtingen", "afspraken", "leden", "rol"):
        assert f"`/netwerk {word}`" in text


def test_export_of_an_unlinked_channel_still_refuses(bot: LocalBot) -> None:
    with pytest.raises(ChannelNotLinked):
        exported(bot, CHANNEL_WITHOUT_BOT)
