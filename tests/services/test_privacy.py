"""Privacy on SQLite and PostgreSQL: my-data holds all of a user's data and nobody else's; forget-me
leaves no trace of their id or their texts and keeps the anonymous totals; purge waits for the retention."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlmodel import select

from bot.clock import ManualClock
from bot.errors import LastFacilitatorCannotBeForgotten
from bot.errors import NetworkArchived
from bot.errors import NotAFacilitator
from bot.services.networks import NetworkService
from bot.services.outbox import Outbox
from bot.services.privacy import PrivacyService
from bot.services.privacy import months_before
from bot.services.respondents import Respondents
from storage.db import unit_of_work
from storage.models import AgreementAcceptance
from storage.models import AgreementVersion
from storage.models import Case
from storage.models import CaseAdvice
from storage.models import CaseRecognition
from storage.models import CaseStatus
from storage.models import CheckinAnswer
from storage.models import CheckinPoll
from storage.models import CheckinReaction
from storage.models import Expectation
from storage.models import GoalVote
from storage.models import Intro
from storage.models import LearningGoal
from storage.models import Meeting
from storage.models import MeetingEvaluation
from storage.models import Membership
from storage.models import Network
from storage.models import OutboxItem
from storage.models import Role
from storage.models import metadata
from storage.models.base import RunKind
from storage.models.checkins import PollStatus
from storage.models.checkins import Question
from tests.factories import case_intake
from tests.factories import case_service
from tests.factories import make_network

TEAM = "T0NETWERK"
FACILITATOR = "U0ELS"
USER = "U0JOKE"
OTHER = "U0MEHMET"
MEMBERS = (USER, OTHER)  # the factories' network: TEAM, FACILITATOR and these two
KEY = b"k" * 32
CARD_TS = {USER: "100.1", OTHER: "100.2"}
CASE_TS = {USER: "200.1", OTHER: "200.2"}

# Everything USER typed: none of it may be left anywhere once they are forgotten.
USER_TEXTS = {
    "intro": "Jokes praktijkvraag over huisbezoeken",
    "expectation": "Joke verwacht veel uitwisseling",
    "goal": "Joke leert beter grenzen stellen",
    "case": "Jokes casus over een ouder die dreigt",
    "advice": "Jokes advies: neem een collega mee",
    "answer": "Joke vindt de sfeer fijn",
    "signed": "Joke tekent: meer oefenen aub",
    "takeaway": "Joke neemt de checklist mee",
}
OTHER_TEXTS = {
    "intro": "Mehmets eigen voorstelling",
    "case": "Mehmets casus over schoolverzuim",
    "advice": "Mehmets advies aan Joke",
    "answer": "Mehmet vindt het tempo goed",
}


def privacy(sessions, clock: ManualClock) -> PrivacyService:
    return PrivacyService(
        sessions=sessions,
        clock=clock,
        respondents=Respondents(KEY),
        outbox=Outbox(clock=clock, process_id=None),
    )


def populate(sessions, clock: ManualClock, network_id: int) -> dict[str, int]:
    """USER and OTHER each leave something in every table that can hold a person's data."""
    now = clock.now()
    respondents = Respondents(KEY)
    ids: dict[str, int] = {}
    with unit_of_work(sessions) as session:
        for user, words in ((USER, USER_TEXTS), (OTHER, OTHER_TEXTS)):
            session.add(
                Intro(
                    network_id=network_id,
                    user_id=user,
                    job_role="jeugdwerker",
                    organisation="Stad",
                    gives=words["intro"],
                    wants="",
                    card_ts=CARD_TS[user],
                    created_at=now,
                    updated_at=now,
                )
            )
        session.add(
            Expectation(
                network_id=network_id,
                user_id=USER,
                text=USER_TEXTS["expectation"],
                created_at=now,
                updated_at=now,
            )
        )
        session.add(
            LearningGoal(
                network_id=network_id,
                user_id=USER,
                position=1,
                text=USER_TEXTS["goal"],
                goal_key=USER_TEXTS["goal"].lower(),
                created_at=now,
            )
        )
        for user in (USER, OTHER):
            session.add(
                GoalVote(
                    network_id=network_id,
                    user_id=user,
                    goal_key=USER_TEXTS["goal"].lower(),
                    slot=1,
                    created_at=now,
                )
            )
        version = AgreementVersion(
            network_id=network_id, version=1, text="Vertrouwelijkheid", created_by=FACILITATOR, created_at=now
        )
        session.add(version)
        session.flush()
        for user in (USER, OTHER):
            session.add(AgreementAcceptance(version_id=version.id or 0, user_id=user, accepted_at=now))
        cases = {}
        for user, words, confidential in ((USER, USER_TEXTS, True), (OTHER, OTHER_TEXTS, False)):
            case = Case(
                network_id=network_id,
                owner_id=user,
                title=words["case"],
                situation=words["case"],
                question="?",
                tried="",
                help_wanted="advice",
                confidential=confidential,
                status=CaseStatus.OPEN,
                card_ts=CASE_TS[user],
                created_at=now,
            )
            session.add(case)
            session.flush()
            cases[user] = case.id or 0
        ids["user_case"], ids["other_case"] = cases[USER], cases[OTHER]
        session.add(
            CaseAdvice(
                case_id=cases[OTHER], giver_id=USER, text=USER_TEXTS["advice"], source="modal", created_at=now
            )
        )
        session.add(
            CaseAdvice(
                case_id=cases[USER],
                giver_id=OTHER,
                text=OTHER_TEXTS["advice"],
                source="modal",
                created_at=now,
            )
        )
        session.add(CaseRecognition(case_id=cases[OTHER], user_id=USER, created_at=now))
        session.add(CaseRecognition(case_id=cases[USER], user_id=OTHER, created_at=now))
        poll = CheckinPoll(
            network_id=network_id,
            key=f"checkin/{network_id}/x",
            kind=RunKind.MANUAL,
            run_date=date(2026, 9, 14),
            status=PollStatus.CLOSED,
            claimed_at=now,
            channel_id="C0NETWERK",
            language="nl",
            message_ts="300.1",
            posted_at=now,
            closes_at=now,
            anonymity_threshold=3,
            member_count=3,
        )
        session.add(poll)
        session.flush()
        poll_id = poll.id or 0
        ids["poll"] = poll_id
        for user, emoji in ((USER, "sunny"), (OTHER, "cloud")):
            session.add(
                CheckinReaction(
                    poll_id=poll_id,
                    respondent=respondents.of_poll(poll_id, user),
                    emoji=emoji,
                    reacted_at=now,
                )
            )
        for question, user, text, signed_by in (
            (Question.GOES_WELL, USER, USER_TEXTS["answer"], None),
            (Question.COULD_BE_BETTER, USER, USER_TEXTS["signed"], USER),
            (Question.GOES_WELL, OTHER, OTHER_TEXTS["answer"], None),
        ):
            session.add(
                CheckinAnswer(
                    poll_id=poll_id,
                    question=question,
                    respondent=respondents.of_poll(poll_id, user),
                    text=text,
                    signed_by=signed_by,
                )
            )
        meeting = Meeting(
            network_id=network_id,
            starts_at=now,
            ends_at=now + timedelta(hours=2),
            topic="Huisbezoeken",
            planned_by=FACILITATOR,
            created_at=now,
        )
        session.add(meeting)
        session.flush()
        ids["meeting"] = meeting.id or 0
        for user, takeaway in ((USER, USER_TEXTS["takeaway"]), (OTHER, "")):
            session.add(
                MeetingEvaluation(
                    meeting_id=meeting.id or 0,
                    respondent=respondents.of_meeting(meeting.id or 0, user),
                    usefulness=4,
                    takeaway=takeaway,
                )
            )
    return ids


