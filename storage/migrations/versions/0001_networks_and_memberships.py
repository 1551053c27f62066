"""Networks linked to channels, and their memberships."""

from storage.migrations.schema import child_of
from storage.migrations.schema import create_table
from storage.migrations.schema import drop_table
from storage.migrations.schema import moment
from storage.migrations.schema import text

revision = "0001"
down_revision = None


def upgrade() -> None:
    create_table(
        "network",
        text("team_id", 32),
        text("channel_id", 32),
        text("name", 80),
        text("goal", 1000),
        text("origin", 16),
        text("composition", 16),
        text("language", 8),
        text("timezone", 64),
        text("created_by", 32),
        moment("created_at"),
        moment("archived_at", null=True),
        unique=[("team_id", "channel_id")],
        indexes=["channel_id"],
    )
    create_table(
        "membership",
        child_of("network"),
        text("user_id", 32),
        text("role", 16),
        moment("joined_at"),
        moment("left_at", null=True),
        unique=[("network_id", "user_id")],
        indexes=["network_id"],
    )


def downgrade() -> None:
    drop_table("membership", indexes=["network_id"])
    drop_table("network", indexes=["channel_id"])
