"""The check-in service on SQLite and PostgreSQL: claims that hold once, anonymous answers, results."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import inspect
from sqlmodel import select

from bot.clock import ManualClock
from bot.errors import (
    InvalidInput,
    NoOpenPoll,
    NotAFacilitator,
    NotAMember,
    PollAlreadyOpen,
    PollAlreadyPostedToday,
    PollClosed,
    PollNotFound,
)
from bot.services.checkins import (
    CATCH_UP_GRACE,
    CLAIM_TIMEOUT,
    CheckinService,
    Respondents,
    derive_answer_key,
)
from bot.services.processes import BEAT_EVERY, LEASE, ProcessRegistry
from storage.models import CheckinAnswer, CheckinPoll, CheckinReaction
from storage.models.checkins import PollStatus
from tests.factories import FACILITATOR_ID, MEMBER_IDS, make_network, schedule_form

# The factories' network (started now: by default Monday 14 September 2026, 10:00 in Brussels) has these four.
FACILITATOR = FACILITATOR_ID
MEMBERS = MEMBER_IDS
KEY = derive_answer_key("test-signing-secret")


def service(sessions, clock: ManualClock, key: bytes = KEY) -> CheckinService:
    return CheckinService(sessions=sessions, clock=clock, respondents=Respondents(key))


def posted(checkins: CheckinService, post, ts: str = "1789000000.000100") -> str:
    checkins.record_posted(poll_id=post.poll_id, message_ts=ts)
    checkins.record_opened(poll_id=post.poll_id)
    return ts


def all_rows(sessions, model: type) -> list:
    with sessions() as session:
        return list(session.exec(select(model)))


def at(clock: ManualClock, *args: int) -> None:
    clock.set(datetime(*args, tzinfo=UTC))


# ---------------------------------------------------------------------- scheduled runs


def test_the_default_schedule_starts_with_the_first_monday_after_the_kickoff(
    sessions, clock: ManualClock
) -> None:
    network_id = make_network(sessions, clock=clock)
    checkins = service(sessions, clock)

    overview = checkins.schedule_overview(network_id=network_id)

    assert overview.is_default and overview.open_days == 3 and overview.anonymity_threshold == 3
    assert overview.next_run == datetime(2026, 9, 21, 8, 0, tzinfo=UTC)
    assert checkins.claim_scheduled_poll(network_id=network_id) is None  # the kickoff itself is not polled
    at(clock, 2026, 9, 28, 8, 0)
    assert checkins.claim_scheduled_poll(network_id=network_id) is None  # every two weeks: not this Monday


def test_a_scheduled_run_is_claimed_once_whoever_asks(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock)
    at(clock, 2026, 9, 21, 8, 0)
    first, second = service(sessions, clock), service(sessions, clock, key=b"another process's key")

    post = first.claim_scheduled_poll(network_id=network_id)

    assert post is not None and post.key == f"checkin/{network_id}/2026-09-21"
    assert post.closes_at == datetime(2026, 9, 24, 8, 0, tzinfo=UTC)
    assert first.claim_scheduled_poll(network_id=network_id) is None
    assert second.claim_scheduled_poll(network_id=network_id) is None
    clock.advance(timedelta(hours=1))
    assert second.claim_scheduled_poll(network_id=network_id) is None
    assert len(all_rows(sessions, CheckinPoll)) == 1


def test_racing_claims_of_one_run_give_exactly_one_poll(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock)
    at(clock, 2026, 9, 21, 8, 0)
    results: list[object] = []
    barrier = threading.Barrier(6)

    def claim() -> None:
        checkins = service(sessions, clock)
        barrier.wait()
        results.append(checkins.claim_scheduled_poll(network_id=network_id))

    threads = [threading.Thread(target=claim) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len([r for r in results if r is not None]) == 1
    assert len(all_rows(sessions, CheckinPoll)) == 1


def test_a_run_missed_while_down_is_posted_within_the_grace_period_only(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock)
    checkins = service(sessions, clock)

    clock.set(datetime(2026, 9, 21, 8, 0, tzinfo=UTC) + CATCH_UP_GRACE + timedelta(minutes=1))
    assert checkins.due_runs() == []
    assert checkins.claim_scheduled_poll(network_id=network_id) is None

    clock.set(datetime(2026, 10, 5, 8, 0, tzinfo=UTC) + CATCH_UP_GRACE - timedelta(minutes=1))
    assert checkins.due_runs() == [network_id]
    post = checkins.claim_scheduled_poll(network_id=network_id)
    assert post is not None and post.key.endswith("2026-10-05")
    # It closes when the run would have closed: the rhythm does not shift.
    assert post.closes_at == datetime(2026, 10, 8, 8, 0, tzinfo=UTC)
    assert checkins.due_runs() == []


def test_a_trigger_firing_twice_in_the_autumn_fold_posts_once(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock)
    checkins = service(sessions, clock)
    checkins.change_schedule(
        network_id=network_id, user_id=FACILITATOR, form=schedule_form(weekday="6", time="02:30")
    )

    at(clock, 2026, 10, 25, 0, 30)  # 02:30 summer time
    assert checkins.claim_scheduled_poll(network_id=network_id) is not None
    at(clock, 2026, 10, 25, 1, 30)  # 02:30 winter time, where a CronTrigger fires again
    assert checkins.claim_scheduled_poll(network_id=network_id) is None
    assert [p.run_date for p in all_rows(sessions, CheckinPoll)] == [date(2026, 10, 25)]


def test_a_time_in_the_spring_gap_is_posted_once_after_the_gap(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock)
    checkins = service(sessions, clock)
    checkins.change_schedule(
        network_id=network_id, user_id=FACILITATOR, form=schedule_form(weekday="6", time="02:30")
    )

    at(clock, 2027, 3, 28, 1, 29)  # 02:29 winter time: not yet
    assert checkins.claim_scheduled_poll(network_id=network_id) is None
    at(clock, 2027, 3, 28, 1, 30)  # 03:30 summer time
    post = checkins.claim_scheduled_poll(network_id=network_id)
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
    checkins = service(sessions, clock)
    assert checkins.due_runs() == [] and checkins.claim_scheduled_poll(network_id=network_id) is None
    assert checkins.active_rules() == {}


# ---------------------------------------------------------------------- a poll now


def test_a_poll_now_is_for_facilitators_and_one_at_a_time(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock)
    checkins = service(sessions, clock)

    with pytest.raises(NotAFacilitator):
        checkins.claim_manual_poll(network_id=network_id, user_id=MEMBERS[0])
    with pytest.raises(NotAMember):
        checkins.claim_manual_poll(network_id=network_id, user_id="U0KAREL")
    post = checkins.claim_manual_poll(network_id=network_id, user_id=FACILITATOR)
    with pytest.raises(PollAlreadyOpen):
        checkins.claim_manual_poll(network_id=network_id, user_id=FACILITATOR)

    posted(checkins, post)
    checkins.close_now(network_id=network_id, user_id=FACILITATOR)
    with pytest.raises(PollAlreadyPostedToday):
        checkins.claim_manual_poll(network_id=network_id, user_id=FACILITATOR)
    clock.advance(timedelta(days=1))
    assert checkins.claim_manual_poll(network_id=network_id, user_id=FACILITATOR) is not None


# ---------------------------------------------------------------------- answers


def test_reactions_give_one_answer_per_member(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock)
    checkins = service(sessions, clock)
    post = checkins.claim_manual_poll(network_id=network_id, user_id=FACILITATOR)
    ts = posted(checkins, post)

    def react(user: str, emoji: str, event: str, *, added: bool = True, seconds: int = 0) -> bool:
        return checkins.record_reaction(
            channel_id="C0NETWERK",
            message_ts=ts,
            user_id=user,
            emoji=emoji,
            added=added,
            event_id=event,
            reacted_at=clock.now() + timedelta(seconds=seconds),
        )

    assert react(MEMBERS[0], "grinning", "Ev1")
    assert not react(MEMBERS[0], "grinning", "Ev1")  # the same delivery again
    assert not react(MEMBERS[0], "grinning", "Ev2")  # the same reaction again
    assert react(MEMBERS[0], "neutral_face", "Ev3", seconds=5)  # a change of mind
    assert not react(MEMBERS[1], "thumbsup", "Ev4")  # not on the scale
    assert not react("U0KAREL", "grinning", "Ev5")  # not a member
    assert not checkins.record_reaction(
        channel_id="C0NETWERK",
        message_ts="1.2",
        user_id=MEMBERS[1],
        emoji="grinning",
        added=True,
        event_id="Ev6",
    )  # not a poll
    # Out of order: a reaction Slack stamped earlier but delivered later does not win.
    assert react(MEMBERS[1], "disappointed", "Ev7", seconds=10)
    assert react(MEMBERS[1], "grinning", "Ev8", seconds=9)

    results = checkins.results(poll_id=post.poll_id)
    assert results is not None
    assert results.distribution == {
        "grinning": 0,
        "slightly_smiling_face": 0,
        "neutral_face": 1,
        "slightly_frowning_face": 0,
        "disappointed": 1,
    }
    assert results.respondent_count == 2


def test_written_answers_keep_no_user_id_and_one_per_person_and_question(
    sessions, clock: ManualClock
) -> None:
    network_id = make_network(sessions, clock=clock)
    checkins = service(sessions, clock)
    post = checkins.claim_manual_poll(network_id=network_id, user_id=FACILITATOR)
    posted(checkins, post)

    checkins.save_answer(
        poll_id=post.poll_id, user_id=MEMBERS[0], question="goes_well", text="  De sfeer ", signed=False
    )
    checkins.save_answer(
        poll_id=post.poll_id, user_id=MEMBERS[0], question="goes_well", text="De casussen", signed=False
    )
    checkins.save_answer(
        poll_id=post.poll_id, user_id=MEMBERS[0], question="could_be_better", text="Tijd", signed=True
    )
    draft = checkins.answer_draft(poll_id=post.poll_id, user_id=MEMBERS[0], question="goes_well")

    answers = all_rows(sessions, CheckinAnswer)
    assert sorted((a.question, a.text, a.signed_by) for a in answers) == [
        ("could_be_better", "Tijd", MEMBERS[0]),
        ("goes_well", "De casussen", None),
    ]
    anonymous = next(a for a in answers if a.signed_by is None)
    assert MEMBERS[0] not in anonymous.respondent
    assert anonymous.respondent == Respondents(KEY).of_poll(post.poll_id, MEMBERS[0])
    assert anonymous.respondent != Respondents(KEY).of_poll(post.poll_id + 1, MEMBERS[0])  # polls do not link
    assert anonymous.respondent != Respondents(b"another key").of_poll(post.poll_id, MEMBERS[0])
    assert draft.text == "De casussen" and not draft.signed
    # No column of the answer tables could hold a time or a user id, except the signature.
    columns = {c["name"] for c in inspect(sessions().get_bind()).get_columns("checkin_answer")}
    assert columns == {"id", "poll_id", "question", "respondent", "text", "signed_by"}


def test_answers_are_refused_when_empty_too_long_closed_or_not_a_member(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock)
    checkins = service(sessions, clock)
    post = checkins.claim_manual_poll(network_id=network_id, user_id=FACILITATOR)
    posted(checkins, post)

    with pytest.raises(InvalidInput) as empty:
        checkins.save_answer(
            poll_id=post.poll_id, user_id=MEMBERS[0], question="goes_well", text=" ", signed=False
        )
    assert empty.value.problems == {"text": ("validation.required", {})}
    with pytest.raises(InvalidInput):
        checkins.save_answer(
            poll_id=post.poll_id, user_id=MEMBERS[0], question="goes_well", text="x" * 1001, signed=False
        )
    with pytest.raises(NotAMember):
        checkins.save_answer(
            poll_id=post.poll_id, user_id="U0KAREL", question="goes_well", text="Hallo", signed=False
        )
    with pytest.raises(PollNotFound):
        checkins.answer_draft(poll_id=post.poll_id, user_id=MEMBERS[0], question="drop_table")
    with pytest.raises(PollNotFound):
        checkins.answer_draft(poll_id=999, user_id=MEMBERS[0], question="goes_well")
    checkins.close_now(network_id=network_id, user_id=FACILITATOR)
    with pytest.raises(PollClosed):
        checkins.save_answer(
            poll_id=post.poll_id, user_id=MEMBERS[0], question="goes_well", text="Laat", signed=False
        )
    assert all_rows(sessions, CheckinAnswer) == []


# ---------------------------------------------------------------------- closing and results


def test_a_poll_closes_once_with_its_results(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock)
    first, second = service(sessions, clock), service(sessions, clock)
    post = first.claim_manual_poll(network_id=network_id, user_id=FACILITATOR)
    posted(first, post)
    for user, text in (
        (MEMBERS[0], "b: de sfeer"),
        (MEMBERS[1], "A: de casussen"),
        (MEMBERS[2], "c: de koffie"),
    ):
        first.save_answer(poll_id=post.poll_id, user_id=user, question="goes_well", text=text, signed=False)

    assert list(first.claim_due_closings()) == []  # not yet
    clock.advance(timedelta(days=3))
    [results] = first.claim_due_closings()
    assert list(second.claim_due_closings()) == [] and list(first.claim_due_closings()) == []
    with pytest.raises(NoOpenPoll):
        second.close_now(network_id=network_id, user_id=FACILITATOR)

    assert results.shows_answers and results.respondent_count == 3 and results.member_count == 4
    assert [a.text for a in results.goes_well] == ["A: de casussen", "b: de sfeer", "c: de koffie"]
    first.record_closed(poll_id=post.poll_id, results_ts="1789000001.000100")
    [poll] = all_rows(sessions, CheckinPoll)
    assert poll.status == PollStatus.CLOSED and poll.results_ts == "1789000001.000100"


def test_below_the_threshold_the_results_hold_back_the_answers(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock)
    checkins = service(sessions, clock)
    checkins.change_schedule(
        network_id=network_id, user_id=FACILITATOR, form=schedule_form(anonymity_threshold="4")
    )
    post = checkins.claim_manual_poll(network_id=network_id, user_id=FACILITATOR)
    posted(checkins, post)
    for user in MEMBERS:
        checkins.save_answer(
            poll_id=post.poll_id, user_id=user, question="goes_well", text="Goed", signed=False
        )

    results = checkins.close_now(network_id=network_id, user_id=FACILITATOR)

    assert results.respondent_count == 3 and results.anonymity_threshold == 4
    assert not results.shows_answers


def test_the_threshold_goes_up_never_down_and_only_facilitators_change_the_schedule(
    sessions, clock: ManualClock
) -> None:
    network_id = make_network(sessions, clock=clock)
    checkins = service(sessions, clock)

    with pytest.raises(NotAFacilitator):
        checkins.change_schedule(network_id=network_id, user_id=MEMBERS[0], form=schedule_form())
    checkins.change_schedule(
        network_id=network_id, user_id=FACILITATOR, form=schedule_form(anonymity_threshold="5")
    )
    with pytest.raises(InvalidInput) as lower:
        checkins.change_schedule(
            network_id=network_id, user_id=FACILITATOR, form=schedule_form(anonymity_threshold="4")
        )
    assert lower.value.problems == {
        "anonymity_threshold": ("checkins.validation.threshold_lower", {"current": 5})
    }
    with pytest.raises(InvalidInput) as bad:
        checkins.change_schedule(
            network_id=network_id,
            user_id=FACILITATOR,
            form=schedule_form(
                frequency="daily",
                weekday="7",
                time="24:00",
                open_days="30",
                reminders="maybe",
                anonymity_threshold="5",
            ),
        )
    assert set(bad.value.problems) == {"frequency", "weekday", "time", "open_days", "reminders"}
    assert checkins.schedule_overview(network_id=network_id).anonymity_threshold == 5


def test_changing_only_the_threshold_keeps_the_rhythm(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock)
    checkins = service(sessions, clock)
    before = checkins.change_schedule(
        network_id=network_id, user_id=FACILITATOR, form=schedule_form(frequency="biweekly")
    )
    clock.advance(timedelta(days=8))
    after = checkins.change_schedule(
        network_id=network_id,
        user_id=FACILITATOR,
        form=schedule_form(frequency="biweekly", anonymity_threshold="6"),
    )
    assert after.rule.anchor == before.rule.anchor
    retimed = checkins.change_schedule(
        network_id=network_id,
        user_id=FACILITATOR,
        form=schedule_form(frequency="biweekly", time="11:00", anonymity_threshold="6"),
    )
    assert retimed.rule.anchor == date(2026, 9, 28)


# ---------------------------------------------------------------------- reminders and recovery


def test_the_halfway_reminder_goes_once_to_who_has_not_answered(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock)
    checkins = service(sessions, clock)
    post = checkins.claim_manual_poll(network_id=network_id, user_id=FACILITATOR)
    ts = posted(checkins, post)
    checkins.record_reaction(
        channel_id="C0NETWERK",
        message_ts=ts,
        user_id=MEMBERS[0],
        emoji="grinning",
        added=True,
        event_id="Ev1",
    )
    checkins.save_answer(
        poll_id=post.poll_id, user_id=MEMBERS[1], question="could_be_better", text="X", signed=False
    )

    clock.advance(timedelta(hours=35))
    assert checkins.claim_due_reminders() == []
    clock.advance(timedelta(hours=1))
    [reminder] = checkins.claim_due_reminders()
    assert sorted(reminder.user_ids) == sorted([FACILITATOR, MEMBERS[2]])
    assert service(sessions, clock).claim_due_reminders() == []


def test_reminders_can_be_switched_off(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock)
    checkins = service(sessions, clock)
    checkins.change_schedule(network_id=network_id, user_id=FACILITATOR, form=schedule_form(reminders="off"))
    posted(checkins, checkins.claim_manual_poll(network_id=network_id, user_id=FACILITATOR))
    clock.advance(timedelta(days=2))
    assert checkins.claim_due_reminders() == []


def test_a_claim_left_by_a_dead_process_is_taken_up_once_after_the_timeout(
    sessions, clock: ManualClock
) -> None:
    network_id = make_network(sessions, clock=clock)
    at(clock, 2026, 9, 21, 8, 0)
    checkins = service(sessions, clock)
    post = checkins.claim_scheduled_poll(network_id=network_id)
    assert post is not None
    # ...and the process dies before posting.

    assert checkins.stale_claims() == ([], [])  # it may still be posting
    clock.advance(CLAIM_TIMEOUT + timedelta(seconds=1))
    posts, closes = checkins.stale_claims()
    assert [p.key for p in posts] == [post.key] and closes == []
    assert service(sessions, clock).stale_claims() == ([], [])  # taken by the first recovery

    posted(checkins, post)
    clock.advance(timedelta(days=3))
    [results] = checkins.claim_due_closings()
    # ...and the process dies before the results are out.
    clock.advance(CLAIM_TIMEOUT + timedelta(seconds=1))
    posts, closes = checkins.stale_claims()
    assert posts == [] and [r.poll_id for r in closes] == [results.poll_id]


def test_closes_are_claimed_one_at_a_time_so_a_slow_run_of_them_leaves_none_to_go_stale(
    sessions, clock: ManualClock
) -> None:
    networks = [make_network(sessions, clock=clock, channel_id=f"C0NET{n}") for n in range(3)]
    checkins = service(sessions, clock)
    for network_id in networks:
        posted(checkins, checkins.claim_manual_poll(network_id=network_id, user_id=FACILITATOR))
    clock.advance(timedelta(days=4))

    closing = checkins.claim_due_closings()
    first = next(closing)
    statuses = sorted(str(poll.status) for poll in all_rows(sessions, CheckinPoll))
    assert statuses == ["closing", "open", "open"]  # the others are not claimed before their turn
    clock.advance(CLAIM_TIMEOUT)  # marking the first closed waited out a long rate limit
    checkins.record_closed(poll_id=first.poll_id, results_ts="1789000000.000200")
    rest = list(closing)
    assert len(rest) == 2 and checkins.stale_claims() == ([], [])


def test_a_claim_is_taken_over_once_its_process_stops_beating_and_not_while_it_beats(
    sessions, clock: ManualClock
) -> None:
    network_id = make_network(sessions, clock=clock)
    at(clock, 2026, 9, 21, 8, 0)
    first, second = (ProcessRegistry(sessions=sessions, clock=clock, process_id=p) for p in ("een", "twee"))
    first.beat()
    second.beat()
    claimant = CheckinService(sessions=sessions, clock=clock, process_id="een")
    recoverer = CheckinService(sessions=sessions, clock=clock, process_id="twee")
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
    post = CheckinService(sessions=sessions, clock=clock, process_id="een").claim_scheduled_poll(
        network_id=network_id
    )
    assert post is not None
    registry.leave()
    posts, _ = CheckinService(sessions=sessions, clock=clock, process_id="twee").stale_claims()
    assert [p.key for p in posts] == [post.key]


def test_a_poll_that_could_never_be_posted_is_given_up_when_it_would_have_closed(
    sessions, clock: ManualClock
) -> None:
    network_id = make_network(sessions, clock=clock)
    checkins = service(sessions, clock)
    checkins.claim_manual_poll(network_id=network_id, user_id=FACILITATOR)
    clock.advance(timedelta(days=4))
    assert checkins.stale_claims() == ([], [])
    [poll] = all_rows(sessions, CheckinPoll)
    assert poll.status == PollStatus.CLOSED and poll.message_ts is None
    assert checkins.export_polls(network_id=network_id) == []


def test_the_export_counts_distinct_users_and_names_only_who_signed(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock)
    checkins = service(sessions, clock)
    post = checkins.claim_manual_poll(network_id=network_id, user_id=FACILITATOR)
    ts = posted(checkins, post)
    for number, user in enumerate(MEMBERS):
        checkins.record_reaction(
            channel_id="C0NETWERK",
            message_ts=ts,
            user_id=user,
            emoji="grinning",
            added=True,
            event_id=f"Ev{number}",
        )
    checkins.save_answer(
        poll_id=post.poll_id, user_id=MEMBERS[0], question="goes_well", text="Anoniem", signed=False
    )
    checkins.save_answer(
        poll_id=post.poll_id, user_id=MEMBERS[1], question="goes_well", text="Getekend", signed=True
    )

    [exported] = checkins.export_polls(network_id=network_id)

    assert exported["reactions"]["grinning"] == 3 and exported["message_ts"] == ts
    assert exported["goes_well"] == ["Anoniem", "Getekend"] and exported["could_be_better"] == []
    assert exported["signed_answers"] == [
        {"question": "goes_well", "text": "Getekend", "user_id": MEMBERS[1]}
    ]
    text = str(exported)
    assert MEMBERS[0] not in text and MEMBERS[2] not in text
    assert all(r.respondent not in text for r in all_rows(sessions, CheckinReaction))


def test_the_reactions_on_the_message_at_closing_are_the_answers_events_or_not(
    sessions, clock: ManualClock
) -> None:
    network_id = make_network(sessions, clock=clock)
    checkins = service(sessions, clock)
    post = checkins.claim_manual_poll(network_id=network_id, user_id=FACILITATOR)
    ts = posted(checkins, post)
    for number, (user, emoji) in enumerate(((MEMBERS[0], "grinning"), (MEMBERS[1], "neutral_face"))):
        checkins.record_reaction(
            channel_id="C0NETWERK",
            message_ts=ts,
            user_id=user,
            emoji=emoji,
            added=True,
            event_id=f"Ev{number}",
        )
    # Never delivered: MEMBERS[1] took theirs off, MEMBERS[2] and the facilitator added one.
    on_message = {
        "grinning": [MEMBERS[0], "U0BOT"],
        "slightly_smiling_face::skin-tone-3": [MEMBERS[2], "U0NIETLID"],
        "disappointed": [FACILITATOR],
        "tada": [MEMBERS[1]],
    }
    assert checkins.reconcile_reactions(poll_id=post.poll_id, on_message=on_message) is True
    assert checkins.reconcile_reactions(poll_id=post.poll_id, on_message=on_message) is False

    results = checkins.results(poll_id=post.poll_id)
    assert results is not None
    assert results.distribution == {
        "grinning": 1,
        "slightly_smiling_face": 1,
        "neutral_face": 0,
        "slightly_frowning_face": 0,
        "disappointed": 1,
    }
    assert results.respondent_count == 3
