"""Requests acknowledged at once and worked afterwards: each kept until its work is done."""

from storage.migrations.schema import create_table
from storage.migrations.schema import drop_table
from storage.migrations.schema import moment
from storage.migrations.schema import number
from storage.migrations.schema import text

revision = "0920"
down_revision = "0911"


def upgrade() -> None:
    create_table(
        "inbound_request",
        text("kind", 32),
        text("key", 100, null=True),
        text("team_id", 32, null=True),
        text("content_type", 100),
        text("body"),
        text("retry_num", 8, null=True),
        moment("received_at"),
        text("owner", 64, null=True),
        number("attempts"),
        unique=[("key",)],
        indexes=["received_at"],
    )


def downgrade() -> None:
    drop_table("inbound_request", indexes=["received_at"])
