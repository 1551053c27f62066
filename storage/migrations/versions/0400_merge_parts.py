"""Join the kickoff, cases and check-ins branches into one line of history again.

The three parts were built side by side, each on its own branch off 0002.

Revision ID: 0400
Revises: 0101, 0201, 0301
Create Date: 2026-11-25
"""

from collections.abc import Sequence

revision: str = "0400"
down_revision: str | Sequence[str] | None = ("0101", "0201", "0301")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
