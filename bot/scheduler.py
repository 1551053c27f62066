"""The APScheduler instance that runs the bot's timed work (check-ins, meeting evaluations, digests)."""

from __future__ import annotations

from datetime import UTC

from apscheduler.schedulers.background import BackgroundScheduler


def create_scheduler() -> BackgroundScheduler:
    """A background scheduler in UTC; each job states its own time zone through its trigger.

    One instance of a job at a time, and missed runs merged into one: a poll that is late must
    come once, never in a burst.
    """
    return BackgroundScheduler(
        timezone=UTC,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 6 * 3600},
    )
