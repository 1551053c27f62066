"""For the end-to-end tests that run the timed jobs themselves, as the scheduler would call them, with the
test's clock: the context the bot's jobs run in."""

from __future__ import annotations

from bot import jobs
from bot.demo.harness import LocalBot


def job_context(bot: LocalBot) -> jobs.JobContext:
    """What the scheduler hands the job functions of this bot."""
    assert bot.runtime is not None
    context = jobs.context_of(bot.runtime.scheduling.runtime)
    assert context is not None
    return context
