"""The outbox seen from outside: an effect Slack refuses for good, and what `status` tells the operator."""

from __future__ import annotations

from sqlalchemy import text

from bot.clock import SystemClock
from bot.demo.harness import LocalBot
from bot.sandbox.emulator import SlackEmulator
from bot.status import FAILED_LISTED
from bot.status import format_status
from bot.status import read_status
from bot.status import retry_failed
from storage import queries_outbox
from storage.db import session_factory
from storage.db import unit_of_work
from tests.e2e.conftest import NETWORK_CHANNEL
from tests.e2e.conftest import bring_case
from tests.e2e.conftest import cards
from tests.e2e.conftest import start_network
from tests.e2e.test_cases import OWNER


def test_a_card_slack_refuses_for_good_is_failed_with_its_reason_and_blocks_no_other_case(
    network: LocalBot,
    emulator: SlackEmulator,
) -> None:
    emulator.fail_next("chat.postMessage", status=200, body={"ok": False, "error": "msg_too_long"})
    response = bring_case(network)
    second = bring_case(network)

    assert response.status == 200 and second.status == 200
    assert len(cards(emulator)) == 1  # the second case's card, posted as if nothing happened
    [told] = emulator.ephemerals(channel_id=NETWORK_CHANNEL, user_id=OWNER)
    assert "msg_too_long" in told["text"] and "niet in Slack tonen" in told["text"]
    assert network.runtime is not None
    engine = network.runtime.engine
    with engine.connect() as connection:
        # No case is kept that nobody can see: the first one is gone, the second one has its card.
        shown = "SELECT count(*) FROM peer_case WHERE status <> 'deleted'"
        assert connection.execute(text(shown)).scalar_one() == 1
    status = read_status(engine, SystemClock())
    assert not status.healthy
    [failed] = status.failed
    assert (failed.kind, failed.key, failed.reason) == ("case.card", "case-card-1", "msg_too_long")
    shown = format_status(status)
    assert "failed outbox items: 1" in shown and "case-card-1" in shown and "msg_too_long" in shown
    assert "pending outbox items: 0" in shown

    assert retry_failed(engine, SystemClock(), item_id=failed.id) == 1
    assert read_status(engine, SystemClock()).healthy


def test_an_item_retried_after_its_post_may_have_landed_looks_before_posting_again(
    bot: LocalBot, emulator: SlackEmulator
) -> None:
    # The welcome lands but its answer is lost, and the lookup for it is refused until the operator
    # gives the app the scope it lacks: the item fails, and `retry` is run once that is mended.
    emulator.drop_response_next("chat.postMessage")
    emulator.fail_next("conversations.history", status=200, body={"ok": False, "error": "missing_scope"})
    start_network(bot)
    assert bot.runtime is not None
    engine = bot.runtime.engine
    [failed] = read_status(engine, SystemClock()).failed
    assert failed.reason == "missing_scope"

    assert retry_failed(engine, SystemClock(), item_id=failed.id) == 1
    assert bot.runtime.publisher.carry_out_due() == 1
    bot.settle()

    assert len(emulator.messages(NETWORK_CHANNEL)) == 1
    assert read_status(engine, SystemClock()).healthy


def test_status_counts_every_failed_item_though_it_lists_the_oldest(bot: LocalBot) -> None:
    assert bot.runtime is not None
    engine = bot.runtime.engine
    now = SystemClock().now()
    with unit_of_work(session_factory(engine)) as session:
        for number in range(FAILED_LISTED + 5):
            item = queries_outbox.add(
                session=session,
                kind="case.card",
                key=f"case-card-{number}",
                payload={},
                owner=None,
                now=now,
                not_before=now,
            )
            queries_outbox.fail(session=session, item_id=item.id or 0, reason="channel_not_found", now=now)

    shown = format_status(read_status(engine, SystemClock()))

    assert f"failed outbox items: {FAILED_LISTED + 5}" in shown
    assert "case-card-0" in shown and f"case-card-{FAILED_LISTED + 4}" not in shown
    assert "5 more" in shown
