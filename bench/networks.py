"""The network the benchmarks start: Dutch, organised, of members in the same role, on Brussels time."""

from __future__ import annotations

from bot.services.networks import NetworkDetails


def network_details(name: str, goal: str = "") -> NetworkDetails:
    """What the facilitator fills in at `/netwerk start`, as the benchmarks fill it in."""
    return NetworkDetails(
        name=name,
        goal=goal,
        origin="organised",
        composition="same_role",
        language="nl",
        timezone="Europe/Brussels",
    )
