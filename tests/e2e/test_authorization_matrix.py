"""Who may do what: every `/netwerk` subcommand and `/case` for five kinds of caller (issue 8, item 4).

Each row says what the caller should get: the effect ("allowed"), a private refusal in their language with
nothing changed ("refused"), or the answer that this channel is not linked ("not linked", another workspace).
The read-only commands share one arrangement on SQLite; the commands that change something run on a fresh
copy for each caller they allow. Buttons and modal submissions are in test_authorization_buttons.py.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.clock import ManualClock
from bot.demo.harness import LocalBot
from bot.i18n import SUPPORTED_LANGUAGES
from bot.i18n import Texts
from bot.sandbox.driver import DriverResponse
from bot.sandbox.emulator import SlackEmulator
from bot.services.export import export_network
from bot.views.ids import HomeBlocks
from storage.db import session_factory
from storage.models import metadata
from tests.e2e.conftest import ENGLISH_SPEAKER
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import OUTSIDER
from tests.e2e.conftest import PARTICIPANTS
from tests.e2e.conftest import start_network

EXPERT = "U0GAST"
OTHER_TEAM = "T0ANDERBEDRIJF"

ALLOWED, REFUSED, NOT_LINKED = "allowed", "refused", "not linked"
# A private answer that changes nothing and refuses nothing (a confirmation to click, "already linked").
ANSWERED = "answered"
SILENT = "nothing visible"
NOT_A_MEMBER = "Je bent geen lid van het lerend netwerk in dit kanaal."
NOT_A_FACILITATOR = "Dat kan alleen een facilitator van dit netwerk."
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
    # Only for what a case's owner alone may do: a member who is none of the five above.
    "case owner": PARTICIPANTS[1],
    # Only for the sample in English: in the channel, not in the network, Slack locale en-GB.
    "english speaker": ENGLISH_SPEAKER,
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
    ("privacy", "/netwerk"),
    ("", "/case"),
    ("lijst", "/case"),
    ("werkvormen", "/netwerk"),
    ("lessen", "/netwerk"),
    ("traject", "/netwerk"),
    ("traject nieuw", "/netwerk"),
    ("agenda", "/netwerk"),
    ("agenda Grenzen stellen", "/netwerk"),
    ("kennismaking", "/netwerk"),
    ("kennismaking stop", "/netwerk"),
    ("pauze", "/netwerk"),
    ("pauze lijst", "/netwerk"),
    ("afsluiten", "/netwerk"),
)


def arrange_network(bot: LocalBot, **changes: str) -> None:
    """One network: the facilitator, two participants, a guest expert, and a channel member who joined
    without the bot hearing of it. `changes` override the start form by block id."""
    emulator = bot.emulator
    assert bot.driver is not None
    emulator.add_user(EXPERT, "gast", real_name="Gert Gast", locale="nl-BE")
    start_network(bot, **changes)
    emulator.join(NETWORK_CHANNEL, EXPERT)
    bot.send_event(bot.driver.member_joined_channel(EXPERT, NETWORK_CHANNEL))
    bot.command(f"rol <@{EXPERT}> expert", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    emulator.join(NETWORK_CHANNEL, OUTSIDER)


@pytest.fixture
def arranged(
    emulator: SlackEmulator, sqlite_template: Path, tmp_path: Path, clock: ManualClock
) -> Iterator[LocalBot]:
    database = tmp_path / "netwerk.db"
    shutil.copyfile(sqlite_template, database)
    with LocalBot(emulator, database_url=f"sqlite:///{database}", clock=clock) as bot:
        arrange_network(bot)
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
    "privacy": ANYONE,
    "": MEMBERS,
    "lijst": MEMBERS,
    "werkvormen": MEMBERS,
    "lessen": MEMBERS,
    # Every member reads the trajectory; only a facilitator plans it.
    "traject": MEMBERS,
    "traject nieuw": FACILITATORS,
    # Every member proposes for the agenda (here: told there is no next session yet).
    "agenda": MEMBERS,
    "agenda Grenzen stellen": MEMBERS,
    "kennismaking": FACILITATORS,
    "kennismaking stop": FACILITATORS,
    "pauze": FACILITATORS,
    "pauze lijst": FACILITATORS,
    # Only a facilitator starts the closing ritual (here: the confirmation modal opens).
    "afsluiten": FACILITATORS,
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


# ---------------------------------------------------------------------- any interaction, observed

# Web API calls that others can see or that change what Slack shows; an answer only the caller sees
# (chat.postEphemeral, response_url, their own App Home) is not among them.
VISIBLE_EFFECTS = frozenset(
    {
        "chat.postMessage",
        "chat.update",
        "chat.delete",
        "chat.scheduleMessage",
        "views.open",
        "views.update",
        "views.push",
        "files.completeUploadExternal",
        "reactions.add",
    }
)
NOT_LINKED_KEYS = ("error.channel_not_linked", "home.error.network_gone", "shortcuts.error.outside_network")
REFUSAL_KEYS = (
    "error.not_a_member",
    "error.not_a_facilitator",
    "cases.error.not_the_owner",
    "privacy.error.last_facilitator",
    "case_rounds.error.not_a_round_leader",
    # The safe group: who may not read a confidential case is told why.
    "safe.error.accept_agreements",
    "safe.error.no_agreements",
    "safe.error.not_in_network",
    "safe.error.not_invited",
    "journey.error.role_not_yours",
    "journey.error.not_a_picker",
    "shortcuts.error.consent_gone",
)
NETWORK_NAME = "Lerend netwerk jeugdhulp"


def catalog_texts(keys: tuple[str, ...]) -> frozenset[str]:
    """The texts of `keys` in every language, as the bot fills them in for this arrangement."""
    values = {"owner": PARTICIPANTS[1], "network": NETWORK_NAME}
    found = set()
    for language in SUPPORTED_LANGUAGES:
        texts = Texts(language)
        for key in keys:
            for version in (1, 2):  # the agreements' version a refusal names
                text = texts(key, **values, version=version)
                found |= {text, texts("home.notice.failed", text=text)}
    return frozenset(found)


NOT_LINKED_TEXTS = catalog_texts(NOT_LINKED_KEYS)
REFUSAL_TEXTS = catalog_texts(REFUSAL_KEYS)


def database_rows(bot: LocalBot) -> dict[str, list[str]]:
    """Every row of every table: what "nothing changed" is checked against."""
    assert bot.runtime is not None
    with bot.runtime.engine.connect() as connection:
        return {
            table.name: sorted(repr(tuple(row)) for row in connection.execute(select(table)))
            for table in metadata.sorted_tables
        }


def private_answers(emulator: SlackEmulator, user_id: str) -> list[tuple[str, str]]:
    """The ts and text of each ephemeral `user_id` is shown."""
    return [(entry["ts"], entry.get("text", "")) for entry in emulator.ephemerals(user_id=user_id)]


@dataclass(frozen=True)
class Seen:
    """What one interaction did: its kind of outcome, and what only the caller was told."""

    kind: str
    answers: tuple[str, ...]
    visible: tuple[str, ...]


def observe_interaction(bot: LocalBot, user_id: str, interact: Callable[[], DriverResponse]) -> Seen:
    """Run one interaction of `user_id` (a command, a click, a submission) and say what it did.

    "refused": only a private refusal (an ephemeral, a notice on their App Home, an error in the modal),
    and the database unchanged; "not linked" the same with the answer that there is no network here;
    "answered": a private answer that is no refusal, nothing changed; "silent": nothing at all; "allowed":
    a change in the database, or anything others see or that opens for the caller (a post, a modal).
    """
    emulator = bot.emulator
    rows_before = database_rows(bot)
    calls_before = len(emulator.calls)
    shown_before = set(private_answers(emulator, user_id))
    home_before = emulator.home_view(user_id)
    response = interact()
    bot.settle()
    assert response.status == 200, response.body
    # An answer may replace the message with the button (a confirmation becomes "done").
    answers = [text for ts, text in private_answers(emulator, user_id) if (ts, text) not in shown_before]
    home = emulator.home_view(user_id)
    if home is not None and home != home_before:
        answers += [
            block["text"]["text"] for block in home["blocks"] if block.get("block_id") == HomeBlocks.NOTICE
        ]
    answer = response.json()
    if isinstance(answer, dict) and answer.get("response_action") == "errors":
        answers += list(answer.get("errors", {}).values())
    visible = tuple(call.method for call in emulator.calls[calls_before:] if call.method in VISIBLE_EFFECTS)
    changed = database_rows(bot) != rows_before
    if changed or visible:
        kind = ALLOWED
    elif answers and all(text in NOT_LINKED_TEXTS for text in answers):
        kind = NOT_LINKED
    elif answers and all(text in REFUSAL_TEXTS | NOT_LINKED_TEXTS for text in answers):
        kind = REFUSED
    elif answers:
        kind = ANSWERED
    else:
        kind = SILENT
    return Seen(kind, tuple(answers), visible)


@contextmanager
def from_workspace(emulator: SlackEmulator, caller: str) -> Iterator[None]:
    """Requests sent inside carry the other workspace's team id when `caller` is from there."""
    own = emulator.team_id
    if caller == "other workspace":
        emulator.team_id = OTHER_TEAM
    try:
        yield
    finally:
        emulator.team_id = own


