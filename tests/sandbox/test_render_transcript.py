"""The channel and modals as a person reads them: snapshots of the renderer's plain text."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient

from bot.sandbox.emulator import SlackEmulator
from bot.sandbox.render import mrkdwn_to_text
from bot.sandbox.render import render_channel
from bot.sandbox.render import render_view
from tests.sandbox.conftest import ANNA
from tests.sandbox.conftest import BEN
from tests.sandbox.conftest import GENERAL
from tests.sandbox.conftest import FakeClock
from tests.sandbox.conftest import input_block
from tests.sandbox.conftest import option

WELCOME_BLOCKS: list[dict[str, Any]] = [
    {"type": "header", "text": {"type": "plain_text", "text": "Welkom in het lerend netwerk"}},
    {
        "type": "section",
        "text": {
            "type": "mrkdwn",
            "text": "Hallo <@U0ANNA> en <@U0BEN|ben>! "
            "Zie <#C0GENERAL> en <https://example.org/gids|de gids>.\n"
            "Vragen &amp; ideeën: &lt;altijd welkom&gt;",
        },
    },
    {
        "type": "section",
        "fields": [
            {"type": "mrkdwn", "text": "*Wanneer*\nmaandag"},
            {"type": "mrkdwn", "text": "*Waar*\nonline"},
        ],
        "accessory": {
            "type": "button",
            "text": {"type": "plain_text", "text": "Agenda"},
            "action_id": "agenda",
            "url": "https://example.org/agenda",
        },
    },
    {"type": "divider"},
    {
        "type": "actions",
        "elements": [
            {"type": "button", "text": {"type": "plain_text", "text": "Ik doe mee"}, "action_id": "join"},
            {
                "type": "static_select",
                "action_id": "when",
                "placeholder": {"type": "plain_text", "text": "Kies een dag"},
                "options": [option("Maandag", "mon")],
            },
            {
                "type": "overflow",
                "action_id": "more",
                "options": [option("Later", "later")],
            },
        ],
    },
    {
        "type": "context",
        "elements": [
            {"type": "image", "image_url": "https://example.org/logo.png", "alt_text": "logo"},
            {"type": "mrkdwn", "text": "<!channel> kijk even"},
        ],
    },
    {"type": "image", "image_url": "https://example.org/groep.png", "alt_text": "groepsfoto"},
]

CHANNEL_SNAPSHOT = """\
#general
Netwerkbot (23:13):
  == Welkom in het lerend netwerk ==
  Hallo @Anna Peeters en @Ben Janssens! Zie #general en de gids (https://example.org/gids).
  Vragen & ideeën: <altijd welkom>
  *Wanneer*
  maandag
  *Waar*
  online  [ Agenda ↗ ]
  ────────────────────────
  [ Ik doe mee ]  [ Kies een dag ▾ ]  [ ⋯ ]
  · [image: logo] · @channel kijk even
  [image: groepsfoto]
  :tada: 2
    │ Anna Peeters (23:14): Dank je! :tada:
    │ Netwerkbot (23:15): Graag gedaan, @Anna Peeters
    │ Netwerkbot (23:15) (only visible to @Anna Peeters): Alleen jij ziet dit in de draad.
Netwerkbot (23:16) (only visible to @Ben Janssens): Je hebt je intro nog niet geschreven.
Netwerkbot (23:17, edited): Check-in om 11u
Netwerkbot (23:18):
  De export
  [file: Ledenlijst]
