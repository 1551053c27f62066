"""Check-ins and meetings: schedules, polls, reactions, written answers, meetings and evaluations.

Revision ID: 0301
Revises: 0002
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0301"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _network_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["network_id"], ["network.id"], name=f"fk_{table}_network_id_network", ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "checkin_schedule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("frequency", sa.String(length=16), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("minute", sa.Integer(), nullable=False),
        sa.Column("open_days", sa.Integer(), nullable=False),
        sa.Column("reminders", sa.Boolean(), nullable=False),
        sa.Column("anonymity_threshold", sa.Integer(), nullable=False),
        sa.Column("anchor", sa.Date(), nullable=False),
        sa.Column("updated_by", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_checkin_schedule"),
        _network_fk("checkin_schedule"),
        sa.UniqueConstraint("network_id", name="uq_checkin_schedule_network_id"),
    )
    op.create_table(
        "checkin_poll",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=96), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("run_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("remind_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("anonymity_threshold", sa.Integer(), nullable=False),
        sa.Column("member_count", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("results_ts", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_checkin_poll"),
        _network_fk("checkin_poll"),
        sa.UniqueConstraint("key", name="uq_checkin_poll_key"),
        sa.UniqueConstraint("channel_id", "message_ts", name="uq_checkin_poll_channel_id_message_ts"),
    )
    op.create_index("ix_checkin_poll_network_id", "checkin_poll", ["network_id"])
    op.create_table(
        "checkin_reaction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("respondent", sa.String(length=64), nullable=False),
        sa.Column("emoji", sa.String(length=100), nullable=False),
        sa.Column("reacted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_checkin_reaction"),
        sa.ForeignKeyConstraint(
            ["poll_id"],
            ["checkin_poll.id"],
            name="fk_checkin_reaction_poll_id_checkin_poll",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "poll_id", "respondent", "emoji", name="uq_checkin_reaction_poll_id_respondent_emoji"
        ),
    )
    op.create_index("ix_checkin_reaction_poll_id", "checkin_reaction", ["poll_id"])
    op.create_table(
        "checkin_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=16), nullable=False),
        sa.Column("respondent", sa.String(length=64), nullable=False),
        sa.Column("text", sa.String(length=1000), nullable=False),
        sa.Column("signed_by", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_checkin_answer"),
        sa.ForeignKeyConstraint(
            ["poll_id"],
            ["checkin_poll.id"],
            name="fk_checkin_answer_poll_id_checkin_poll",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "poll_id", "question", "respondent", name="uq_checkin_answer_poll_id_question_respondent"
        ),
    )
    op.create_index("ix_checkin_answer_poll_id", "checkin_answer", ["poll_id"])
    op.create_table(
        "meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("topic", sa.String(length=150), nullable=False),
        sa.Column("cases_text", sa.String(length=1000), nullable=False),
        sa.Column("planned_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("agenda_state", sa.String(length=16), nullable=False),
        sa.Column("agenda_claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("agenda_ts", sa.String(length=32), nullable=True),
        sa.Column("evaluation_state", sa.String(length=16), nullable=False),
        sa.Column("evaluation_claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("evaluation_ts", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_meeting"),
        _network_fk("meeting"),
    )
    op.create_index("ix_meeting_network_id", "meeting", ["network_id"])
    op.create_index("ix_meeting_starts_at", "meeting", ["starts_at"])
    op.create_table(
        "meeting_evaluation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("respondent", sa.String(length=64), nullable=False),
        sa.Column("usefulness", sa.Integer(), nullable=False),
        sa.Column("takeaway", sa.String(length=1000), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_meeting_evaluation"),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name="fk_meeting_evaluation_meeting_id_meeting",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("meeting_id", "respondent", name="uq_meeting_evaluation_meeting_id_respondent"),
    )
    op.create_index("ix_meeting_evaluation_meeting_id", "meeting_evaluation", ["meeting_id"])


def downgrade() -> None:
    op.drop_index("ix_meeting_evaluation_meeting_id", table_name="meeting_evaluation")
    op.drop_table("meeting_evaluation")
    op.drop_index("ix_meeting_starts_at", table_name="meeting")
    op.drop_index("ix_meeting_network_id", table_name="meeting")
    op.drop_table("meeting")
    op.drop_index("ix_checkin_answer_poll_id", table_name="checkin_answer")
    op.drop_table("checkin_answer")
    op.drop_index("ix_checkin_reaction_poll_id", table_name="checkin_reaction")
    op.drop_table("checkin_reaction")
    op.drop_index("ix_checkin_poll_network_id", table_name="checkin_poll")
    op.drop_table("checkin_poll")
    op.drop_table("checkin_schedule")
