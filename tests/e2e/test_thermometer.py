"""The network thermometer end to end: signed requests in, the sandbox's Web API out, on both databases.

Timed work runs by calling the scheduler's job functions with the test's clock, which starts on Monday
14 September 2026, 10:00 in Brussels; the quarterly rounds fall on the first Mondays of October 2026
(summer time) and January 2027 (winter time), at 10:00 in Brussels both times.
"""

from __future__ import annotations

import json
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from bot import jobs
from bot.clock import ManualClock
from bot.demo.harness import LocalBot
from bot.sandbox.emulator import SlackEmulator
from bot.views.ids import VALUE_ACTION
from bot.views.ids import PrivacyActions
from bot.views.ids import ThermometerActions
from bot.views.ids import ThermometerAnswerBlocks
from storage.models import ThermometerAnswer
from storage.models import ThermometerRound
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import OUTSIDER
from tests.e2e.conftest import PARTICIPANTS
from tests.e2e.conftest import dm_blocks
from tests.e2e.conftest import ephemeral_texts
from tests.e2e.conftest import exported
from tests.e2e.conftest import forget_me
from tests.e2e.conftest import press
from tests.e2e.conftest import press_on_ephemeral
from tests.e2e.conftest import start_network
from tests.e2e.conftest import stored
from tests.e2e.timed import job_context

ROUND_HEADER = "Netwerkthermometer"
MEMBERS = (FACILITATOR, *PARTICIPANTS)


def rounds_in_channel(emulator: SlackEmulator) -> list[dict]:
    return [
        m
        for m in emulator.messages(NETWORK_CHANNEL)
        if "thermometer_answer_open" in str(m.get("blocks"))
        or "Deze ronde is gesloten" in str(m.get("blocks"))
    ]


def the_round(emulator: SlackEmulator) -> dict:
    [posted] = rounds_in_channel(emulator)
    return posted


