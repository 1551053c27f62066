"""The installation and state stores on the bot's own database: tokens encrypted, states used once."""

from __future__ import annotations

import threading
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import Engine
from sqlalchemy import text

from bot.clock import ManualClock
from bot.installations import STATE_LIFETIME
from bot.installations import DatabaseInstallationStore
from bot.installations import DatabaseOAuthStateStore
from bot.installations import TokenCipher
from storage import queries_installations
from storage.db import session_factory
from tests.factories import MEMBER_IDS
from tests.factories import case_intake
from tests.factories import case_service
from tests.factories import make_network

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
KEY = Fernet.generate_key().decode()


def installation(team_id: str = "T0ONE", token: str = "xoxb-one-secret") -> Installation:
    return Installation(
        app_id="A0NETWERK",
        team_id=team_id,
        team_name="Team One",
        bot_token=token,
        bot_id="B0ONE",
        bot_user_id="U0BOTONE",
        bot_scopes=["chat:write", "commands"],
        user_id="U0INSTALLER",
    )


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOW)


@pytest.fixture
def store(engine: Engine, clock: ManualClock) -> DatabaseInstallationStore:
    return DatabaseInstallationStore(sessions=session_factory(engine), cipher=TokenCipher(KEY), clock=clock)


def test_a_saved_installation_is_found_with_its_token_and_the_column_holds_no_token(
    store: DatabaseInstallationStore, engine: Engine
) -> None:
    store.save(installation())
    bot = store.find_bot(enterprise_id=None, team_id="T0ONE")
    assert bot is not None
    assert (bot.bot_token, bot.bot_user_id, bot.bot_id) == ("xoxb-one-secret", "U0BOTONE", "B0ONE")
    assert bot.bot_scopes == ["chat:write", "commands"]
    with engine.connect() as connection:
        raw = connection.execute(text("SELECT bot_token_encrypted FROM slack_installation")).scalar_one()
    assert "xoxb" not in raw and "secret" not in raw
    assert Fernet(KEY.encode()).decrypt(raw.encode()) == b"xoxb-one-secret"


def test_workspaces_never_see_each_others_token(store: DatabaseInstallationStore) -> None:
    store.save(installation("T0ONE", "xoxb-one"))
    store.save(installation("T0TWO", "xoxb-two"))
    assert store.find_bot(enterprise_id=None, team_id="T0TWO").bot_token == "xoxb-two"  # type: ignore[union-attr]
    assert store.find_bot(enterprise_id=None, team_id="T0THREE") is None
    assert store.find_bot(enterprise_id=None, team_id=None) is None


def test_a_reinstall_replaces_the_token_and_an_uninstall_forgets_it(store: DatabaseInstallationStore) -> None:
    store.save(installation(token="xoxb-old"))
    store.save(installation(token="xoxb-new"))
    assert store.find_bot(enterprise_id=None, team_id="T0ONE").bot_token == "xoxb-new"  # type: ignore[union-attr]
    store.delete_installation(enterprise_id=None, team_id="T0ONE")
    assert store.find_bot(enterprise_id=None, team_id="T0ONE") is None
    assert store.find_installation(enterprise_id=None, team_id="T0ONE") is None


def test_a_token_under_another_key_is_no_token(engine: Engine, clock: ManualClock) -> None:
    sessions = session_factory(engine)
    DatabaseInstallationStore(sessions=sessions, cipher=TokenCipher(KEY), clock=clock).save(installation())
    other_key = TokenCipher(Fernet.generate_key().decode())
    assert (
        DatabaseInstallationStore(sessions=sessions, cipher=other_key, clock=clock).find_bot(
            enterprise_id=None, team_id="T0ONE"
        )
        is None
    )


def test_a_state_is_good_once_and_only_in_time(engine: Engine, clock: ManualClock) -> None:
    states = DatabaseOAuthStateStore(sessions=session_factory(engine), clock=clock)
    first, second = states.issue(), states.issue()
    assert first != second
    assert states.consume(first)
    assert not states.consume(first)
    assert not states.consume("made-up")
    assert not states.consume("")
    clock.set(NOW + STATE_LIFETIME + timedelta(seconds=1))
    assert not states.consume(second)


def test_two_redirects_racing_for_one_state_cannot_both_have_it(engine: Engine, clock: ManualClock) -> None:
    states = DatabaseOAuthStateStore(sessions=session_factory(engine), clock=clock)
    state = states.issue()
    won: list[bool] = []
    threads = [threading.Thread(target=lambda: won.append(states.consume(state))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(won) == [False, False, False, True]


def test_a_timed_jobs_effect_belongs_to_the_workspace_of_the_network_it_names(
    engine: Engine, clock: ManualClock
) -> None:
    sessions = session_factory(engine)
    first = make_network(sessions, clock=clock, team_id="T0ONE", channel_id="C0ONE")
    make_network(sessions, clock=clock, team_id="T0TWO", channel_id="C0TWO")
    cases = case_service(sessions, clock)
    case = cases.bring(team_id="T0TWO", channel_id="C0TWO", owner_id=MEMBER_IDS[0], intake=case_intake())
    with sessions() as session:

        def team(**payload: object) -> str | None:
            return queries_installations.team_of_effect(session=session, payload=payload)

        assert team(network_id=first) == "T0ONE"
        assert team(case_id=case.case_id, requester={"user_id": "U1"}) == "T0TWO"
        assert team(channel_id="C0TWO", ts="1.2") == "T0TWO"
        assert team(network_id=999) is None and team(case_id=999) is None
        assert team(requester={"user_id": "U1"}) is None
