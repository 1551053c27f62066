"""Getting to know each other in pairs through the sandbox: a facilitator starts the rounds, each round
pairs the members once in a group DM with two questions from their introductions, members who left are
not paired, a deactivated member's refusal fails for good, and a facilitator stops the rounds."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from typing import Any

import pytest

from bot import jobs
from bot.clock import ManualClock
from bot.demo.harness import LocalBot
from bot.sandbox.emulator import SlackEmulator
from bot.views import ids
from bot.views.ids import PrivacyActions
from storage.models import OutboxItem
from storage.models import OutboxStatus
from storage.models import PairingMember
from storage.models import PairingRound
from tests.blocks import message_text
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import PARTICIPANTS
from tests.e2e.conftest import exported
from tests.e2e.conftest import forget_me
from tests.e2e.conftest import leave_network_channel
from tests.e2e.conftest import press_on_ephemeral
from tests.e2e.conftest import start_network
from tests.e2e.conftest import stored
from tests.e2e.timed import job_context
from tests.factories import form_values

pytestmark = pytest.mark.scheduler_stopped
"""These tests run the timed jobs themselves, as the scheduler would, one step at a time."""

JOKE, MEHMET = PARTICIPANTS


def group_dms(emulator: SlackEmulator) -> dict[str, dict[str, Any]]:
    return {cid: channel for cid, channel in emulator.channels.items() if channel.get("is_mpim")}


def group_messages(emulator: SlackEmulator) -> list[str]:
    return [message_text(m) for cid in group_dms(emulator) for m in emulator.messages(cid)]


def start_rounds(bot: LocalBot, every_weeks: str = "1", user_id: str = FACILITATOR):  # type: ignore[no-untyped-def]
    bot.command("kennismaking", user_id=user_id, channel_id=NETWORK_CHANNEL)
    return bot.submit_view(user_id, {ids.PairsBlocks.EVERY_WEEKS: {ids.VALUE_ACTION: every_weeks}})


def first_round_made(bot: LocalBot, every_weeks: str = "1") -> jobs.JobContext:
    """A network with its pairing rounds started and the first one made; the context to make the next."""
    start_network(bot)
    start_rounds(bot, every_weeks=every_weeks)
    context = job_context(bot)
    jobs.make_due_pairing_rounds(context)
    return context


def introduce(bot: LocalBot, user_id: str, gives: str, wants: str) -> None:
    bot.command("intro", user_id=user_id, channel_id=NETWORK_CHANNEL)
    bot.submit_view(
        user_id,
        form_values(
            {
                ids.IntroBlocks.JOB_ROLE: "Gezinscoach",
                ids.IntroBlocks.ORGANISATION: "CAW",
                ids.IntroBlocks.GIVES: gives,
                ids.IntroBlocks.WANTS: wants,
                ids.IntroBlocks.PRACTICE_QUESTION: "",
            }
        ),
    )


def test_a_round_pairs_the_members_once_in_a_group_dm_with_questions_from_their_intros(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    start_network(bot)
    introduce(bot, JOKE, "Tien jaar huisbezoeken", "Omgaan met agressie")
    start_rounds(bot)
    assert any("elke week" in str(e.get("text")) for e in emulator.ephemerals(NETWORK_CHANNEL, FACILITATOR))

    context = job_context(bot)
    jobs.make_due_pairing_rounds(context)
    jobs.make_due_pairing_rounds(context)
    jobs.carry_out_outbox(bot.runtime.scheduling.runtime)  # type: ignore[union-attr]

    [group] = group_dms(emulator).values()
    assert set(group["members"]) >= {FACILITATOR, JOKE, MEHMET}
    [text] = group_messages(emulator)
    assert "Tien jaar huisbezoeken" in text and "Omgaan met agressie" in text
    assert len(stored(bot, PairingRound)) == 1

    # A week later, at the same local time: the next round, and only one.
    clock.advance(timedelta(days=7, minutes=1))
    jobs.make_due_pairing_rounds(context)
    jobs.make_due_pairing_rounds(context)
    assert [r.run_date.isoformat() for r in stored(bot, PairingRound)] == ["2026-09-14", "2026-09-21"]


def test_only_a_facilitator_starts_the_rounds(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    bot.command("kennismaking", user_id=JOKE, channel_id=NETWORK_CHANNEL)
    assert emulator.open_view(JOKE) is None
    assert "facilitator" in str(emulator.ephemerals(NETWORK_CHANNEL, JOKE)[-1].get("text"))


@pytest.mark.parametrize("every_weeks", ["3", "²"])
def test_a_rhythm_the_modal_never_offers_is_a_field_error(bot: LocalBot, every_weeks: str) -> None:
    start_network(bot)
    response = start_rounds(bot, every_weeks=every_weeks)
    assert response.json()["errors"] == {ids.PairsBlocks.EVERY_WEEKS: "Kies elke week of om de twee weken."}


def test_a_member_who_left_is_not_paired(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    leave_network_channel(bot, MEHMET)
    start_rounds(bot)
    jobs.make_due_pairing_rounds(job_context(bot))

    [group] = group_dms(emulator).values()
    assert MEHMET not in group["members"]


def test_a_deactivated_member_is_left_out_and_the_others_still_meet(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    start_network(bot)
    start_rounds(bot)
    emulator.deactivate_user(MEHMET)
    jobs.make_due_pairing_rounds(job_context(bot))

    [group] = group_dms(emulator).values()
    assert MEHMET not in group["members"] and {FACILITATOR, JOKE} <= set(group["members"])
    assert len(group_messages(emulator)) == 1


def test_a_group_slack_refuses_for_good_fails_with_its_reason(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    for user_id in PARTICIPANTS:
        emulator.deactivate_user(user_id)
    start_rounds(bot)
    jobs.make_due_pairing_rounds(job_context(bot))

    [item] = [i for i in stored(bot, OutboxItem) if i.kind == "pairs.group"]
    assert item.status == OutboxStatus.FAILED and "user_disabled" in (item.reason or "")
    assert group_dms(emulator) == {}


def test_stopped_rounds_make_no_more_groups(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    context = first_round_made(bot, every_weeks="2")
    bot.command("kennismaking stop", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    assert any("gestopt" in str(e.get("text")) for e in emulator.ephemerals(NETWORK_CHANNEL, FACILITATOR))

    clock.advance(timedelta(days=14, minutes=1))
    jobs.make_due_pairing_rounds(context)
    assert len(stored(bot, PairingRound)) == 1


def test_rounds_keep_their_local_time_across_daylight_saving(bot: LocalBot, clock: ManualClock) -> None:
    context = first_round_made(bot, every_weeks="2")
    # 10:00 in Brussels on 26 October 2026 (after the clocks went back) is 09:00 UTC, not 08:00.
    clock.set(datetime.fromisoformat("2026-10-26T08:30:00+00:00"))
    jobs.make_due_pairing_rounds(context)
    assert len(stored(bot, PairingRound)) == 1
    clock.set(datetime.fromisoformat("2026-10-26T09:00:30+00:00"))
    jobs.make_due_pairing_rounds(context)
    assert [r.run_date.isoformat() for r in stored(bot, PairingRound)][-1] == "2026-10-26"


def test_a_forgotten_member_leaves_no_trace_in_the_rounds_and_is_not_paired_again(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    context = first_round_made(bot)
    assert JOKE in {m.user_id for m in stored(bot, PairingMember)}

    forget_me(bot, JOKE)
    assert JOKE not in {m.user_id for m in stored(bot, PairingMember)}

    clock.advance(timedelta(days=7, minutes=1))
    jobs.make_due_pairing_rounds(context)
    assert JOKE not in {m.user_id for m in stored(bot, PairingMember)}
    assert len(stored(bot, PairingRound)) == 2


def test_an_archived_network_gets_no_more_rounds(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    context = first_round_made(bot)
    bot.command("archiveer", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    press_on_ephemeral(bot, emulator, FACILITATOR, PrivacyActions.ARCHIVE)

    clock.advance(timedelta(days=7, minutes=1))
    jobs.make_due_pairing_rounds(context)
    assert len(stored(bot, PairingRound)) == 1


def test_the_export_lists_the_rounds_with_their_groups(bot: LocalBot) -> None:
    start_network(bot)
    start_rounds(bot)
    jobs.make_due_pairing_rounds(job_context(bot))

    [pairing_round] = exported(bot)["pairing_rounds"]
    assert pairing_round["run_date"] == "2026-09-14"
    assert sorted(pairing_round["groups"][0]) == sorted([FACILITATOR, JOKE, MEHMET])