def a_round_open(bot: LocalBot, emulator: SlackEmulator) -> str:
    """A started network whose facilitator posted a round by hand; the round message's ts."""
    start_network(bot)
    bot.command("thermometer", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    return str(the_round(emulator)["ts"])


def press_answer(bot: LocalBot, user_id: str, ts: str) -> None:
    """Press the button of the round `ts`, which opens the answer modal where answers are still taken."""
    press(bot, user_id, ThermometerActions.ANSWER, ts)


def answer(bot: LocalBot, user_id: str, ts: str, scores: tuple[int | dict, ...], stronger: str = ""):
    """Press the round's button and submit the modal with one score per aspect."""
    press_answer(bot, user_id, ts)
    values: dict = {
        block: {VALUE_ACTION: score}
        for block, score in zip(ThermometerAnswerBlocks.ASPECTS, scores, strict=True)
    }
    values[ThermometerAnswerBlocks.STRONGER] = {VALUE_ACTION: stronger}
    response = bot.submit_view(user_id, values)
    bot.settle()
    return response


def results_in_thread(emulator: SlackEmulator, ts: str) -> str:
    return " ".join(str(m.get("blocks")) for m in emulator.replies(NETWORK_CHANNEL, ts))


def forged(value: str) -> dict:
    return {"text": {"type": "plain_text", "text": value}, "value": value}


# ---------------------------------------------------------------------- a round a facilitator posts


def test_a_round_is_answered_anonymously_and_its_results_come_at_the_close(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    start_network(bot)
    bot.command("thermometer", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    posted = the_round(emulator)
    text = str(posted["blocks"])
    assert ROUND_HEADER in text and "wat zou ons netwerk sterker maken?" in text
    assert "*Anoniem:*" in text and "*Niet anoniem:*" in text and "minstens 3 leden" in text
    assert posted["metadata"]["event_payload"]["key"] == "thermometer/1/manual/2026-09-14"

    answer(bot, FACILITATOR, posted["ts"], (8, 7, 6, 9, 8, 7), "Meer casussen uit de praktijk")
    answer(bot, PARTICIPANTS[0], posted["ts"], (1, 1, 1, 1, 1, 1), "eerste versie")
    # A second answer from the same member replaces the first.
    answer(bot, PARTICIPANTS[0], posted["ts"], (6, 5, 6, 3, 7, 8), "Vaker samenkomen")
    answer(bot, PARTICIPANTS[1], posted["ts"], (7, 6, 6, 3, 6, 6))
    assert len(stored(bot, ThermometerAnswer)) == 3
    # Nothing shows before the close.
    assert results_in_thread(emulator, posted["ts"]) == ""
    assert exported(bot)["thermometer"][0]["aspects"]["goal"] is None

    bot.command("thermometer sluiten", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    results = results_in_thread(emulator, posted["ts"])
    assert "3 van de 3 leden antwoordden" in results
    assert "*7,0*" in results and "*5,0*" in results  # goal (8+6+7)/3, safety (9+3+3)/3
    assert "Meer casussen uit de praktijk" in results and "Vaker samenkomen" in results
    assert "eerste versie" not in results and "(eerste ronde)" in results
    assert "Deze ronde is gesloten" in str(emulator.message(NETWORK_CHANNEL, posted["ts"])["blocks"])

    [round_export] = exported(bot)["thermometer"]
    assert round_export["respondents"] == 3 and round_export["aspects"]["safety"] == 5.0
    assert round_export["closed_at"] is not None
    dumped = json.dumps(round_export)
    for user_id in (*MEMBERS, OUTSIDER):
        assert user_id not in dumped
    for row in stored(bot, ThermometerAnswer):
        assert all(user_id not in json.dumps(row.model_dump()) for user_id in MEMBERS)
    # Safety is low (5,0): the facilitator gets suggestions privately, naming a work form.
    suggestions = dm_blocks(emulator, FACILITATOR)
    assert "kwetsbaar" in suggestions and "visvijver (fishbowl)" in suggestions
    assert "doel is duidelijk" not in suggestions
    assert dm_blocks(emulator, PARTICIPANTS[0]) == ""


def test_scores_outside_one_to_ten_answers_after_the_close_and_outsiders_are_refused(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    ts = a_round_open(bot, emulator)

    bad = answer(bot, PARTICIPANTS[0], ts, (forged("11"), 5, 5, 5, 5, forged("0")))
    errors = bad.json()["errors"]
    assert errors[ThermometerAnswerBlocks.GOAL] == "Kies een score van 1 tot 10."
    assert errors[ThermometerAnswerBlocks.VALUE] == "Kies een score van 1 tot 10."
    assert stored(bot, ThermometerAnswer) == []

    bot.command("thermometer", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)  # a second one while open
    assert any("loopt al een thermometerronde" in e["text"] for e in emulator.ephemerals(user_id=FACILITATOR))
    bot.command("thermometer sluiten", user_id=PARTICIPANTS[0], channel_id=NETWORK_CHANNEL)
    assert stored(bot, ThermometerRound)[0].status == "open"

    press_answer(bot, PARTICIPANTS[1], ts)
    bot.command("thermometer close", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    values = {block: {VALUE_ACTION: "5"} for block in ThermometerAnswerBlocks.ASPECTS}
    late = bot.submit_view(PARTICIPANTS[1], values)
    assert "gesloten" in " ".join(late.json()["errors"].values())
    assert stored(bot, ThermometerAnswer) == []
    # Too few answers: the results say so and show nothing else; the export keeps no averages.
    assert "Te weinig antwoorden" in results_in_thread(emulator, ts)
    [round_export] = exported(bot)["thermometer"]
    assert round_export["respondents"] == 0 and set(round_export["aspects"].values()) == {None}
    bot.command("thermometer sluiten", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    assert any("loopt geen thermometerronde" in e["text"] for e in emulator.ephemerals(user_id=FACILITATOR))


def test_a_round_slack_refuses_is_told_and_keeps_no_network_from_another(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    start_network(bot)
    refused = {"ok": False, "error": "not_in_channel"}  # the bot was removed from the channel
    # A quarterly round refused just ends: it is not opened again and again.
    clock.set(datetime(2026, 10, 5, 8, 0, tzinfo=UTC))
    emulator.fail_next("chat.postMessage", status=200, body=refused)
    jobs.run_thermometer_rounds(job_context(bot))
    jobs.run_thermometer_rounds(job_context(bot))
    assert [r.status for r in stored(bot, ThermometerRound)] == ["closed"]

    # One a facilitator asks for also ends, and they are told why.
    emulator.fail_next("chat.postMessage", status=200, body=refused)
    bot.command("thermometer", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    assert "`not_in_channel`" in ephemeral_texts(emulator, FACILITATOR)[-1]
    assert [r.status for r in stored(bot, ThermometerRound)] == ["closed"] * 2

    # Invited again, the facilitator posts a round the next day (one a day, as ever).
    clock.advance(timedelta(days=1))
    bot.command("thermometer", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    assert len(rounds_in_channel(emulator)) == 1


# ---------------------------------------------------------------------- the quarterly rounds


def test_the_quarterly_rounds_come_once_each_in_local_time_and_show_the_trend(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    start_network(bot)
    context = job_context(bot)
    clock.set(datetime(2026, 10, 5, 7, 59, tzinfo=UTC))  # 09:59 in Brussels, summer time
    jobs.run_thermometer_rounds(context)
    assert rounds_in_channel(emulator) == []
    clock.set(datetime(2026, 10, 5, 8, 0, tzinfo=UTC))
    jobs.run_thermometer_rounds(context)
    jobs.run_thermometer_rounds(context)  # a second sweep, or a second process, finds it claimed
    first = the_round(emulator)
    assert first["metadata"]["event_payload"]["key"] == "thermometer/1/2026-q4"
    for user_id in MEMBERS:
        answer(bot, user_id, first["ts"], (8, 8, 8, 8, 8, 8))

    clock.advance(timedelta(days=7))
    jobs.run_thermometer_rounds(context)
    jobs.run_thermometer_rounds(context)
    assert "*8,0* (eerste ronde)" in results_in_thread(emulator, first["ts"])
    assert len(emulator.replies(NETWORK_CHANNEL, first["ts"])) == 1
    assert dm_blocks(emulator, FACILITATOR) == ""  # nothing low or falling

    clock.set(datetime(2027, 1, 4, 8, 59, tzinfo=UTC))  # 09:59 in Brussels, winter time
    jobs.run_thermometer_rounds(context)
    assert len(rounds_in_channel(emulator)) == 1
    clock.set(datetime(2027, 1, 4, 9, 0, tzinfo=UTC))
    jobs.run_thermometer_rounds(context)
    second = [m for m in rounds_in_channel(emulator) if m["ts"] != first["ts"]]
    assert [m["metadata"]["event_payload"]["key"] for m in second] == ["thermometer/1/2027-q1"]
    for user_id in MEMBERS:
        answer(bot, user_id, second[0]["ts"], (8, 7, 9, 8, 8, 8))
    clock.advance(timedelta(days=7))
    jobs.run_thermometer_rounds(context)

    results = results_in_thread(emulator, second[0]["ts"])
    assert "▼ 1,0 sinds de vorige ronde" in results and "▲ 1,0 sinds de vorige ronde" in results
    suggestions = dm_blocks(emulator, FACILITATOR)
    assert "Het proces en het traject werken" in suggestions and "Het doel is duidelijk" not in suggestions
    assert [r["respondents"] for r in exported(bot)["thermometer"]] == [3, 3]


# ---------------------------------------------------------------------- my data and forget-me


def test_my_data_finds_my_own_answer_and_forget_me_unlinks_it_but_keeps_the_totals(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    ts = a_round_open(bot, emulator)
    for user_id in MEMBERS:
        answer(bot, user_id, ts, (7, 7, 7, 7, 7, 7), f"Idee van {user_id}")

    bot.command("mijn-gegevens", user_id=PARTICIPANTS[0], channel_id=NETWORK_CHANNEL)
    dm = emulator.dm_channel_id(PARTICIPANTS[0])
    [file] = [f for f in emulator.files.values() if dm in (f.get("channels") or []) + (f.get("ims") or [])]
    [entry] = json.loads(file["content"])["networks"]
    assert entry["thermometer_answers"] == [
        {
            "round_id": 1,
            "scores": dict.fromkeys(
                ("goal", "process", "contribution", "safety", "facilitation", "value"), 7
            ),
            "stronger": f"Idee van {PARTICIPANTS[0]}",
        }
    ]

    forget_me(bot, PARTICIPANTS[0])
    answers = stored(bot, ThermometerAnswer)
    assert len(answers) == 3 and sorted(a.stronger for a in answers)[0] == ""
    bot.command("thermometer sluiten", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    results = results_in_thread(emulator, ts)
    assert "*7,0*" in results and f"Idee van {PARTICIPANTS[0]}" not in results


# ---------------------------------------------------------------------- the summary and its chart


def test_the_summary_shows_the_latest_round_with_its_trend_and_the_chart_gets_a_thermometer_panel(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    start_network(bot)
    for scores in ((6, 6, 6, 6, 6, 6), (8, 6, 6, 6, 6, 5)):
        bot.command("thermometer", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
        ts = rounds_in_channel(emulator)[-1]["ts"]
        for user_id in MEMBERS:
            answer(bot, user_id, ts, scores)
        bot.command("thermometer sluiten", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
        # One manual round a day: the next one comes tomorrow.
        clock.advance(timedelta(days=1))

    bot.command("samenvatting", user_id=PARTICIPANTS[0], channel_id=NETWORK_CHANNEL)
    [summary] = [m for m in emulator.messages(NETWORK_CHANNEL) if "Samenvatting" in str(m.get("blocks"))]
    text = str(summary["blocks"])
    assert "*Netwerkthermometer* (laatste ronde" in text
    assert "Het doel is duidelijk: 8,0 (▲ 2,0 sinds de vorige ronde)" in text
    assert "Het levert iets op voor mijn praktijk: 5,0 (▼ 1,0 sinds de vorige ronde)" in text
    assert "1 aspect van de netwerkthermometer scoort laag of daalt" in text  # what deserves attention
    [shared] = emulator.files.values()
    assert shared["content"].startswith(b"\x89PNG")


def test_a_round_open_when_the_network_is_archived_ends_without_a_word_in_the_channel(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    ts = a_round_open(bot, emulator)
    answer(bot, PARTICIPANTS[0], ts, (7, 7, 7, 7, 7, 7))
    bot.command("archiveer", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    press_on_ephemeral(bot, emulator, FACILITATOR, PrivacyActions.ARCHIVE)
    press_answer(bot, PARTICIPANTS[1], ts)
    assert emulator.open_view(PARTICIPANTS[1]) is None  # the archived network takes no answers

    clock.advance(timedelta(days=7))
    jobs.run_thermometer_rounds(job_context(bot))
    assert [r.status for r in stored(bot, ThermometerRound)] == ["closed"]
    assert emulator.replies(NETWORK_CHANNEL, ts) == []
