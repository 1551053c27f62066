"""Getting to know each other in pairs (the rhythm, the rounds, who met whom) and a network's pauses."""

from storage.migrations.schema import child_of
from storage.migrations.schema import create_table
from storage.migrations.schema import day
from storage.migrations.schema import drop_table
from storage.migrations.schema import flag
from storage.migrations.schema import moment
from storage.migrations.schema import number
from storage.migrations.schema import text

revision = "0815"
down_revision = "0806"


def upgrade() -> None:
    create_table(
        "pairing_schedule",
        child_of("network"),
        number("every_weeks"),
        moment("starts_at"),
        flag("active"),
        text("updated_by", 32),
        moment("updated_at"),
        unique=[("network_id",)],
    )
    create_table(
        "pairing_round",
        child_of("network"),
        text("key", 96),
        day("run_date"),
        moment("claimed_at"),
        unique=[("key",)],
        indexes=["network_id"],
    )
    create_table(
        "pairing_group",
        child_of("pairing_round", "round_id"),
        child_of("network"),
        number("position"),
        indexes=["round_id", "network_id"],
    )
    create_table(
        "pairing_member",
        child_of("pairing_group", "group_id"),
        child_of("network"),
        text("user_id", 32),
        indexes=["group_id", "network_id"],
    )
    create_table(
        "network_pause",
        child_of("network"),
        day("starts_on"),
        day("ends_on"),
        text("created_by", 32),
        moment("created_at"),
        indexes=["network_id"],
    )


def downgrade() -> None:
    drop_table("network_pause", indexes=["network_id"])
    drop_table("pairing_member", indexes=["group_id", "network_id"])
    drop_table("pairing_group", indexes=["round_id", "network_id"])
    drop_table("pairing_round", indexes=["network_id"])
    drop_table("pairing_schedule")
