"""Advice whose giver asked to be forgotten is marked by a flag: the removal note is the views' to
render, in the reader's language, instead of a translated text stored in the advice row.

Revision ID: 0702
Revises: 0701
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0702"
down_revision: str | Sequence[str] | None = "0701"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The notes forgetting stored before this revision (bot/i18n/*/privacy.toml, `advice_removed`).
_STORED_NOTES = (
    "Dit advies is verwijderd op vraag van wie het gaf.",
    "This advice was removed at the request of the person who gave it.",
)


def upgrade() -> None:
    with op.batch_alter_table("case_advice") as batch:
        batch.add_column(sa.Column("removed", sa.Boolean(), nullable=False, server_default=sa.false()))
    advice = sa.table(
        "case_advice", sa.column("giver_id", sa.String), sa.column("text", sa.String), sa.column("removed")
    )
    op.execute(
        advice.update()
        .where(advice.c.giver_id == "", advice.c.text.in_(_STORED_NOTES))
        .values(removed=True, text="")
    )


def downgrade() -> None:
    with op.batch_alter_table("case_advice") as batch:
        batch.drop_column("removed")
