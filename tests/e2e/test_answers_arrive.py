"""A command's answer on its response_url arrives, and arrives once, when the connection to Slack breaks.

The command's response_url leads through tests/tcp_proxy.py, which refuses connections (Slack away for a
moment) or cuts one after the sandbox took the answer and before the bot read Slack's reply.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from bot.demo.harness import LocalBot
from bot.sandbox.emulator import SlackEmulator
from tests.e2e.conftest import FACILITATOR
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import ephemeral_texts
from tests.tcp_proxy import TcpProxy

HELP_TITLE = "Netwerkbot: wat ik kan"


@pytest.fixture
def proxied_answers(emulator: SlackEmulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[TcpProxy]:
    """Every response_url the sandbox hands out from now on leads through the proxy."""
    with TcpProxy("127.0.0.1", emulator.port) as proxy:
        issue = emulator.new_response_url

        def through_proxy(channel_id: str, user_id: str, **options: str | None) -> str:
            url = issue(channel_id, user_id, **options)  # type: ignore[arg-type]
            return url.replace(emulator.base_url, f"http://127.0.0.1:{proxy.port}")

        monkeypatch.setattr(emulator, "new_response_url", through_proxy)
        yield proxy


def test_the_help_answer_arrives_once_slack_takes_connections_again(
    bot: LocalBot, emulator: SlackEmulator, proxied_answers: TcpProxy
) -> None:
    proxied_answers.cut()
    threading.Timer(0.2, proxied_answers.restore).start()

    assert bot.command("help", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL).status == 200

    answers = ephemeral_texts(emulator, FACILITATOR)
    assert len(answers) == 1 and HELP_TITLE in answers[0]
    assert len(emulator.calls_to("response_url")) == 1


def test_the_help_answer_cut_off_after_it_arrived_is_not_sent_twice(
    bot: LocalBot, emulator: SlackEmulator, proxied_answers: TcpProxy
) -> None:
    emulator.delay_next("response_url", 1.0)

    def cut_once_taken() -> None:
        deadline = time.monotonic() + 5
        while not emulator.calls_to("response_url") and time.monotonic() < deadline:
            time.sleep(0.005)
        proxied_answers.cut()
        proxied_answers.restore()

    cutter = threading.Thread(target=cut_once_taken, daemon=True)
    cutter.start()
    bot.command("help", user_id=FACILITATOR, channel_id=NETWORK_CHANNEL)
    cutter.join()

    help_answers = [text for text in ephemeral_texts(emulator, FACILITATOR) if HELP_TITLE in text]
    assert len(help_answers) == 1
