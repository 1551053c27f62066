"""Several workspaces in the sandbox: oauth.v2.access, each token for one team, and removing the app."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox.emulator import SlackEmulator
from bot.sandbox.emulator.oauth import CLIENT_ID
from bot.sandbox.emulator.oauth import CLIENT_SECRET
from bot.sandbox.emulator.oauth import CODE_LIFETIME_SECONDS
from tests.sandbox.conftest import GENERAL
from tests.sandbox.conftest import FakeClock

TEAM = "T0TWEE"
CHANNEL = "C0TWEE"
PERSON = "U2DORA"


@pytest.fixture
def second_team(emulator: SlackEmulator) -> SlackEmulator:
    emulator.add_workspace(TEAM, "Tweede")
    emulator.add_user(PERSON, "dora", team_id=TEAM)
    emulator.add_channel(CHANNEL, "tweede", members=[PERSON], team_id=TEAM)
    return emulator


def exchange(emulator: SlackEmulator, code: str, secret: str = CLIENT_SECRET) -> dict:
    client = WebClient(base_url=emulator.api_url)
    return client.oauth_v2_access(client_id=CLIENT_ID, client_secret=secret, code=code).data  # type: ignore[return-value]


def test_a_granted_code_gives_a_bot_token_for_its_team_once(second_team: SlackEmulator) -> None:
    code = second_team.grant_install(TEAM, PERSON)
    answer = exchange(second_team, code)
    assert answer["team"] == {"id": TEAM, "name": "Tweede"} and answer["authed_user"] == {"id": PERSON}
    assert answer["token_type"] == "bot" and answer["access_token"].startswith("xoxb-")
    identity = WebClient(token=answer["access_token"], base_url=second_team.api_url).auth_test()
    assert (identity["team_id"], identity["user_id"]) == (TEAM, answer["bot_user_id"])
    with pytest.raises(SlackApiError) as again:
        exchange(second_team, code)
    assert again.value.response["error"] == "invalid_code"


def test_a_made_up_or_expired_code_and_a_wrong_secret_are_refused(
    second_team: SlackEmulator, sandbox_clock: FakeClock
) -> None:
    with pytest.raises(SlackApiError) as wrong_secret:
        exchange(second_team, second_team.grant_install(TEAM, PERSON), secret="guessed")
    assert wrong_secret.value.response["error"] == "bad_client_secret"
    code = second_team.grant_install(TEAM, PERSON)
    sandbox_clock.advance(CODE_LIFETIME_SECONDS + 1)
    for tried in (code, "code-made-up"):
        with pytest.raises(SlackApiError) as refused:
            exchange(second_team, tried)
        assert refused.value.response["error"] == "invalid_code"


def test_a_token_cannot_reach_into_another_workspace(second_team: SlackEmulator, client: WebClient) -> None:
    token = exchange(second_team, second_team.grant_install(TEAM, PERSON))["access_token"]
    theirs = WebClient(token=token, base_url=second_team.api_url)
    assert theirs.chat_postMessage(channel=CHANNEL, text="hallo")["ok"]
    for call in (
        lambda: theirs.chat_postMessage(channel=GENERAL, text="hallo"),
        lambda: client.chat_postMessage(channel=CHANNEL, text="hallo"),
        lambda: client.conversations_info(channel=CHANNEL),
    ):
        with pytest.raises(SlackApiError) as refused:
            call()
        assert refused.value.response["error"] == "channel_not_found"
    with pytest.raises(SlackApiError) as stranger:
        client.users_info(user=PERSON)
    assert stranger.value.response["error"] == "user_not_found"
    assert [call.team_id for call in second_team.calls_to("chat.postMessage")] == [TEAM, TEAM, "T0NETWERK"]


def test_removing_the_app_revokes_the_teams_tokens_and_its_pending_codes(second_team: SlackEmulator) -> None:
    token = exchange(second_team, second_team.grant_install(TEAM, PERSON))["access_token"]
    pending = second_team.grant_install(TEAM, PERSON)
    second_team.uninstall(TEAM)
    with pytest.raises(SlackApiError) as revoked:
        WebClient(token=token, base_url=second_team.api_url).auth_test()
    assert revoked.value.response["error"] == "token_revoked"
    with pytest.raises(SlackApiError) as gone:
        exchange(second_team, pending)
    assert gone.value.response["error"] == "invalid_code"
    assert WebClient(token=second_team.bot_token, base_url=second_team.api_url).auth_test()["ok"]
