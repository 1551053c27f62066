"""The network the benchmarks start: Dutch, organised, of members in the same role, on Brussels time; and
what a benchmark reads back of it from the database."""

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


def read_number(database_url: str, query: str) -> int:
    """The one number `query` reads from the database (0 for none), on an engine of its own."""
    from sqlalchemy import text

    from storage.db import create_db_engine

    engine = create_db_engine(database_url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(query)).scalar() or 0)
    finally:
        engine.dispose()
