"""The kickoff: introductions, expectations, learning goals and their votes, the map, agreements."""

import sqlalchemy as sa

from storage.migrations.schema import child_of
from storage.migrations.schema import create_table
from storage.migrations.schema import drop_table
from storage.migrations.schema import moment
from storage.migrations.schema import number
from storage.migrations.schema import text

revision = "0101"
down_revision = "0002"

_BY_NETWORK = ["network_id"]


def upgrade() -> None:
    create_table(
        "intro",
        child_of("network"),
        text("user_id", 32),
        text("job_role", 150),
        text("organisation", 150),
        text("gives", 1000),
        text("wants", 1000),
        text("practice_question", 1000),
        text("card_ts", 32, null=True),
        moment("created_at"),
        moment("updated_at"),
        unique=[("network_id", "user_id")],
        indexes=_BY_NETWORK,
    )
    create_table(
        "expectation",
        child_of("network"),
        text("user_id", 32),
        text("text", 1000),
        moment("created_at"),
        moment("updated_at"),
        unique=[("network_id", "user_id")],
        indexes=_BY_NETWORK,
    )
    create_table(
        "learning_goal",
        child_of("network"),
        text("user_id", 32),
        number("position"),
        text("text", 150),
        text("goal_key", 300),
        moment("created_at"),
        unique=[("network_id", "user_id", "position")],
        indexes=_BY_NETWORK,
    )
    create_table(
        "goal_vote",
        child_of("network"),
        text("user_id", 32),
        text("goal_key", 300),
        number("slot"),
        moment("created_at"),
        sa.CheckConstraint("slot BETWEEN 1 AND 3", name="ck_goal_vote_slot_range"),
        unique=[("network_id", "user_id", "goal_key"), ("network_id", "user_id", "slot")],
        indexes=_BY_NETWORK,
    )
    create_table(
        "expectations_map",
        child_of("network"),
        text("channel_id", 32),
        text("message_ts", 32),
        text("posted_by", 32),
        moment("posted_at"),
        key="network_id",
    )
    create_table(
        "agreement_version",
        child_of("network"),
        number("version"),
        text("text", 3000),
        text("created_by", 32),
        moment("created_at"),
        text("message_ts", 32, null=True),
        unique=[("network_id", "version")],
        indexes=_BY_NETWORK,
    )
    create_table(
        "agreement_acceptance",
        child_of("agreement_version", "version_id"),
        text("user_id", 32),
        moment("accepted_at"),
        unique=[("version_id", "user_id")],
        indexes=["version_id"],
    )


def downgrade() -> None:
    drop_table("agreement_acceptance", indexes=["version_id"])
    drop_table("agreement_version", indexes=_BY_NETWORK)
    drop_table("expectations_map")
    for table in ("goal_vote", "learning_goal", "expectation", "intro"):
        drop_table(table, indexes=_BY_NETWORK)