def every_row(sessions) -> list[str]:
    """Every row of every table, as text, to search for traces."""
    rows: list[str] = []
    with unit_of_work(sessions) as session:
        for table in metadata.sorted_tables:
            rows += [f"{table.name}: {tuple(row)}" for row in session.execute(table.select())]
    return rows


@dataclass(frozen=True)
class Recorded:
    kind: str
    payload: dict


def pending_items(sessions, kind: str) -> list[Recorded]:
    """The outbox items of `kind` the service recorded, oldest first."""
    with unit_of_work(sessions) as session:
        items = session.exec(select(OutboxItem).where(OutboxItem.kind == kind).order_by(OutboxItem.id)).all()
        return [Recorded(item.kind, json.loads(item.payload)) for item in items]


def count(sessions, model) -> int:
    with unit_of_work(sessions) as session:
        return session.exec(select(func.count()).select_from(model)).one()


# ---------------------------------------------------------------------- my data


def test_my_data_holds_all_of_the_users_data_and_nothing_of_others(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock, member_ids=MEMBERS)
    ids = populate(sessions, clock, network_id)

    data = privacy(sessions, clock).my_data(team_id=TEAM, user_id=USER)

    [entry] = data["networks"]
    assert entry["network"]["channel_id"] == "C0NETWERK"
    assert [m["role"] for m in entry["memberships"]] == ["participant"]
    assert entry["intros"][0]["gives"] == USER_TEXTS["intro"]
    assert [e["text"] for e in entry["expectations"]] == [USER_TEXTS["expectation"]]
    assert entry["learning_goals"] == [USER_TEXTS["goal"]]
    assert entry["votes"] == [USER_TEXTS["goal"].lower()]
    assert [a["version"] for a in entry["agreement_acceptances"]] == [1]
    [case] = entry["cases"]
    assert case["title"] == USER_TEXTS["case"] and case["confidential"] is True
    assert [a["text"] for a in entry["advice_given"]] == [USER_TEXTS["advice"]]
    assert [r["case_id"] for r in entry["recognitions"]] == [ids["other_case"]]
    assert entry["poll_reactions"] == [{"poll_id": ids["poll"], "emoji": "sunny"}]
    assert sorted((a["text"], a["signed"]) for a in entry["poll_answers"]) == sorted(
        [(USER_TEXTS["answer"], False), (USER_TEXTS["signed"], True)]
    )
    assert entry["meeting_evaluations"] == [
        {"meeting_id": ids["meeting"], "usefulness": 4, "takeaway": USER_TEXTS["takeaway"]}
    ]
    dumped = str(data)
    for word in OTHER_TEXTS.values():
        assert word not in dumped
    assert OTHER not in dumped and "cloud" not in dumped


