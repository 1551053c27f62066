"""Pauses through the sandbox: a facilitator pauses the recurring posts between two dates; the check-in
poll, the pairing round and the quarterly thermometer round that fall in the pause are skipped and not
posted afterwards; bad dates are field errors; the schedule and the summary say so; a facilitator lists
and removes pauses."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest

from bot import jobs
from bot.clock import ManualClock
from bot.demo.harness import LocalBot
from bot.sandbox.emulator import SlackEmulator
from bot.views import ids
from storage.models import NetworkPause
from storage.models import PairingRound
from storage.models import ThermometerRound
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import PARTICIPANTS
from tests.e2e.conftest import ephemeral_texts
from tests.e2e.conftest import start_network
from tests.e2e.conftest import stored
from tests.e2e.test_checkins import polls_in_channel
from tests.e2e.test_pairs import first_round_made
from tests.e2e.timed import job_context

pytestmark = pytest.mark.scheduler_stopped
"""These tests run the timed jobs themselves, as the scheduler would, one step at a time."""

FIRST_RUN = datetime(2026, 9, 21, 8, 0, tzinfo=UTC)
"""The network's first check-in: Monday 21 September 2026 at 10:00 in Brussels."""


def pause(bot: LocalBot, starts_on: str, ends_on: str, user_id: str = FACILITATOR):  # type: ignore[no-untyped-def]
    bot.command("pauze", user_id=user_id, channel_id=NETWORK_CHANNEL)
    return bot.submit_view(
        user_id,
        {
            ids.PauseBlocks.STARTS_ON: {ids.VALUE_ACTION: starts_on},
            ids.PauseBlocks.ENDS_ON: {ids.VALUE_ACTION: ends_on},
        },
    )


