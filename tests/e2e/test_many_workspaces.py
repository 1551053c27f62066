"""Two workspaces, one bot: each network is served with its own workspace's token, in its own channel,
and never sees the other's; a workspace that removes the bot falls silent until it installs it again.

The networks start on Monday 14 September 2026; by the default schedule their first check-in poll
falls on Monday 21 September at 10:00 in Brussels, the next on 5 October.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

import pytest

from bot import jobs
from bot.clock import ManualClock
from bot.demo.harness import LocalBot
from bot.sandbox.driver import SlackDriver
from bot.sandbox.emulator import SlackEmulator
from bot.services.outbox import EffectKind
from bot.services.outbox import Outbox
from bot.status import format_status
from bot.status import read_status
from bot.workspace import WORKSPACE_NOT_INSTALLED
from storage.db import unit_of_work
from storage.models import Network
from storage.models import OutboxItem
from storage.models import OutboxStatus
from storage.models import SlackInstallation
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import PARTICIPANTS
from tests.e2e.conftest import START_FORM
from tests.e2e.conftest import stored
from tests.e2e.conftest import stored_sessions
from tests.e2e.test_cases import CASE_FORM
from tests.e2e.test_checkins import polls_in_channel
from tests.e2e.timed import run_as_leader
from tests.factories import form_values
from tests.factories import make_network

SECOND_TEAM = "T0TWEEDE"
SECOND_CHANNEL = "C0TWEEDE"
SECOND_FACILITATOR = "U2ANNA"
SECOND_PARTICIPANTS = ("U2BART", "U2CHRIS")
SECOND_COFFEE_CORNER = "C2KOFFIE"
FIRST_NAME = "Lerend netwerk jeugdhulp"
SECOND_NAME = "Lerend netwerk onderwijs"
FIRST_RUN = datetime(2026, 9, 21, 8, 0, tzinfo=UTC)
SECOND_RUN = datetime(2026, 10, 5, 8, 0, tzinfo=UTC)


@pytest.fixture
def bot(emulator: SlackEmulator, database_url: str, clock: ManualClock) -> Iterator[LocalBot]:
    """The bot installed in the sandbox's own workspace and in a second one; the tests run its timed jobs."""
    emulator.add_workspace(SECOND_TEAM, "Tweede Organisatie")
    for user_id, name in zip(
        (SECOND_FACILITATOR, *SECOND_PARTICIPANTS), ("anna", "bart", "chris"), strict=True
    ):
        emulator.add_user(user_id, name, locale="en-GB" if name == "chris" else "nl-BE", team_id=SECOND_TEAM)
    emulator.add_channel(
        SECOND_COFFEE_CORNER, "koffie", members=[SECOND_PARTICIPANTS[1]], team_id=SECOND_TEAM
    )
    emulator.add_channel(
        SECOND_CHANNEL,
        "lerend-netwerk-onderwijs",
        members=[SECOND_FACILITATOR, *SECOND_PARTICIPANTS],
        team_id=SECOND_TEAM,
    )
    with LocalBot(
        emulator, database_url=database_url, clock=clock, start_scheduler=False, many_workspaces=True
    ) as local_bot:
        assert local_bot.install(emulator.team_id, FACILITATOR).status == 200
        assert local_bot.install(SECOND_TEAM, SECOND_FACILITATOR).status == 200
        emulator.reset_calls()
        yield local_bot


def second(bot: LocalBot) -> SlackDriver:
    assert bot.driver is not None
    return bot.driver.for_team(SECOND_TEAM)


def in_both(bot: LocalBot, work: Any) -> None:
    """Do the same in each workspace: `work(bot, driver, facilitator, participant, channel, name)`."""
    assert bot.driver is not None
    work(bot, bot.driver, FACILITATOR, PARTICIPANTS[0], NETWORK_CHANNEL, FIRST_NAME)
    work(bot, second(bot), SECOND_FACILITATOR, SECOND_PARTICIPANTS[0], SECOND_CHANNEL, SECOND_NAME)


def start_network(
    bot: LocalBot, driver: SlackDriver, facilitator: str, _participant: str, channel: str, name: str
) -> None:
    driver.slash_command("start", user_id=facilitator, channel_id=channel)
    bot.settle()
    driver.submit_view(facilitator, form_values({**START_FORM, "start_name": name}))
    bot.settle()


