"""Events API deliveries already handled."""

from storage.migrations.schema import create_table
from storage.migrations.schema import drop_table
from storage.migrations.schema import moment
from storage.migrations.schema import text

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    create_table(
        "processed_event",
        text("event_id", 64),
        moment("received_at"),
        key="event_id",
        indexes=["received_at"],
    )


def downgrade() -> None:
    drop_table("processed_event", indexes=["received_at"])
