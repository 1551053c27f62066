"""Thin Slack listeners, one module per surface: parse the payload, call a service, render a view."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_bolt import App

from bot.services import Services
from bot.slack_api import UserLanguages


@dataclass(frozen=True, slots=True)
class HandlerDeps:
    services: Services
    languages: UserLanguages
    default_language: str
    default_timezone: str


def all_subhandlers() -> dict[str, Any]:
    """Every `/netwerk` subcommand's handler, by its Dutch name, from every part of the bot."""
    from handlers import cases, checkins, commands, kickoff, privacy, summary

    return {
        **commands.SUBHANDLERS,
        **cases.SUBHANDLERS,
        **kickoff.SUBHANDLERS,
        **checkins.SUBHANDLERS,
        **summary.SUBHANDLERS,
        **privacy.SUBHANDLERS,
    }


def register_all(app: App, deps: HandlerDeps) -> None:
    from handlers import cases, checkins, commands, errors, events, home, kickoff, privacy, summary, views

    errors.register(app, deps)
    commands.register(app, deps, all_subhandlers())
    views.register(app, deps)
    cases.register(app, deps)
    kickoff.register(app, deps)
    checkins.register(app, deps)
    home.register(app, deps)
    summary.register(app, deps)
    privacy.register(app, deps)
    events.register_fallback(app)