# ---------------------------------------------------------------------- fresh arrangements, and the runner

NEW_CHANNEL = "C0NIEUW"
Interact = Callable[[str], DriverResponse]
"""One interaction as the given user: a command, a click or a submission."""
Prepare = Callable[[LocalBot, ManualClock], Interact]
"""What an interaction needs first (a post with the button, an open modal), arranged on a fresh network."""


class Arrangements:
    """Fresh arrangements, each on its own copy of the arranged network's SQLite file and its own bot."""

    def __init__(self, emulator: SlackEmulator, template: Path, directory: Path, clock: ManualClock) -> None:
        self.emulator, self.template, self.directory, self.clock = emulator, template, directory, clock
        self.count = 0
        self.start = clock.now()
        self.arranged: dict[tuple[tuple[str, str], ...], Path] = {}
        self.first_members = emulator.channels[NETWORK_CHANNEL]["members"]
        emulator.add_channel(NEW_CHANNEL, "intervisie-nieuw", members=[FACILITATOR, *PARTICIPANTS, OUTSIDER])

    def _bot(self, database: Path) -> LocalBot:
        self.clock.set(self.start)
        self.emulator.reset_calls()
        # Who joined the channel in an earlier arrangement would be a member from the start in this one.
        for user_id in self.emulator.channels[NETWORK_CHANNEL]["members"]:
            if user_id not in self.first_members:
                self.emulator.leave(NETWORK_CHANNEL, user_id)
        return LocalBot(self.emulator, database_url=f"sqlite:///{database}", clock=self.clock)

    def _arranged_file(self, changes: dict[str, str]) -> Path:
        """The network arranged once (through the bot, as everywhere), its file kept to copy."""
        key = tuple(sorted(changes.items()))
        if key not in self.arranged:
            database = self.directory / f"arranged-{len(self.arranged)}.db"
            shutil.copyfile(self.template, database)
            with self._bot(database) as bot:
                arrange_network(bot, **changes)
                assert bot.runtime is not None
                with bot.runtime.engine.connect() as connection:
                    connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            self.arranged[key] = database
        return self.arranged[key]

    @contextmanager
    def network(self, **changes: str) -> Iterator[LocalBot]:
        arranged = self._arranged_file(changes)
        self.count += 1
        database = self.directory / f"arrangement-{self.count}.db"
        shutil.copyfile(arranged, database)
        with self._bot(database) as bot:
            for channel_id, user_id in (
                (NETWORK_CHANNEL, EXPERT),
                (NETWORK_CHANNEL, OUTSIDER),
                (NEW_CHANNEL, EXPERT),
            ):
                self.emulator.join(channel_id, user_id)
            yield bot