def bring_case(
    bot: LocalBot, driver: SlackDriver, _facilitator: str, participant: str, channel: str, name: str
) -> None:
    driver.slash_command("", command="/case", user_id=participant, channel_id=channel)
    bot.settle()
    driver.submit_view(participant, form_values({**CASE_FORM, "case_title": f"Casus van {name}"}))
    bot.settle()


def sweep_at(bot: LocalBot, clock: ManualClock, moment: datetime) -> None:
    """The leader's timed jobs at `moment`: polls that are due are posted, and get their scale."""
    clock.set(moment)
    run_as_leader(bot, jobs.sweep, jobs.add_missing_scales)
    bot.settle()


def channel_of(call: Any) -> str:
    return str(call.args.get("channel") or call.args.get("channel_id") or "")


def assert_each_workspace_kept_to_itself(emulator: SlackEmulator) -> None:
    """Every call carried the token of the workspace it reached into, and none was refused for it."""
    teams = {NETWORK_CHANNEL: emulator.team_id, SECOND_CHANNEL: SECOND_TEAM}
    for call in emulator.calls:
        if call.method == "response_url":
            continue
        assert call.response.get("error") not in ("channel_not_found", "invalid_auth", "token_revoked"), call
        if channel_of(call) in teams:
            assert call.team_id == teams[channel_of(call)], call
    texts = {channel: str(emulator.messages(channel)) for channel in teams}
    assert SECOND_NAME not in texts[NETWORK_CHANNEL] and FIRST_NAME not in texts[SECOND_CHANNEL]


