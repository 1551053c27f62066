"""Guest experts invited to read a confidential case."""

from storage.migrations.schema import child_of
from storage.migrations.schema import create_table
from storage.migrations.schema import drop_table
from storage.migrations.schema import moment
from storage.migrations.schema import text

revision = "0811"
down_revision = "0806"


def upgrade() -> None:
    create_table(
        "case_guest",
        child_of("peer_case", "case_id"),
        text("user_id", 32),
        moment("invited_at"),
        unique=[("case_id", "user_id")],
        indexes=["case_id"],
    )


def downgrade() -> None:
    drop_table("case_guest", indexes=["case_id"])
