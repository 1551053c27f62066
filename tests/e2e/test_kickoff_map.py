"""Expectations, learning goals and dot voting on the expectations map, end to end over HTTP."""

from __future__ import annotations

import threading
from functools import partial
from typing import Any

import pytest

from bot.demo.harness import LocalBot
from bot.publishing.kickoff import MessageRefresher
from bot.sandbox.emulator import SlackEmulator
from bot.services.expectations import goal_key
from bot.services.expectations import goal_ref
from bot.views.ids import GOAL_BLOCK_PREFIX
from bot.views.ids import ExpectationsBlocks
from bot.views.ids import KickoffActions
from bot.views.ids import PrivacyActions
from tests.blocks import message_text
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import OUTSIDER
from tests.e2e.conftest import channel_messages
from tests.e2e.conftest import forget_me
from tests.e2e.conftest import last_private
from tests.e2e.conftest import leave_network_channel
from tests.e2e.conftest import open_modal
from tests.e2e.conftest import press_on_ephemeral
from tests.e2e.conftest import start_network
from tests.e2e.test_kickoff import HOSTILE
from tests.e2e.test_kickoff import JOKE
from tests.e2e.test_kickoff import MEHMET
from tests.e2e.test_kickoff import add_people
from tests.e2e.test_kickoff import click
from tests.e2e.test_kickoff import exported
from tests.factories import form_values
from tests.together import run_together


def share(bot: LocalBot, user_id: str, *goals: str, text: str = "Leren van elkaar"):  # type: ignore[no-untyped-def]
    """`/netwerk verwachtingen` and submit the modal with these goals."""
    bot.command("verwachtingen", user_id=user_id, channel_id=NETWORK_CHANNEL)
    values = {ExpectationsBlocks.TEXT: text}
    values.update({block: goal for block, goal in zip(ExpectationsBlocks.GOALS, goals, strict=False)})
    return bot.submit_view(user_id, form_values(values))


def goals_on_the_map(bot: LocalBot) -> None:
    """A started network whose map, posted by the facilitator, shows Joke's two learning goals."""
    start_network(bot)
    share(bot, JOKE, "Omgaan met agressie", "Feedback geven")
    bot.command("verwachtingen kaart", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)


@pytest.fixture
def one_goal_map(bot: LocalBot, emulator: SlackEmulator) -> dict[str, Any]:
    """A started network whose map, posted by Joke, shows his one learning goal, "Feedback geven"; the
    map as it was posted."""
    start_network(bot)
    share(bot, JOKE, "Feedback geven")
    bot.command("verwachtingen kaart", user_id=JOKE, channel_id=NETWORK_CHANNEL)
    return the_map(emulator)


def the_map(emulator: SlackEmulator) -> dict[str, Any]:
    maps = [
        m
        for m in channel_messages(emulator, "Verwachtingenkaart")
        if m.get("blocks") and len(m["blocks"]) > 1
    ]
    assert len(maps) >= 1, "no map in the channel"
    return maps[-1]


def goal_lines(message: dict[str, Any]) -> list[str]:
    """The map's goals with a button, top first, as 'text|votes line'."""
    return [
        block["text"]["text"].replace("*", "").replace("\n", "|")
        for block in message["blocks"]
        if block.get("block_id", "").startswith(GOAL_BLOCK_PREFIX)
    ]


def vote(bot: LocalBot, emulator: SlackEmulator, user_id: str, goal: str):  # type: ignore[no-untyped-def]
    return click(
        bot,
        the_map(emulator),
        user_id=user_id,
        action_id=KickoffActions.VOTE,
        block_id=GOAL_BLOCK_PREFIX + goal_ref(goal_key(goal)),
    )