def test_my_data_names_the_shared_records_that_forget_me_takes_their_name_from(
    sessions, clock: ManualClock
) -> None:
    network_id = make_network(sessions, clock=clock, member_ids=MEMBERS)
    ids = populate(sessions, clock, network_id)

    [entry] = privacy(sessions, clock).my_data(team_id=TEAM, user_id=FACILITATOR)["networks"]

    assert {"record": "network", "as": "created_by", "id": network_id} in entry["records_set_up"]
    assert {"record": "meeting", "as": "planned_by", "id": ids["meeting"]} in entry["records_set_up"]
    [others] = privacy(sessions, clock).my_data(team_id=TEAM, user_id=USER)["networks"]
    assert others["records_set_up"] == []


def test_my_data_of_someone_never_in_a_network_is_empty(sessions, clock: ManualClock) -> None:
    populate(sessions, clock, make_network(sessions, clock=clock, member_ids=MEMBERS))

    data = privacy(sessions, clock).my_data(team_id=TEAM, user_id="U0NOBODY")
    assert data["networks"] == []
    assert privacy(sessions, clock).my_data(team_id="T0OTHER", user_id=USER)["networks"] == []


# ---------------------------------------------------------------------- forget me


def test_forget_me_leaves_no_trace_and_keeps_anonymous_totals(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock, member_ids=MEMBERS)
    ids = populate(sessions, clock, network_id)

    forgetting = privacy(sessions, clock).forget(team_id=TEAM, user_id=USER)

    assert [(d.channel_id, d.card_ts) for d in forgetting.cases] == [("C0NETWERK", CASE_TS[USER])]
    assert [(i.kind, i.payload) for i in pending_items(sessions, "privacy.delete_post")] == [
        ("privacy.delete_post", {"channel_id": "C0NETWERK", "ts": CARD_TS[USER]})
    ]
    [removed] = pending_items(sessions, "privacy.advice_removed")
    post = privacy(sessions, clock).removed_advice(advice_id=removed.payload["advice_id"])
    assert post is not None and (post.channel_id, post.thread_ts) == ("C0NETWERK", CASE_TS[OTHER])
    rows = every_row(sessions)
    assert [row for row in rows if USER in row] == []
    for word in USER_TEXTS.values():
        assert [row for row in rows if word in row or word.lower() in row] == []
    # The others' data stays, and so do the anonymous totals.
    dumped = "\n".join(rows)
    assert OTHER_TEXTS["intro"] in dumped and OTHER_TEXTS["case"] in dumped
    assert count(sessions, CaseAdvice) == 2
    assert count(sessions, CheckinReaction) == 2
    assert count(sessions, MeetingEvaluation) == 2
    with unit_of_work(sessions) as session:
        advice = session.exec(select(CaseAdvice).where(CaseAdvice.case_id == ids["other_case"])).one()
        # Nothing translated is stored: the views show the removal note for the flag.
        assert advice.giver_id == "" and advice.text == "" and advice.removed
        user_case = session.get(Case, ids["user_case"])
        assert user_case is not None and user_case.status == CaseStatus.DELETED
        members = session.exec(select(Membership.user_id).where(Membership.network_id == network_id)).all()
        assert sorted(members) == sorted([FACILITATOR, OTHER])
    # Nothing about them is found any more, not even by recomputing the keyed hash.
    assert privacy(sessions, clock).my_data(team_id=TEAM, user_id=USER)["networks"] == []


