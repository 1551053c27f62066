"""Migration 0816: a round of the three fixed steps of old goes on as a round of the incident method, at
the step that was its counterpart."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import Engine
from sqlalchemy import text

from bot.clock import ManualClock
from storage.db import alembic_config
from storage.db import migrate
from tests.factories import case_intake
from tests.factories import case_service
from tests.factories import make_network


def old_round_at(engine: Engine, steps: dict[int, str | None]) -> None:
    """Back at revision 0806, put each case's round of the fixed steps at `steps[case id]`."""
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0806")
        for case_id, step in steps.items():
            connection.execute(
                text("UPDATE peer_case SET round_step = :step WHERE id = :id"), {"step": step, "id": case_id}
            )


@pytest.mark.parametrize(
    ("old_step", "method", "index"),
    [
        ("questions", "incident", 2),
        ("advice", "incident", 4),
        ("response", "incident", 5),
        ("closed", "incident", 7),
        (None, None, None),
    ],
)
def test_a_round_of_the_fixed_steps_becomes_an_incident_round(
    engine: Engine, sessions, clock: ManualClock, old_step: str | None, method: str | None, index: int | None
) -> None:
    make_network(sessions, clock=clock, team_id="T1", channel_id="C1", member_ids=("U2",))
    cases = case_service(sessions, clock)
    case = cases.bring(team_id="T1", channel_id="C1", owner_id="U2", intake=case_intake())

    old_round_at(engine, {case.case_id: old_step})
    migrate(engine)

    migrated = cases.state(case_id=case.case_id).case
    assert (migrated.round_method, migrated.round_step_index) == (method, index)
