"""Check-ins and meetings: schedules, polls, reactions, written answers, meetings and evaluations.

Revision ID: 0301
Revises: 0002
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.migrations import columns

revision: str = "0301"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "checkin_schedule",
        *columns.id_key("checkin_schedule"),
        *columns.parent_key("checkin_schedule", "network"),
        sa.Column("frequency", sa.String(length=16), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("minute", sa.Integer(), nullable=False),
        sa.Column("open_days", sa.Integer(), nullable=False),
        sa.Column("reminders", sa.Boolean(), nullable=False),
        sa.Column("anonymity_threshold", sa.Integer(), nullable=False),
        sa.Column("anchor", sa.Date(), nullable=False),
        sa.Column("updated_by", sa.String(length=32), nullable=False),
        columns.timestamp("updated_at"),
        columns.unique("checkin_schedule", "network_id"),
    )
    op.create_table(
        "checkin_poll",
        *columns.id_key("checkin_poll"),
        *columns.parent_key("checkin_poll", "network"),
        sa.Column("key", sa.String(length=96), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("run_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        columns.timestamp("claimed_at"),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        columns.timestamp("posted_at", nullable=True),
        columns.timestamp("closes_at"),
        columns.timestamp("remind_at", nullable=True),
        columns.timestamp("reminded_at", nullable=True),
        sa.Column("anonymity_threshold", sa.Integer(), nullable=False),
        sa.Column("member_count", sa.Integer(), nullable=True),
        columns.timestamp("closed_at", nullable=True),
        sa.Column("results_ts", sa.String(length=32), nullable=True),
        columns.unique("checkin_poll", "key"),
        columns.unique("checkin_poll", "channel_id", "message_ts"),
    )
    columns.create_index("checkin_poll", "network_id")
    op.create_table(
        "checkin_reaction",
        *columns.id_key("checkin_reaction"),
        *columns.parent_key("checkin_reaction", "checkin_poll", "poll_id"),
        sa.Column("respondent", sa.String(length=64), nullable=False),
        sa.Column("emoji", sa.String(length=100), nullable=False),
        columns.timestamp("reacted_at"),
        columns.unique("checkin_reaction", "poll_id", "respondent", "emoji"),
    )
    columns.create_index("checkin_reaction", "poll_id")
    op.create_table(
        "checkin_answer",
        *columns.id_key("checkin_answer"),
        *columns.parent_key("checkin_answer", "checkin_poll", "poll_id"),
        sa.Column("question", sa.String(length=16), nullable=False),
        sa.Column("respondent", sa.String(length=64), nullable=False),
        sa.Column("text", sa.String(length=1000), nullable=False),
        sa.Column("signed_by", sa.String(length=32), nullable=True),
        columns.unique("checkin_answer", "poll_id", "question", "respondent"),
    )
    columns.create_index("checkin_answer", "poll_id")
    op.create_table(
        "meeting",
        *columns.id_key("meeting"),
        *columns.parent_key("meeting", "network"),
        columns.timestamp("starts_at"),
        columns.timestamp("ends_at"),
        sa.Column("topic", sa.String(length=150), nullable=False),
        sa.Column("cases_text", sa.String(length=1000), nullable=False),
        sa.Column("planned_by", sa.String(length=32), nullable=False),
        columns.timestamp("created_at"),
        sa.Column("agenda_state", sa.String(length=16), nullable=False),
        columns.timestamp("agenda_claimed_at", nullable=True),
        sa.Column("agenda_ts", sa.String(length=32), nullable=True),
        sa.Column("evaluation_state", sa.String(length=16), nullable=False),
        columns.timestamp("evaluation_claimed_at", nullable=True),
        sa.Column("evaluation_ts", sa.String(length=32), nullable=True),
    )
    columns.create_index("meeting", "network_id")
    columns.create_index("meeting", "starts_at")
    op.create_table(
        "meeting_evaluation",
        *columns.id_key("meeting_evaluation"),
        *columns.parent_key("meeting_evaluation", "meeting"),
        sa.Column("respondent", sa.String(length=64), nullable=False),
        sa.Column("usefulness", sa.Integer(), nullable=False),
        sa.Column("takeaway", sa.String(length=1000), nullable=False),
        columns.unique("meeting_evaluation", "meeting_id", "respondent"),
    )
    columns.create_index("meeting_evaluation", "meeting_id")


def downgrade() -> None:
    columns.drop_index("meeting_evaluation", "meeting_id")
    op.drop_table("meeting_evaluation")
    columns.drop_index("meeting", "starts_at")
    columns.drop_index("meeting", "network_id")
    op.drop_table("meeting")
    columns.drop_index("checkin_answer", "poll_id")
    op.drop_table("checkin_answer")
    columns.drop_index("checkin_reaction", "poll_id")
    op.drop_table("checkin_reaction")
    columns.drop_index("checkin_poll", "network_id")
    op.drop_table("checkin_poll")
    op.drop_table("checkin_schedule")
