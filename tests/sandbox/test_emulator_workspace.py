"""The emulator's workspace through slack_sdk: auth, users, conversations, recording and reset."""

from __future__ import annotations

import json
import urllib.request
from urllib.parse import urlencode

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox.emulator import SlackEmulator
from tests.sandbox.conftest import ANNA
from tests.sandbox.conftest import BEN
from tests.sandbox.conftest import CAROL
from tests.sandbox.conftest import GENERAL
from tests.sandbox.conftest import PRIVATE
from tests.sandbox.conftest import SECRET
from tests.sandbox.conftest import WITHOUT_BOT


def raw_call(emulator: SlackEmulator, method: str, body: bytes, headers: dict[str, str]) -> dict:
    request = urllib.request.Request(emulator.api_url + method, data=body, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=5) as answer:
        assert answer.status == 200
        return json.loads(answer.read())


def test_auth_test_describes_the_bot(client: WebClient, emulator: SlackEmulator) -> None:
    answer = client.auth_test()
    assert answer["team_id"] == "T0NETWERK"
    assert answer["user_id"] == emulator.bot_user_id == "U0BOT"
    assert answer["bot_id"] == "B0BOT"
    assert answer["url"] == "https://netwerk-sandbox.slack.com/"


def test_a_wrong_token_is_invalid_auth_with_http_200(emulator: SlackEmulator) -> None:
    with pytest.raises(SlackApiError) as raised:
        WebClient(token="xoxb-wrong", base_url=emulator.api_url).auth_test()
    assert raised.value.response.status_code == 200
    assert raised.value.response.data == {"ok": False, "error": "invalid_auth"}


def test_no_token_is_not_authed(emulator: SlackEmulator) -> None:
    with pytest.raises(SlackApiError) as raised:
        WebClient(base_url=emulator.api_url).auth_test()
    assert raised.value.response["error"] == "not_authed"


def test_a_token_in_the_form_body_is_accepted(emulator: SlackEmulator) -> None:
    body = urlencode({"token": emulator.bot_token, "user": ANNA}).encode()
    answer = raw_call(emulator, "users.info", body, {"Content-Type": "application/x-www-form-urlencoded"})
    assert answer["ok"] and answer["user"]["id"] == ANNA
    assert "token" not in emulator.calls[-1].args


def test_json_bodies_and_query_strings_are_read(emulator: SlackEmulator) -> None:
    headers = {"Authorization": f"Bearer {emulator.bot_token}", "Content-Type": "application/json"}
    assert raw_call(emulator, "users.info", json.dumps({"user": BEN}).encode(), headers)["user"]["id"] == BEN
    assert raw_call(emulator, f"users.info?user={CAROL}", b"", headers)["user"]["id"] == CAROL


def test_malformed_json_is_invalid_json(emulator: SlackEmulator) -> None:
    headers = {"Authorization": f"Bearer {emulator.bot_token}", "Content-Type": "application/json"}
    assert raw_call(emulator, "auth.test", b"{nope", headers) == {"ok": False, "error": "invalid_json"}


