"""For the end-to-end tests that run the timed jobs themselves, as the scheduler would call them, with the
test's clock: the bot with its scheduler stopped, and the context its jobs run in."""

from __future__ import annotations

from collections.abc import Iterator

from bot import jobs
from bot.clock import ManualClock
from bot.demo.harness import LocalBot
from bot.sandbox.emulator import SlackEmulator


def bot_without_scheduler(
    emulator: SlackEmulator, database_url: str, clock: ManualClock
) -> Iterator[LocalBot]:
    """The bot with its scheduler stopped, the calls of its start-up forgotten: a module's `bot` fixture
    yields from it."""
    with LocalBot(emulator, database_url=database_url, clock=clock, start_scheduler=False) as local_bot:
        emulator.reset_calls()
        yield local_bot


def job_context(bot: LocalBot) -> jobs.JobContext:
    """What the scheduler hands the job functions of this bot."""
    assert bot.runtime is not None
    context = jobs.context_of(bot.runtime.scheduling.runtime)
    assert context is not None
    return context
