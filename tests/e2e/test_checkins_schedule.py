"""Scheduled polls through the sandbox: on time, once, across restarts and a process dying half-way.

The network starts on Monday 14 September 2026 at 10:00 in Brussels; by the default schedule its first
poll falls on Monday 21 September at 10:00 (08:00 UTC), the next on 5 October.
"""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest

from bot import jobs
from bot.clock import ManualClock
from bot.demo.harness import LocalBot
from bot.demo.harness import sandbox_settings
from bot.runtime import build_runtime
from bot.sandbox.emulator import SlackEmulator
from bot.services.checkin_common import SCALE
from bot.services.checkin_polls import CLAIM_TIMEOUT
from bot.services.processes import LEASE
from bot.services.processes import ProcessRegistry
from bot.slack_api import post_message_once
from storage.db import create_db_engine
from storage.db import session_factory
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import PARTICIPANTS
from tests.e2e.conftest import exported
from tests.e2e.conftest import start_network
from tests.e2e.test_checkins import polls_in_channel
from tests.e2e.test_checkins import react
from tests.e2e.timed import job_context
from tests.e2e.timed import run_as_leader
from tests.waiting import wait_until

pytestmark = pytest.mark.scheduler_stopped
"""These tests run the timed jobs themselves, as the scheduler would, one step at a time."""

FIRST_RUN = datetime(2026, 9, 21, 8, 0, tzinfo=UTC)


def restarted(
    emulator: SlackEmulator, database_url: str, clock: ManualClock, *, start_scheduler: bool = False
) -> LocalBot:
    """Another bot process on the same database (started without its scheduler unless asked)."""
    return LocalBot(emulator, database_url=database_url, clock=clock, start_scheduler=start_scheduler)


def kill(bot: LocalBot, database_url: str, clock: ManualClock) -> None:
    """Stop the bot as SIGKILL would: its last beat stays in the database, it never signs off."""
    assert bot.runtime is not None
    process_id = bot.runtime.processes.process_id
    bot.stop()
    engine = create_db_engine(database_url)
    ProcessRegistry(sessions=session_factory(engine), clock=clock, process_id=process_id).beat()
    engine.dispose()


def lead_and_sweep(bot: LocalBot) -> None:
    """What a starting process does first: win the election, then its timed jobs (all run at start)."""
    run_as_leader(bot, jobs.sweep, jobs.add_missing_scales, jobs.close_polls)


def add_scales(bot: LocalBot) -> None:
    """The leader's job that puts the scale under the polls the timed jobs posted."""
    run_as_leader(bot, jobs.add_missing_scales)


