"""The kickoff: introductions, expectations, learning goals and their votes, the map, agreements.

Revision ID: 0101
Revises: 0002
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.migrations import columns

revision: str = "0101"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "intro",
        *columns.id_key("intro"),
        *columns.parent_key("intro", "network"),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("job_role", sa.String(length=150), nullable=False),
        sa.Column("organisation", sa.String(length=150), nullable=False),
        sa.Column("gives", sa.String(length=1000), nullable=False),
        sa.Column("wants", sa.String(length=1000), nullable=False),
        sa.Column("practice_question", sa.String(length=1000), nullable=False),
        sa.Column("card_ts", sa.String(length=32), nullable=True),
        columns.timestamp("created_at"),
        columns.timestamp("updated_at"),
        columns.unique("intro", "network_id", "user_id"),
    )
    columns.create_index("intro", "network_id")

    op.create_table(
        "expectation",
        *columns.id_key("expectation"),
        *columns.parent_key("expectation", "network"),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("text", sa.String(length=1000), nullable=False),
        columns.timestamp("created_at"),
        columns.timestamp("updated_at"),
        columns.unique("expectation", "network_id", "user_id"),
    )
    columns.create_index("expectation", "network_id")

    op.create_table(
        "learning_goal",
        *columns.id_key("learning_goal"),
        *columns.parent_key("learning_goal", "network"),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=150), nullable=False),
        sa.Column("goal_key", sa.String(length=300), nullable=False),
        columns.timestamp("created_at"),
        columns.unique("learning_goal", "network_id", "user_id", "position"),
    )
    columns.create_index("learning_goal", "network_id")

    op.create_table(
        "goal_vote",
        *columns.id_key("goal_vote"),
        *columns.parent_key("goal_vote", "network"),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("goal_key", sa.String(length=300), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        columns.timestamp("created_at"),
        columns.unique("goal_vote", "network_id", "user_id", "goal_key"),
        columns.unique("goal_vote", "network_id", "user_id", "slot"),
        sa.CheckConstraint("slot BETWEEN 1 AND 3", name="ck_goal_vote_slot_range"),
    )
    columns.create_index("goal_vote", "network_id")

    op.create_table(
        "expectations_map",
        *columns.parent_key("expectations_map", "network"),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("message_ts", sa.String(length=32), nullable=False),
        sa.Column("posted_by", sa.String(length=32), nullable=False),
        columns.timestamp("posted_at"),
        sa.PrimaryKeyConstraint("network_id", name="pk_expectations_map"),
    )

    op.create_table(
        "agreement_version",
        *columns.id_key("agreement_version"),
        *columns.parent_key("agreement_version", "network"),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=3000), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        columns.timestamp("created_at"),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        columns.unique("agreement_version", "network_id", "version"),
    )
    columns.create_index("agreement_version", "network_id")

    op.create_table(
        "agreement_acceptance",
        *columns.id_key("agreement_acceptance"),
        *columns.parent_key("agreement_acceptance", "agreement_version", "version_id"),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        columns.timestamp("accepted_at"),
        columns.unique("agreement_acceptance", "version_id", "user_id"),
    )
    columns.create_index("agreement_acceptance", "version_id")


def downgrade() -> None:
    columns.drop_index("agreement_acceptance", "version_id")
    op.drop_table("agreement_acceptance")
    columns.drop_index("agreement_version", "network_id")
    op.drop_table("agreement_version")
    op.drop_table("expectations_map")
    columns.drop_index("goal_vote", "network_id")
    op.drop_table("goal_vote")
    columns.drop_index("learning_goal", "network_id")
    op.drop_table("learning_goal")
    columns.drop_index("expectation", "network_id")
    op.drop_table("expectation")
    columns.drop_index("intro", "network_id")
    op.drop_table("intro")
