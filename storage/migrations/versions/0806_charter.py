"""The network's charter: the channel canvas (or pinned message) it is written on, and what was last
written there."""

from storage.migrations.schema import child_of
from storage.migrations.schema import create_table
from storage.migrations.schema import drop_table
from storage.migrations.schema import moment
from storage.migrations.schema import text

revision = "0806"
down_revision = "0702"


def upgrade() -> None:
    create_table(
        "network_charter",
        child_of("network"),
        text("canvas_id", 32, null=True),
        text("pinned_ts", 32, null=True),
        text("written_hash", 64),
        moment("written_at", null=True),
        key="network_id",
    )


def downgrade() -> None:
    drop_table("network_charter")