def test_the_poll_comes_at_its_time_once_however_often_the_job_runs(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    start_network(bot)
    runtime = job_context(bot)

    clock.set(FIRST_RUN - timedelta(seconds=1))
    jobs.post_due_checkin(bot.runtime.scheduling.runtime, 1)
    assert polls_in_channel(emulator) == []

    clock.set(FIRST_RUN)
    jobs.post_due_checkin(bot.runtime.scheduling.runtime, 1)
    jobs.post_due_checkin(bot.runtime.scheduling.runtime, 1)  # a trigger firing twice (an autumn fold)
    jobs.post_due_checkins(runtime)  # and the sweep looking for missed runs

    [poll] = polls_in_channel(emulator)
    assert poll["metadata"]["event_payload"]["key"] == "checkin/1/2026-09-21"
    assert poll.get("reactions", []) == []  # the scale has a job of its own, so it holds back no post
    add_scales(bot)
    add_scales(bot)
    [poll] = polls_in_channel(emulator)
    assert [r["name"] for r in poll["reactions"]] == list(SCALE)
    assert len(emulator.calls_to("reactions.add")) == len(SCALE)


def test_a_restart_before_the_run_time_loses_nothing_and_one_after_it_doubles_nothing(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock, database_url: str
) -> None:
    start_network(bot)
    bot.stop()  # down from Sunday evening...
    clock.set(FIRST_RUN + timedelta(hours=2))  # ...until Monday noon: the 10:00 run was missed

    with restarted(emulator, database_url, clock) as second:
        lead_and_sweep(second)
        assert len(polls_in_channel(emulator)) == 1
    clock.advance(timedelta(minutes=30))
    with restarted(emulator, database_url, clock) as third:
        lead_and_sweep(third)
    assert len(polls_in_channel(emulator)) == 1
    assert exported(third)["polls"][0]["run_date"] == "2026-09-21"


def test_the_start_up_of_a_process_posts_a_missed_poll_by_itself(
    emulator: SlackEmulator, clock: ManualClock, database_url: str
) -> None:
    with restarted(emulator, database_url, clock) as first:
        start_network(first)
    clock.set(FIRST_RUN + timedelta(hours=1))

    # A process as `python -m bot` starts it: its scheduler elects it and it sweeps at once.
    runtime = build_runtime(
        sandbox_settings(emulator, database_url=database_url), clock=clock, timed_jobs=True
    )
    try:
        runtime.scheduler.start()
        assert wait_until(lambda: len(polls_in_channel(emulator)) == 1, timeout=10)
        assert runtime.scheduling.is_leader and runtime.health().ok
    finally:
        runtime.close()
    assert len(polls_in_channel(emulator)) == 1


def test_a_run_missed_for_longer_than_the_grace_period_is_skipped(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    start_network(bot)
    clock.set(FIRST_RUN + timedelta(hours=7))
    lead_and_sweep(bot)
    assert polls_in_channel(emulator) == []
    clock.set(datetime(2026, 10, 5, 8, 0, tzinfo=UTC))
    lead_and_sweep(bot)
    assert len(polls_in_channel(emulator)) == 1


def test_a_process_dying_between_claim_and_post_is_finished_by_the_next_without_doubling(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock, database_url: str
) -> None:
    start_network(bot)
    clock.set(FIRST_RUN)
    assert job_context(bot).services.checkin_polls.claim_scheduled_poll(network_id=1) is not None
    kill(bot, database_url, clock)  # right after the claim: nothing in the channel

    with restarted(emulator, database_url, clock) as second:
        lead_and_sweep(second)  # the claimant's lease has not run out: it may still be posting
        assert polls_in_channel(emulator) == []
        clock.advance(LEASE + timedelta(seconds=1))
        lead_and_sweep(second)
        lead_and_sweep(second)
        [poll] = polls_in_channel(emulator)
        assert exported(second)["polls"][0]["message_ts"] == poll["ts"]
        assert len(poll["reactions"]) == len(SCALE)


def test_a_process_dying_after_its_post_landed_is_recovered_without_a_second_post(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock, database_url: str
) -> None:
    start_network(bot)
    clock.set(FIRST_RUN)
    context = job_context(bot)
    post = context.services.checkin_polls.claim_scheduled_poll(network_id=1)
    assert post is not None
    post_message_once(context.client, channel=NETWORK_CHANNEL, text="peiling", key=post.key)
    kill(bot, database_url, clock)  # after Slack took the post, before the bot wrote down its ts

    with restarted(emulator, database_url, clock) as second:
        clock.advance(LEASE + timedelta(seconds=1))
        lead_and_sweep(second)
        posts = [m for m in emulator.messages(NETWORK_CHANNEL) if m.get("metadata")]
        assert [m["metadata"]["event_payload"]["key"] for m in posts].count(post.key) == 1
        assert exported(second)["polls"][0]["status"] == "open"


def test_the_poll_closes_on_time_once_with_every_reaction_also_after_a_crash_in_the_close(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock, database_url: str
) -> None:
    start_network(bot)
    clock.set(FIRST_RUN)
    lead_and_sweep(bot)
    [poll] = polls_in_channel(emulator)
    for user in (FACILITATOR, *PARTICIPANTS):
        react(bot, user, "grinning", poll["ts"])

    clock.set(FIRST_RUN + timedelta(days=3))
    assert len(list(job_context(bot).services.checkin_polls.claim_due_closings())) == 1
    kill(bot, database_url, clock)  # after claiming the close, before the results were posted

    with restarted(emulator, database_url, clock) as second:
        lead_and_sweep(second)
        assert emulator.replies(NETWORK_CHANNEL, poll["ts"]) == []  # its lease has not run out yet
        clock.advance(LEASE + timedelta(seconds=1))
        lead_and_sweep(second)
        lead_and_sweep(second)
        [results] = emulator.replies(NETWORK_CHANNEL, poll["ts"])
        assert ":grinning: heel goed: ██████████ 3" in str(results["blocks"])
        assert exported(second)["polls"][0]["status"] == "closed"


def test_a_changed_schedule_is_followed_by_the_leaders_jobs(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    from bot.scheduler import checkin_job_id
    from bot.views.ids import VALUE_ACTION
    from bot.views.ids import CheckinScheduleBlocks

    start_network(bot)
    assert bot.runtime is not None
    lead_and_sweep(bot)
    job = bot.runtime.scheduler.get_job(checkin_job_id(1))
    assert job is not None and job.trigger.rule.hour == 10

    bot.command("peiling planning", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    bot.submit_view(FACILITATOR, {CheckinScheduleBlocks.FREQUENCY: {VALUE_ACTION: "off"}})
    jobs.sweep(bot.runtime.scheduling.runtime)
    assert bot.runtime.scheduler.get_job(checkin_job_id(1)) is None


def test_a_scale_that_could_not_be_added_is_completed_later_and_the_poll_still_closes(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    start_network(bot)
    clock.set(FIRST_RUN)
    emulator.fail_next("reactions.add", status=200, body={"ok": False, "error": "internal_error"})

    lead_and_sweep(bot)
    [poll] = polls_in_channel(emulator)
    assert not poll.get("reactions")  # reactions.add failed: the scale job adds it in its next round
    react(bot, PARTICIPANTS[0], "slightly_smiling_face", poll["ts"])  # members can answer already

    clock.advance(CLAIM_TIMEOUT + timedelta(seconds=1))
    lead_and_sweep(bot)
    [poll] = polls_in_channel(emulator)
    assert sorted(r["name"] for r in poll["reactions"]) == sorted(SCALE)
    assert exported(bot)["polls"][0]["status"] == "open"

    clock.set(FIRST_RUN + timedelta(days=3))
    lead_and_sweep(bot)
    assert exported(bot)["polls"][0]["reactions"]["slightly_smiling_face"] == 1
    assert len(emulator.replies(NETWORK_CHANNEL, poll["ts"])) == 1
