"""Check-in polls on SQLite and PostgreSQL: claims that hold once, closing with the results, recovery."""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from functools import partial

import pytest

from bot.clock import ManualClock
from bot.errors import NoOpenPoll
from bot.errors import NotAFacilitator
from bot.errors import NotAMember
from bot.errors import PollAlreadyOpen
from bot.errors import PollAlreadyPostedToday
from bot.services.checkin_polls import CATCH_UP_GRACE
from bot.services.checkin_polls import CLAIM_TIMEOUT
from bot.services.checkin_polls import CheckinPollService
from bot.services.processes import BEAT_EVERY
from bot.services.processes import LEASE
from bot.services.processes import ProcessRegistry
from storage.models import CheckinPoll
from storage.models.checkins import PollStatus
from tests.factories import make_network
from tests.factories import schedule_form
from tests.services.checkin_factories import FACILITATOR
from tests.services.checkin_factories import MEMBERS
from tests.services.checkin_factories import all_rows
from tests.services.checkin_factories import at
from tests.services.checkin_factories import exported_polls
from tests.services.checkin_factories import make_services
from tests.services.checkin_factories import posted
from tests.together import run_together

# ---------------------------------------------------------------------- scheduled runs


def test_a_scheduled_run_is_claimed_once_whoever_asks(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock)
    at(clock, 2026, 9, 21, 8, 0)
    first, second = (
        make_services(sessions, clock),
        make_services(sessions, clock, key=b"another process's key"),
    )

    post = first.checkin_polls.claim_scheduled_poll(network_id=network_id)

    assert post is not None and post.key == f"checkin/{network_id}/2026-09-21"
    assert post.closes_at == datetime(2026, 9, 24, 8, 0, tzinfo=UTC)
    assert first.checkin_polls.claim_scheduled_poll(network_id=network_id) is None
    assert second.checkin_polls.claim_scheduled_poll(network_id=network_id) is None
    clock.advance(timedelta(hours=1))
    assert second.checkin_polls.claim_scheduled_poll(network_id=network_id) is None
    assert len(all_rows(sessions, CheckinPoll)) == 1


def test_racing_claims_of_one_run_give_exactly_one_poll(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock)
    at(clock, 2026, 9, 21, 8, 0)
    claimants = [make_services(sessions, clock).checkin_polls for _ in range(6)]
    results = run_together(
        *(partial(claimant.claim_scheduled_poll, network_id=network_id) for claimant in claimants)
    )

    assert len([r for r in results if r is not None]) == 1
    assert len(all_rows(sessions, CheckinPoll)) == 1


def test_a_run_missed_while_down_is_posted_within_the_grace_period_only(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock)
    services = make_services(sessions, clock)

    clock.set(datetime(2026, 9, 21, 8, 0, tzinfo=UTC) + CATCH_UP_GRACE + timedelta(minutes=1))
    assert services.checkin_polls.due_runs() == []
    assert services.checkin_polls.claim_scheduled_poll(network_id=network_id) is None

    clock.set(datetime(2026, 10, 5, 8, 0, tzinfo=UTC) + CATCH_UP_GRACE - timedelta(minutes=1))
    assert services.checkin_polls.due_runs() == [network_id]
    post = services.checkin_polls.claim_scheduled_poll(network_id=network_id)
    assert post is not None and post.key.endswith("2026-10-05")
    # It closes when the run would have closed: the rhythm does not shift.
    assert post.closes_at == datetime(2026, 10, 8, 8, 0, tzinfo=UTC)
    assert services.checkin_polls.due_runs() == []


def test_a_trigger_firing_twice_in_the_autumn_fold_posts_once(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock)
    services = make_services(sessions, clock)
    services.checkin_schedule.change_schedule(
        network_id=network_id, user_id=FACILITATOR, form=schedule_form(weekday="6", time="02:30")
    )

    at(clock, 2026, 10, 25, 0, 30)  # 02:30 summer time
    assert services.checkin_polls.claim_scheduled_poll(network_id=network_id) is not None
    at(clock, 2026, 10, 25, 1, 30)  # 02:30 winter time, where a CronTrigger fires again
    assert services.checkin_polls.claim_scheduled_poll(network_id=network_id) is None
    assert [p.run_date for p in all_rows(sessions, CheckinPoll)] == [date(2026, 10, 25)]


def test_a_time_in_the_spring_gap_is_posted_once_after_the_gap(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock)
    services = make_services(sessions, clock)
    services.checkin_schedule.change_schedule(
        network_id=network_id, user_id=FACILITATOR, form=schedule_form(weekday="6", time="02:30")
    )

    at(clock, 2027, 3, 28, 1, 29)  # 02:29 winter time: not yet
    assert services.checkin_polls.claim_scheduled_poll(network_id=network_id) is None
    at(clock, 2027, 3, 28, 1, 30)  # 03:30 summer time
    post = services.checkin_polls.claim_scheduled_poll(network_id=network_id)
    assert post is not None and post.key.endswith("2027-03-28")


