"""The summary digest: its schedule per network, and each digest run claimed once.

Revision ID: 0501
Revises: 0400
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0501"
down_revision: str | Sequence[str] | None = "0400"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "digest_schedule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("frequency", sa.String(length=16), nullable=False),
        sa.Column("anchor", sa.Date(), nullable=False),
        sa.Column("updated_by", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"], ["network.id"], name="fk_digest_schedule_network_id_network", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_digest_schedule"),
        sa.UniqueConstraint("network_id", name="uq_digest_schedule_network_id"),
    )
    op.create_table(
        "digest_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=96), nullable=False),
        sa.Column("run_date", sa.Date(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["network_id"], ["network.id"], name="fk_digest_run_network_id_network", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_digest_run"),
        sa.UniqueConstraint("key", name="uq_digest_run_key"),
    )
    op.create_index("ix_digest_run_network_id", "digest_run", ["network_id"])


def downgrade() -> None:
    op.drop_index("ix_digest_run_network_id", table_name="digest_run")
    op.drop_table("digest_run")
    op.drop_table("digest_schedule")
