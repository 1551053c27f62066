"""Follow-ups of closed cases, a confidential case's lesson its owner shares, and meeting take-aways
their writers share among the network's lessons."""

from storage.migrations.schema import add_columns
from storage.migrations.schema import child_of
from storage.migrations.schema import create_table
from storage.migrations.schema import drop_columns
from storage.migrations.schema import drop_table
from storage.migrations.schema import later_flag
from storage.migrations.schema import moment
from storage.migrations.schema import number
from storage.migrations.schema import text

revision = "0812"
down_revision = "0806"


def upgrade() -> None:
    create_table(
        "case_follow_up",
        child_of("peer_case", "case_id"),
        text("plan", 1000),
        moment("due_at"),
        text("state", 16),
        number("asked_count"),
        moment("asked_at", null=True),
        text("question_channel", 32, null=True),
        text("question_ts", 32, null=True),
        text("outcome", 16, null=True),
        text("answer", 1000),
        moment("answered_at", null=True),
        moment("created_at"),
        unique=[("case_id",)],
        indexes=["case_id"],
    )
    add_columns("peer_case", later_flag("lesson_shared"))
    add_columns("meeting_evaluation", later_flag("share_takeaway"))


def downgrade() -> None:
    drop_columns("meeting_evaluation", "share_takeaway")
    drop_columns("peer_case", "lesson_shared")
    drop_table("case_follow_up", indexes=["case_id"])