def test_an_archived_network_is_not_polled(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock)
    with sessions() as session:
        from storage.models import Network

        network = session.get(Network, network_id)
        network.archived_at = clock.now()
        session.add(network)
        session.commit()
    at(clock, 2026, 9, 21, 8, 0)
    services = make_services(sessions, clock)
    assert (
        services.checkin_polls.due_runs() == []
        and services.checkin_polls.claim_scheduled_poll(network_id=network_id) is None
    )
    assert services.checkin_schedule.active_rules() == {}


# ---------------------------------------------------------------------- a poll now


def test_a_poll_now_is_for_facilitators_and_one_at_a_time(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock)
    services = make_services(sessions, clock)

    with pytest.raises(NotAFacilitator):
        services.checkin_polls.claim_manual_poll(network_id=network_id, user_id=MEMBERS[0])
    with pytest.raises(NotAMember):
        services.checkin_polls.claim_manual_poll(network_id=network_id, user_id="U0KAREL")
    post = services.checkin_polls.claim_manual_poll(network_id=network_id, user_id=FACILITATOR)
    with pytest.raises(PollAlreadyOpen):
        services.checkin_polls.claim_manual_poll(network_id=network_id, user_id=FACILITATOR)

    posted(services, post)
    services.checkin_polls.close_now(network_id=network_id, user_id=FACILITATOR)
    with pytest.raises(PollAlreadyPostedToday):
        services.checkin_polls.claim_manual_poll(network_id=network_id, user_id=FACILITATOR)
    clock.advance(timedelta(days=1))
    assert services.checkin_polls.claim_manual_poll(network_id=network_id, user_id=FACILITATOR) is not None


# ---------------------------------------------------------------------- closing and results


def test_a_poll_closes_once_with_its_results(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock)
    first, second = make_services(sessions, clock), make_services(sessions, clock)
    post = first.checkin_polls.claim_manual_poll(network_id=network_id, user_id=FACILITATOR)
    posted(first, post)
    for user, text in (
        (MEMBERS[0], "b: de sfeer"),
        (MEMBERS[1], "A: de casussen"),
        (MEMBERS[2], "c: de koffie"),
    ):
        first.checkin_answers.save_answer(
            poll_id=post.poll_id, user_id=user, question="goes_well", text=text, signed=False
        )

    assert list(first.checkin_polls.claim_due_closings()) == []  # not yet
    clock.advance(timedelta(days=3))
    [results] = first.checkin_polls.claim_due_closings()
    assert (
        list(second.checkin_polls.claim_due_closings()) == []
        and list(first.checkin_polls.claim_due_closings()) == []
    )
    with pytest.raises(NoOpenPoll):
        second.checkin_polls.close_now(network_id=network_id, user_id=FACILITATOR)

    assert results.shows_answers and results.respondent_count == 3 and results.member_count == 4
    assert [a.text for a in results.goes_well] == ["A: de casussen", "b: de sfeer", "c: de koffie"]
    first.checkin_polls.record_closed(poll_id=post.poll_id, results_ts="1789000001.000100")
    [poll] = all_rows(sessions, CheckinPoll)
    assert poll.status == PollStatus.CLOSED and poll.results_ts == "1789000001.000100"


def test_below_the_threshold_the_results_hold_back_the_answers(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock)
    services = make_services(sessions, clock)
    services.checkin_schedule.change_schedule(
        network_id=network_id, user_id=FACILITATOR, form=schedule_form(anonymity_threshold="4")
    )
    post = services.checkin_polls.claim_manual_poll(network_id=network_id, user_id=FACILITATOR)
    posted(services, post)
    for user in MEMBERS:
        services.checkin_answers.save_answer(
            poll_id=post.poll_id, user_id=user, question="goes_well", text="Goed", signed=False
        )

    results = services.checkin_polls.close_now(network_id=network_id, user_id=FACILITATOR)

    assert results.respondent_count == 3 and results.anonymity_threshold == 4
    assert not results.shows_answers


# ---------------------------------------------------------------------- recovery


