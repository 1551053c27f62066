"""Thin Slack listeners, one module per surface: parse the payload, call a service, render a view."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import App, BoltContext

from bot.services import Services
from bot.slack_api import UserLanguages


@dataclass(frozen=True, slots=True)
class HandlerDeps:
    services: Services
    languages: UserLanguages
    default_language: str
    default_timezone: str
    after_ack: Callable[[Callable[[], object]], object] = lambda work: work()
    """Runs work once the request is answered (on the executor Bolt's listeners use)."""
    replaying: bool = False
    """The request was acknowledged when it was recorded (bot.inbound); its listener runs to the end."""

    @staticmethod
    def of(context: BoltContext) -> HandlerDeps:
        """The dependencies, which `register_all` puts in every request's context for the listeners."""
        deps = context[_CONTEXT_KEY]
        assert isinstance(deps, HandlerDeps)
        return deps


_CONTEXT_KEY = "netwerkbot_deps"


def all_subhandlers() -> dict[str, Any]:
    """Every `/netwerk` subcommand's handler, by its Dutch name, from every part of the bot."""
    from handlers import (
        cases,
        checkins,
        commands,
        follow_ups,
        journey,
        kickoff,
        pairs,
        pauses,
        privacy,
        safe,
        summary,
        thermometer,
        workforms,
        wrap_up,
    )

    return {
        **commands.SUBHANDLERS,
        **cases.SUBHANDLERS,
        **kickoff.SUBHANDLERS,
        **checkins.SUBHANDLERS,
        **summary.SUBHANDLERS,
        **privacy.SUBHANDLERS,
        **workforms.SUBHANDLERS,
        **safe.SUBHANDLERS,
        **follow_ups.SUBHANDLERS,
        **journey.SUBHANDLERS,
        **thermometer.SUBHANDLERS,
        **pairs.SUBHANDLERS,
        **pauses.SUBHANDLERS,
        **wrap_up.SUBHANDLERS,
    }


def register_all(app: App, deps: HandlerDeps) -> None:
    from handlers import (
        cases,
        checkins,
        commands,
        errors,
        events,
        follow_ups,
        home,
        journey,
        kickoff,
        pairs,
        pauses,
        privacy,
        safe,
        shortcuts,
        summary,
        thermometer,
        views,
        workspaces,
        wrap_up,
    )

    @app.middleware
    def provide_deps(context: BoltContext, next: Callable[[], object]) -> None:
        context[_CONTEXT_KEY] = deps
        next()

    errors.register(app, deps)
    workspaces.register(app, deps)
    commands.register(app, deps, all_subhandlers())
    views.register(app)
    cases.register(app)
    kickoff.register(app)
    checkins.register(app)
    home.register(app)
    summary.register(app)
    privacy.register(app)
    safe.register(app)
    follow_ups.register(app)
    journey.register(app)
    thermometer.register(app)
    pairs.register(app)
    pauses.register(app)
    shortcuts.register(app)
    wrap_up.register(app)
    events.register_fallback(app)
