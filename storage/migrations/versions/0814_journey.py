"""The trajectory: its sessions (each a meeting) with themes and work forms, the rotating roles, and
the agenda items members propose."""

from storage.migrations.schema import child_of
from storage.migrations.schema import create_table
from storage.migrations.schema import drop_table
from storage.migrations.schema import flag
from storage.migrations.schema import moment
from storage.migrations.schema import number
from storage.migrations.schema import text

revision = "0814"
down_revision = "0806"


def upgrade() -> None:
    create_table(
        "journey",
        child_of("network"),
        number("version"),
        text("rhythm", 16),
        text("place", 300),
        text("planned_by", 32),
        moment("created_at"),
        moment("updated_at"),
        text("plan_ts", 32, null=True),
        unique=[("network_id",)],
    )
    create_table(
        "journey_session",
        child_of("journey"),
        child_of("meeting"),
        number("position"),
        text("theme", 150),
        text("workform", 40),
        indexes=["journey_id", "meeting_id"],
    )
    create_table(
        "journey_role",
        child_of("journey_session", "session_id"),
        text("role", 16),
        number("slot"),
        text("user_id", 32),
        text("state", 16),
        text("declined_by", 1000),
        indexes=["session_id"],
    )
    create_table(
        "agenda_item",
        child_of("meeting"),
        text("kind", 8),
        text("text", 300),
        number("case_id", null=True),
        text("proposed_by", 32),
        flag("picked"),
        moment("created_at"),
        unique=[("meeting_id", "case_id")],
        indexes=["meeting_id"],
    )


def downgrade() -> None:
    drop_table("agenda_item", indexes=["meeting_id"])
    drop_table("journey_role", indexes=["session_id"])
    drop_table("journey_session", indexes=["journey_id", "meeting_id"])
    drop_table("journey")
