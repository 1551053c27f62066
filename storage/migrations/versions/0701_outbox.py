"""The outbox: every effect on Slack that follows a write, recorded with it and carried out after it;
and which process leads, for `python -m bot status`."""

from storage.migrations.schema import add_columns
from storage.migrations.schema import create_table
from storage.migrations.schema import drop_columns
from storage.migrations.schema import drop_table
from storage.migrations.schema import later_flag
from storage.migrations.schema import moment
from storage.migrations.schema import number
from storage.migrations.schema import text

revision = "0701"
down_revision = "0601"

_DUE = ("status", "not_before")


def upgrade() -> None:
    create_table(
        "outbox_item",
        text("key", 200),
        text("kind", 64),
        text("payload"),
        text("status", 16),
        text("owner", 64, null=True),
        moment("created_at"),
        moment("not_before"),
        number("attempts"),
        text("reason", 500, null=True),
        moment("done_at", null=True),
        unique=[("key",)],
        indexes=[_DUE],
    )
    add_columns("bot_process", later_flag("leader"))


def downgrade() -> None:
    drop_columns("bot_process", "leader")
    drop_table("outbox_item", indexes=[_DUE])
