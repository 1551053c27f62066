"""Join the kickoff, cases and check-ins branches into one line of history again.

The three parts were built side by side, each on its own branch off 0002.
"""

revision = "0400"
down_revision = ("0101", "0201", "0301")


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
