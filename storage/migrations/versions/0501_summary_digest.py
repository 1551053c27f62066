"""The summary digest: its schedule per network, and each digest run claimed once.

Revision ID: 0501
Revises: 0400
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.migrations import columns

revision: str = "0501"
down_revision: str | Sequence[str] | None = "0400"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "digest_schedule",
        *columns.id_key("digest_schedule"),
        *columns.parent_key("digest_schedule", "network"),
        sa.Column("frequency", sa.String(length=16), nullable=False),
        sa.Column("anchor", sa.Date(), nullable=False),
        sa.Column("updated_by", sa.String(length=32), nullable=False),
        columns.timestamp("updated_at"),
        columns.unique("digest_schedule", "network_id"),
    )
    op.create_table(
        "digest_run",
        *columns.id_key("digest_run"),
        *columns.parent_key("digest_run", "network"),
        sa.Column("key", sa.String(length=96), nullable=False),
        sa.Column("run_date", sa.Date(), nullable=False),
        columns.timestamp("claimed_at"),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        columns.timestamp("posted_at", nullable=True),
        columns.unique("digest_run", "key"),
    )
    columns.create_index("digest_run", "network_id")


def downgrade() -> None:
    columns.drop_index("digest_run", "network_id")
    op.drop_table("digest_run")
    op.drop_table("digest_schedule")
