"""Bot processes with their heartbeat, and who claimed each poll step: recovery without the long wait."""

from storage.migrations.schema import add_columns
from storage.migrations.schema import create_table
from storage.migrations.schema import drop_columns
from storage.migrations.schema import drop_table
from storage.migrations.schema import moment
from storage.migrations.schema import text

revision = "0601"
down_revision = "0501"


def upgrade() -> None:
    create_table("bot_process", text("id", 64), moment("started_at"), moment("beat_at"), indexes=["beat_at"])
    add_columns("checkin_poll", text("claimed_by", 64, null=True))


def downgrade() -> None:
    drop_columns("checkin_poll", "claimed_by")
    drop_table("bot_process", indexes=["beat_at"])
