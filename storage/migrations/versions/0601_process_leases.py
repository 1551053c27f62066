"""Bot processes with their heartbeat, and who claimed each poll step: recovery without the long wait.

Revision ID: 0601
Revises: 0501
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0601"
down_revision: str | Sequence[str] | None = "0501"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bot_process",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("beat_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_bot_process"),
    )
    op.create_index("ix_bot_process_beat_at", "bot_process", ["beat_at"])
    with op.batch_alter_table("checkin_poll") as batch:
        batch.add_column(sa.Column("claimed_by", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("checkin_poll") as batch:
        batch.drop_column("claimed_by")
    op.drop_index("ix_bot_process_beat_at", table_name="bot_process")
    op.drop_table("bot_process")
