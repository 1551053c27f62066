"""Advice whose giver asked to be forgotten is marked by a flag: the removal note is the views' to
render, in the reader's language, instead of a translated text stored in the advice row.
"""

import sqlalchemy as sa
from alembic import op

from storage.migrations.schema import add_columns
from storage.migrations.schema import drop_columns
from storage.migrations.schema import later_flag

revision = "0702"
down_revision = "0701"

# The notes forgetting stored before this revision (bot/i18n/*/privacy.toml, `advice_removed`).
_STORED_NOTES = (
    "Dit advies is verwijderd op vraag van wie het gaf.",
    "This advice was removed at the request of the person who gave it.",
)


def upgrade() -> None:
    add_columns("case_advice", later_flag("removed"))
    advice = sa.table(
        "case_advice", sa.column("giver_id", sa.String), sa.column("text", sa.String), sa.column("removed")
    )
    op.execute(
        advice.update()
        .where(advice.c.giver_id == "", advice.c.text.in_(_STORED_NOTES))
        .values(removed=True, text="")
    )


def downgrade() -> None:
    drop_columns("case_advice", "removed")
