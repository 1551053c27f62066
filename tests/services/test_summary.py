"""The summary on SQLite and PostgreSQL: what it says of a rich network and of a new one, what it keeps
from the channel, its fixed number of queries, and the digest claimed once per run."""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta

import pytest

from bench.networks import counted_statements
from bench.summary_history import HistorySize
from bench.summary_history import write_history
from bot.clock import ManualClock
from bot.errors import NotAFacilitator
from bot.errors import NotAMember
from bot.services.checkin_common import SCALE
from bot.services.outbox import Outbox
from bot.services.summary import Attention
from bot.services.summary import SummaryService
from bot.services.summary import score_of
from storage.models import DigestFrequency
from tests.factories import case_intake
from tests.factories import case_service
from tests.factories import make_network
from tests.services.checkin_factories import FACILITATOR
from tests.services.checkin_factories import MEMBERS

ALL_MEMBERS = [FACILITATOR, *MEMBERS]


def summaries(sessions, clock: ManualClock) -> SummaryService:
    return SummaryService(sessions=sessions, clock=clock, outbox=Outbox(clock=clock, process_id=None))


def test_a_new_network_reads_as_new_with_nothing_to_count(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock)

    summary = summaries(sessions, clock).build(network_id=network_id)

    assert summary.is_new
    assert summary.member_count == 4
    assert summary.introduced == 0
    assert summary.agreements_accepted is None
    assert summary.cases.total == 0
    assert summary.trend == [] and summary.meetings == [] and summary.last_meeting is None
    assert summary.contribution.advice_total == 0
    assert sorted(summary.quiet_member_ids) == sorted(ALL_MEMBERS)
    kinds = {point.kind for point in summary.attention}
    assert kinds == {Attention.NOT_INTRODUCED, Attention.NO_AGREEMENTS, Attention.TOO_FEW_MEMBERS}


def test_a_rich_network_is_counted_by_the_database(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock)
    clock.advance(timedelta(days=730))
    size = HistorySize(polls=10, cases=30, advice=100, meetings=5)
    write_history(sessions, network_id=network_id, members=ALL_MEMBERS, now=clock.now(), size=size)

    summary = summaries(sessions, clock).build(network_id=network_id)

    assert not summary.is_new
    assert summary.introduced == 3  # one in four did not introduce themselves
    assert summary.agreements_accepted == 3
    assert summary.top_goals[0].text == "Moeilijke gesprekken met ouders"
    assert summary.top_goals[0].votes == 4
    cases = summary.cases
    assert cases.total == 30
    assert cases.confidential == 3
    assert cases.closed == 9  # cases 0, 3, ..., 27 are closed; 9 (n=9) among them is confidential
    assert cases.open_with_advice + cases.open_without_advice == 18
    # Confidential cases by title only: none of their lessons shows.
    assert all("Les 10:" not in lesson.lesson for lesson in summary.lessons)
    assert len(summary.confidential_titles) == 3
    assert summary.lessons[0].case_title.startswith("Casus 28")
    assert summary.contribution.advice_total == 100
    assert summary.contribution.cases_total == 30
    # Only the first two members give advice and bring cases: the others are named for facilitators.
    assert sorted(summary.quiet_member_ids) == sorted(ALL_MEMBERS[2:])
    assert summary.contribution.contributors == 2
    assert len(summary.trend) == 10
    # Each member answers once; the first changed their mind, and their last answer counts.
    assert all(point.respondents == 4 for point in summary.trend)
    assert summary.trend[0].answers[SCALE[4]] == 0
    assert summary.last_meeting is not None
    assert summary.last_meeting.point.responses == 4
    assert summary.last_meeting.takeaways == ["Inzicht 0", "Inzicht 1"]


def test_cases_without_advice_for_a_week_deserve_attention(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock)
    cases = case_service(sessions, clock)
    intake = case_intake(title="Een vader die <!channel> roept")
    cases.bring(team_id="T0NETWERK", channel_id="C0NETWERK", owner_id=MEMBERS[0], intake=intake)
    service = summaries(sessions, clock)

    assert service.build(network_id=network_id).cases.waiting_long == 0
    clock.advance(timedelta(days=8))
    summary = service.build(network_id=network_id)

    assert summary.cases.waiting_long == 1
    assert summary.waiting_titles == ["Een vader die <!channel> roept"]
    assert Attention.CASES_WAITING in {point.kind for point in summary.attention}
    assert MEMBERS[0] not in summary.quiet_member_ids


