"""Join the wrap-up and the saved lessons of the message shortcuts into one line.

Both were built side by side, each on its own branch off 0900.
"""

revision = "0910"
down_revision = ("0901", "0902")


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
