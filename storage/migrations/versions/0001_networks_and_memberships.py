"""Networks linked to channels, and their memberships.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.migrations import columns

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "network",
        *columns.id_key("network"),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("goal", sa.String(length=1000), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("composition", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        columns.timestamp("created_at"),
        columns.timestamp("archived_at", nullable=True),
        columns.unique("network", "team_id", "channel_id"),
    )
    columns.create_index("network", "channel_id")
    op.create_table(
        "membership",
        *columns.id_key("membership"),
        *columns.parent_key("membership", "network"),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        columns.timestamp("joined_at"),
        columns.timestamp("left_at", nullable=True),
        columns.unique("membership", "network_id", "user_id"),
    )
    columns.create_index("membership", "network_id")


def downgrade() -> None:
    columns.drop_index("membership", "network_id")
    op.drop_table("membership")
    columns.drop_index("network", "channel_id")
    op.drop_table("network")
