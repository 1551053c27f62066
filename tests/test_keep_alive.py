"""Kept-alive connections to Slack, and answers sent again only where the member cannot see them twice.

The sandbox's Web API serves; tests/tcp_proxy.py stands between it and the client, to refuse connections
or to cut one while its request is under way (after the sandbox has acted on it, before its answer).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from bot.keep_alive import POOLS
from bot.keep_alive import ConnectionPools
from bot.keep_alive import NotSent
from bot.sandbox.emulator import SlackEmulator
from bot.slack_api import make_web_client
from bot.slack_api import response_url_client
from tests.factories import CHANNEL_ID
from tests.factories import MEMBER_IDS
from tests.tcp_proxy import TcpProxy

MEMBER = MEMBER_IDS[0]


@pytest.fixture
def proxy(workspace: SlackEmulator) -> Iterator[TcpProxy]:
    with TcpProxy("127.0.0.1", workspace.port) as proxy:
        yield proxy


def through(proxy: TcpProxy, workspace: SlackEmulator, url: str) -> str:
    return url.replace(workspace.base_url, f"http://127.0.0.1:{proxy.port}")


def cut_once_answered(proxy: TcpProxy, workspace: SlackEmulator, method: str) -> threading.Thread:
    """Cut the connection once the sandbox has acted on a `method` call (it then holds its answer back
    for a while), and listen again at once: the client's request arrived, its answer never comes."""
    workspace.delay_next(method, 1.0)
    before = len(workspace.calls_to(method))

    def cut() -> None:
        deadline = time.monotonic() + 5
        while len(workspace.calls_to(method)) == before and time.monotonic() < deadline:
            time.sleep(0.005)
        proxy.cut()
        proxy.restore()

    cutter = threading.Thread(target=cut, daemon=True)
    cutter.start()
    return cutter


def test_answers_to_one_host_share_one_connection(workspace: SlackEmulator) -> None:
    pools = ConnectionPools()
    url = workspace.new_response_url(CHANNEL_ID, MEMBER)
    for number in range(4):
        answer = pools.request(
            "POST",
            url,
            body=b'{"text": "%d"}' % number,
            headers={"Content-Type": "application/json"},
            timeout=5,
        )
        assert answer.status == 200
    assert pools.opened == 1
    assert [entry["text"] for entry in workspace.ephemerals(user_id=MEMBER)] == ["0", "1", "2", "3"]
    pools.close()


def test_a_connection_the_server_closed_is_not_used_again(workspace: SlackEmulator, proxy: TcpProxy) -> None:
    pools = ConnectionPools()
    url = through(proxy, workspace, workspace.new_response_url(CHANNEL_ID, MEMBER))
    send = {"body": b'{"text": "x"}', "headers": {"Content-Type": "application/json"}, "timeout": 5}
    assert pools.request("POST", url, **send).status == 200  # type: ignore[arg-type]
    proxy.cut()
    proxy.restore()
    time.sleep(0.05)
    assert pools.request("POST", url, **send).status == 200  # type: ignore[arg-type]
    assert pools.opened == 2
    assert len(workspace.calls_to("response_url")) == 2
    pools.close()


def test_a_refused_connection_is_told_apart_as_never_sent(workspace: SlackEmulator, proxy: TcpProxy) -> None:
    url = through(proxy, workspace, workspace.new_response_url(CHANNEL_ID, MEMBER))
    proxy.cut()
    with pytest.raises(NotSent):
        ConnectionPools().request("POST", url, body=b"{}", headers={}, timeout=5)
    assert workspace.calls_to("response_url") == []


def test_an_answer_that_never_left_is_sent_when_slack_is_back(
    workspace: SlackEmulator, proxy: TcpProxy
) -> None:
    url = through(proxy, workspace, workspace.new_response_url(CHANNEL_ID, MEMBER))
    proxy.cut()
    # The retry waits half a second; Slack is back before that.
    threading.Timer(0.2, proxy.restore).start()

    answer = response_url_client(url).send(text="Welkom", response_type="ephemeral")

    assert answer.status_code == 200
    assert [entry["text"] for entry in workspace.ephemerals(user_id=MEMBER)] == ["Welkom"]


def test_an_ephemeral_answer_cut_off_after_it_arrived_is_not_sent_twice(
    workspace: SlackEmulator, proxy: TcpProxy
) -> None:
    url = through(proxy, workspace, workspace.new_response_url(CHANNEL_ID, MEMBER))
    cutter = cut_once_answered(proxy, workspace, "response_url")

    with pytest.raises(ConnectionError):
        response_url_client(url).send(text="Bedankt", response_type="ephemeral")
    cutter.join()

    assert [entry["text"] for entry in workspace.ephemerals(user_id=MEMBER)] == ["Bedankt"]
    assert len(workspace.calls_to("response_url")) == 1


def test_an_answer_replacing_the_original_is_sent_again_and_shows_once(
    workspace: SlackEmulator, proxy: TcpProxy
) -> None:
    client = make_web_client(token=workspace.bot_token, base_url=workspace.api_url)
    ts = client.chat_postMessage(channel=CHANNEL_ID, text="Aanvaard je de afspraken?")["ts"]
    url = through(proxy, workspace, workspace.new_response_url(CHANNEL_ID, MEMBER, message_ts=ts))
    cutter = cut_once_answered(proxy, workspace, "response_url")

    answer = response_url_client(url).send(text="Je aanvaardde de afspraken", replace_original=True)
    cutter.join()

    assert answer.status_code == 200
    assert len(workspace.calls_to("response_url")) == 2, "the cut-off answer was sent again"
    assert [message["text"] for message in workspace.messages(CHANNEL_ID)] == ["Je aanvaardde de afspraken"]


def test_a_web_api_update_cut_off_after_it_arrived_is_sent_again_and_a_post_is_not(
    workspace: SlackEmulator, proxy: TcpProxy
) -> None:
    client = make_web_client(token=workspace.bot_token, base_url=f"http://127.0.0.1:{proxy.port}/api/")
    ts = client.chat_postMessage(channel=CHANNEL_ID, text="Kaart")["ts"]

    cutter = cut_once_answered(proxy, workspace, "chat.update")
    assert client.chat_update(channel=CHANNEL_ID, ts=ts, text="Kaart, bijgewerkt")["ok"]
    cutter.join()
    assert len(workspace.calls_to("chat.update")) == 2
    assert [message["text"] for message in workspace.messages(CHANNEL_ID)] == ["Kaart, bijgewerkt"]

    cutter = cut_once_answered(proxy, workspace, "chat.postMessage")
    with pytest.raises(ConnectionError):
        client.chat_postMessage(channel=CHANNEL_ID, text="Nieuwe ronde")
    cutter.join()
    assert len(workspace.calls_to("chat.postMessage")) == 2  # the first post, and this one: once


def test_every_client_shares_the_process_pools(workspace: SlackEmulator) -> None:
    client = make_web_client(token=workspace.bot_token, base_url=workspace.api_url)
    client.auth_test()
    opened = POOLS.opened
    for _ in range(5):
        client.auth_test()
        response_url_client(workspace.new_response_url(CHANNEL_ID, MEMBER)).send(text="ok")
    assert POOLS.opened == opened
