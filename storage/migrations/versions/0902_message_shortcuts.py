"""Message shortcuts: a case remembers the message it was brought in from, and members save messages as
lessons of the network (waiting for their author's consent when someone else wrote them)."""

from storage.migrations.schema import add_columns
from storage.migrations.schema import child_of
from storage.migrations.schema import create_table
from storage.migrations.schema import drop_columns
from storage.migrations.schema import drop_table
from storage.migrations.schema import moment
from storage.migrations.schema import text

revision = "0902"
down_revision = "0900"


def upgrade() -> None:
    add_columns("peer_case", text("source_permalink", 500, null=True))
    create_table(
        "saved_lesson",
        child_of("network"),
        text("channel_id", 32),
        text("message_ts", 32),
        text("author_id", 32),
        text("saver_id", 32),
        text("text", 2000),
        text("status", 16),
        moment("saved_at"),
        moment("approved_at", null=True),
        unique=[("network_id", "message_ts")],
        indexes=["network_id", "author_id", "saver_id"],
    )


def downgrade() -> None:
    drop_table("saved_lesson", indexes=["network_id", "author_id", "saver_id"])
    drop_columns("peer_case", "source_permalink")