"""


@pytest.fixture
def busy_channel(client: WebClient, emulator: SlackEmulator, sandbox_clock: FakeClock) -> SlackEmulator:
    """A welcome card with a thread and reactions, ephemerals, an edit and a file."""
    welcome = client.chat_postMessage(channel=GENERAL, text="Welkom!", blocks=WELCOME_BLOCKS)["ts"]
    sandbox_clock.advance(60)
    emulator.add_message(GENERAL, ANNA, "Dank je! :tada:", thread_ts=welcome)
    sandbox_clock.advance(60)
    client.chat_postMessage(channel=GENERAL, text="Graag gedaan, <@U0ANNA>", thread_ts=welcome)
    client.chat_postEphemeral(
        channel=GENERAL, user=ANNA, text="Alleen jij ziet dit in de draad.", thread_ts=welcome
    )
    emulator.add_reaction(GENERAL, welcome, "tada", ANNA)
    emulator.add_reaction(GENERAL, welcome, "tada", BEN)
    sandbox_clock.advance(60)
    client.chat_postEphemeral(channel=GENERAL, user=BEN, text="Je hebt je intro nog niet geschreven.")
    sandbox_clock.advance(60)
    note = client.chat_postMessage(channel=GENERAL, text="Check-in om 10u")["ts"]
    client.chat_update(channel=GENERAL, ts=note, text="Check-in om 11u")
    sandbox_clock.advance(60)
    client.files_upload_v2(
        channel=GENERAL,
        content=b"a,b\n",
        filename="leden.csv",
        title="Ledenlijst",
        initial_comment="De export",
    )
    return emulator


def test_a_busy_channel_reads_as_people_see_it(busy_channel: SlackEmulator) -> None:
    assert render_channel(busy_channel, GENERAL, tz="Europe/Brussels") == CHANNEL_SNAPSHOT


def test_ephemerals_can_be_left_out(busy_channel: SlackEmulator) -> None:
    transcript = render_channel(busy_channel, GENERAL, include_ephemerals=False, tz="Europe/Brussels")
    assert "only visible" not in transcript
    assert transcript.count("\n") == CHANNEL_SNAPSHOT.count("\n") - 2


def test_a_dm_is_titled_with_the_person(client: WebClient, emulator: SlackEmulator) -> None:
    client.chat_postMessage(channel=ANNA, text="Hoi Anna")
    assert (
        render_channel(emulator, "D0ANNA")
        == "Direct message with @Anna Peeters\nNetwerkbot (22:13): Hoi Anna\n"
    )


@pytest.mark.parametrize(
    ("mrkdwn", "shown"),
    [
        ("<@U0ANNA>", "@Anna Peeters"),
        ("<@U0NOBODY|nobody>", "@nobody"),
        ("<#C0GENERAL|old-name>", "#general"),
        ("<!here> en <!everyone>", "@here en @everyone"),
        ("<!subteam^S0FACI|@facilitators>", "@facilitators"),
        ("<https://example.org>", "https://example.org"),
        ("<mailto:anna@example.org|anna@example.org>", "anna@example.org"),
        ("a &lt;b&gt; &amp;amp; c", "a <b> &amp; c"),
    ],
)
def test_mrkdwn_control_sequences_are_shown_as_people_see_them(
    emulator: SlackEmulator, mrkdwn: str, shown: str
) -> None:
    assert mrkdwn_to_text(mrkdwn, users=emulator.users, channels=emulator.channels) == shown


MODAL: dict[str, Any] = {
    "type": "modal",
    "callback_id": "network_start",
    "title": {"type": "plain_text", "text": "Netwerk starten"},
    "submit": {"type": "plain_text", "text": "Starten"},
    "close": {"type": "plain_text", "text": "Annuleren"},
    "blocks": [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": "Je start een netwerk in <#C0GENERAL|general>."},
        },
        {
            "type": "input",
            "block_id": "name",
            "label": {"type": "plain_text", "text": "Naam"},
            "hint": {"type": "plain_text", "text": "Hoogstens 80 tekens"},
            "element": {
                "type": "plain_text_input",
                "action_id": "value",
                "placeholder": {"type": "plain_text", "text": "Bv. Lerend netwerk jeugdhulp"},
            },
        },
        input_block(
            "goal",
            "Doel",
            {"type": "plain_text_input", "action_id": "value", "multiline": True},
            optional=True,
        ),
        input_block(
            "language",
            "Taal",
            {
                "type": "static_select",
                "action_id": "value",
                "initial_option": option("Nederlands", "nl"),
                "options": [
                    option("Nederlands", "nl"),
                    option("English", "en"),
                ],
            },
        ),
        input_block(
            "origin",
            "Ontstaan",
            {
                "type": "radio_buttons",
                "action_id": "value",
                "initial_option": {
                    "text": {"type": "plain_text", "text": "Georganiseerd"},
                    "value": "organised",
                },
                "options": [
                    option("Georganiseerd", "organised"),
                    option("Spontaan", "spontaneous"),
                ],
            },
        ),
        input_block(
            "start",
            "Eerste bijeenkomst",
            {"type": "datepicker", "action_id": "value", "initial_date": "2026-09-14"},
        ),
    ],
}

MODAL_SNAPSHOT = """\
Modal: Netwerk starten
────────────────────────
Je start een netwerk in #general.
Naam:
  plain_text_input: [ Bv. Lerend netwerk jeugdhulp ]
  hint: Hoogstens 80 tekens
Doel (optional):
  plain_text_input (multiline): [ ]
Taal:
  static_select: [ Nederlands ▾ ]
  options: Nederlands | English
Ontstaan:
  radio_buttons: (•) Georganiseerd  ( ) Spontaan
Eerste bijeenkomst:
  datepicker: [ 2026-09-14 ▾ ]
────────────────────────
[ Annuleren ]  [ Starten ]
"""


def test_a_modal_reads_with_its_inputs_and_buttons(client: WebClient, emulator: SlackEmulator) -> None:
    assert render_view(MODAL) == MODAL_SNAPSHOT
    opened = client.views_open(trigger_id=emulator.new_trigger_id(ANNA), view=MODAL)["view"]
    assert render_view(opened) == MODAL_SNAPSHOT


def test_the_app_home_has_no_buttons_row() -> None:
    home = {
        "type": "home",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "*Jouw netwerken*"}}],
    }
    assert render_view(home) == "App Home\n────────────────────────\n*Jouw netwerken*\n"
