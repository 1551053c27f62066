"""Cases: peer_case, their advice and who recognises them.

Revision ID: 0201
Revises: 0002
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.migrations import columns

revision: str = "0201"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "peer_case",
        *columns.id_key("peer_case"),
        *columns.parent_key("peer_case", "network"),
        sa.Column("owner_id", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("situation", sa.String(length=2000), nullable=False),
        sa.Column("question", sa.String(length=1000), nullable=False),
        sa.Column("tried", sa.String(length=1000), nullable=False),
        sa.Column("help_wanted", sa.String(length=80), nullable=False),
        sa.Column("confidential", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("card_ts", sa.String(length=32), nullable=True),
        columns.timestamp("created_at"),
        columns.timestamp("closed_at", nullable=True),
        columns.timestamp("deleted_at", nullable=True),
        sa.Column("lesson", sa.String(length=2000), nullable=False),
        sa.Column("on_agenda", sa.Boolean(), nullable=False),
        sa.Column("round_step", sa.String(length=16), nullable=True),
    )
    columns.create_index("peer_case", "network_id")
    columns.create_index("peer_case", "card_ts")
    op.create_table(
        "case_advice",
        *columns.id_key("case_advice"),
        *columns.parent_key("case_advice", "peer_case", "case_id"),
        sa.Column("giver_id", sa.String(length=32), nullable=False),
        sa.Column("text", sa.String(length=2000), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        columns.timestamp("created_at"),
    )
    columns.create_index("case_advice", "case_id")
    columns.create_index("case_advice", "giver_id")
    op.create_table(
        "case_recognition",
        *columns.id_key("case_recognition"),
        *columns.parent_key("case_recognition", "peer_case", "case_id"),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        columns.timestamp("created_at"),
        columns.unique("case_recognition", "case_id", "user_id"),
    )
    columns.create_index("case_recognition", "case_id")


def downgrade() -> None:
    columns.drop_index("case_recognition", "case_id")
    op.drop_table("case_recognition")
    columns.drop_index("case_advice", "giver_id")
    columns.drop_index("case_advice", "case_id")
    op.drop_table("case_advice")
    columns.drop_index("peer_case", "card_ts")
    columns.drop_index("peer_case", "network_id")
    op.drop_table("peer_case")