def test_an_unknown_method_is_unknown_method(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        client.api_call("chat.postMessageX", params={"channel": GENERAL})
    assert raised.value.response["error"] == "unknown_method"


def test_users_info_adds_the_locale_only_when_asked(client: WebClient) -> None:
    plain = client.users_info(user=ANNA)["user"]
    assert plain["real_name"] == "Anna Peeters" and "locale" not in plain
    assert plain["profile"]["display_name"] == "Anna Peeters"
    assert plain["tz"] == "Europe/Brussels" and plain["tz_offset"] == 3600
    assert client.users_info(user=ANNA, include_locale=True)["user"]["locale"] == "nl-BE"


def test_an_unknown_user_is_user_not_found(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        client.users_info(user="U0NOBODY")
    assert raised.value.response["error"] == "user_not_found"


def test_conversations_info_says_whether_the_bot_is_in(client: WebClient) -> None:
    assert client.conversations_info(channel=GENERAL)["channel"]["is_member"] is True
    outside = client.conversations_info(channel=WITHOUT_BOT, include_num_members=True)["channel"]
    assert outside["is_member"] is False and outside["num_members"] == 2
    private = client.conversations_info(channel=PRIVATE)["channel"]
    assert private["is_private"] is True and private["is_channel"] is True


def test_a_private_channel_without_the_bot_is_channel_not_found(client: WebClient) -> None:
    for channel in (SECRET, "C0DOESNOTEXIST"):
        with pytest.raises(SlackApiError) as raised:
            client.conversations_info(channel=channel)
        assert raised.value.response["error"] == "channel_not_found"


def test_conversations_members_pages_with_a_cursor(client: WebClient, emulator: SlackEmulator) -> None:
    crowd = [f"U{number:05d}" for number in range(250)]
    for user_id in crowd:
        emulator.add_user(user_id, user_id.lower())
        emulator.join(GENERAL, user_id)

    pages, cursor = [], None
    while True:
        answer = client.conversations_members(channel=GENERAL, limit=100, cursor=cursor)
        pages.append(answer["members"])
        cursor = answer["response_metadata"]["next_cursor"]
        if not cursor:
            break

    assert [len(page) for page in pages] == [100, 100, 53]
    assert [m for page in pages for m in page] == [ANNA, BEN, emulator.bot_user_id, *crowd]


def test_a_bad_cursor_is_invalid_cursor(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        client.conversations_members(channel=GENERAL, cursor="bm9wZTpub3Bl")
    assert raised.value.response["error"] == "invalid_cursor"


def test_conversations_list_shows_what_the_bot_can_see(client: WebClient) -> None:
    public = {c["id"] for c in client.conversations_list()["channels"]}
    assert public == {GENERAL, WITHOUT_BOT}
    both = {c["id"] for c in client.conversations_list(types="public_channel,private_channel")["channels"]}
    assert both == {GENERAL, WITHOUT_BOT, PRIVATE}


def test_conversations_open_gives_the_dm_with_a_person(client: WebClient, emulator: SlackEmulator) -> None:
    channel_id = client.conversations_open(users=ANNA)["channel"]["id"]
    assert channel_id == emulator.dm_channel_id(ANNA) == "D0ANNA"
    assert client.conversations_info(channel=channel_id)["channel"]["is_im"] is True


def test_conversations_open_with_several_people_gives_their_group_dm(
    client: WebClient, emulator: SlackEmulator
) -> None:
    channel_id = client.conversations_open(users=f"{ANNA},{BEN}")["channel"]["id"]
    assert client.conversations_open(users=f"{BEN},{ANNA}")["channel"]["id"] == channel_id
    info = client.conversations_info(channel=channel_id)["channel"]
    assert info["is_mpim"] is True and info["is_private"] is True
    assert set(emulator.channels[channel_id]["members"]) == {ANNA, BEN, emulator.bot_user_id}
    assert client.conversations_open(users=f"{ANNA},{BEN},{CAROL}")["channel"]["id"] != channel_id


@pytest.mark.parametrize(
    ("users", "error"),
    [("U0NOBODY,{ANNA}", "user_not_found"), ("{ANNA},{CAROL}", "user_disabled")],
)
def test_conversations_open_refuses_a_group_dm_as_slack_does(
    client: WebClient, emulator: SlackEmulator, users: str, error: str
) -> None:
    emulator.deactivate_user(CAROL)
    with pytest.raises(SlackApiError) as refused:
        client.conversations_open(users=users.format(ANNA=ANNA, CAROL=CAROL))
    assert refused.value.response["error"] == error


def test_every_call_is_recorded_in_order(client: WebClient, emulator: SlackEmulator) -> None:
    client.auth_test()
    with pytest.raises(SlackApiError):
        client.users_info(user="U0NOBODY")
    first, second = emulator.calls
    assert (first.method, first.http_status, first.response["ok"]) == ("auth.test", 200, True)
    assert second.args == {"user": "U0NOBODY"} and second.response["error"] == "user_not_found"
    assert second.at == emulator.clock()
    assert emulator.calls_to("users.info") == [second]
    emulator.reset_calls()
    assert emulator.calls == []


def test_reset_forgets_everything_but_the_bot(client: WebClient, emulator: SlackEmulator) -> None:
    client.chat_postMessage(channel=GENERAL, text="hallo")
    emulator.fail_next("auth.test")
    emulator.reset()
    assert emulator.calls == [] and emulator.channels == {}
    assert set(emulator.users) == {emulator.bot_user_id}
    assert client.auth_test()["ok"]