def test_the_number_of_queries_does_not_grow_with_the_history(sessions, clock: ManualClock) -> None:
    small = make_network(sessions, clock=clock, channel_id="C0KLEIN")
    large = make_network(sessions, clock=clock, channel_id="C0GROOT")
    clock.advance(timedelta(days=730))
    for network_id, size in (
        (small, HistorySize(polls=3, cases=10, advice=20, meetings=2)),
        (large, HistorySize(polls=30, cases=120, advice=600, meetings=20)),
    ):
        write_history(sessions, network_id=network_id, members=ALL_MEMBERS, now=clock.now(), size=size)
    service = summaries(sessions, clock)

    with counted_statements(sessions().get_bind()) as few:
        service.build(network_id=small)
    with counted_statements(sessions().get_bind()) as many:
        service.build(network_id=large)

    assert len(few) == len(many)
    assert len(many) <= 21  # one of them asks whether the network is being closed (its wrap-up)


def test_the_score_runs_from_five_for_the_best_answer_to_one() -> None:
    assert score_of(dict.fromkeys(SCALE, 0)) is None
    assert score_of({SCALE[0]: 2, SCALE[4]: 2}) == 3.0
    assert score_of({SCALE[0]: 1}) == 5.0


# ---------------------------------------------------------------------- the digest


def test_the_digest_comes_monthly_by_default_and_is_claimed_once(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock)  # Monday 14 September 2026
    service = summaries(sessions, clock)
    overview = service.digest_overview(network_id=network_id)
    assert overview.frequency == DigestFrequency.MONTHLY
    # The first Monday of October, 9:00 in Brussels.
    assert overview.next_run_at == datetime(2026, 10, 5, 7, 0, tzinfo=UTC)

    assert service.claim_digest(network_id=network_id) is None
    clock.set(datetime(2026, 10, 5, 7, 1, tzinfo=UTC))
    assert service.due_digests() == [network_id]
    claim = service.claim_digest(network_id=network_id)
    assert claim is not None and claim.key == f"summary/{network_id}/{date(2026, 10, 5).isoformat()}"
    assert service.claim_digest(network_id=network_id) is None
    assert service.due_digests() == []


def test_only_a_facilitator_may_change_the_digest_every_member_sees_it(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock)
    service = summaries(sessions, clock)
    facilitators = service.digest_for(network_id=network_id, user_id=FACILITATOR)
    members = service.digest_for(network_id=network_id, user_id=MEMBERS[0])
    assert (facilitators.may_change, members.may_change) == (True, False)
    assert members.overview == facilitators.overview == service.digest_overview(network_id=network_id)
    with pytest.raises(NotAMember):
        service.digest_for(network_id=network_id, user_id="U_OUTSIDER")


def test_a_facilitator_turns_the_digest_off(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock)
    service = summaries(sessions, clock)
    with pytest.raises(NotAFacilitator):
        service.change_digest(network_id=network_id, user_id=MEMBERS[0], frequency="off")

    overview = service.change_digest(network_id=network_id, user_id=FACILITATOR, frequency="off")

    assert overview.frequency == DigestFrequency.OFF and overview.next_run_at is None
    clock.set(datetime(2026, 10, 5, 7, 1, tzinfo=UTC))
    assert service.due_digests() == []
    assert service.claim_digest(network_id=network_id) is None


def test_a_digest_left_half_done_is_taken_up_again(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock)
    service = summaries(sessions, clock)
    clock.set(datetime(2026, 10, 5, 7, 1, tzinfo=UTC))
    claim = service.claim_digest(network_id=network_id)
    assert claim is not None
    assert service.stale_digests() == []

    clock.advance(timedelta(minutes=6))
    stale = service.stale_digests()

    assert [c.key for c in stale] == [claim.key]
    service.record_digest_posted(run_id=claim.run_id, message_ts="1.2")
    clock.advance(timedelta(minutes=6))
    assert service.stale_digests() == []
