"""Bot processes with their heartbeat, and who claimed each poll step: recovery without the long wait.

Revision ID: 0601
Revises: 0501
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.migrations import columns

revision: str = "0601"
down_revision: str | Sequence[str] | None = "0501"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bot_process",
        sa.Column("id", sa.String(length=64), nullable=False),
        columns.timestamp("started_at"),
        columns.timestamp("beat_at"),
        sa.PrimaryKeyConstraint("id", name="pk_bot_process"),
    )
    columns.create_index("bot_process", "beat_at")
    with op.batch_alter_table("checkin_poll") as batch:
        batch.add_column(sa.Column("claimed_by", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("checkin_poll") as batch:
        batch.drop_column("claimed_by")
    columns.drop_index("bot_process", "beat_at")
    op.drop_table("bot_process")