def test_a_check_in_that_falls_in_a_pause_is_skipped_and_not_posted_afterwards(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    start_network(bot)
    pause(bot, "2026-09-19", "2026-09-27")
    confirmed = ephemeral_texts(emulator, FACILITATOR)
    assert any("Gepauzeerd van zaterdag 19 september" in text for text in confirmed)
    context = job_context(bot)
    runtime = context.scheduling.runtime

    clock.set(FIRST_RUN)
    jobs.post_due_checkin(runtime, 1)
    jobs.post_due_checkins(context)
    clock.set(FIRST_RUN + timedelta(hours=1))
    jobs.post_due_checkins(context)
    jobs.post_digests(runtime)
    assert polls_in_channel(emulator) == []

    # After the pause the schedule goes on: the next run (two weeks later) comes as usual.
    clock.set(FIRST_RUN + timedelta(days=14))
    jobs.post_due_checkins(context)
    assert len(polls_in_channel(emulator)) == 1


def test_a_pairing_round_in_a_pause_is_skipped(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    context = first_round_made(bot)
    pause(bot, "2026-09-21", "2026-09-21")

    clock.set(FIRST_RUN + timedelta(minutes=1))
    jobs.make_due_pairing_rounds(context)
    clock.set(FIRST_RUN + timedelta(hours=2))
    jobs.make_due_pairing_rounds(context)
    assert [r.run_date.isoformat() for r in stored(bot, PairingRound)] == ["2026-09-14"]

    clock.set(FIRST_RUN + timedelta(days=7, minutes=1))
    jobs.make_due_pairing_rounds(context)
    assert [r.run_date.isoformat() for r in stored(bot, PairingRound)] == ["2026-09-14", "2026-09-28"]


def test_a_quarterly_thermometer_round_in_a_pause_is_skipped(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    # The round of the first Monday of October falls in an autumn break; a facilitator may still ask one.
    start_network(bot)
    pause(bot, "2026-10-03", "2026-10-11")
    context = job_context(bot)

    for moment in (datetime(2026, 10, 5, 8, 0, tzinfo=UTC), datetime(2026, 10, 12, 8, 0, tzinfo=UTC)):
        clock.set(moment)
        jobs.run_thermometer_rounds(context)

    assert stored(bot, ThermometerRound) == []
    bot.command("thermometer", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    assert len(stored(bot, ThermometerRound)) == 1


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "field", "problem"),
    [
        ("2026-10-10", "2026-10-01", ids.PauseBlocks.ENDS_ON, "vóór het begin"),
        ("2026-09-01", "2026-10-01", ids.PauseBlocks.STARTS_ON, "verleden"),
        ("2026-10-05", "2026-10-20", ids.PauseBlocks.STARTS_ON, "overlapt"),
    ],
)
def test_bad_dates_are_field_errors(
    bot: LocalBot, emulator: SlackEmulator, starts_on: str, ends_on: str, field: str, problem: str
) -> None:
    start_network(bot)
    pause(bot, "2026-10-01", "2026-10-07")
    response = pause(bot, starts_on, ends_on)

    errors = response.json()["errors"]
    assert list(errors) == [field] and problem in errors[field]
    assert len(stored(bot, NetworkPause)) == 1


def test_only_a_facilitator_pauses(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    bot.command("pauze", user_id=PARTICIPANTS[0], channel_id=NETWORK_CHANNEL)
    assert emulator.open_view(PARTICIPANTS[0]) is None
    assert "facilitator" in ephemeral_texts(emulator, PARTICIPANTS[0])[-1]


def test_the_schedule_and_the_summary_say_so_and_a_facilitator_removes_the_pause(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    start_network(bot)
    pause(bot, "2026-12-21", "2027-01-03")
    bot.settle()
    assert (
        "Gepauzeerd van maandag 21 december tot en met zondag 3 januari"
        in ephemeral_texts(emulator, FACILITATOR)[-1]
    )

    bot.command("peiling planning", user_id=PARTICIPANTS[0], channel_id=NETWORK_CHANNEL)
    assert "Gepauzeerd: maandag 21 december tot en met zondag 3 januari" in str(
        emulator.ephemerals(NETWORK_CHANNEL, PARTICIPANTS[0])[-1]
    )
    bot.command("samenvatting", user_id=PARTICIPANTS[0], channel_id=NETWORK_CHANNEL)
    bot.settle()
    assert "Gepauzeerd: maandag 21 december" in str(emulator.messages(NETWORK_CHANNEL)[-1])

    bot.command("pauze lijst", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    listing = emulator.ephemerals(NETWORK_CHANNEL, FACILITATOR)[-1]
    assert bot.driver is not None
    # A double click, then forged pauses: "²" is a digit to isdigit, but no number to int; the other is
    # beyond any id the database holds.
    for value in (None, None, "1:²", f"1:{'9' * 30}"):
        bot.driver.block_action(
            user_id=FACILITATOR,
            action_id=ids.PauseActions.REMOVE,
            channel_id=listing["channel"],
            message_ts=listing["ts"],
            value=value,
        )
        bot.settle()
    assert stored(bot, NetworkPause) == []
    told = ephemeral_texts(emulator, FACILITATOR)
    assert any("is verwijderd" in text for text in told)
    assert all("bestaat niet meer" in text for text in told[-3:])


def test_a_reminder_and_a_digest_that_fall_in_a_pause_are_skipped(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    start_network(bot)
    pause(bot, "2026-09-15", "2026-09-15")
    pause(bot, "2026-10-05", "2026-10-05")
    context = job_context(bot)

    # A poll posted now reminds halfway, on the evening of 15 September: in the first pause, so it is
    # not sent, then or later.
    bot.command("peiling", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    assert len(polls_in_channel(emulator)) == 1
    for _ in range(2):
        clock.advance(timedelta(days=1, hours=12))
        jobs.send_due_reminders(context)
    reminded = [c for c in emulator.calls_to("chat.postMessage") if c.args["channel"].startswith("U")]
    assert reminded == []

    # The first monthly digest falls on Monday 5 October, in the second pause.
    clock.set(datetime(2026, 10, 5, 7, 1, tzinfo=UTC))
    jobs.post_due_digests(context)
    clock.set(datetime(2026, 10, 6, 7, 1, tzinfo=UTC))
    jobs.post_due_digests(context)
    assert not any("Samenvatting:" in str(m.get("blocks")) for m in emulator.messages(NETWORK_CHANNEL))
