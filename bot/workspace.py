"""Which workspace the work at hand is for: a request's team, or the team of the network a job serves.

With many workspaces every call to Slack must carry that workspace's own token. The request's team is
set before its listener runs and travels with it to the thread that finishes it; an outbox item
recorded meanwhile is marked with it, so that its carrier later uses the same workspace's token.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

WORKSPACE_NOT_INSTALLED = "workspace_not_installed"
"""Why an effect fails for good when its workspace has no installation (removed the bot, revoked it)."""

_current_team: ContextVar[str | None] = ContextVar("netwerkbot_team", default=None)


def current_team() -> str | None:
    return _current_team.get()


@contextmanager
def in_workspace(team_id: str | None) -> Iterator[None]:
    token = _current_team.set(team_id)
    try:
        yield
    finally:
        _current_team.reset(token)
