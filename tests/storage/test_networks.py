from datetime import UTC
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from functools import partial

import pytest
from sqlalchemy import text

from bot.clock import ManualClock
from bot.errors import ChannelAlreadyLinked
from bot.errors import InvalidInput
from bot.services import access
from bot.services.networks import NetworkService
from storage.db import unit_of_work
from storage.models import Role
from tests.factories import make_network
from tests.factories import network_details
from tests.together import run_together

# Channel C1 of workspace T1, started by U1 with U2 and U3 in it.
NETWORK = {
    "team_id": "T1",
    "channel_id": "C1",
    "facilitator_id": "U1",
    "member_ids": ["U1", "U2", "U3"],
    "name": "Lerend netwerk jeugdhulp",
    "goal": "Samen sterker in moeilijke gesprekken",
}
DETAILS = network_details(name=NETWORK["name"], goal=NETWORK["goal"])


def link(sessions, clock, **overrides) -> int:  # type: ignore[no-untyped-def]
    return make_network(sessions, clock=clock, **{**NETWORK, **overrides})


def test_linking_makes_the_caller_facilitator_and_the_channel_members_participants(sessions, clock) -> None:
    service = NetworkService(sessions=sessions, clock=clock)
    link(sessions, clock)

    overview = service.find_by_channel(team_id="T1", channel_id="C1")
    assert overview is not None
    assert overview.network.name == "Lerend netwerk jeugdhulp"
    assert overview.network.created_at == clock.now()
    roles = {m.user_id: m.role for m in overview.memberships}
    assert roles == {"U1": Role.FACILITATOR, "U2": Role.PARTICIPANT, "U3": Role.PARTICIPANT}
    assert overview.facilitator_ids == ["U1"]


def test_a_facilitator_outside_the_member_list_is_still_recorded(sessions, clock) -> None:
    service = NetworkService(sessions=sessions, clock=clock)
    link(sessions, clock, facilitator_id="U9", member_ids=["U2"])
    overview = service.find_by_channel(team_id="T1", channel_id="C1")
    assert {m.user_id for m in overview.memberships} == {"U9", "U2"}


def test_timestamps_come_back_aware_and_in_utc(sessions) -> None:
    brussels = timezone(timedelta(hours=2))
    clock = ManualClock(datetime(2026, 6, 1, 12, 0, tzinfo=brussels))
    service = NetworkService(sessions=sessions, clock=clock)
    link(sessions, clock)
    created = service.find_by_channel(team_id="T1", channel_id="C1").network.created_at
    assert created == datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
    assert created.utcoffset() == timedelta(0)


def test_a_second_link_is_refused_and_changes_nothing(sessions, clock) -> None:
    service = NetworkService(sessions=sessions, clock=clock)
    link(sessions, clock)
    with pytest.raises(ChannelAlreadyLinked) as refused:
        link(sessions, clock, facilitator_id="U7", member_ids=["U7", "U8"])
    assert refused.value.values["name"] == DETAILS.name
    overview = service.find_by_channel(team_id="T1", channel_id="C1")
    assert {m.user_id for m in overview.memberships} == {"U1", "U2", "U3"}


def test_two_simultaneous_links_leave_exactly_one_network(sessions, clock) -> None:
    def attempt(user: str) -> str:
        try:
            link(sessions, clock, facilitator_id=user, member_ids=[user])
        except ChannelAlreadyLinked:
            return "refused"
        return "linked"

    outcomes = run_together(*(partial(attempt, f"U{i}") for i in range(4)))
    assert sorted(outcomes) == ["linked", "refused", "refused", "refused"]
    with sessions() as session:
        assert session.execute(text("SELECT count(*) FROM network")).scalar() == 1
        assert session.execute(text("SELECT count(*) FROM membership")).scalar() == 1


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("name", "   ", "validation.required"),
        ("name", "x" * 81, "validation.too_long"),
        ("goal", "x" * 1001, "validation.too_long"),
        ("origin", "by accident", "validation.choose_one"),
        ("composition", "", "validation.choose_one"),
        ("language", "de", "validation.choose_one"),
        ("timezone", "Mars/Olympus_Mons", "validation.unknown_timezone"),
        ("timezone", "../../etc/passwd", "validation.unknown_timezone"),
    ],
)
def test_bad_details_are_refused_and_nothing_is_written(sessions, clock, field, value, problem) -> None:
    service = NetworkService(sessions=sessions, clock=clock)
    with pytest.raises(InvalidInput) as refused:
        link(sessions, clock, **{field: value})
    assert refused.value.problems[field][0] == problem
    assert service.find_by_channel(team_id="T1", channel_id="C1") is None


def test_a_name_of_exactly_the_limit_is_accepted(sessions, clock) -> None:
    service = NetworkService(sessions=sessions, clock=clock)
    link(sessions, clock, name="n" * 80)
    assert service.find_by_channel(team_id="T1", channel_id="C1").network.name == "n" * 80


def test_the_same_channel_id_in_another_workspace_is_another_network(sessions, clock) -> None:
    service = NetworkService(sessions=sessions, clock=clock)
    link(sessions, clock)
    service.link_channel(
        team_id="T2", channel_id="C1", facilitator_id="U5", details=DETAILS, channel_member_ids=[]
    )
    assert service.find_by_channel(team_id="T2", channel_id="C1").facilitator_ids == ["U5"]


def test_membership_rules(sessions, clock) -> None:
    from bot.errors import ChannelNotLinked
    from bot.errors import NotAFacilitator
    from bot.errors import NotAMember

    service = NetworkService(sessions=sessions, clock=clock)
    with pytest.raises(ChannelNotLinked):
        service.require_network(team_id="T1", channel_id="C1")
    link(sessions, clock)
    overview = service.require_network(team_id="T1", channel_id="C1")
    assert overview.require_member("U2").role == Role.PARTICIPANT
    with pytest.raises(NotAMember):
        overview.require_member("U99")
    with unit_of_work(sessions) as session:
        network = access.linked_network(session, team_id="T1", channel_id="C1")
        assert access.facilitator(session, network, "U1").role == Role.FACILITATOR
        assert access.member(session, network, "U2").role == Role.PARTICIPANT
        with pytest.raises(NotAFacilitator):
            access.facilitator(session, network, "U2")
        with pytest.raises(NotAMember):
            access.member(session, network, "U99")


def test_an_event_is_claimed_once(sessions, clock) -> None:
    from storage import queries
    from storage.db import unit_of_work

    with unit_of_work(sessions) as session:
        assert queries.claim_event(session=session, event_id="Ev1", received_at=clock.now())
    with unit_of_work(sessions) as session:
        assert not queries.claim_event(session=session, event_id="Ev1", received_at=clock.now())
    with pytest.raises(RuntimeError), unit_of_work(sessions) as session:
        assert queries.claim_event(session=session, event_id="Ev2", received_at=clock.now())
        raise RuntimeError("the effect failed half-way")
    with unit_of_work(sessions) as session:
        assert queries.claim_event(session=session, event_id="Ev2", received_at=clock.now())
