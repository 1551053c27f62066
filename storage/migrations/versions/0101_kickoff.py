"""The kickoff: introductions, expectations, learning goals and their votes, the map, agreements.

Revision ID: 0101
Revises: 0002
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0101"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _network_id(table: str) -> list[sa.Column[int] | sa.ForeignKeyConstraint]:
    return [
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"], ["network.id"], name=f"fk_{table}_network_id_network", ondelete="CASCADE"
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "intro",
        sa.Column("id", sa.Integer(), nullable=False),
        *_network_id("intro"),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("job_role", sa.String(length=150), nullable=False),
        sa.Column("organisation", sa.String(length=150), nullable=False),
        sa.Column("gives", sa.String(length=1000), nullable=False),
        sa.Column("wants", sa.String(length=1000), nullable=False),
        sa.Column("practice_question", sa.String(length=1000), nullable=False),
        sa.Column("card_ts", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_intro"),
        sa.UniqueConstraint("network_id", "user_id", name="uq_intro_network_id_user_id"),
    )
    op.create_index("ix_intro_network_id", "intro", ["network_id"])

    op.create_table(
        "expectation",
        sa.Column("id", sa.Integer(), nullable=False),
        *_network_id("expectation"),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("text", sa.String(length=1000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_expectation"),
        sa.UniqueConstraint("network_id", "user_id", name="uq_expectation_network_id_user_id"),
    )
    op.create_index("ix_expectation_network_id", "expectation", ["network_id"])

    op.create_table(
        "learning_goal",
        sa.Column("id", sa.Integer(), nullable=False),
        *_network_id("learning_goal"),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=150), nullable=False),
        sa.Column("goal_key", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_learning_goal"),
        sa.UniqueConstraint(
            "network_id", "user_id", "position", name="uq_learning_goal_network_id_user_id_position"
        ),
    )
    op.create_index("ix_learning_goal_network_id", "learning_goal", ["network_id"])

    op.create_table(
        "goal_vote",
        sa.Column("id", sa.Integer(), nullable=False),
        *_network_id("goal_vote"),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("goal_key", sa.String(length=300), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_goal_vote"),
        sa.UniqueConstraint(
            "network_id", "user_id", "goal_key", name="uq_goal_vote_network_id_user_id_goal_key"
        ),
        sa.UniqueConstraint("network_id", "user_id", "slot", name="uq_goal_vote_network_id_user_id_slot"),
        sa.CheckConstraint("slot BETWEEN 1 AND 3", name="ck_goal_vote_slot_range"),
    )
    op.create_index("ix_goal_vote_network_id", "goal_vote", ["network_id"])

    op.create_table(
        "expectations_map",
        *_network_id("expectations_map"),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("message_ts", sa.String(length=32), nullable=False),
        sa.Column("posted_by", sa.String(length=32), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("network_id", name="pk_expectations_map"),
    )

    op.create_table(
        "agreement_version",
        sa.Column("id", sa.Integer(), nullable=False),
        *_network_id("agreement_version"),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=3000), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_agreement_version"),
        sa.UniqueConstraint("network_id", "version", name="uq_agreement_version_network_id_version"),
    )
    op.create_index("ix_agreement_version_network_id", "agreement_version", ["network_id"])

    op.create_table(
        "agreement_acceptance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_agreement_acceptance"),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["agreement_version.id"],
            name="fk_agreement_acceptance_version_id_agreement_version",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("version_id", "user_id", name="uq_agreement_acceptance_version_id_user_id"),
    )
    op.create_index("ix_agreement_acceptance_version_id", "agreement_acceptance", ["version_id"])


def downgrade() -> None:
    op.drop_index("ix_agreement_acceptance_version_id", table_name="agreement_acceptance")
    op.drop_table("agreement_acceptance")
    op.drop_index("ix_agreement_version_network_id", table_name="agreement_version")
    op.drop_table("agreement_version")
    op.drop_table("expectations_map")
    op.drop_index("ix_goal_vote_network_id", table_name="goal_vote")
    op.drop_table("goal_vote")
    op.drop_index("ix_learning_goal_network_id", table_name="learning_goal")
    op.drop_table("learning_goal")
    op.drop_index("ix_expectation_network_id", table_name="expectation")
    op.drop_table("expectation")
    op.drop_index("ix_intro_network_id", table_name="intro")
    op.drop_table("intro")
