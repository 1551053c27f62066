"""Thin Slack listeners, one module per surface: parse the payload, call a service, render a view."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from slack_bolt import App
from slack_bolt import BoltContext

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


def _surfaces() -> tuple[ModuleType, ...]:
    """The parts of the bot that bring their own listeners (`register(app)`) and, most of them, their own
    `/netwerk` subcommands (`SUBHANDLERS`), in the order they register: Bolt runs the first listener that
    matches."""
    from handlers import cases
    from handlers import checkins
    from handlers import follow_ups
    from handlers import home
    from handlers import journey
    from handlers import kickoff
    from handlers import pairs
    from handlers import pauses
    from handlers import privacy
    from handlers import safe
    from handlers import shortcuts
    from handlers import summary
    from handlers import thermometer
    from handlers import views
    from handlers import wrap_up

    return (
        views,
        cases,
        kickoff,
        checkins,
        home,
        summary,
        privacy,
        safe,
        follow_ups,
        journey,
        thermometer,
        pairs,
        pauses,
        shortcuts,
        wrap_up,
    )


def all_subhandlers() -> dict[str, Any]:
    """Every `/netwerk` subcommand's handler, by its Dutch name, from every part of the bot."""
    from handlers import commands
    from handlers import workforms

    tables = [commands.SUBHANDLERS, workforms.SUBHANDLERS]
    tables += [surface.SUBHANDLERS for surface in _surfaces() if hasattr(surface, "SUBHANDLERS")]
    return {name: handler for table in tables for name, handler in table.items()}


def register_all(app: App, deps: HandlerDeps) -> None:
    from handlers import commands
    from handlers import errors
    from handlers import events
    from handlers import workspaces

    @app.middleware
    def provide_deps(context: BoltContext, next: Callable[[], object]) -> None:
        context[_CONTEXT_KEY] = deps
        next()

    errors.register(app, deps)
    workspaces.register(app, deps)
    commands.register(app, deps, all_subhandlers())
    for surface in _surfaces():
        surface.register(app)
    events.register_fallback(app)
