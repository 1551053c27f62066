"""For the end-to-end tests that run the timed jobs themselves, as the scheduler would call them, with the
test's clock: the context the bot's jobs run in, and the leader's scheduler."""

from __future__ import annotations

from collections.abc import Callable

from bot import jobs
from bot.demo.harness import LocalBot


def job_context(bot: LocalBot) -> jobs.JobContext:
    """What the scheduler hands the job functions of this bot."""
    assert bot.runtime is not None
    context = jobs.context_of(bot.runtime.scheduling.runtime)
    assert context is not None
    return context


def run_as_leader(bot: LocalBot, *timed_jobs: Callable[[str], None]) -> None:
    """What the leader's scheduler does: win the election, then run `timed_jobs` in order."""
    assert bot.runtime is not None
    assert bot.runtime.scheduling.elect()
    for timed_job in timed_jobs:
        timed_job(bot.runtime.scheduling.runtime)
