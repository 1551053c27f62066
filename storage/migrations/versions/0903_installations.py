"""Many workspaces: each workspace's installation (its bot token encrypted), the install flow's one-time
states, and the workspace whose token carries out each outbox item."""

from storage.migrations.schema import add_columns
from storage.migrations.schema import create_table
from storage.migrations.schema import drop_columns
from storage.migrations.schema import drop_table
from storage.migrations.schema import moment
from storage.migrations.schema import text

revision = "0903"
down_revision = "0900"


def upgrade() -> None:
    create_table(
        "slack_installation",
        text("enterprise_id", 32, null=True),
        text("team_id", 32),
        text("team_name", 200, null=True),
        text("app_id", 32, null=True),
        text("bot_token_encrypted"),
        text("bot_user_id", 32),
        text("bot_id", 32),
        text("bot_scopes", 2000),
        text("installer_user_id", 32),
        moment("installed_at"),
        unique=[("team_id",)],
    )
    create_table("oauth_state", text("state", 64), moment("expires_at"), unique=[("state",)])
    # Existing items were recorded in single-workspace mode, where the one token carries them all.
    add_columns("outbox_item", text("team_id", 32, null=True))


def downgrade() -> None:
    drop_columns("outbox_item", "team_id")
    drop_table("oauth_state")
    drop_table("slack_installation")
