"""Privacy's views: snapshots in both languages, Slack's limits, and a network name that cannot ping."""

from __future__ import annotations

import pytest

from bot.i18n import Texts
from bot.sandbox.blockkit import validate_blocks
from bot.views.ids_privacy import PrivacyActions
from bot.views.privacy import advice_removed_message
from bot.views.privacy import archive_confirmation_message
from bot.views.privacy import archive_done_message
from bot.views.privacy import archived_channel_message
from bot.views.privacy import forget_confirmation_message
from bot.views.privacy import forget_done_message
from bot.views.privacy import my_data_sent_message
from tests.snapshots import assert_matches_snapshot
from tests.snapshots import message_dict


def messages(texts: Texts) -> dict:
    return {
        "my_data_sent": my_data_sent_message(texts),
        "advice_removed": advice_removed_message(texts),
        "forget_confirmation": forget_confirmation_message(texts),
        "forget_done_nothing_brought": forget_done_message(texts, cases_removed=0),
        "forget_done_two_cases": forget_done_message(texts, cases_removed=2),
        "archive_confirmation": archive_confirmation_message(texts, network_id=7, name="Jeugdhulp"),
        "archive_done": archive_done_message(texts, name="Jeugdhulp"),
        "archived_in_channel": archived_channel_message(texts, name="Jeugdhulp", user_id="U0ELS"),
    }


@pytest.mark.parametrize("language", ["nl", "en"])
def test_privacy_messages_match_their_snapshots_and_slacks_limits(language: str) -> None:
    for name, message in messages(Texts(language)).items():
        rendered = message_dict(message)
        assert validate_blocks(rendered["blocks"]) == [], name
        assert_matches_snapshot(f"privacy_{name}_{language}", rendered)


def test_the_buttons_carry_what_their_handlers_need() -> None:
    forget = forget_confirmation_message(Texts("en")).blocks_as_dicts()[-1]["elements"][0]
    archive = archive_confirmation_message(Texts("nl"), network_id=7, name="X").blocks_as_dicts()[-1]
    assert (forget["action_id"], forget["value"], forget["style"]) == (PrivacyActions.FORGET, "en", "danger")
    assert "confirm" in forget
    assert (archive["elements"][0]["action_id"], archive["elements"][0]["value"]) == (
        PrivacyActions.ARCHIVE,
        "7",
    )


def test_a_network_name_cannot_ping_the_channel() -> None:
    message = archived_channel_message(Texts("nl"), name="<!channel> *vet*", user_id="U0ELS")
    text = str(message_dict(message))
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text
