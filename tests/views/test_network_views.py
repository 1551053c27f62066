from datetime import UTC
from datetime import datetime

import pytest

from bot.i18n import Texts
from bot.services.networks import NetworkOverview
from bot.views.common import ChannelModalContext
from bot.views.help import help_message
from bot.views.network import already_linked_message
from bot.views.network import start_network_modal
from bot.views.network import welcome_message
from storage.models import Membership
from storage.models import Role
from tests.blocks import block_texts
from tests.factories import network_row
from tests.snapshots import assert_matches_snapshot
from tests.snapshots import message_dict

CREATED = datetime(2026, 9, 14, 8, 0, tzinfo=UTC)


def overview(name: str = "Lerend netwerk jeugdhulp", goal: str = "Moeilijke gesprekken", members: int = 3):
    network = network_row(name=name, goal=goal)
    memberships = [
        Membership(
            network_id=1,
            user_id=f"U{i}",
            role=Role.FACILITATOR if i == 1 else Role.PARTICIPANT,
            joined_at=CREATED,
        )
        for i in range(1, members + 1)
    ]
    return NetworkOverview(network=network, memberships=memberships)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_start_modal(language: str) -> None:
    modal = start_network_modal(
        Texts(language),
        context=ChannelModalContext(channel_id="C1", language=language),
        channel_name="jeugdhulp",
        default_timezone="Europe/Brussels",
    )
    assert_matches_snapshot(f"start_modal_{language}", modal.to_dict())


def test_start_modal_offers_a_default_time_zone_outside_the_common_list() -> None:
    modal = start_network_modal(
        Texts("nl"), context=ChannelModalContext("C1", "nl"), channel_name="x", default_timezone="Asia/Tokyo"
    ).to_dict()
    zone = next(b for b in modal["blocks"] if b.get("block_id") == "start_timezone")["element"]
    assert zone["initial_option"]["value"] == "Asia/Tokyo"


def test_start_modal_context_round_trips_through_private_metadata() -> None:
    context = ChannelModalContext(channel_id="C9", language="en")
    assert ChannelModalContext.decode(context.encode()) == context


@pytest.mark.parametrize("language", ["nl", "en"])
def test_welcome(language: str) -> None:
    message = welcome_message(Texts(language), overview())
    assert_matches_snapshot(f"welcome_{language}", message_dict(message))


def test_welcome_shows_user_text_literally() -> None:
    message = welcome_message(Texts("nl"), overview(name="<!channel> *netwerk*", goal="<@U2> & <!here>"))
    rendered = " ".join(block_texts(message.blocks_as_dicts(), mrkdwn_only=True)) + message.text
    assert "<!channel>" not in rendered and "<!here>" not in rendered and "<@U2>" not in rendered
    assert "&lt;@U2&gt; &amp; &lt;!here&gt;" in rendered


def test_welcome_without_a_goal_leaves_the_goal_out() -> None:
    message = welcome_message(Texts("nl"), overview(goal=""))
    assert "Thema" not in str(message.blocks_as_dicts())


@pytest.mark.parametrize("language", ["nl", "en"])
def test_help(language: str) -> None:
    linked = help_message(Texts(language), network_name="Jeugdhulp")
    unknown = help_message(Texts(language), network_name=None, unknown_word="fietsen")
    assert_matches_snapshot(
        f"help_{language}",
        {"linked": linked.blocks_as_dicts(), "unknown": unknown.blocks_as_dicts(), "text": linked.text},
    )


def test_help_echoes_an_unknown_word_harmlessly() -> None:
    message = help_message(Texts("en"), network_name=None, unknown_word="<!channel>`x`" + "y" * 100)
    first = message.blocks_as_dicts()[0]["text"]["text"]
    assert "<!channel>" not in first and len(first) < 200


def test_already_linked_names_the_network_and_its_facilitators() -> None:
    message = already_linked_message(Texts("en"), overview())
    assert "Lerend netwerk jeugdhulp" in message.text and "<@U1>" in message.text
