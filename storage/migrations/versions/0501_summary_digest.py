"""The summary digest: its schedule per network, and each digest run claimed once."""

from storage.migrations.schema import child_of
from storage.migrations.schema import create_table
from storage.migrations.schema import day
from storage.migrations.schema import drop_table
from storage.migrations.schema import moment
from storage.migrations.schema import text

revision = "0501"
down_revision = "0400"


def upgrade() -> None:
    create_table(
        "digest_schedule",
        child_of("network"),
        text("frequency", 16),
        day("anchor"),
        text("updated_by", 32),
        moment("updated_at"),
        unique=[("network_id",)],
    )
    create_table(
        "digest_run",
        child_of("network"),
        text("key", 96),
        day("run_date"),
        moment("claimed_at"),
        text("message_ts", 32, null=True),
        moment("posted_at", null=True),
        unique=[("key",)],
        indexes=["network_id"],
    )


def downgrade() -> None:
    drop_table("digest_run", indexes=["network_id"])
    drop_table("digest_schedule")
