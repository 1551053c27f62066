"""The facilitator's summary through the sandbox: in the channel with its chart, privately the names of
who has not contributed, refused to outsiders, its digest schedule, and the digest posted once."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest

from bench.summary_history import HistorySize
from bench.summary_history import write_history
from bot import jobs
from bot.clock import ManualClock
from bot.demo.harness import LocalBot
from bot.sandbox.emulator import SlackEmulator
from bot.views import ids
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import OUTSIDER
from tests.e2e.conftest import PARTICIPANTS
from tests.e2e.conftest import channel_messages
from tests.e2e.conftest import ephemeral_texts
from tests.e2e.conftest import start_network
from tests.e2e.conftest import stored_sessions
from tests.e2e.timed import job_context

pytestmark = pytest.mark.scheduler_stopped
"""These tests run the timed jobs themselves, as the scheduler would, one step at a time."""

SUMMARY_TITLE = "Samenvatting: Lerend netwerk jeugdhulp"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FIRST_DIGEST = datetime(2026, 10, 5, 7, 0, tzinfo=UTC)
"""The first Monday of October at 9:00 in Brussels: the network's first monthly digest."""


def summaries_in_channel(emulator: SlackEmulator) -> list[dict]:
    return channel_messages(emulator, SUMMARY_TITLE)


def network_with_history(bot: LocalBot, clock: ManualClock, *, days: int, size: HistorySize) -> None:
    """A network started `days` ago, with `size` of history written since; the calls so far forgotten."""
    start_network(bot)
    clock.advance(timedelta(days=days))
    with stored_sessions(bot) as sessions:
        write_history(
            sessions, network_id=1, members=[FACILITATOR, *PARTICIPANTS], now=clock.now(), size=size
        )
    bot.emulator.reset_calls()