def test_two_workspaces_start_networks_bring_cases_and_get_their_polls_each_with_their_own_token(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    in_both(bot, start_network)
    in_both(bot, bring_case)
    items = stored(bot, OutboxItem)
    assert items and all(item.status == OutboxStatus.DONE for item in items)
    # Each request's effects were recorded with its workspace, and carried out with that workspace's token.
    assert {item.team_id for item in items} == {emulator.team_id, SECOND_TEAM}
    sweep_at(bot, clock, FIRST_RUN)

    networks = {network.team_id: network.channel_id for network in stored(bot, Network)}
    assert networks == {emulator.team_id: NETWORK_CHANNEL, SECOND_TEAM: SECOND_CHANNEL}
    assert (
        len(polls_in_channel(emulator, NETWORK_CHANNEL)) == 1
        and len(polls_in_channel(emulator, SECOND_CHANNEL)) == 1
    )
    assert "Casus van " + SECOND_NAME in str(emulator.messages(SECOND_CHANNEL))
    posted_by = {(channel_of(c), c.team_id) for c in emulator.calls_to("chat.postMessage")}
    assert (SECOND_CHANNEL, SECOND_TEAM) in posted_by and (NETWORK_CHANNEL, emulator.team_id) in posted_by
    assert {c.team_id for c in emulator.calls_to("reactions.add")} == {emulator.team_id, SECOND_TEAM}
    assert_each_workspace_kept_to_itself(emulator)


def test_a_workspace_that_removes_the_bot_falls_silent_and_comes_back_when_it_installs_it_again(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    in_both(bot, start_network)
    emulator.uninstall(SECOND_TEAM)
    second(bot).event({"type": "app_uninstalled"})
    bot.settle()
    assert [installation.team_id for installation in stored(bot, SlackInstallation)] == [emulator.team_id]

    emulator.reset_calls()
    sweep_at(bot, clock, FIRST_RUN)
    assert (
        len(polls_in_channel(emulator, NETWORK_CHANNEL)) == 1
        and polls_in_channel(emulator, SECOND_CHANNEL) == []
    )
    assert SECOND_TEAM not in {call.team_id for call in emulator.calls}
    assert all(call.response.get("error") != "token_revoked" for call in emulator.calls)

    assert bot.install(SECOND_TEAM, SECOND_FACILITATOR).status == 200
    sweep_at(bot, clock, SECOND_RUN)
    assert len(polls_in_channel(emulator, SECOND_CHANNEL)) == 1
    assert_each_workspace_kept_to_itself(emulator)


def test_a_removal_worked_after_the_workspace_installed_the_bot_again_keeps_the_new_installation(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    # Slack's event of the removal is worked late (a backlog, a process that died before it), when the
    # workspace has installed the bot again since: that event is about the installation before.
    in_both(bot, start_network)
    emulator.uninstall(SECOND_TEAM)
    clock.set(datetime.now(UTC) + timedelta(hours=1))
    assert bot.install(SECOND_TEAM, SECOND_FACILITATOR).status == 200

    second(bot).event({"type": "app_uninstalled"})
    second(bot).event({"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["U0BOT1"]}})
    bot.settle()

    assert {i.team_id for i in stored(bot, SlackInstallation)} == {emulator.team_id, SECOND_TEAM}


def test_an_effect_for_a_workspace_without_installation_fails_for_good_with_its_reason(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    in_both(bot, start_network)
    assert bot.runtime is not None
    second(bot).event({"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["U0BOT1"]}})
    bot.settle()
    assert [installation.team_id for installation in stored(bot, SlackInstallation)] == [emulator.team_id]
    [second_network] = [n for n in stored(bot, Network) if n.team_id == SECOND_TEAM]
    emulator.reset_calls()
    # A timed job's effect, as the summary or the thermometer record them: no request's workspace at hand.
    with stored_sessions(bot) as sessions, unit_of_work(sessions) as session:
        Outbox(clock=clock, process_id=bot.runtime.processes.process_id).record(
            session, EffectKind.CHARTER_REFRESH, network_id=second_network.id
        )
    clock.advance(timedelta(minutes=1))
    bot.runtime.publisher.carry_out_due()
    [item] = [
        item
        for item in stored(bot, OutboxItem)
        if item.team_id == SECOND_TEAM and item.kind == "charter.refresh" and item.status != OutboxStatus.DONE
    ]
    assert (item.status, item.reason) == (OutboxStatus.FAILED, WORKSPACE_NOT_INSTALLED)
    assert emulator.calls == []
    status = format_status(read_status(bot.runtime.engine, clock))
    assert "installed in workspaces: 1" in status
    assert (
        f"#{item.id} charter.refresh" in status
        and f"workspace_not_installed (workspace {SECOND_TEAM})" in status
    )


def test_a_person_is_answered_in_their_language_as_their_own_workspace_knows_it(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    english_speaker = SECOND_PARTICIPANTS[1]
    second(bot).slash_command("help", user_id=english_speaker, channel_id=SECOND_COFFEE_CORNER)
    bot.settle()
    [answer] = emulator.ephemerals(user_id=english_speaker)
    assert "what I can do" in answer["text"]
    assert [(c.args.get("user"), c.team_id) for c in emulator.calls_to("users.info")] == [
        (english_speaker, SECOND_TEAM)
    ]


def test_a_revoked_user_token_leaves_the_bot_installed(bot: LocalBot) -> None:
    second(bot).event({"type": "tokens_revoked", "tokens": {"oauth": ["U2ANNA"], "bot": []}})
    bot.settle()
    assert len(stored(bot, SlackInstallation)) == 2


def test_a_channel_shared_with_another_organisation_gets_its_polls_with_its_own_networks_token(
    bot: LocalBot, emulator: SlackEmulator, clock: ManualClock
) -> None:
    # A Slack Connect channel has one id in both organisations: the second one ran a network of its own
    # in it before (archived since), and its bot is there too. The first one's polls are its own.
    with stored_sessions(bot) as sessions:
        earlier = make_network(sessions, clock=clock, team_id=SECOND_TEAM, channel_id=NETWORK_CHANNEL)
        with unit_of_work(sessions) as session:
            network = session.get(Network, earlier)
            assert network is not None
            network.archived_at = clock.now()
            session.add(network)
    assert bot.driver is not None
    start_network(bot, bot.driver, FACILITATOR, PARTICIPANTS[0], NETWORK_CHANNEL, FIRST_NAME)
    emulator.reset_calls()

    sweep_at(bot, clock, FIRST_RUN)

    assert len(polls_in_channel(emulator, NETWORK_CHANNEL)) == 1
    assert {call.team_id for call in emulator.calls_to("chat.postMessage")} == {emulator.team_id}
    assert {call.team_id for call in emulator.calls_to("reactions.add")} == {emulator.team_id}
