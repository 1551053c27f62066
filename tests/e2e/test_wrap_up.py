"""Closing the network end to end: `/netwerk afsluiten`, the look-back, the harvest and the archive,
through signed requests and the sandbox's Web API, on both databases.

The test's clock opens the ritual on Tuesday 20 October 2026 in Brussels (summer time); its default two
weeks end on Tuesday 3 November, after the clocks went back, at 17:00 in Brussels: 16:00 UTC.
"""

from __future__ import annotations

import json
from datetime import UTC
from datetime import datetime

from bot import jobs
from bot.clock import ManualClock
from bot.demo.harness import LocalBot
from bot.sandbox.emulator import SlackEmulator
from bot.views.ids import VALUE_ACTION
from bot.views.ids import LookBackBlocks
from bot.views.ids import WrapUpActions
from bot.views.ids import WrapUpBlocks
from storage.models import Network
from storage.models import WrapUp
from storage.models import WrapUpAnswer
from storage.models import WrapUpProgress
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import OUTSIDER
from tests.e2e.conftest import PARTICIPANTS
from tests.e2e.conftest import dm_blocks
from tests.e2e.conftest import exported as exported_of
from tests.e2e.conftest import forget_me
from tests.e2e.conftest import leave_network_channel
from tests.e2e.conftest import open_modal
from tests.e2e.conftest import press
from tests.e2e.conftest import start_network
from tests.e2e.conftest import stored
from tests.e2e.test_kickoff_map import share
from tests.e2e.test_kickoff_map import vote
from tests.e2e.test_thermometer import answer
from tests.e2e.timed import job_context

JOKE, MEHMET = PARTICIPANTS
OPENED = datetime(2026, 10, 20, 8, 0, tzinfo=UTC)
CLOSES = datetime(2026, 11, 3, 16, 0, tzinfo=UTC)
ARCHIVED_CHANNEL = f"{NETWORK_CHANNEL}#1"
GOAL_ONE = "Beter intervisie leiden"
GOAL_TWO = "Meer rust in mijn agenda"


