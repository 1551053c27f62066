"""Many workspaces: the install flow end to end through real HTTP, and what a workspace without one gets."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import text

from bot.clock import ManualClock
from bot.commands import SUBCOMMANDS
from bot.demo.harness import InstallBrowser
from bot.demo.harness import LocalBot
from bot.sandbox.emulator import SlackEmulator
from storage.models import SlackInstallation
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import stored
from tests.e2e.conftest import stored_sessions

OTHER_TEAM = "T0ANDERE"
OTHER_ADMIN = "U0ADMIN2"


@pytest.fixture
def oauth_bot(emulator: SlackEmulator, database_url: str, clock: ManualClock) -> Iterator[LocalBot]:
    emulator.add_workspace(OTHER_TEAM, "Andere Organisatie")
    with LocalBot(emulator, database_url=database_url, clock=clock, many_workspaces=True) as local_bot:
        emulator.reset_calls()
        yield local_bot


@pytest.fixture
def browser(oauth_bot: LocalBot) -> InstallBrowser:
    """A person's browser on the bot's install pages, keeping its cookies from page to page."""
    return InstallBrowser(oauth_bot.url)


def test_the_install_page_offers_add_to_slack_with_a_fresh_state(browser: InstallBrowser) -> None:
    page = browser.get("/slack/install")
    assert page.status == 200
    assert "slack.com/oauth/v2/authorize" in page.body and "client_id=1234567890.1234567890" in page.body
    assert "chat:write" in page.body and "state=" in page.body
    assert "slack-app-oauth-state=" in page.headers.get("Set-Cookie", "")


def test_an_install_stores_the_workspace_with_its_token_encrypted(
    oauth_bot: LocalBot, emulator: SlackEmulator
) -> None:
    answer = oauth_bot.install(OTHER_TEAM, OTHER_ADMIN)
    assert answer.status == 200
    assert "Andere Organisatie" in answer.body and "/netwerk start" in answer.body
    [installation] = stored(oauth_bot, SlackInstallation)
    [token] = emulator.bot_tokens_of(OTHER_TEAM)
    assert (installation.team_id, installation.installer_user_id) == (OTHER_TEAM, OTHER_ADMIN)
    assert installation.bot_user_id == "U0BOT1"
    with stored_sessions(oauth_bot) as sessions, sessions() as session:
        raw = session.execute(text("SELECT bot_token_encrypted FROM slack_installation")).scalar_one()
    assert token not in raw and "xoxb" not in raw
    assert [call.response.get("ok") for call in emulator.calls_to("oauth.v2.access")] == [True]


@pytest.mark.parametrize("state", ["forged-state", ""])
def test_a_redirect_with_a_bad_state_gets_a_clear_page_and_stores_nothing(
    oauth_bot: LocalBot, browser: InstallBrowser, emulator: SlackEmulator, state: str
) -> None:
    browser.open_install_page()
    answer = browser.redirect(code=emulator.grant_install(OTHER_TEAM, OTHER_ADMIN), state=state)
    assert answer.status in (400, 401)
    assert "link is verlopen" in answer.body and 'href="/slack/install"' in answer.body
    assert stored(oauth_bot, SlackInstallation) == []
    assert emulator.calls_to("oauth.v2.access") == []


def test_a_state_is_good_once_a_replayed_redirect_stores_nothing_more(
    oauth_bot: LocalBot, browser: InstallBrowser, emulator: SlackEmulator
) -> None:
    state = browser.open_install_page()
    assert browser.redirect(code=emulator.grant_install(OTHER_TEAM, OTHER_ADMIN), state=state).status == 200
    replay = browser.redirect(code=emulator.grant_install(OTHER_TEAM, "U0IEMAND"), state=state)
    assert replay.status in (400, 401)
    [installation] = stored(oauth_bot, SlackInstallation)
    assert installation.installer_user_id == OTHER_ADMIN


def test_a_state_from_another_browser_is_refused(
    oauth_bot: LocalBot, browser: InstallBrowser, emulator: SlackEmulator
) -> None:
    state = browser.open_install_page()
    answer = InstallBrowser(oauth_bot.url).redirect(
        code=emulator.grant_install(OTHER_TEAM, OTHER_ADMIN), state=state
    )
    assert answer.status == 400 and "andere browser" in answer.body
    assert stored(oauth_bot, SlackInstallation) == []


def code_expires(emulator: SlackEmulator, monkeypatch: pytest.MonkeyPatch) -> None:
    real_clock = emulator.clock
    monkeypatch.setattr(emulator, "clock", lambda: real_clock() + 11 * 60)  # Slack's ten minutes are over


def app_removed(emulator: SlackEmulator, monkeypatch: pytest.MonkeyPatch) -> None:
    emulator.uninstall(OTHER_TEAM)


@pytest.mark.parametrize("code_goes_stale", [code_expires, app_removed])
def test_a_code_that_no_longer_works_at_the_redirect_gets_a_clear_page_and_stores_nothing(
    oauth_bot: LocalBot,
    browser: InstallBrowser,
    emulator: SlackEmulator,
    monkeypatch: pytest.MonkeyPatch,
    code_goes_stale: Callable[[SlackEmulator, pytest.MonkeyPatch], None],
) -> None:
    state = browser.open_install_page()
    code = emulator.grant_install(OTHER_TEAM, OTHER_ADMIN)
    code_goes_stale(emulator, monkeypatch)
    answer = browser.redirect(code=code, state=state)
    assert answer.status == 401 and "code is verlopen" in answer.body
    assert [call.response.get("error") for call in emulator.calls_to("oauth.v2.access")] == ["invalid_code"]
    assert stored(oauth_bot, SlackInstallation) == []


def test_an_install_page_left_open_too_long_gets_a_clear_page(
    oauth_bot: LocalBot, browser: InstallBrowser, emulator: SlackEmulator, clock: ManualClock
) -> None:
    state = browser.open_install_page()
    clock.advance(timedelta(minutes=11))
    answer = browser.redirect(code=emulator.grant_install(OTHER_TEAM, OTHER_ADMIN), state=state)
    assert answer.status == 401 and "link is verlopen" in answer.body
    assert stored(oauth_bot, SlackInstallation) == []
    assert emulator.calls_to("oauth.v2.access") == []


def test_a_person_who_cancels_on_slack_gets_a_clear_page(
    oauth_bot: LocalBot, browser: InstallBrowser
) -> None:
    state = browser.open_install_page()
    answer = browser.redirect(error="access_denied", state=state)
    assert answer.status == 200 and "geannuleerd" in answer.body
    assert stored(oauth_bot, SlackInstallation) == []


def test_an_error_slack_never_sends_is_shown_escaped(oauth_bot: LocalBot, browser: InstallBrowser) -> None:
    state = browser.open_install_page()
    answer = browser.redirect(error="<script>alert(1)</script>", state=state)
    assert answer.status == 200 and "<script>" not in answer.body and "&lt;script&gt;" in answer.body
    assert stored(oauth_bot, SlackInstallation) == []


def test_a_command_from_a_workspace_without_installation_is_told_so_and_no_token_is_used(
    oauth_bot: LocalBot, emulator: SlackEmulator
) -> None:
    oauth_bot.install(OTHER_TEAM, OTHER_ADMIN)
    emulator.reset_calls()
    # The sandbox's own workspace never installed the bot in this mode.
    answer = oauth_bot.command("help", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    assert answer.status == 200
    said = answer.body + " ".join(str(call.args) for call in emulator.calls_to("response_url"))
    assert "niet (meer) geïnstalleerd" in said
    assert [call.method for call in emulator.calls if call.method != "response_url"] == []


def test_every_command_and_click_from_a_workspace_without_installation_is_told_so_with_no_token_used(
    oauth_bot: LocalBot, emulator: SlackEmulator
) -> None:
    """The authorisation matrix's row for a workspace without the bot: whatever is asked, the same answer."""
    assert oauth_bot.driver is not None
    answers = [
        oauth_bot.command(sub.name, user_id=FACILITATOR, channel_id=NETWORK_CHANNEL) for sub in SUBCOMMANDS
    ]
    answers.append(oauth_bot.command("", command="/case", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL))
    answers.append(oauth_bot.send_event(oauth_bot.driver.app_home_opened(FACILITATOR)))
    assert {answer.status for answer in answers} <= {200}
    told = [call for call in emulator.calls if call.method == "response_url"]
    assert len(told) == len(SUBCOMMANDS) + 1
    assert all("niet (meer) geïnstalleerd" in str(call.args) for call in told)
    assert [call.method for call in emulator.calls if call.method != "response_url"] == []
