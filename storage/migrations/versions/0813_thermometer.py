"""The network thermometer: its rounds and their anonymous answers."""

from storage.migrations.schema import child_of
from storage.migrations.schema import create_table
from storage.migrations.schema import drop_table
from storage.migrations.schema import moment
from storage.migrations.schema import number
from storage.migrations.schema import text

revision = "0813"
down_revision = "0806"

ASPECTS = ("goal", "process", "contribution", "safety", "facilitation", "value")


def upgrade() -> None:
    create_table(
        "thermometer_round",
        child_of("network"),
        text("key", 96),
        text("kind", 16),
        text("status", 16),
        text("channel_id", 32),
        text("language", 8),
        moment("opened_at"),
        moment("closes_at"),
        number("anonymity_threshold"),
        text("message_ts", 32, null=True),
        moment("closed_at", null=True),
        number("member_count", null=True),
        unique=[("key",)],
        indexes=["network_id"],
    )
    create_table(
        "thermometer_answer",
        child_of("thermometer_round", "round_id"),
        text("respondent", 64),
        *(number(aspect) for aspect in ASPECTS),
        text("stronger", 1000),
        unique=[("round_id", "respondent")],
        indexes=["round_id"],
    )


def downgrade() -> None:
    drop_table("thermometer_answer", indexes=["round_id"])
    drop_table("thermometer_round", indexes=["network_id"])
