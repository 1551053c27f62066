"""Check-ins and meetings: schedules, polls, reactions, written answers, meetings and evaluations."""

from storage.migrations.schema import child_of
from storage.migrations.schema import create_table
from storage.migrations.schema import day
from storage.migrations.schema import drop_table
from storage.migrations.schema import flag
from storage.migrations.schema import moment
from storage.migrations.schema import number
from storage.migrations.schema import text

revision = "0301"
down_revision = "0002"


def upgrade() -> None:
    create_table(
        "checkin_schedule",
        child_of("network"),
        text("frequency", 16),
        number("weekday"),
        number("hour"),
        number("minute"),
        number("open_days"),
        flag("reminders"),
        number("anonymity_threshold"),
        day("anchor"),
        text("updated_by", 32),
        moment("updated_at"),
        unique=[("network_id",)],
    )
    create_table(
        "checkin_poll",
        child_of("network"),
        text("key", 96),
        text("kind", 16),
        day("run_date"),
        text("status", 16),
        moment("claimed_at"),
        text("channel_id", 32),
        text("language", 8),
        text("message_ts", 32, null=True),
        moment("posted_at", null=True),
        moment("closes_at"),
        moment("remind_at", null=True),
        moment("reminded_at", null=True),
        number("anonymity_threshold"),
        number("member_count", null=True),
        moment("closed_at", null=True),
        text("results_ts", 32, null=True),
        unique=[("key",), ("channel_id", "message_ts")],
        indexes=["network_id"],
    )
    create_table(
        "checkin_reaction",
        child_of("checkin_poll", "poll_id"),
        text("respondent", 64),
        text("emoji", 100),
        moment("reacted_at"),
        unique=[("poll_id", "respondent", "emoji")],
        indexes=["poll_id"],
    )
    create_table(
        "checkin_answer",
        child_of("checkin_poll", "poll_id"),
        text("question", 16),
        text("respondent", 64),
        text("text", 1000),
        text("signed_by", 32, null=True),
        unique=[("poll_id", "question", "respondent")],
        indexes=["poll_id"],
    )
    create_table(
        "meeting",
        child_of("network"),
        moment("starts_at"),
        moment("ends_at"),
        text("topic", 150),
        text("cases_text", 1000),
        text("planned_by", 32),
        moment("created_at"),
        text("agenda_state", 16),
        moment("agenda_claimed_at", null=True),
        text("agenda_ts", 32, null=True),
        text("evaluation_state", 16),
        moment("evaluation_claimed_at", null=True),
        text("evaluation_ts", 32, null=True),
        indexes=["network_id", "starts_at"],
    )
    create_table(
        "meeting_evaluation",
        child_of("meeting"),
        text("respondent", 64),
        number("usefulness"),
        text("takeaway", 1000),
        unique=[("meeting_id", "respondent")],
        indexes=["meeting_id"],
    )


def downgrade() -> None:
    drop_table("meeting_evaluation", indexes=["meeting_id"])
    drop_table("meeting", indexes=["starts_at", "network_id"])
    drop_table("checkin_answer", indexes=["poll_id"])
    drop_table("checkin_reaction", indexes=["poll_id"])
    drop_table("checkin_poll", indexes=["network_id"])
    drop_table("checkin_schedule")
