"""The case service on SQLite and PostgreSQL: who may do what, what is stored, and what deleting leaves."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import text

from bot.clock import ManualClock
from bot.errors import AdviceWaitsForRound
from bot.errors import AlreadyRecognised
from bot.errors import CaseClosed
from bot.errors import CaseDeleted
from bot.errors import CaseNotFound
from bot.errors import ChannelNotLinked
from bot.errors import InvalidInput
from bot.errors import NotAFacilitator
from bot.errors import NotAMember
from bot.errors import NotARoundLeader
from bot.errors import NotTheCaseOwner
from bot.errors import OwnCase
from bot.errors import RoundAlreadyStarted
from bot.errors import RoundStepPassed
from bot.services.cases import CaseService
from bot.services.cases import CaseState
from bot.services.cases import export_cases
from storage.db import SessionFactory
from storage.db import unit_of_work
from storage.models import CaseStatus
from tests.factories import accepted_agreements
from tests.factories import case_intake
from tests.factories import case_service
from tests.factories import make_network
from tests.together import run_together

FACILITATOR, OWNER, ADVISER, OTHER, OUTSIDER = "U1", "U2", "U3", "U4", "U99"

INTAKE = case_intake(title="  Ouders die niet opdagen ", help_wanted=("experiences", "advice"))


@pytest.fixture
def network_id(sessions: SessionFactory, clock: ManualClock) -> int:
    return make_network(
        sessions,
        clock=clock,
        team_id="T1",
        channel_id="C1",
        facilitator_id=FACILITATOR,
        member_ids=(OWNER, ADVISER, OTHER),
    )


@pytest.fixture
def service(sessions: SessionFactory, clock: ManualClock, network_id: int) -> CaseService:
    return case_service(sessions, clock)


def bring(
    service: CaseService, *, owner: str = OWNER, card_ts: str | None = "100.000001", **changes
) -> CaseState:
    state = service.bring(team_id="T1", channel_id="C1", owner_id=owner, intake=replace(INTAKE, **changes))
    if card_ts is not None:
        state = service.attach_card(case_id=state.case_id, card_ts=card_ts)
    return state


def reply(
    service: CaseService, case: CaseState, *, user: str = ADVISER, event_id: str = "Ev1", text: str = "Bel!"
):
    return service.record_thread_reply(
        event_id=event_id,
        team_id="T1",
        channel_id="C1",
        thread_ts=case.case.card_ts or "",
        user_id=user,
        text=text,
        message_ts=f"200.{event_id[-6:]:0>6}",
    )


def count(sessions: SessionFactory, sql: str) -> int:
    with sessions() as session:
        return int(session.execute(text(sql)).scalar() or 0)


# ---------------------------------------------------------------------- bringing


def test_a_member_brings_a_case_stored_trimmed_with_help_in_a_fixed_order(service, clock) -> None:
    state = bring(service, card_ts=None)

    case = state.case
    assert case.title == "Ouders die niet opdagen"
    assert case.status == CaseStatus.OPEN and case.owner_id == OWNER
    assert case.help_wanted == "advice,experiences"
    assert case.created_at == clock.now()
    assert case.card_ts is None
    assert (state.channel_id, state.language, state.advice_count, state.recognition_count) == (
        "C1",
        "nl",
        0,
        0,
    )


@pytest.mark.parametrize(
    ("changes", "field", "problem"),
    [
        ({"title": "  "}, "title", "validation.required"),
        ({"title": "t" * 121}, "title", "validation.too_long"),
        ({"situation": ""}, "situation", "validation.required"),
        ({"question": "q" * 1001}, "question", "validation.too_long"),
        ({"tried": "t" * 1001}, "tried", "validation.too_long"),
        ({"help_wanted": ()}, "help_wanted", "cases.validation.choose_help"),
        ({"help_wanted": ("advice", "miracles")}, "help_wanted", "cases.validation.choose_help"),
    ],
)
def test_bad_intake_is_refused_and_nothing_is_written(service, sessions, changes, field, problem) -> None:
    with pytest.raises(InvalidInput) as refused:
        bring(service, **changes)
    assert refused.value.problems[field][0] == problem
    assert count(sessions, "SELECT count(*) FROM peer_case") == 0


def test_exactly_the_limits_are_accepted(service) -> None:
    state = bring(service, title="t" * 120, situation="s" * 2000, question="q" * 1000, tried="")
    assert len(state.case.title) == 120 and state.case.tried == ""


def test_only_members_of_a_linked_channel_bring_cases(service, sessions) -> None:
    with pytest.raises(NotAMember):
        bring(service, owner=OUTSIDER)
    with pytest.raises(ChannelNotLinked):
        service.bring(team_id="T1", channel_id="C2", owner_id=OWNER, intake=INTAKE)
    assert count(sessions, "SELECT count(*) FROM peer_case") == 0


def test_a_case_whose_card_never_landed_is_erased_but_a_posted_one_is_not(service, sessions) -> None:
    unposted = bring(service, card_ts=None)
    posted = bring(service)
    service.discard_unpublished(case_id=unposted.case_id)
    service.discard_unpublished(case_id=posted.case_id)
    # Erased as a deletion does, keeping its id: a later case never gets its card's idempotency key.
    erased = service.state(case_id=unposted.case_id).case
    assert (erased.status, erased.title, erased.situation, erased.owner_id) == (
        CaseStatus.DELETED,
        "",
        "",
        "",
    )
    assert service.state(case_id=posted.case_id).case.title == "Ouders die niet opdagen"


# ---------------------------------------------------------------------- advice


def test_advice_is_counted_and_refused_to_the_owner_outsiders_and_on_closed_cases(service) -> None:
    case = bring(service)
    advice, state = service.give_advice(case_id=case.case_id, user_id=ADVISER, text="  Bel ze op. ")
    assert advice.text == "Bel ze op." and advice.source == "modal" and state.advice_count == 1

    with pytest.raises(OwnCase):
        service.give_advice(case_id=case.case_id, user_id=OWNER, text="Zelf")
    with pytest.raises(NotAMember):
        service.check_can_advise(case_id=case.case_id, user_id=OUTSIDER)
    with pytest.raises(InvalidInput):
        service.give_advice(case_id=case.case_id, user_id=ADVISER, text="x" * 2001)
    service.close(case_id=case.case_id, user_id=OWNER, lesson="Genoeg")
    with pytest.raises(CaseClosed):
        service.give_advice(case_id=case.case_id, user_id=OTHER, text="Te laat")
    with pytest.raises(CaseClosed):
        reply(service, case, user=OTHER, event_id="EvLate")
    assert reply(service, case, user=OTHER, event_id="EvLate") is None
    assert reply(service, case, user=OWNER, event_id="EvOwner") is None  # the owner's thanks: no answer
    assert service.state(case_id=case.case_id).advice_count == 1


def test_a_thread_reply_counts_once_per_delivery(service, sessions) -> None:
    case = bring(service)
    first = reply(service, case)
    again = reply(service, case)

    assert first is not None and first.advice_count == 1
    assert again is None
    assert count(sessions, "SELECT count(*) FROM case_advice WHERE source = 'thread'") == 1
    assert count(sessions, "SELECT count(*) FROM processed_event") == 1


def test_replies_that_do_not_count_leave_no_claim(service, sessions) -> None:
    case = bring(service)
    assert reply(service, case, user=OWNER, event_id="Ev1") is None
    assert reply(service, case, user=OUTSIDER, event_id="Ev2") is None
    assert (
        service.record_thread_reply(
            event_id="Ev3",
            team_id="T1",
            channel_id="C1",
            thread_ts="999.1",
            user_id=ADVISER,
            text="x",
            message_ts="1.1",
        )
        is None
    )
    assert count(sessions, "SELECT count(*) FROM case_advice") == 0
    assert count(sessions, "SELECT count(*) FROM processed_event") == 0
    assert service.is_case_thread(team_id="T1", channel_id="C1", thread_ts=case.case.card_ts or "")
    assert not service.is_case_thread(team_id="T1", channel_id="C1", thread_ts="999.1")
    assert not service.is_case_thread(team_id="T2", channel_id="C1", thread_ts=case.case.card_ts or "")


def test_a_very_long_thread_reply_is_kept_within_the_column(service, sessions) -> None:
    case = bring(service)
    state = reply(service, case, text="lang " * 2000)
    assert state is not None
    with unit_of_work(sessions) as session:
        [stored] = export_cases(session=session, network_id=case.case.network_id)[0]["advice"]
    assert len(stored["text"]) == 2000 and stored["text"].endswith("…")


def test_two_deliveries_racing_count_once(service, sessions) -> None:
    case = bring(service)
    outcomes = run_together(*[lambda: reply(service, case, event_id="EvRace")] * 3)
    assert sum(outcome is not None for outcome in outcomes) == 1
    assert count(sessions, "SELECT count(*) FROM case_advice") == 1


# ---------------------------------------------------------------------- recognition


def test_recognising_counts_each_member_once(service) -> None:
    case = bring(service)
    assert service.recognise(case_id=case.case_id, user_id=ADVISER).recognition_count == 1
    with pytest.raises(AlreadyRecognised):
        service.recognise(case_id=case.case_id, user_id=ADVISER)
    with pytest.raises(OwnCase):
        service.recognise(case_id=case.case_id, user_id=OWNER)
    with pytest.raises(NotAMember):
        service.recognise(case_id=case.case_id, user_id=OUTSIDER)
    assert service.recognise(case_id=case.case_id, user_id=FACILITATOR).recognition_count == 2


def test_a_member_pressing_twice_at_once_counts_once(service, sessions) -> None:
    case = bring(service)
    outcomes = run_together(*[lambda: service.recognise(case_id=case.case_id, user_id=ADVISER)] * 4)
    refused = [outcome for outcome in outcomes if isinstance(outcome, AlreadyRecognised)]
    assert len(refused) == 3
    assert count(sessions, "SELECT count(*) FROM case_recognition") == 1


# ---------------------------------------------------------------------- closing, agenda, round


def test_only_the_owner_closes_and_only_once(service, clock) -> None:
    case = bring(service)
    with pytest.raises(NotTheCaseOwner) as refused:
        service.check_can_close(case_id=case.case_id, user_id=FACILITATOR)
    assert refused.value.values == {"owner": OWNER}
    with pytest.raises(InvalidInput):
        service.close(case_id=case.case_id, user_id=OWNER, lesson="   ")

    clock.advance(timedelta(days=2))
    closed = service.close(case_id=case.case_id, user_id=OWNER, lesson=" Zelf bellen. ")
    assert closed.case.status == CaseStatus.CLOSED
    assert closed.case.lesson == "Zelf bellen." and closed.case.closed_at == clock.now()
    with pytest.raises(CaseClosed):
        service.close(case_id=case.case_id, user_id=OWNER, lesson="Nog eens")


def test_facilitators_put_cases_on_the_agenda_idempotently(service) -> None:
    case = bring(service)
    with pytest.raises(NotAFacilitator):
        service.set_on_agenda(case_id=case.case_id, user_id=ADVISER, on_agenda=True)
    assert service.set_on_agenda(case_id=case.case_id, user_id=FACILITATOR, on_agenda=True).case.on_agenda
    assert service.set_on_agenda(case_id=case.case_id, user_id=FACILITATOR, on_agenda=True).case.on_agenda
    assert not service.set_on_agenda(
        case_id=case.case_id, user_id=FACILITATOR, on_agenda=False
    ).case.on_agenda


def test_the_round_follows_its_method_one_step_per_press(service) -> None:
    case = bring(service)
    with pytest.raises(NotARoundLeader):
        service.start_round(case_id=case.case_id, user_id=ADVISER, method="gossip")
    with pytest.raises(InvalidInput):
        service.start_round(case_id=case.case_id, user_id=FACILITATOR, method="world_cafe")
    with pytest.raises(InvalidInput):
        service.start_round(case_id=case.case_id, user_id=FACILITATOR, method="gossip", lead_id=OUTSIDER)
    started = service.start_round(case_id=case.case_id, user_id=FACILITATOR, method="gossip", lead_id=OTHER)
    assert (started.case.round_method, started.case.round_step_index) == ("gossip", 0)
    assert started.case.round_lead_id == OTHER
    with pytest.raises(RoundAlreadyStarted):
        service.start_round(case_id=case.case_id, user_id=OWNER, method="incident")

    # Telling and open questions ask for no advice: neither the modal nor a reply counts.
    with pytest.raises(AdviceWaitsForRound):
        service.check_can_advise(case_id=case.case_id, user_id=ADVISER)
    assert reply(service, case, event_id="EvQ") is None
    with pytest.raises(NotARoundLeader):
        service.advance_round(case_id=case.case_id, user_id=ADVISER, from_index=0)

    assert service.advance_round(case_id=case.case_id, user_id=OTHER, from_index=0).case.round_step_index == 1
    with pytest.raises(RoundStepPassed):
        service.advance_round(case_id=case.case_id, user_id=FACILITATOR, from_index=0)
    service.advance_round(case_id=case.case_id, user_id=OWNER, from_index=1)
    assert reply(service, case, event_id="EvA") is not None  # the gossip asks for advice

    for index in (2, 3, 4):
        done = service.advance_round(case_id=case.case_id, user_id=FACILITATOR, from_index=index)
    assert done.case.round_step_index == 5
    assert reply(service, case, event_id="EvAfter") is not None  # the round is over: advice counts again
    with pytest.raises(RoundStepPassed):
        service.advance_round(case_id=case.case_id, user_id=FACILITATOR, from_index=5)


def test_closing_during_a_round_ends_the_round(service) -> None:
    case = bring(service)
    service.start_round(case_id=case.case_id, user_id=OWNER, method="incident")
    closed = service.close(case_id=case.case_id, user_id=OWNER, lesson="Klaar")
    assert closed.case.round_step_index == 7 and closed.case.round_lead_id == OWNER
    with pytest.raises(CaseClosed):
        service.advance_round(case_id=case.case_id, user_id=FACILITATOR, from_index=0)


# ---------------------------------------------------------------------- deleting


def test_deleting_erases_the_details_and_keeps_only_anonymous_traces(
    service, sessions, clock, network_id
) -> None:
    accepted_agreements(sessions, clock=clock, network_id=network_id, user_ids=(ADVISER, FACILITATOR))
    case = bring(service, confidential=True)
    service.give_advice(case_id=case.case_id, user_id=ADVISER, text="Geheim advies")
    reply(service, case, user=OTHER, text="Ook geheim")
    service.recognise(case_id=case.case_id, user_id=FACILITATOR)

    with pytest.raises(NotTheCaseOwner):
        service.delete(case_id=case.case_id, user_id=ADVISER)
    deletion = service.delete(case_id=case.case_id, user_id=OWNER)

    assert (deletion.channel_id, deletion.card_ts, deletion.already_deleted) == ("C1", "100.000001", False)
    with sessions() as session:
        row = session.execute(
            text(
                "SELECT owner_id, title, situation, question, tried, help_wanted, lesson, status "
                "FROM peer_case"
            )
        ).one()
    assert tuple(row) == ("", "", "", "", "", "", "", "deleted")
    assert count(sessions, "SELECT count(*) FROM case_advice WHERE text <> ''") == 0
    assert count(sessions, "SELECT count(*) FROM case_recognition") == 0
    with pytest.raises(CaseDeleted):
        reply(service, case, user=ADVISER, event_id="EvLate")
    assert reply(service, case, user=ADVISER, event_id="EvLate") is None  # told once, not per re-delivery
    with pytest.raises(CaseDeleted):
        service.check_can_advise(case_id=case.case_id, user_id=ADVISER)
    assert service.list_cases(team_id="T1", channel_id="C1", user_id=ADVISER).cases == []

    again = service.delete(case_id=case.case_id, user_id=ADVISER)
    assert again.already_deleted and again.card_ts == "100.000001"


def test_the_owner_may_delete_a_closed_case(service) -> None:
    case = bring(service)
    service.close(case_id=case.case_id, user_id=OWNER, lesson="Les")
    assert not service.delete(case_id=case.case_id, user_id=OWNER).already_deleted
    with pytest.raises(CaseNotFound):
        service.delete(case_id=case.case_id + 1000, user_id=OWNER)


# ---------------------------------------------------------------------- overviews


def test_the_list_shows_open_cases_without_advice_first(service, clock) -> None:
    with_advice = bring(service, title="Met advies", card_ts="1.1")
    service.give_advice(case_id=with_advice.case_id, user_id=ADVISER, text="Doe dit")
    clock.advance(timedelta(hours=1))
    closed = bring(service, title="Afgesloten", card_ts="1.2")
    service.close(case_id=closed.case_id, user_id=OWNER, lesson="Les")
    clock.advance(timedelta(hours=1))
    bring(service, title="Zonder advies", card_ts="1.3")
    bring(service, title="Ook zonder advies", card_ts="1.4", owner=ADVISER)

    listing = service.list_cases(team_id="T1", channel_id="C1", user_id=OTHER)

    assert [c.title for c in listing.cases] == [
        "Zonder advies",
        "Ook zonder advies",
        "Met advies",
        "Afgesloten",
    ]
    assert [c.advice_count for c in listing.cases] == [0, 0, 1, 0]
    assert listing.now == clock.now()
    with pytest.raises(NotAMember):
        service.list_cases(team_id="T1", channel_id="C1", user_id=OUTSIDER)


def test_give_and_receive_counts_advice_given_and_cases_brought(service, network_id) -> None:
    first = bring(service, card_ts="1.1")
    second = bring(service, card_ts="1.2", owner=ADVISER)
    service.give_advice(case_id=first.case_id, user_id=ADVISER, text="a")
    reply(service, first, user=ADVISER, event_id="Ev2")
    service.give_advice(case_id=second.case_id, user_id=OWNER, text="b")
    doomed = bring(service, card_ts="1.3", owner=OTHER)
    service.give_advice(case_id=doomed.case_id, user_id=FACILITATOR, text="c")
    service.delete(case_id=doomed.case_id, user_id=OTHER)

    balance = service.give_and_receive(network_id=network_id)

    assert {user: (b.advice_given, b.cases_brought) for user, b in balance.items()} == {
        FACILITATOR: (1, 0),  # advice on a deleted case still counts for its giver
        OWNER: (1, 1),
        ADVISER: (2, 1),
        OTHER: (0, 0),  # the deleted case no longer counts as brought
    }


def test_the_export_shows_a_confidential_case_by_its_title_only(service, sessions, network_id, clock) -> None:
    accepted_agreements(sessions, clock=clock, network_id=network_id, user_ids=(ADVISER,))
    open_case = bring(service, title="Open", card_ts="1.1")
    secret = bring(service, title="Geheim", card_ts="1.2", confidential=True)
    service.give_advice(case_id=secret.case_id, user_id=ADVISER, text="psst")
    service.give_advice(case_id=open_case.case_id, user_id=ADVISER, text="Bel")
    service.recognise(case_id=open_case.case_id, user_id=OTHER)

    with unit_of_work(sessions) as session:
        exported = export_cases(session=session, network_id=network_id)

    assert exported[1] == {
        "id": secret.case_id,
        "title": "Geheim",
        "status": "open",
        "advice_count": 1,
        "confidential": True,
    }
    assert exported[0]["advice"][0]["text"] == "Bel" and exported[0]["recognitions"] == 1
    assert exported[0]["help_wanted"] == ["advice", "experiences"]
    assert "psst" not in str(exported)


def test_the_digest_shows_a_confidential_case_by_its_title_only(service, network_id, sessions, clock) -> None:
    accepted_agreements(sessions, clock=clock, network_id=network_id, user_ids=(ADVISER,))
    open_case = bring(service, title="Open", card_ts="1.1")
    secret = bring(service, title="Geheim", card_ts="1.2", confidential=True)
    for case in (open_case, secret):
        service.give_advice(case_id=case.case_id, user_id=ADVISER, text="Bel")
        service.close(case_id=case.case_id, user_id=OWNER, lesson=f"Les van {case.case.title}")
    gone = bring(service, title="Weg", card_ts="1.3")
    service.delete(case_id=gone.case_id, user_id=OWNER)

    shown, hidden = service.digest(network_id=network_id)

    assert (shown.title, shown.status, shown.advice_count, shown.lesson) == (
        "Open",
        CaseStatus.CLOSED,
        1,
        "Les van Open",
    )
    assert (hidden.title, hidden.confidential) == ("Geheim", True)
    assert (hidden.status, hidden.advice_count, hidden.recognition_count, hidden.lesson) == (None,) * 4
