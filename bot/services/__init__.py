"""Domain services: rules about networks and their members, free of Slack payloads."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.services.networks import NetworkService
from storage.db import SessionFactory


@dataclass(frozen=True, slots=True)
class Services:
    networks: NetworkService


def build_services(*, sessions: SessionFactory, clock: Clock) -> Services:
    return Services(networks=NetworkService(sessions=sessions, clock=clock))
