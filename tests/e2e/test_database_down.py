"""The database goes away while people use the bot, and comes back.

The bot reaches PostgreSQL through a TCP proxy the test cuts (every connection closed, new ones
refused) and restores; on SQLite the directory of the database file goes away and comes back. For each
part of the bot the same things must hold: Slack still gets its 200 in time, the person is told in their
language to try again, the failed action left nothing half-written, /healthz says 503 while the database
is gone and 200 again after, and the very same action succeeds once the database is back, without
restarting the bot.
"""

from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.request
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from typing import Protocol

import pytest
from sqlalchemy import Engine
from sqlalchemy import select
from sqlalchemy.engine import make_url

from bot.clock import ManualClock
from bot.demo.harness import LocalBot
from bot.sandbox.driver import ACK_DEADLINE_SECONDS
from bot.sandbox.driver import DriverResponse
from bot.sandbox.emulator import SlackEmulator
from bot.views.ids import AgreementsBlocks
from bot.views.ids import CaseActions
from bot.views.ids import CaseAdviceBlocks
from bot.views.ids import CaseIntakeBlocks
from bot.views.ids import CheckinActions
from bot.views.ids import CheckinAnswerBlocks
from bot.views.ids import ExpectationsBlocks
from bot.views.ids import IntroBlocks
from bot.views.ids_privacy import PrivacyActions
from storage.db import create_db_engine
from storage.models import metadata
from tests.e2e.conftest import ENGLISH_SPEAKER
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import PARTICIPANTS
from tests.e2e.conftest import START_FORM
from tests.e2e.conftest import start_network
from tests.e2e.test_checkins import POLL_HEADER
from tests.factories import CASE_FORM
from tests.factories import form_values
from tests.tcp_proxy import TcpProxy

TRY_AGAIN = {
    "nl": "Er ging iets mis aan onze kant. Probeer het zo dadelijk opnieuw.",
    "en": "Something went wrong on our side. Please try again in a moment.",
}
OWNER, ADVISER = PARTICIPANTS

ORGANISATION = "CAW Oost-Vlaanderen"
ADVICE = "Bel ze op voorhand even op."
AGREEMENTS = "Vertrouwelijk\nOp tijd komen"
INTRO = {
    IntroBlocks.JOB_ROLE: "Gezinscoach",
    IntroBlocks.ORGANISATION: ORGANISATION,
    IntroBlocks.GIVES: "Tien jaar huisbezoeken",
    IntroBlocks.WANTS: "Omgaan met agressie",
}
EXPECTATIONS = {ExpectationsBlocks.TEXT: "Leren van elkaar", ExpectationsBlocks.GOAL_1: "Grenzen stellen"}


class Outage(Protocol):
    def cut(self) -> None: ...

    def restore(self) -> None: ...


class SqliteFileGone:
    """SQLite's stand-in for a database host going away: the directory of its file is moved away.

    A process keeps reading a file it has open even after it moved, so the bot's idle connections are
    closed first, as a pool does after an error; from then on every new one fails to open the file.
    """

    def __init__(self, directory: Path, engine: Engine) -> None:
        self._directory = directory
        self._away = directory.with_name(directory.name + "-away")
        self._engine = engine

    def cut(self) -> None:
        self._engine.dispose()
        self._directory.rename(self._away)

    def restore(self) -> None:
        self._away.rename(self._directory)


@dataclass
class Setting:
    bot: LocalBot
    outage: Outage
    direct: Engine
    """The database as the test sees it, past the outage: for snapshots."""


@pytest.fixture
def setting(
    emulator: SlackEmulator, database_url: str, clock: ManualClock, tmp_path: Path
) -> Iterator[Setting]:
    if database_url.startswith("sqlite"):
        directory = tmp_path / "database"
        directory.mkdir()
        shutil.copyfile(make_url(database_url).database or "", directory / "netwerk.db")
        url = f"sqlite:///{directory / 'netwerk.db'}"
        with LocalBot(emulator, database_url=url, clock=clock) as bot:
            assert bot.runtime is not None
            direct = create_db_engine(url)
            yield Setting(bot, SqliteFileGone(directory, bot.runtime.engine), direct)
            direct.dispose()
        return
    target = make_url(database_url)
    with TcpProxy(target.host or "127.0.0.1", target.port or 5432) as proxy:
        through_proxy = target.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        with LocalBot(emulator, database_url=through_proxy, clock=clock) as bot:
            direct = create_db_engine(database_url)
            yield Setting(bot, proxy, direct)
            direct.dispose()


