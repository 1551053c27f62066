"""A case's round follows a peer-consultation method from the catalogue: the method, the index of its
current step and the session lead replace the three fixed steps.

Rounds of the three fixed steps go on as rounds of the incident method, whose clarifying questions,
advice round and response they were.
"""

import sqlalchemy as sa
from alembic import op

from storage.migrations.schema import add_columns
from storage.migrations.schema import drop_columns
from storage.migrations.schema import number
from storage.migrations.schema import text

revision = "0816"
down_revision = "0806"

# The fixed steps and where they are in the incident method (bot/services/workforms.py); 7 is finished.
# Frozen history: bot/services/cases.py keeps the same places for the buttons posted before.
_INCIDENT_INDEX = {"questions": 2, "advice": 4, "response": 5, "closed": 7}


def _cases() -> sa.TableClause:
    return sa.table(
        "peer_case",
        sa.column("round_step", sa.String),
        sa.column("round_method", sa.String),
        sa.column("round_step_index", sa.Integer),
    )


def upgrade() -> None:
    add_columns(
        "peer_case",
        text("round_method", 32, null=True),
        number("round_step_index", null=True),
        text("round_lead_id", 32, null=True),
    )
    cases = _cases()
    for step, index in _INCIDENT_INDEX.items():
        op.execute(
            cases.update()
            .where(cases.c.round_step == step)
            .values(round_method="incident", round_step_index=index)
        )
    drop_columns("peer_case", "round_step")


def downgrade() -> None:
    add_columns("peer_case", text("round_step", 16, null=True))
    cases = _cases()
    for step, index in _INCIDENT_INDEX.items():
        op.execute(cases.update().where(cases.c.round_step_index == index).values(round_step=step))
    op.execute(
        cases.update()
        .where(cases.c.round_method.is_not(None), cases.c.round_step.is_(None))
        .values(round_step="closed")
    )
    drop_columns("peer_case", "round_method", "round_step_index", "round_lead_id")
