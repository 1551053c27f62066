"""Who may do what: every `/netwerk` subcommand and `/case` for five kinds of caller (issue 8, item 4).

Each row says what the caller should get: the effect ("allowed"), a private refusal in their language with
nothing changed ("refused"), or the answer that this channel is not linked ("not linked", another workspace).
The matrix runs on SQLite only (one shared arrangement); buttons are not in it yet.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.clock import ManualClock
from bot.sandbox.emulator import SlackEmulator
from bot.sandbox.harness import LocalBot
from bot.services.export import export_network
from storage.db import session_factory
from tests.e2e.conftest import FACILITATOR, NETWORK_CHANNEL, OUTSIDER, PARTICIPANTS, start_network

EXPERT = "U0GAST"
OTHER_TEAM = "T0ANDERBEDRIJF"

ALLOWED, REFUSED, NOT_LINKED = "allowed", "refused", "not linked"
NOT_A_MEMBER = "Je bent geen lid van het lerend netwerk in dit kanaal."
NOT_A_FACILITATOR = "Dat kan alleen een trekker van dit netwerk."
CHANNEL_NOT_LINKED = (
    "Dit kanaal is nog niet gekoppeld aan een lerend netwerk. Start er een met `/netwerk start`."
)
REFUSALS = {NOT_A_MEMBER, NOT_A_FACILITATOR}

CALLERS = ("facilitator", "participant", "expert", "channel member", "other workspace")
USER_OF = {
    "facilitator": FACILITATOR,
    "participant": PARTICIPANTS[0],
    "expert": EXPERT,
    "channel member": OUTSIDER,
    "other workspace": FACILITATOR,
}

ACTIONS: tuple[tuple[str, str], ...] = (
    ("intro", "/netwerk"),
    ("verwachtingen", "/netwerk"),
    ("verwachtingen kaart", "/netwerk"),
    ("afspraken", "/netwerk"),
    ("leden", "/netwerk"),
    (f"rol <@{PARTICIPANTS[1]}> deelnemer", "/netwerk"),
    ("peiling planning", "/netwerk"),
    ("sessie", "/netwerk"),
    ("samenvatting", "/netwerk"),
    ("mijn-gegevens", "/netwerk"),
    ("vergeet-mij", "/netwerk"),
    ("help", "/netwerk"),
    ("", "/case"),
    ("lijst", "/case"),
)


@pytest.fixture
def arranged(
    emulator: SlackEmulator, sqlite_template: Path, tmp_path: Path, clock: ManualClock
) -> Iterator[LocalBot]:
    """One network on SQLite: the facilitator, two participants, a guest expert, and a channel member who
    joined without the bot hearing of it."""
    database = tmp_path / "netwerk.db"
    shutil.copyfile(sqlite_template, database)
    emulator.add_user(EXPERT, "gast", real_name="Gert Gast", locale="nl-BE")
    with LocalBot(emulator, database_url=f"sqlite:///{database}", clock=clock) as bot:
        start_network(bot)
        emulator.join(NETWORK_CHANNEL, EXPERT)
        bot.send_event(bot.driver.member_joined_channel(EXPERT, NETWORK_CHANNEL))
        bot.command(f"rol <@{EXPERT}> expert", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
        emulator.join(NETWORK_CHANNEL, OUTSIDER)
        yield bot


def observe(bot: LocalBot, emulator: SlackEmulator, text: str, command: str, caller: str) -> tuple[str, str]:
    """Run one command as `caller` and say which kind of outcome it had, and the caller's private answer."""
    user_id = USER_OF[caller]
    team_id = OTHER_TEAM if caller == "other workspace" else None
    sessions = session_factory(bot.runtime.engine)
    before = (
        len(emulator.messages(NETWORK_CHANNEL)),
        export_network(sessions=sessions, channel_id=NETWORK_CHANNEL),
    )
    answers_before = len(emulator.ephemerals(user_id=user_id))
    emulator.close_view(user_id, clear=True)
    response = bot.driver.slash_command(
        text, command=command, user_id=user_id, channel_id=NETWORK_CHANNEL, team_id=team_id
    )
    bot.settle()
    assert response.status == 200
    answers = [entry.get("text", "") for entry in emulator.ephemerals(user_id=user_id)[answers_before:]]
    after = (
        len(emulator.messages(NETWORK_CHANNEL)),
        export_network(sessions=sessions, channel_id=NETWORK_CHANNEL),
    )
    answer = answers[-1] if answers else ""
    if answer == CHANNEL_NOT_LINKED:
        kind = NOT_LINKED
    elif answer in REFUSALS:
        assert after == before, f"{caller} was refused {command} {text} but something changed"
        assert emulator.open_view(user_id) is None
        kind = REFUSED
    else:
        effect = answer or emulator.open_view(user_id) is not None or after[0] != before[0]
        assert effect, f"{caller} ran {command} {text} and nothing happened"
        kind = ALLOWED
    return kind, answer


MEMBERS = {"facilitator": ALLOWED, "participant": ALLOWED, "expert": ALLOWED, "channel member": REFUSED}
FACILITATORS = {**MEMBERS, "participant": REFUSED, "expert": REFUSED}
ANYONE = dict.fromkeys(CALLERS, ALLOWED)
WHO = {
    "intro": MEMBERS,
    "verwachtingen": MEMBERS,
    "verwachtingen kaart": MEMBERS,
    "afspraken": MEMBERS,
    "leden": MEMBERS,
    f"rol <@{PARTICIPANTS[1]}> deelnemer": FACILITATORS,
    "peiling planning": MEMBERS,
    "sessie": FACILITATORS,
    "samenvatting": MEMBERS,
    "mijn-gegevens": ANYONE,
    "vergeet-mij": ANYONE,
    "help": ANYONE,
    "": MEMBERS,
    "lijst": MEMBERS,
}
MATRIX: list[tuple[str, str, str]] = [
    (f"{command} {text}".strip(), caller, WHO[text].get(caller, NOT_LINKED))
    for text, command in ACTIONS
    for caller in CALLERS
]
# Rows the matrix found wrong and that are not fixed yet (each must still show the wrong outcome).
KNOWN_GAPS: set[tuple[str, str]] = set()


def test_every_command_for_every_kind_of_caller(arranged: LocalBot, emulator: SlackEmulator) -> None:
    wrong, still_open = [], []
    for (text, command), (action, caller, expected) in zip(
        [(t, c) for t, c in ACTIONS for _ in CALLERS], MATRIX, strict=True
    ):
        kind, answer = observe(arranged, emulator, text, command, caller)
        if (action, caller) in KNOWN_GAPS:
            still_open.append((action, caller, kind))
        elif kind != expected:
            wrong.append((action, caller, expected, kind, answer))
    assert wrong == []
    # When a known gap is closed, move it out of KNOWN_GAPS so that the matrix guards it.
    assert [kind for *_, kind in still_open] == [ALLOWED] * len(KNOWN_GAPS)


def test_a_refusal_names_its_reason(arranged: LocalBot, emulator: SlackEmulator) -> None:
    kind, answer = observe(arranged, emulator, "sessie", "/netwerk", "participant")
    assert (kind, answer) == (REFUSED, NOT_A_FACILITATOR)