def rows(engine: Engine) -> dict[str, list[str]]:
    """Every row of every table, in an order that does not depend on how the database returns them."""
    with engine.connect() as connection:
        return {
            table.name: sorted(repr(tuple(row)) for row in connection.execute(select(table)))
            for table in metadata.sorted_tables
        }


def health(bot: LocalBot) -> int:
    try:
        with urllib.request.urlopen(bot.url + "/healthz", timeout=5) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def all_text(node: Any) -> str:
    return json.dumps(node, ensure_ascii=False)


def press(bot: LocalBot, user_id: str, action_id: str, message: dict[str, Any]) -> DriverResponse:
    assert bot.driver is not None
    response = bot.driver.block_action(
        user_id=user_id, action_id=action_id, channel_id=message["channel"], message_ts=message["ts"]
    )
    bot.settle()
    return response


def channel_messages(emulator: SlackEmulator, needle: str) -> list[dict[str, Any]]:
    return [m for m in emulator.messages(NETWORK_CHANNEL) if needle in all_text(m)]


def the_poll(emulator: SlackEmulator) -> dict[str, Any]:
    [poll] = channel_messages(emulator, POLL_HEADER)
    return {**poll, "channel": NETWORK_CHANNEL}


def the_card(emulator: SlackEmulator) -> dict[str, Any]:
    [card] = channel_messages(emulator, CASE_FORM[CaseIntakeBlocks.TITLE])
    return {**card, "channel": NETWORK_CHANNEL}


def confirmation(emulator: SlackEmulator, user_id: str, action_id: str) -> dict[str, Any]:
    """The private message with the button that confirms, as the person still sees it."""
    [asked] = [entry for entry in emulator.ephemerals(user_id=user_id) if action_id in all_text(entry)]
    return {**asked, "channel": NETWORK_CHANNEL}


# ---------------------------------------------------------------------- the parts of the bot


@dataclass(frozen=True)
class Part:
    """One action of one part of the bot: made ready while the database is up, done while it is down.

    `act` sends what Slack sends for the action; `done` tells whether it took effect.
    """

    user_id: str
    prepare: Callable[[LocalBot, SlackEmulator], None]
    act: Callable[[LocalBot, SlackEmulator], list[DriverResponse]]
    done: Callable[[LocalBot, SlackEmulator], bool]


def nothing(bot: LocalBot, emulator: SlackEmulator) -> None:
    pass


def opened(text: str, user_id: str, slash: str = "/netwerk") -> Callable[[LocalBot, SlackEmulator], None]:
    """Run a command that opens a modal (or asks to confirm), while the database is still up."""

    def prepare(bot: LocalBot, emulator: SlackEmulator) -> None:
        bot.command(text, command=slash, user_id=user_id, channel_id=NETWORK_CHANNEL)

    return prepare


def command(text: str, user_id: str) -> Callable[[LocalBot, SlackEmulator], list[DriverResponse]]:
    def send(bot: LocalBot, emulator: SlackEmulator) -> list[DriverResponse]:
        return [bot.command(text, user_id=user_id, channel_id=NETWORK_CHANNEL)]

    return send


def submit(user_id: str, values: dict[str, Any]) -> Callable[[LocalBot, SlackEmulator], list[DriverResponse]]:
    """Submit the open modal; one answered with errors stays open, so doing it again is submitting again."""

    def send(bot: LocalBot, emulator: SlackEmulator) -> list[DriverResponse]:
        return [bot.submit_view(user_id, form_values(values))]

    return send


def reopened(opening: str, user_id: str, values: dict[str, Any]) -> Callable[..., list[DriverResponse]]:
    """Submit a modal that acknowledges before it writes, so it closed when the write failed: doing it
    again is opening it again and submitting."""

    def send(bot: LocalBot, emulator: SlackEmulator) -> list[DriverResponse]:
        if emulator.open_view(user_id) is None:
            bot.command(opening, user_id=user_id, channel_id=NETWORK_CHANNEL)
        return [bot.submit_view(user_id, form_values(values))]

    return send


def bring_case(bot: LocalBot, emulator: SlackEmulator) -> None:
    bot.command("", command="/case", user_id=OWNER, channel_id=NETWORK_CHANNEL)
    bot.submit_view(OWNER, form_values(CASE_FORM))


