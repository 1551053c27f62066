"""Peer-advice cases, their advice and who recognises them."""

from storage.migrations.schema import child_of
from storage.migrations.schema import create_table
from storage.migrations.schema import drop_table
from storage.migrations.schema import flag
from storage.migrations.schema import moment
from storage.migrations.schema import text

revision = "0201"
down_revision = "0002"


def upgrade() -> None:
    create_table(
        "peer_case",
        child_of("network"),
        text("owner_id", 32),
        text("title", 120),
        text("situation", 2000),
        text("question", 1000),
        text("tried", 1000),
        text("help_wanted", 80),
        flag("confidential"),
        text("status", 16),
        text("card_ts", 32, null=True),
        moment("created_at"),
        moment("closed_at", null=True),
        moment("deleted_at", null=True),
        text("lesson", 2000),
        flag("on_agenda"),
        text("round_step", 16, null=True),
        indexes=["network_id", "card_ts"],
    )
    create_table(
        "case_advice",
        child_of("peer_case", "case_id"),
        text("giver_id", 32),
        text("text", 2000),
        text("source", 16),
        text("message_ts", 32, null=True),
        moment("created_at"),
        indexes=["case_id", "giver_id"],
    )
    create_table(
        "case_recognition",
        child_of("peer_case", "case_id"),
        text("user_id", 32),
        moment("created_at"),
        unique=[("case_id", "user_id")],
        indexes=["case_id"],
    )


def downgrade() -> None:
    drop_table("case_recognition", indexes=["case_id"])
    drop_table("case_advice", indexes=["case_id", "giver_id"])
    drop_table("peer_case", indexes=["network_id", "card_ts"])