@pytest.fixture
def arrangements(
    emulator: SlackEmulator, sqlite_template: Path, tmp_path: Path, clock: ManualClock
) -> Arrangements:
    return Arrangements(emulator, sqlite_template, tmp_path, clock)


def observe_as(bot: LocalBot, caller: str, interact: Interact) -> Seen:
    user_id = USER_OF[caller]
    bot.emulator.close_view(user_id, clear=True)
    with from_workspace(bot.emulator, caller):
        return observe_interaction(bot, user_id, lambda: interact(user_id))


def run_rows(
    arrangements: Arrangements,
    prepare: Prepare,
    expected: dict[str, str],
    *,
    fresh_when_allowed: bool = True,
) -> dict[str, Seen]:
    """What each caller in `expected` saw. The callers expected to change nothing share one arrangement
    (each of them is checked to have changed nothing); each caller expected to be allowed gets a fresh
    one, unless `fresh_when_allowed` is off: then they come last on the shared one (for actions whose
    effect for one caller does not stand in the way of the next)."""
    seen: dict[str, Seen] = {}
    sharing = [c for c, kind in expected.items() if kind != ALLOWED or not fresh_when_allowed]
    # Another workspace's user has the facilitator's user id: what it is shown (its App Home) comes last.
    sharing.sort(key=lambda caller: (expected[caller] == ALLOWED, caller == "other workspace"))
    if sharing:
        with arrangements.network() as bot:
            interact = prepare(bot, arrangements.clock)
            for caller in sharing:
                seen[caller] = observe_as(bot, caller, interact)
    for caller in expected.keys() - set(sharing):
        with arrangements.network() as bot:
            seen[caller] = observe_as(bot, caller, prepare(bot, arrangements.clock))
    return seen