def press_advice(bot: LocalBot, emulator: SlackEmulator) -> list[DriverResponse]:
    return [press(bot, ADVISER, CaseActions.GIVE_ADVICE, the_card(emulator))]


def bring_case_and_press_advice(bot: LocalBot, emulator: SlackEmulator) -> None:
    bring_case(bot, emulator)
    press_advice(bot, emulator)


def post_poll(bot: LocalBot, emulator: SlackEmulator) -> None:
    bot.command("peiling", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)


def post_poll_and_press_write(bot: LocalBot, emulator: SlackEmulator) -> None:
    post_poll(bot, emulator)
    press(bot, OWNER, CheckinActions.WRITE_GOES_WELL, the_poll(emulator))


def react(bot: LocalBot, emulator: SlackEmulator) -> list[DriverResponse]:
    """A reaction on the poll; done again, it is the person removing and adding it once more."""
    assert bot.driver is not None
    ts = the_poll(emulator)["ts"]
    if any(
        r["name"] == "grinning" for r in (emulator.message(NETWORK_CHANNEL, ts) or {}).get("reactions", [])
    ):
        bot.send_event(bot.driver.reaction_removed(OWNER, "grinning", NETWORK_CHANNEL, ts))
    emulator.add_reaction(NETWORK_CHANNEL, ts, "grinning", OWNER)
    return [bot.send_event(bot.driver.reaction_added(OWNER, "grinning", NETWORK_CHANNEL, ts))]


def write_answer(bot: LocalBot, emulator: SlackEmulator) -> list[DriverResponse]:
    """The answer modal acknowledges before it writes: done again, the button opens it anew."""
    if emulator.open_view(OWNER) is None:
        press(bot, OWNER, CheckinActions.WRITE_GOES_WELL, the_poll(emulator))
    return [bot.submit_view(OWNER, form_values({CheckinAnswerBlocks.TEXT: "De sfeer is open"}))]


def open_home(bot: LocalBot, emulator: SlackEmulator) -> list[DriverResponse]:
    assert bot.driver is not None
    return [bot.send_event(bot.driver.app_home_opened(FACILITATOR))]


def confirm_forgetting(bot: LocalBot, emulator: SlackEmulator) -> list[DriverResponse]:
    return [press(bot, OWNER, PrivacyActions.FORGET, confirmation(emulator, OWNER, PrivacyActions.FORGET))]


def stored(table: str) -> Callable[[LocalBot, SlackEmulator], bool]:
    def check(bot: LocalBot, emulator: SlackEmulator) -> bool:
        assert bot.runtime is not None
        return bool(rows(bot.runtime.engine)[table])

    return check


def said_privately(user_id: str, needle: str) -> Callable[[LocalBot, SlackEmulator], bool]:
    def check(bot: LocalBot, emulator: SlackEmulator) -> bool:
        return any(needle in all_text(entry) for entry in emulator.ephemerals(user_id=user_id))

    return check


def posted(needle: str) -> Callable[[LocalBot, SlackEmulator], bool]:
    def check(bot: LocalBot, emulator: SlackEmulator) -> bool:
        return bool(channel_messages(emulator, needle))

    return check


def advice_in_thread(bot: LocalBot, emulator: SlackEmulator) -> bool:
    return ADVICE in all_text(emulator.replies(NETWORK_CHANNEL, the_card(emulator)["ts"]))


def advice_modal_open(bot: LocalBot, emulator: SlackEmulator) -> bool:
    return emulator.open_view(ADVISER) is not None


def network_on_home(bot: LocalBot, emulator: SlackEmulator) -> bool:
    return START_FORM["start_name"] in all_text(emulator.home_view(FACILITATOR))


def data_file_sent(bot: LocalBot, emulator: SlackEmulator) -> bool:
    return bool(emulator.files)


