"""The outbox: every effect on Slack that follows a write, recorded with it and carried out after it;
and which process leads, for `python -m bot status`.

Revision ID: 0701
Revises: 0601
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0701"
down_revision: str | Sequence[str] | None = "0601"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outbox_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.String(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox_item"),
        sa.UniqueConstraint("key", name="uq_outbox_item_key"),
    )
    op.create_index("ix_outbox_item_status_not_before", "outbox_item", ["status", "not_before"])
    with op.batch_alter_table("bot_process") as batch:
        batch.add_column(sa.Column("leader", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("bot_process") as batch:
        batch.drop_column("leader")
    op.drop_index("ix_outbox_item_status_not_before", table_name="outbox_item")
    op.drop_table("outbox_item")