def mismatches(action: str, expected: dict[str, str], seen: dict[str, Seen]) -> list[tuple[str, ...]]:
    return [
        (action, caller, kind, seen[caller].kind, " | ".join(seen[caller].answers))
        for caller, kind in expected.items()
        if seen[caller].kind != kind
    ]


# ---------------------------------------------------------------------- commands that change something


def command(text: str, channel_id: str = NETWORK_CHANNEL, *, slash: str = "/netwerk") -> Prepare:
    def prepare(bot: LocalBot, clock: ManualClock) -> Interact:
        assert bot.driver is not None
        driver = bot.driver
        return lambda user_id: driver.slash_command(
            text, command=slash, user_id=user_id, channel_id=channel_id
        )

    return prepare


def close_the_open_poll(bot: LocalBot, clock: ManualClock) -> Interact:
    bot.command("peiling", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    return command("peiling sluiten")(bot, clock)


def close_the_open_thermometer(bot: LocalBot, clock: ManualClock) -> Interact:
    bot.command("thermometer", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    return command("thermometer sluiten")(bot, clock)


FACILITATOR_ACTS = {
    "facilitator": ALLOWED,
    "participant": REFUSED,
    "expert": REFUSED,
    "channel member": REFUSED,
    "other workspace": NOT_LINKED,
}
STATE_CHANGING_COMMANDS: dict[str, tuple[Prepare, dict[str, str]]] = {
    "/netwerk start (a linked channel)": (
        command("start"),
        {**dict.fromkeys(CALLERS, ANSWERED), "other workspace": ALLOWED},
    ),
    "/netwerk start (an unlinked channel)": (command("start", NEW_CHANNEL), dict.fromkeys(CALLERS, ALLOWED)),
    "/netwerk peiling": (command("peiling"), FACILITATOR_ACTS),
    "/netwerk peiling sluiten": (close_the_open_poll, FACILITATOR_ACTS),
    "/netwerk archiveer": (command("archiveer"), {**FACILITATOR_ACTS, "facilitator": ANSWERED}),
    "/netwerk thermometer": (command("thermometer"), FACILITATOR_ACTS),
    "/netwerk thermometer sluiten": (close_the_open_thermometer, FACILITATOR_ACTS),
}


def test_the_commands_that_change_something_for_every_kind_of_caller(arrangements: Arrangements) -> None:
    wrong = []
    for action, (prepare, expected) in STATE_CHANGING_COMMANDS.items():
        wrong += mismatches(action, expected, run_rows(arrangements, prepare, expected))
    assert wrong == []