PARTS: dict[str, Part] = {
    "kickoff intro": Part(
        FACILITATOR, opened("intro", FACILITATOR), reopened("intro", FACILITATOR, INTRO), posted(ORGANISATION)
    ),
    "kickoff verwachtingen": Part(
        FACILITATOR,
        opened("verwachtingen", FACILITATOR),
        reopened("verwachtingen", FACILITATOR, EXPECTATIONS),
        stored("learning_goal"),
    ),
    "kickoff afspraken": Part(
        FACILITATOR,
        opened("afspraken", FACILITATOR),
        reopened("afspraken", FACILITATOR, {AgreementsBlocks.TEXT: AGREEMENTS}),
        posted("Op tijd komen"),
    ),
    "kickoff leden": Part(OWNER, nothing, command("leden", OWNER), said_privately(OWNER, "richtlijn")),
    "cases /case": Part(
        OWNER,
        opened("", OWNER, slash="/case"),
        submit(OWNER, CASE_FORM),
        posted(CASE_FORM[CaseIntakeBlocks.TITLE]),
    ),
    "cases advice button": Part(ADVISER, bring_case, press_advice, advice_modal_open),
    "cases advice modal": Part(
        ADVISER,
        bring_case_and_press_advice,
        submit(ADVISER, {CaseAdviceBlocks.ADVICE: ADVICE}),
        advice_in_thread,
    ),
    "check-ins peiling": Part(FACILITATOR, nothing, command("peiling", FACILITATOR), posted(POLL_HEADER)),
    "check-ins planning": Part(
        OWNER, nothing, command("peiling planning", OWNER), said_privately(OWNER, "maandag")
    ),
    "check-ins reaction": Part(OWNER, post_poll, react, stored("checkin_reaction")),
    "check-ins answer modal": Part(OWNER, post_poll_and_press_write, write_answer, stored("checkin_answer")),
    "summary samenvatting": Part(OWNER, nothing, command("samenvatting", OWNER), posted("richtlijn")),
    "app home": Part(FACILITATOR, nothing, open_home, network_on_home),
    "privacy mijn-gegevens": Part(OWNER, nothing, command("mijn-gegevens", OWNER), data_file_sent),
    "privacy vergeet-mij": Part(
        OWNER, opened("vergeet-mij", OWNER), confirm_forgetting, said_privately(OWNER, "gewist")
    ),
}


def told(emulator: SlackEmulator, user_id: str, responses: list[DriverResponse]) -> list[str]:
    """Everything the person was shown: private answers, errors on their open modal, their App Home."""
    shown = [str(entry.get("text") or "") for entry in emulator.ephemerals(user_id=user_id)]
    for response in responses:
        answer = response.json() or {}
        if isinstance(answer, dict) and answer.get("response_action") == "errors":
            shown.extend(answer["errors"].values())
    home = emulator.home_view(user_id)
    if home is not None:
        shown.append(all_text(home))
    return shown


@pytest.mark.parametrize("name", list(PARTS))
def test_an_action_while_the_database_is_gone_is_answered_and_undone_and_works_once_it_is_back(
    name: str, setting: Setting, emulator: SlackEmulator
) -> None:
    part, bot = PARTS[name], setting.bot
    start_network(bot)
    part.prepare(bot, emulator)
    before = rows(setting.direct)
    ephemerals_before = len(emulator.ephemerals(user_id=part.user_id))

    setting.outage.cut()
    responses = part.act(bot, emulator)
    assert health(bot) == 503
    setting.outage.restore()

    for response in responses:
        assert response.status == 200, (response.status, response.body)
        assert response.elapsed < ACK_DEADLINE_SECONDS, response.elapsed
    shown = told(emulator, part.user_id, responses)[ephemerals_before:]
    assert TRY_AGAIN["nl"] in "\n".join(shown), shown
    assert rows(setting.direct) == before, "the failed action left rows behind"
    assert not part.done(bot, emulator)

    assert health(bot) == 200
    for response in part.act(bot, emulator):
        assert response.status == 200
    assert part.done(bot, emulator), f"{name} did not work once the database was back"


def test_someone_whose_slack_speaks_english_is_told_in_english(
    setting: Setting, emulator: SlackEmulator
) -> None:
    bot = setting.bot
    assert bot.driver is not None
    start_network(bot)

    setting.outage.cut()
    asked = bot.command("mijn-gegevens", user_id=ENGLISH_SPEAKER, channel_id=NETWORK_CHANNEL)
    home = bot.send_event(bot.driver.app_home_opened(ENGLISH_SPEAKER))
    setting.outage.restore()

    assert [asked.status, home.status] == [200, 200]
    assert [entry["text"] for entry in emulator.ephemerals(user_id=ENGLISH_SPEAKER)] == [TRY_AGAIN["en"]]
    assert TRY_AGAIN["en"] in all_text(emulator.home_view(ENGLISH_SPEAKER))
