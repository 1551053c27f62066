"""Guest experts invited to read a confidential case."""

from storage.migrations.schema import child_of, create_table, drop_table, moment, text

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