def test_a_member_posts_the_summary_of_a_rich_network_with_its_chart(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    network_with_history(bot, clock, days=400, size=HistorySize(polls=12, cases=40, advice=120, meetings=6))

    bot.command("samenvatting", user_id=PARTICIPANTS[0], channel_id=NETWORK_CHANNEL)

    [summary] = summaries_in_channel(emulator)
    text = str(summary["blocks"])
    assert "3 leden (richtlijn: 10 tot 15)" in text
    assert "3 van de 3 leden stelden zich voor" in text
    assert "Moeilijke gesprekken met ouders" in text
    assert "Vertrouwelijk (4, enkel de titel)" in text
    assert "120 adviezen gegeven, 40 casussen ingebracht" in text
    assert "Peilingen: zijn we goed bezig?" in text
    assert "Laatste sessie" in text
    # The history's advice and cases all come from the facilitator: the names of the participants, who
    # did not contribute, never reach the channel; only the facilitator reads them, privately.
    assert "1 van de 3 leden droeg bij" in text
    assert not any(user in str(emulator.messages(NETWORK_CHANNEL)) for user in PARTICIPANTS)
    [note] = ephemeral_texts(emulator, FACILITATOR)
    assert all(f"<@{user}>" in note for user in PARTICIPANTS)
    assert ephemeral_texts(emulator, PARTICIPANTS[0]) == []
    # The chart follows in the summary's thread, through the current upload API.
    [get_url] = emulator.calls_to("files.getUploadURLExternal")
    assert get_url.args["filename"] == "samenvatting.png"
    [upload] = emulator.calls_to("file_upload")
    assert upload.http_status == 200
    [complete] = emulator.calls_to("files.completeUploadExternal")
    assert complete.args["channel_id"] == NETWORK_CHANNEL
    assert complete.args["thread_ts"] == summary["ts"]
    assert emulator.calls_to("files.upload") == []
    [shared] = emulator.files.values()
    assert shared["content"].startswith(PNG_SIGNATURE)
    assert int(get_url.args["length"]) == len(shared["content"])
    replies = emulator.replies(NETWORK_CHANNEL, summary["ts"])
    assert any(reply.get("files") for reply in replies)


def test_the_summary_of_a_new_network_reads_well_and_has_no_empty_chart(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    start_network(bot)
    emulator.reset_calls()

    bot.command("summary", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)

    [summary] = summaries_in_channel(emulator)
    text = str(summary["blocks"])
    assert "net gestart" in text
    assert "Nog geen casussen" in text
    assert "Nog geen peilingen" in text
    assert emulator.calls_to("files.getUploadURLExternal") == []
    [note] = ephemeral_texts(emulator, FACILITATOR)
    assert all(f"<@{user}>" in note for user in (FACILITATOR, *PARTICIPANTS))


def test_a_network_with_hundreds_of_cases_stays_within_slacks_limits(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    network_with_history(bot, clock, days=730, size=HistorySize(polls=50, cases=300, advice=600, meetings=10))

    bot.command("samenvatting", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)

    [summary] = summaries_in_channel(emulator)
    [post] = [c for c in emulator.calls_to("chat.postMessage") if c.http_status == 200]
    assert post.response.get("ok") is True
    assert "Vertrouwelijk (30, enkel de titel)" in str(summary["blocks"])
    assert "`/case lijst`" in str(summary["blocks"])


def test_someone_outside_the_network_is_refused(bot: LocalBot, emulator: SlackEmulator) -> None:
    start_network(bot)
    emulator.reset_calls()

    bot.command("samenvatting", user_id=OUTSIDER, channel_id=NETWORK_CHANNEL)

    assert summaries_in_channel(emulator) == []
    assert "geen lid" in ephemeral_texts(emulator, OUTSIDER)[0]
    assert emulator.calls_to("chat.postMessage") == []


def test_a_facilitator_turns_the_digest_off_and_a_member_only_reads_it(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    start_network(bot)

    bot.command("samenvatting planning", user_id=PARTICIPANTS[0], channel_id=NETWORK_CHANNEL)
    [shown] = ephemeral_texts(emulator, PARTICIPANTS[0])
    assert "elke maand" in shown and "maandag 5 oktober om 09:00" in shown
    assert "Alleen facilitators" in shown

    bot.command("samenvatting planning", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    assert emulator.open_view(FACILITATOR)["callback_id"] == ids.SUMMARY_DIGEST_MODAL
    bot.submit_view(FACILITATOR, {ids.SummaryDigestBlocks.FREQUENCY: {ids.VALUE_ACTION: "off"}})

    assert any("staat uit" in text for text in ephemeral_texts(emulator, FACILITATOR))
    clock.set(FIRST_DIGEST + timedelta(minutes=1))
    jobs.post_due_digests(job_context(bot))
    assert summaries_in_channel(emulator) == []


def test_the_digest_is_posted_once_however_often_the_job_runs(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    start_network(bot)
    assert bot.runtime is not None
    runtime = bot.runtime.scheduling.runtime
    context = jobs.context_of(runtime)
    assert context is not None

    jobs.post_due_digests(context)
    assert summaries_in_channel(emulator) == []

    clock.set(FIRST_DIGEST + timedelta(minutes=1))
    jobs.post_due_digests(context)
    jobs.post_due_digests(context)
    jobs.post_digests(runtime)

    [digest] = summaries_in_channel(emulator)
    assert digest["metadata"]["event_payload"]["key"] == "summary/1/2026-10-05"
    clock.set(FIRST_DIGEST + timedelta(days=7))
    jobs.post_digests(runtime)
    assert len(summaries_in_channel(emulator)) == 1


def test_a_digest_frequency_the_modal_never_offers_is_refused_in_the_modal(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    start_network(bot)
    bot.command("samenvatting planning", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    response = bot.submit_view(FACILITATOR, {ids.SummaryDigestBlocks.FREQUENCY: {ids.VALUE_ACTION: "weekly"}})

    errors = response.json()["errors"]
    assert list(errors) == [ids.SummaryDigestBlocks.FREQUENCY] and errors[ids.SummaryDigestBlocks.FREQUENCY]
    assert ephemeral_texts(emulator, FACILITATOR) == []