def test_the_last_facilitator_is_refused_and_nothing_is_erased(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock, facilitator_id=USER, member_ids=(FACILITATOR, OTHER))
    populate(sessions, clock, network_id)
    before = every_row(sessions)

    with pytest.raises(LastFacilitatorCannotBeForgotten) as refused:
        privacy(sessions, clock).forget(team_id=TEAM, user_id=USER)

    assert refused.value.values == {"network": "Jeugdhulp"}
    assert every_row(sessions) == before
    with unit_of_work(sessions) as session:
        membership = session.exec(select(Membership).where(Membership.user_id == OTHER)).one()
        membership.role = Role.FACILITATOR
        session.add(membership)
    privacy(sessions, clock).forget(team_id=TEAM, user_id=USER)
    assert [row for row in every_row(sessions) if USER in row] == []


# ---------------------------------------------------------------------- archive and purge


def test_only_a_facilitator_archives_and_the_channel_is_free_again(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock, member_ids=MEMBERS)
    service = privacy(sessions, clock)
    networks = NetworkService(sessions=sessions, clock=clock)

    with pytest.raises(NotAFacilitator):
        service.archive(network_id=network_id, by_user_id=USER)
    archival = service.archive(network_id=network_id, by_user_id=FACILITATOR)

    assert archival.channel_id == "C0NETWERK"
    assert networks.find_by_channel(team_id=TEAM, channel_id="C0NETWERK") is None
    with pytest.raises(NetworkArchived):
        service.archive(network_id=network_id, by_user_id=FACILITATOR)
    new_id = make_network(sessions, clock=clock, member_ids=MEMBERS)
    assert new_id != network_id
    # The archived network still knows its channel, and its members still get their data.
    [entry, _] = service.my_data(team_id=TEAM, user_id=FACILITATOR)["networks"]
    assert entry["network"]["channel_id"] == "C0NETWERK" and entry["network"]["archived_at"]


def test_purge_deletes_only_networks_archived_longer_than_the_retention(sessions, clock: ManualClock) -> None:
    old = make_network(sessions, clock=clock, channel_id="C0OUD", member_ids=MEMBERS)
    populate(sessions, clock, old)
    recent = make_network(sessions, clock=clock, channel_id="C0RECENT", member_ids=MEMBERS)
    live = make_network(sessions, clock=clock, channel_id="C0LEVEND", member_ids=MEMBERS)
    service = privacy(sessions, clock)
    service.archive(network_id=old, by_user_id=FACILITATOR)
    clock.advance(timedelta(days=60))
    service.archive(network_id=recent, by_user_id=FACILITATOR)
    archived_old = clock.now() - timedelta(days=60)

    # One minute before the old one's retention is over, nothing goes.
    just_before = archived_old.replace(year=archived_old.year + 1) - timedelta(minutes=1)
    assert service.purge(now=just_before, retention_months=12) == []
    assert service.purge(now=just_before + timedelta(minutes=2), retention_months=12) == [old]

    with unit_of_work(sessions) as session:
        assert sorted(session.exec(select(Network.id)).all()) == sorted([recent, live])
        for table in metadata.sorted_tables:
            if "network_id" in table.c:
                left = session.execute(
                    select(func.count()).select_from(table).where(table.c.network_id == old)
                ).scalar()
                assert left == 0, table.name
        for model in (
            CheckinReaction,
            CheckinAnswer,
            MeetingEvaluation,
            CaseAdvice,
            CaseRecognition,
            AgreementAcceptance,
        ):
            assert session.exec(select(func.count()).select_from(model)).one() == 0, model


def test_months_before_keeps_the_day_or_takes_the_months_last() -> None:
    assert months_before(datetime(2027, 3, 31, 8, tzinfo=UTC), 1) == datetime(2027, 2, 28, 8, tzinfo=UTC)
    assert months_before(datetime(2027, 1, 15, tzinfo=UTC), 12) == datetime(2026, 1, 15, tzinfo=UTC)
    assert months_before(datetime(2027, 1, 15, tzinfo=UTC), 13) == datetime(2025, 12, 15, tzinfo=UTC)


def test_a_session_lead_is_in_their_data_and_forgetting_takes_them_off_the_round(
    sessions, clock: ManualClock
) -> None:
    make_network(sessions, clock=clock, team_id=TEAM, facilitator_id=FACILITATOR, member_ids=MEMBERS)
    cases = case_service(sessions, clock)
    case = cases.bring(team_id=TEAM, channel_id="C0NETWERK", owner_id=OTHER, intake=case_intake())
    cases.start_round(case_id=case.case_id, user_id=FACILITATOR, method="balint", lead_id=USER)
    service = privacy(sessions, clock)

    [data] = [n for n in service.my_data(team_id=TEAM, user_id=USER)["networks"] if n]
    assert data["rounds_led"] == [case.case_id]
    service.forget(team_id=TEAM, user_id=USER)

    forgotten = cases.state(case_id=case.case_id).case
    assert forgotten.round_lead_id is None and forgotten.round_method == "balint"
