"""Cases: peer_case, their advice and who recognises them.

Revision ID: 0201
Revises: 0002
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0201"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "peer_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("situation", sa.String(length=2000), nullable=False),
        sa.Column("question", sa.String(length=1000), nullable=False),
        sa.Column("tried", sa.String(length=1000), nullable=False),
        sa.Column("help_wanted", sa.String(length=80), nullable=False),
        sa.Column("confidential", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("card_ts", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lesson", sa.String(length=2000), nullable=False),
        sa.Column("on_agenda", sa.Boolean(), nullable=False),
        sa.Column("round_step", sa.String(length=16), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_peer_case"),
        sa.ForeignKeyConstraint(
            ["network_id"], ["network.id"], name="fk_peer_case_network_id_network", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_peer_case_network_id", "peer_case", ["network_id"])
    op.create_index("ix_peer_case_card_ts", "peer_case", ["card_ts"])
    op.create_table(
        "case_advice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("giver_id", sa.String(length=32), nullable=False),
        sa.Column("text", sa.String(length=2000), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_case_advice"),
        sa.ForeignKeyConstraint(
            ["case_id"], ["peer_case.id"], name="fk_case_advice_case_id_peer_case", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_case_advice_case_id", "case_advice", ["case_id"])
    op.create_index("ix_case_advice_giver_id", "case_advice", ["giver_id"])
    op.create_table(
        "case_recognition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_case_recognition"),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["peer_case.id"],
            name="fk_case_recognition_case_id_peer_case",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("case_id", "user_id", name="uq_case_recognition_case_id_user_id"),
    )
    op.create_index("ix_case_recognition_case_id", "case_recognition", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_case_recognition_case_id", table_name="case_recognition")
    op.drop_table("case_recognition")
    op.drop_index("ix_case_advice_giver_id", table_name="case_advice")
    op.drop_index("ix_case_advice_case_id", table_name="case_advice")
    op.drop_table("case_advice")
    op.drop_index("ix_peer_case_card_ts", table_name="peer_case")
    op.drop_index("ix_peer_case_network_id", table_name="peer_case")
    op.drop_table("peer_case")