def test_expectations_open_a_modal_and_are_saved(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    view = open_modal(bot, "verwachtingen", JOKE)
    assert view["title"]["text"] == "Verwachtingen"
    assert len([b for b in view["blocks"] if b["type"] == "input"]) == 4

    response = share(bot, JOKE, "Omgaan met agressie", "Feedback geven")

    assert response.problems == [] and emulator.open_view(JOKE) is None
    assert "/netwerk verwachtingen kaart" in last_private(emulator, JOKE)
    goals = [e for e in exported(bot)["expectations"] if e["kind"] == "learning_goal"]
    assert {g["text"] for g in goals} == {"Omgaan met agressie", "Feedback geven"}


def test_the_map_groups_the_same_goal_written_differently(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    share(bot, JOKE, "Omgaan met agressie", "Feedback geven")
    share(bot, MEHMET, "omgaan met   AGRESSIE!", text="Zien hoe anderen het doen")
    share(bot, FACILITATOR, "Omgáán met agressie")

    bot.command("verwachtingen kaart", user_id=MEHMET, channel_id=NETWORK_CHANNEL)

    message = the_map(emulator)
    assert goal_lines(message) == [
        "Omgaan met agressie|0 stemmen · genoemd door 3 leden",
        "Feedback geven|0 stemmen · genoemd door 1 lid",
    ]
    text = message_text(message)
    assert "Zien hoe anderen het doen" in text and "Leren van elkaar" in text


def test_votes_update_the_map_in_place_most_voted_first(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    share(bot, JOKE, "Omgaan met agressie", "Feedback geven")
    bot.command("expectations map", user_id=JOKE, channel_id=NETWORK_CHANNEL)
    posted = the_map(emulator)

    vote(bot, emulator, MEHMET, "Feedback geven")
    vote(bot, emulator, FACILITATOR, "Feedback geven")

    message = the_map(emulator)
    assert message["ts"] == posted["ts"] and message.get("edited")
    assert goal_lines(message) == [
        "Feedback geven|●● 2 stemmen · genoemd door 1 lid",
        "Omgaan met agressie|0 stemmen · genoemd door 1 lid",
    ]
    assert (
        emulator.ephemerals(user_id=MEHMET)[-1]["text"]
        == "Je stem op “Feedback geven” is geteld. Je hebt nog 2 stemmen over."
    )
    assert len(emulator.calls_to("chat.postMessage")) == 2, "the welcome and one map"
    goal = next(e for e in exported(bot)["expectations"] if e["text"] == "Feedback geven")
    assert goal["votes"] == 2 and goal["voters"] == sorted([MEHMET, FACILITATOR])


def test_a_fourth_vote_is_refused_and_a_vote_can_be_moved(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    share(bot, JOKE, "Agressie", "Feedback geven", "Netwerken")
    share(bot, MEHMET, "Supervisie")
    bot.command("verwachtingen kaart", user_id=JOKE, channel_id=NETWORK_CHANNEL)
    for goal in ("Agressie", "Feedback geven", "Netwerken"):
        vote(bot, emulator, MEHMET, goal)
    assert "al je stemmen gebruikt" in last_private(emulator, MEHMET)

    vote(bot, emulator, MEHMET, "Supervisie")
    assert last_private(emulator, MEHMET).startswith("Je hebt je 3 stemmen al gebruikt.")

    vote(bot, emulator, MEHMET, "Netwerken")
    assert "teruggenomen" in last_private(emulator, MEHMET)
    vote(bot, emulator, MEHMET, "Supervisie")

    votes = {e["text"]: e["votes"] for e in exported(bot)["expectations"] if e["kind"] == "learning_goal"}
    assert votes == {"Agressie": 1, "Feedback geven": 1, "Netwerken": 0, "Supervisie": 1}


@pytest.mark.usefixtures("one_goal_map")
def test_a_member_who_left_cannot_vote_and_takes_their_votes_along(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    vote(bot, emulator, MEHMET, "Feedback geven")
    assert goal_lines(the_map(emulator)) == ["Feedback geven|● 1 stem · genoemd door 1 lid"]
    leave_network_channel(bot, MEHMET)
    assert goal_lines(the_map(emulator)) == ["Feedback geven|0 stemmen · genoemd door 1 lid"]

    vote(bot, emulator, MEHMET, "Feedback geven")

    assert "geen lid" in last_private(emulator, MEHMET)
    assert goal_lines(the_map(emulator)) == ["Feedback geven|0 stemmen · genoemd door 1 lid"]


@pytest.mark.usefixtures("one_goal_map")
def test_a_forgotten_member_leaves_the_posted_map_with_their_words_and_votes(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    share(bot, MEHMET, "Netwerken", text="Mehmet wil vooral collega's leren kennen")
    vote(bot, emulator, MEHMET, "Feedback geven")

    forget_me(bot, MEHMET)

    message = the_map(emulator)
    assert goal_lines(message) == ["Feedback geven|0 stemmen · genoemd door 1 lid"]
    assert "Mehmet wil vooral" not in message_text(message)


def test_an_outsider_and_a_forged_goal_are_refused(
    bot: LocalBot, emulator: SlackEmulator, one_goal_map: dict[str, Any]
) -> None:
    message = one_goal_map

    vote(bot, emulator, OUTSIDER, "Feedback geven")
    assert "geen lid" in last_private(emulator, OUTSIDER)
    assert bot.driver is not None
    bot.driver.block_action(
        user_id=MEHMET,
        action_id=KickoffActions.VOTE,
        block_id=GOAL_BLOCK_PREFIX + goal_ref(goal_key("Feedback geven")),
        value="0000forged0000",
        channel_id=NETWORK_CHANNEL,
        message_ts=message["ts"],
    )
    bot.settle()
    assert "staat niet meer op de kaart" in last_private(emulator, MEHMET)
    assert goal_lines(the_map(emulator)) == ["Feedback geven|0 stemmen · genoemd door 1 lid"]


def test_votes_clicked_at_the_same_moment_all_count_and_never_exceed_three(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    people = add_people(emulator, 8)
    start_network(bot)
    goals = ["Agressie", "Feedback geven", "Netwerken", "Supervisie", "Zelfzorg"]
    share(bot, JOKE, *goals[:3])
    share(bot, MEHMET, *goals[3:])
    bot.command("verwachtingen kaart", user_id=JOKE, channel_id=NETWORK_CHANNEL)
    message = the_map(emulator)
    assert bot.driver is not None
    driver = bot.driver
    clicks = [(person, "Agressie") for person in people] + [(FACILITATOR, goal) for goal in goals]

    def send(user_id: str, goal: str) -> None:
        driver.block_action(
            user_id=user_id,
            action_id=KickoffActions.VOTE,
            block_id=GOAL_BLOCK_PREFIX + goal_ref(goal_key(goal)),
            channel_id=NETWORK_CHANNEL,
            message_ts=message["ts"],
        )

    run_together(*(partial(send, *click) for click in clicks), timeout=30)
    bot.settle(timeout=30)

    votes = {e["text"]: e["votes"] for e in exported(bot)["expectations"] if e["kind"] == "learning_goal"}
    assert sum(votes.values()) == len(people) + 3
    assert votes["Agressie"] >= len(people)
    shown = the_map(emulator)
    assert goal_lines(shown)[0].startswith("Agressie|")
    assert f"{votes['Agressie']} stemmen" in goal_lines(shown)[0], "the last update shows the latest count"


def test_editing_goals_after_the_map_is_posted_updates_it_in_place(
    bot: LocalBot, emulator: SlackEmulator, one_goal_map: dict[str, Any]
) -> None:
    posted = one_goal_map

    share(bot, MEHMET, "Netwerken", text=HOSTILE)

    message = the_map(emulator)
    assert message["ts"] == posted["ts"]
    assert [line.split("|")[0] for line in goal_lines(message)] == ["Feedback geven", "Netwerken"]
    assert "<!channel>" not in message_text(message) and "&lt;!channel&gt;" in message_text(message)
    assert "kaart in het kanaal is bijgewerkt" in last_private(emulator, MEHMET)


def test_posting_the_map_again_replaces_the_old_one(
    bot: LocalBot, emulator: SlackEmulator, one_goal_map: dict[str, Any]
) -> None:
    first = one_goal_map
    bot.command("verwachtingen kaart", user_id=MEHMET, channel_id=NETWORK_CHANNEL)

    second = the_map(emulator)
    assert second["ts"] != first["ts"]
    old = emulator.message(NETWORK_CHANNEL, first["ts"])
    assert old is not None and "vervangen" in message_text(old)
    assert not [b for b in old.get("blocks", []) if "accessory" in b], "no buttons left on the old map"
    vote(bot, emulator, MEHMET, "Feedback geven")
    assert "1 stem" in goal_lines(the_map(emulator))[0]


def test_a_map_with_nothing_on_it_is_not_posted(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    bot.command("verwachtingen kaart", user_id=JOKE, channel_id=NETWORK_CHANNEL)
    assert "nog niets om op de kaart te zetten" in last_private(emulator, JOKE)
    assert channel_messages(emulator, "Verwachtingenkaart") == []


def test_empty_or_over_long_expectations_keep_the_modal_open(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    bot.command("verwachtingen", user_id=JOKE, channel_id=NETWORK_CHANNEL)
    response = bot.submit_view(
        JOKE, form_values({ExpectationsBlocks.TEXT: "", ExpectationsBlocks.GOAL_2: "d" * 151})
    )
    assert response.json() == {
        "response_action": "errors",
        "errors": {
            ExpectationsBlocks.TEXT: "Vul dit in.",
            ExpectationsBlocks.GOAL_2: "Dit is 151 tekens lang; het mag er hoogstens 150 zijn.",
        },
    }
    assert exported(bot)["expectations"] == []


def test_a_map_of_many_goals_summarises_the_tail_and_lets_members_vote_on_it(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    people = add_people(emulator, 8)
    start_network(bot)
    for number, person in enumerate([*people, JOKE]):
        share(bot, person, *(f"Leerdoel {number}-{n}" for n in range(3)))
    bot.command("verwachtingen kaart", user_id=JOKE, channel_id=NETWORK_CHANNEL)
    message = the_map(emulator)
    assert len(message["blocks"]) <= 50
    assert len(goal_lines(message)) == 20 and "Nog 7 leerdoelen" in message_text(message)
    tail_goal = "Leerdoel 8-2"
    assert tail_goal not in "".join(goal_lines(message))

    click(
        bot,
        message,
        user_id=MEHMET,
        action_id=KickoffActions.VOTE_OTHER_GOAL,
        selected_option=goal_ref(goal_key(tail_goal)),
    )

    assert goal_lines(the_map(emulator))[0].startswith(f"{tail_goal}|● 1 stem")


def test_a_burst_of_refreshes_costs_two_updates_and_ends_with_the_latest_state() -> None:
    refresher = MessageRefresher()
    first_running, release = threading.Event(), threading.Event()
    state = {"votes": 0}
    shown: list[int] = []

    def update() -> None:
        shown.append(state["votes"])
        if len(shown) == 1:
            first_running.set()
            release.wait(5)

    first = threading.Thread(target=refresher.refresh, args=("map", update))
    first.start()
    assert first_running.wait(5)
    for votes in range(1, 6):
        state["votes"] = votes
        refresher.refresh("map", update)  # returns at once: the running refresh will read again
    release.set()
    first.join(5)

    assert shown == [0, 5]
    refresher.refresh("map", update)
    assert shown == [0, 5, 5], "once idle, a refresh runs right away"


def test_a_failing_refresh_does_not_block_the_next() -> None:
    refresher = MessageRefresher()

    def broken() -> None:
        raise RuntimeError("Slack is down")

    with pytest.raises(RuntimeError):
        refresher.refresh("agreements", broken)
    ran: list[bool] = []
    refresher.refresh("agreements", lambda: ran.append(True))
    assert ran == [True]


def test_a_member_forgotten_after_the_archive_leaves_the_posted_map_too(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    start_network(bot)
    share(bot, MEHMET, "Netwerken", text="Mehmet wil vooral collega's leren kennen")
    bot.command("verwachtingen kaart", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    bot.command("archiveer", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    press_on_ephemeral(bot, emulator, FACILITATOR, PrivacyActions.ARCHIVE)

    forget_me(bot, MEHMET)

    message = the_map(emulator)
    assert "Mehmet wil vooral" not in message_text(message) and "Netwerken" not in message_text(message)