def with_voted_goals(bot: LocalBot, emulator: SlackEmulator) -> None:
    share(bot, FACILITATOR, GOAL_ONE, GOAL_TWO)
    share(bot, JOKE, GOAL_ONE)
    bot.command("verwachtingen kaart", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    vote(bot, emulator, FACILITATOR, GOAL_ONE)
    vote(bot, emulator, JOKE, GOAL_ONE)
    vote(bot, emulator, MEHMET, GOAL_TWO)


def open_wrap_up(bot: LocalBot, ends_on: str | None = None, user_id: str = FACILITATOR):  # type: ignore[no-untyped-def]
    bot.command("afsluiten", user_id=user_id, channel_id=NETWORK_CHANNEL)
    values = {WrapUpBlocks.ENDS_ON: {VALUE_ACTION: ends_on}} if ends_on else {}
    return bot.submit_view(user_id, values)


def announcement(emulator: SlackEmulator) -> dict:
    [posted] = [
        m for m in emulator.messages(NETWORK_CHANNEL) if "We sluiten het netwerk af" in str(m.get("blocks"))
    ]
    return posted


def look_back(  # type: ignore[no-untyped-def]
    bot: LocalBot,
    user_id: str,
    ts: str,
    levels: tuple[str, ...],
    lesson: str,
    story: tuple[str, str, str] = ("", "", ""),
    *,
    shared: bool = False,
    channel_id: str = NETWORK_CHANNEL,
):
    press(bot, user_id, WrapUpActions.LOOK_BACK, ts, channel_id=channel_id)
    values: dict = {
        f"{LookBackBlocks.GOAL_PREFIX}{position}": {VALUE_ACTION: level}
        for position, level in enumerate(levels)
    }
    values[LookBackBlocks.LESSON] = {VALUE_ACTION: lesson}
    for block, text in zip(
        (LookBackBlocks.TOOK_PART, LookBackBlocks.DID_DIFFERENTLY, LookBackBlocks.YIELDED), story, strict=True
    ):
        values[block] = {VALUE_ACTION: text}
    values[LookBackBlocks.SHARE] = {VALUE_ACTION: [LookBackBlocks.SHARE_OPTION] if shared else []}
    return bot.submit_view(user_id, values)


def ephemeral_texts(emulator: SlackEmulator, user_id: str) -> str:
    return " ".join(e["text"] + str(e.get("blocks")) for e in emulator.ephemerals(user_id=user_id))


# ---------------------------------------------------------------------- the whole ritual


def test_the_ritual_asks_each_member_and_closes_once_with_the_harvest_and_the_archive(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    start_network(bot)
    with_voted_goals(bot, emulator)
    clock.set(OPENED)
    modal = open_modal(bot, "afsluiten", FACILITATOR)
    assert "Beter intervisie leiden" in str(modal["blocks"])
    assert "2026-11-03" in str(modal["blocks"])  # two weeks by default
    bot.submit_view(FACILITATOR, {})

    posted = announcement(emulator)
    assert "wat je vooral meeneemt als les uit het lerend netwerk" in str(posted["blocks"])
    assert "dinsdag 3 november om 17:00" in str(posted["blocks"])
    for user_id in (FACILITATOR, JOKE, MEHMET):
        assert WrapUpActions.LOOK_BACK in dm_blocks(emulator, user_id)
    assert dm_blocks(emulator, OUTSIDER) == ""

    look_back(bot, JOKE, posted["ts"], ("1", "1"), "eerste versie")
    # A second answer replaces the first.
    look_back(
        bot,
        JOKE,
        posted["ts"],
        ("4", "2"),
        "Vragen stellen werkt beter dan raad geven",
        ("De intervisierondes", "Ik stel eerst vragen", "Rustiger gesprekken met cliënten"),
        shared=True,
    )
    look_back(
        bot,
        MEHMET,
        posted["ts"],
        ("2", "5"),
        "Tijd maken voor elkaar",
        ("Geheim verhaal", "", ""),
        shared=False,
    )
    assert len(stored(bot, WrapUpAnswer)) == 2 and len(stored(bot, WrapUpProgress)) == 4
    assert "Bedankt voor je terugblik" in ephemeral_texts(emulator, JOKE)
    # The closing round's lessons join the network's lessons at once.
    bot.command("lessen", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    assert "Tijd maken voor elkaar" in ephemeral_texts(emulator, FACILITATOR)
    assert exported_of(bot)["harvest"] is None
    bot.command("samenvatting", user_id=JOKE, channel_id=NETWORK_CHANNEL)
    summary = str(emulator.messages(NETWORK_CHANNEL)[-1]["blocks"])
    # Each reader's Slack writes the moment in their own zone; the network's own is the fallback.
    assert "Het netwerk wordt afgesloten: terugblikken kan tot <!date^" in summary
    assert "|dinsdag 3 november om 17:00>" in summary

    # Three days before the close, who has not looked back yet is reminded, once.
    clock.set(datetime(2026, 10, 31, 15, 59, tzinfo=UTC))
    jobs.run_wrap_ups(job_context(bot))
    assert "Je terugblik ontbreekt nog" not in dm_blocks(emulator, FACILITATOR)
    clock.set(datetime(2026, 10, 31, 16, 0, tzinfo=UTC))
    jobs.run_wrap_ups(job_context(bot))
    jobs.run_wrap_ups(job_context(bot))
    assert dm_blocks(emulator, FACILITATOR).count("Je terugblik ontbreekt nog") == 1
    assert "ontbreekt" not in dm_blocks(emulator, JOKE) + dm_blocks(emulator, MEHMET)

    clock.set(datetime(2026, 11, 3, 15, 59, tzinfo=UTC))
    jobs.run_wrap_ups(job_context(bot))
    assert stored(bot, WrapUp)[0].status == "open"
    clock.set(CLOSES)
    jobs.run_wrap_ups(job_context(bot))
    jobs.run_wrap_ups(job_context(bot))  # a second sweep, or a second process, finds it closed
    bot.settle()

    harvests = [
        m
        for m in emulator.messages(NETWORK_CHANNEL)
        if "De oogst van ons lerend netwerk" in str(m.get("blocks"))
    ]
    assert len(harvests) == 1
    text = str(harvests[0]["blocks"])
    assert "2 van de 3 leden blikten terug" in text
    assert "*3,0* van 5 (2 antwoorden)" in text and "*3,5* van 5" in text
    assert "Vragen stellen werkt beter dan raad geven" in text and "Tijd maken voor elkaar" in text
    assert "Ik stel eerst vragen" in text and "Geheim verhaal" not in text and "eerste versie" not in text
    assert "bijeenkomsten" in text
    for user_id in (FACILITATOR, JOKE, MEHMET):
        assert user_id not in text
    assert "De terugblik is gesloten" in str(emulator.message(NETWORK_CHANNEL, posted["ts"])["blocks"])
    files = emulator.files
    assert any(f["name"] == "oogst.png" for f in files.values())
    [document] = [f for f in files.values() if f["name"] == "oogst.md"]
    content = document["content"].decode()
    assert (
        "# De oogst van" in content
        and "data:image/png;base64," in content
        and "Geheim verhaal" not in content
    )
    assert "gearchiveerd" in " ".join(str(m.get("blocks")) for m in emulator.messages(NETWORK_CHANNEL))

    data = exported_of(bot)  # the channel id finds the network archived there
    assert data["network"]["archived_at"] is not None
    harvest = data["harvest"]
    assert harvest["respondents"] == 2 and harvest["members"] == 3
    assert [(g["text"], g["average"], g["answers"]) for g in harvest["goals"]] == [
        (GOAL_ONE, 3.0, 2),
        (GOAL_TWO, 3.5, 2),
    ]
    assert len(harvest["stories"]) == 1 and harvest["figures"]["cases"] == 0
    dumped = json.dumps(harvest)
    for user_id in (FACILITATOR, JOKE, MEHMET):
        assert user_id not in dumped
    # After the close: told it is closed, and the channel is free.
    [invitation] = emulator.messages(emulator.dm_channel_id(JOKE))
    press(bot, JOKE, WrapUpActions.LOOK_BACK, invitation["ts"], channel_id=emulator.dm_channel_id(JOKE))
    assert emulator.open_view(JOKE) is None
    assert "De terugblik is gesloten" in ephemeral_texts(emulator, JOKE) + dm_blocks(emulator, JOKE)
    bot.command("afsluiten", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    assert "nog niet gekoppeld" in ephemeral_texts(emulator, FACILITATOR)


# ---------------------------------------------------------------------- bad input


def test_twice_a_participant_an_outsider_and_a_bad_day_are_told_so(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    start_network(bot)
    clock.set(OPENED)
    bot.command("afsluiten", user_id=JOKE, channel_id=NETWORK_CHANNEL)
    assert "facilitator" in ephemeral_texts(emulator, JOKE)
    bot.command("wrap-up", user_id=OUTSIDER, channel_id=NETWORK_CHANNEL)
    assert ephemeral_texts(emulator, OUTSIDER) != ""
    assert emulator.open_view(JOKE) is None and emulator.open_view(OUTSIDER) is None

    bot.command("afsluiten", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    response = bot.submit_view(FACILITATOR, {WrapUpBlocks.ENDS_ON: {VALUE_ACTION: "2026-10-19"}})
    assert "Kies een dag na vandaag" in json.dumps(response.json())
    response = bot.submit_view(FACILITATOR, {WrapUpBlocks.ENDS_ON: {VALUE_ACTION: "2027-03-01"}})
    assert "binnen 92 dagen" in json.dumps(response.json())
    assert stored(bot, WrapUp) == []
    response = bot.submit_view(FACILITATOR, {WrapUpBlocks.ENDS_ON: {VALUE_ACTION: "2026-10-27"}})
    [wrap_up] = stored(bot, WrapUp)
    assert wrap_up.closes_at == datetime(2026, 10, 27, 16, 0, tzinfo=UTC)  # 17:00 in winter time

    bot.command("afsluiten", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    assert "wordt al afgesloten" in ephemeral_texts(emulator, FACILITATOR)
    assert len(stored(bot, WrapUp)) == 1


def test_a_double_submit_starts_one_ritual(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    start_network(bot)
    clock.set(OPENED)
    view = open_modal(bot, "afsluiten", FACILITATOR)
    bot.submit_view(FACILITATOR, {})
    assert bot.driver is not None
    bot.driver.submit_view(FACILITATOR, {}, view_id=view["id"])
    bot.settle()
    assert len(stored(bot, WrapUp)) == 1
    assert (
        len(
            [
                m
                for m in emulator.messages(NETWORK_CHANNEL)
                if "We sluiten het netwerk af" in str(m.get("blocks"))
            ]
        )
        == 1
    )


def test_a_member_who_left_is_not_asked_and_cannot_look_back(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    start_network(bot)
    leave_network_channel(bot, MEHMET)
    clock.set(OPENED)
    open_wrap_up(bot)
    assert WrapUpActions.LOOK_BACK in dm_blocks(emulator, JOKE)
    assert dm_blocks(emulator, MEHMET) == ""
    press(bot, MEHMET, WrapUpActions.LOOK_BACK, announcement(emulator)["ts"])
    assert emulator.open_view(MEHMET) is None
    assert "lid" in ephemeral_texts(emulator, MEHMET)


def test_forget_me_erases_a_look_back_and_my_data_holds_it(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    start_network(bot)
    clock.set(OPENED)
    open_wrap_up(bot)
    ts = announcement(emulator)["ts"]
    look_back(bot, JOKE, ts, (), "Mijn les", ("Deelgenomen", "Anders gedaan", "Opgeleverd"), shared=True)
    bot.command("mijn-gegevens", user_id=JOKE, channel_id=NETWORK_CHANNEL)
    [data_file] = [f for f in emulator.files.values() if f["name"].endswith(".json")]
    assert "Mijn les" in data_file["content"].decode() and "Opgeleverd" in data_file["content"].decode()

    forget_me(bot, JOKE)
    assert stored(bot, WrapUpAnswer) == []
    clock.set(CLOSES)
    jobs.run_wrap_ups(job_context(bot))
    bot.settle()
    harvest = exported_of(bot, ARCHIVED_CHANNEL)["harvest"]
    assert harvest["respondents"] == 0 and harvest["stories"] == [] and "Mijn les" not in json.dumps(harvest)
    [network] = stored(bot, Network)
    assert network.archived_at is not None


def test_a_forged_level_an_empty_lesson_and_a_forged_button_are_answered_not_kept(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    start_network(bot)
    with_voted_goals(bot, emulator)
    clock.set(OPENED)
    open_wrap_up(bot)
    ts = announcement(emulator)["ts"]
    press(bot, JOKE, WrapUpActions.LOOK_BACK, ts)
    response = bot.submit_view(
        JOKE,
        {
            f"{LookBackBlocks.GOAL_PREFIX}0": {VALUE_ACTION: "3"},
            LookBackBlocks.LESSON: {VALUE_ACTION: "   "},
        },
    )
    errors = response.json()["errors"]
    assert set(errors) == {f"{LookBackBlocks.GOAL_PREFIX}1", LookBackBlocks.LESSON}
    assert stored(bot, WrapUpAnswer) == []

    assert bot.driver is not None
    bot.driver.block_action(
        user_id=JOKE,
        action_id=WrapUpActions.LOOK_BACK,
        value="9999",
        channel_id=NETWORK_CHANNEL,
        message_ts=ts,
    )
    bot.settle()
    bot.driver.block_action(
        user_id=JOKE,
        action_id=WrapUpActions.LOOK_BACK,
        value="drop table",
        channel_id=NETWORK_CHANNEL,
        message_ts=ts,
    )
    bot.settle()
    answers = [e["text"] for e in emulator.ephemerals(user_id=JOKE)]
    assert sum("bestaat niet (meer)" in answer for answer in answers) == 2


def test_a_forgotten_starter_is_named_nowhere_and_another_facilitator_archives(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    start_network(bot)
    bot.command(f"rol <@{JOKE}> facilitator", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    clock.set(OPENED)
    open_wrap_up(bot)
    forget_me(bot, FACILITATOR)
    assert stored(bot, WrapUp)[0].started_by == ""

    clock.set(CLOSES)
    jobs.run_wrap_ups(job_context(bot))
    bot.settle()
    [archived] = [
        m for m in emulator.messages(NETWORK_CHANNEL) if "heeft het lerend netwerk" in str(m.get("blocks"))
    ]
    assert JOKE in str(archived["blocks"]) and FACILITATOR not in str(archived["blocks"])
    assert [f for f in emulator.files.values() if f["name"] == "oogst.md"]  # the remaining facilitator's file


def test_an_english_network_names_its_charts_in_english(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    start_network(bot, start_language="en")
    bot.command("thermometer", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    round_ts = emulator.messages(NETWORK_CHANNEL)[-1]["ts"]
    for user_id in (FACILITATOR, *PARTICIPANTS):
        answer(bot, user_id, round_ts, (7, 7, 7, 7, 7, 7))
    bot.command("thermometer close", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    bot.command("summary", user_id=JOKE, channel_id=NETWORK_CHANNEL)
    clock.set(OPENED)
    open_wrap_up(bot)
    [posted] = [m for m in emulator.messages(NETWORK_CHANNEL) if WrapUpActions.LOOK_BACK in str(m["blocks"])]
    look_back(bot, JOKE, posted["ts"], (), "Questions work better than advice")

    clock.set(CLOSES)
    jobs.run_wrap_ups(job_context(bot))
    bot.settle()
    assert sorted(f["name"] for f in emulator.files.values()) == ["harvest.md", "harvest.png", "summary.png"]
