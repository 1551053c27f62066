"""Join the safe group, follow-ups, thermometer, trajectory, pairs and pauses, and case rounds into one line.

The six parts were built side by side, each on its own branch off 0806 (the charter).
"""

revision = "0900"
down_revision = ("0811", "0812", "0813", "0814", "0815", "0816")


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
