"""Bot processes with their heartbeat, and who claimed each poll step: recovery without the long wait."""

from storage.migrations.schema import add_columns, create_table, drop_columns, drop_table, moment, text

revision = "0601"
down_revision = "0501"


def upgrade() -> None:
    create_table("bot_process", text("id", 64), moment("started_at"), moment("beat_at"), indexes=["beat_at"])
    add_columns("checkin_poll", text("claimed_by", 64, null=True))


def downgrade() -> None:
    drop_columns("checkin_poll", "claimed_by")
    drop_table("bot_process", indexes=["beat_at"])
