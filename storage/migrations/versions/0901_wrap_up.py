"""Closing the network: the wrap-up, the members' look-backs and how far each got on the goals."""

from storage.migrations.schema import child_of
from storage.migrations.schema import create_table
from storage.migrations.schema import drop_table
from storage.migrations.schema import flag
from storage.migrations.schema import moment
from storage.migrations.schema import number
from storage.migrations.schema import text

revision = "0901"
down_revision = "0900"


def upgrade() -> None:
    create_table(
        "wrap_up",
        child_of("network"),
        text("status", 16),
        text("started_by", 32),
        moment("opened_at"),
        moment("closes_at"),
        text("goal_keys", 1600),
        text("message_ts", 32, null=True),
        moment("reminded_at", null=True),
        moment("closed_at", null=True),
        number("member_count", null=True),
        unique=[("network_id",)],
    )
    create_table(
        "wrap_up_answer",
        child_of("wrap_up", "wrap_up_id"),
        child_of("network"),
        text("user_id", 32),
        text("lesson", 1000),
        text("story_took_part", 500),
        text("story_did_differently", 500),
        text("story_yielded", 500),
        flag("story_shared"),
        moment("answered_at"),
        unique=[("wrap_up_id", "user_id")],
        indexes=["wrap_up_id", "network_id"],
    )
    create_table(
        "wrap_up_progress",
        child_of("wrap_up_answer", "answer_id"),
        text("goal_key", 300),
        number("level"),
        unique=[("answer_id", "goal_key")],
        indexes=["answer_id"],
    )


def downgrade() -> None:
    drop_table("wrap_up_progress", indexes=["answer_id"])
    drop_table("wrap_up_answer", indexes=["wrap_up_id", "network_id"])
    drop_table("wrap_up")
