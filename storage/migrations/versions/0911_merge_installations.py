"""Join the installations of many workspaces (0903) with the wrap-up and shortcuts (0910) into one line."""

revision = "0911"
down_revision = ("0910", "0903")


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
