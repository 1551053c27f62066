"""Events API deliveries already handled.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "processed_event",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name="pk_processed_event"),
    )
    op.create_index("ix_processed_event_received_at", "processed_event", ["received_at"])


def downgrade() -> None:
    op.drop_index("ix_processed_event_received_at", table_name="processed_event")
    op.drop_table("processed_event")