def test_a_claim_left_by_a_dead_process_is_taken_up_once_after_the_timeout(
    sessions, clock: ManualClock
) -> None:
    network_id = make_network(sessions, clock=clock)
    at(clock, 2026, 9, 21, 8, 0)
    services = make_services(sessions, clock)
    post = services.checkin_polls.claim_scheduled_poll(network_id=network_id)
    assert post is not None
    # ...and the process dies before posting.

    assert services.checkin_polls.stale_claims() == ([], [])  # it may still be posting
    clock.advance(CLAIM_TIMEOUT + timedelta(seconds=1))
    posts, closes = services.checkin_polls.stale_claims()
    assert [p.key for p in posts] == [post.key] and closes == []
    assert make_services(sessions, clock).checkin_polls.stale_claims() == (
        [],
        [],
    )  # taken by the first recovery

    posted(services, post)
    clock.advance(timedelta(days=3))
    [results] = services.checkin_polls.claim_due_closings()
    # ...and the process dies before the results are out.
    clock.advance(CLAIM_TIMEOUT + timedelta(seconds=1))
    posts, closes = services.checkin_polls.stale_claims()
    assert posts == [] and [r.poll_id for r in closes] == [results.poll_id]


def test_closes_are_claimed_one_at_a_time_so_a_slow_run_of_them_leaves_none_to_go_stale(
    sessions, clock: ManualClock
) -> None:
    networks = [make_network(sessions, clock=clock, channel_id=f"C0NET{n}") for n in range(3)]
    services = make_services(sessions, clock)
    for network_id in networks:
        posted(services, services.checkin_polls.claim_manual_poll(network_id=network_id, user_id=FACILITATOR))
    clock.advance(timedelta(days=4))

    closing = services.checkin_polls.claim_due_closings()
    first = next(closing)
    statuses = sorted(str(poll.status) for poll in all_rows(sessions, CheckinPoll))
    assert statuses == ["closing", "open", "open"]  # the others are not claimed before their turn
    clock.advance(CLAIM_TIMEOUT)  # marking the first closed waited out a long rate limit
    services.checkin_polls.record_closed(poll_id=first.poll_id, results_ts="1789000000.000200")
    rest = list(closing)
    assert len(rest) == 2 and services.checkin_polls.stale_claims() == ([], [])


def test_a_claim_is_taken_over_once_its_process_stops_beating_and_not_while_it_beats(
    sessions, clock: ManualClock
) -> None:
    network_id = make_network(sessions, clock=clock)
    at(clock, 2026, 9, 21, 8, 0)
    first, second = (ProcessRegistry(sessions=sessions, clock=clock, process_id=p) for p in ("een", "twee"))
    first.beat()
    second.beat()
    claimant = CheckinPollService(sessions=sessions, clock=clock, process_id="een")
    recoverer = CheckinPollService(sessions=sessions, clock=clock, process_id="twee")
    post = claimant.claim_scheduled_poll(network_id=network_id)
    assert post is not None

    for _ in range(5):  # the claimant is slow (a long 429 wait, say) but alive
        clock.advance(BEAT_EVERY)
        first.beat()
        second.beat()
        assert recoverer.stale_claims() == ([], [])
    assert claimant.stale_claims() == ([], [])  # nor does a process take over its own claim

    clock.advance(LEASE)  # ...and then it is killed: three beats missed
    second.beat()
    assert recoverer.stale_claims() == ([], [])
    clock.advance(timedelta(seconds=1))
    second.beat()
    posts, _ = recoverer.stale_claims()
    assert [p.key for p in posts] == [post.key]
    assert recoverer.stale_claims() == ([], [])  # taken once, now in the recoverer's name
    first.beat()  # the first process coming back does not get it back either
    assert claimant.stale_claims() == ([], [])


def test_a_process_that_signed_off_leaves_nothing_to_wait_for(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock)
    at(clock, 2026, 9, 21, 8, 0)
    registry = ProcessRegistry(sessions=sessions, clock=clock, process_id="een")
    registry.beat()
    post = CheckinPollService(sessions=sessions, clock=clock, process_id="een").claim_scheduled_poll(
        network_id=network_id
    )
    assert post is not None
    registry.leave()
    posts, _ = CheckinPollService(sessions=sessions, clock=clock, process_id="twee").stale_claims()
    assert [p.key for p in posts] == [post.key]


def test_a_poll_that_could_never_be_posted_is_given_up_when_it_would_have_closed(
    sessions, clock: ManualClock
) -> None:
    network_id = make_network(sessions, clock=clock)
    services = make_services(sessions, clock)
    services.checkin_polls.claim_manual_poll(network_id=network_id, user_id=FACILITATOR)
    clock.advance(timedelta(days=4))
    assert services.checkin_polls.stale_claims() == ([], [])
    [poll] = all_rows(sessions, CheckinPoll)
    assert poll.status == PollStatus.CLOSED and poll.message_ts is None
    assert exported_polls(sessions, network_id) == []
