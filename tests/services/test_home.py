"""App Home's service on SQLite and PostgreSQL: each network a person is in, their to-dos, the
facilitator's glance, the server-side facilitator check, and the CSV file."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import timedelta

import pytest

from bot.clock import ManualClock
from bot.errors import NetworkGone
from bot.errors import NotAFacilitator
from bot.errors import NotAMember
from bot.services import build_services
from bot.services.expectations import ExpectationAnswers
from bot.services.home import HomeService
from bot.services.home import ToDo
from bot.services.outbox import Outbox
from bot.services.respondents import Respondents
from bot.services.respondents import derive_answer_key
from bot.services.roster import MemberService
from bot.views.export_csv import csv_content
from storage.db import unit_of_work
from storage.models.network import Network
from storage.models.network import Role
from tests.factories import FACILITATOR_ID
from tests.factories import MEMBER_IDS
from tests.factories import TEAM_ID
from tests.factories import accepted_agreements
from tests.factories import case_intake
from tests.factories import intro_answers
from tests.factories import make_network
from tests.services.checkin_factories import react

TEAM, FACILITATOR, MEMBERS = TEAM_ID, FACILITATOR_ID, MEMBER_IDS
OUTSIDER = "U0KAREL"
RESPONDENTS = Respondents(derive_answer_key("test-signing-secret"))


def services(sessions, clock: ManualClock):
    return build_services(sessions=sessions, clock=clock, respondents=RESPONDENTS)


def test_someone_in_no_network_has_an_empty_home(sessions, clock: ManualClock) -> None:
    make_network(sessions, clock=clock, channel_id="C0EEN", name="Jeugdhulp")

    home = home_service(sessions, clock).home(team_id=TEAM, user_id=OUTSIDER)

    assert home.networks == []


def test_a_member_sees_each_network_with_their_role_and_what_is_left_to_do(
    sessions, clock: ManualClock
) -> None:
    first = make_network(sessions, clock=clock, channel_id="C0EEN", name="Jeugdhulp")
    second = make_network(
        sessions, clock=clock, channel_id="C0TWEE", name="Onthaal", member_ids=(MEMBERS[1],)
    )
    make_network(sessions, clock=clock, channel_id="C0DRIE", name="Zonder Joke", member_ids=(MEMBERS[2],))
    all_services = services(sessions, clock)
    all_services.intros.save(
        network_id=first,
        user_id=MEMBERS[0],
        answers=intro_answers(),
    )
    publication = all_services.agreements.publish(network_id=first, user_id=FACILITATOR, text="Vertrouwelijk")
    MemberService(sessions=sessions, clock=clock).set_role(
        network_id=second, by_user_id=FACILITATOR, user_id=MEMBERS[1], role=Role.EXPERT
    )

    joke = all_services.home.home(team_id=TEAM, user_id=MEMBERS[0])
    mehmet = all_services.home.home(team_id=TEAM, user_id=MEMBERS[1])

    assert [n.name for n in joke.networks] == ["Jeugdhulp"]
    [network] = joke.networks
    assert network.role == Role.PARTICIPANT and network.glance is None
    assert not network.todo.introduce
    assert network.todo.accept_agreements
    assert not network.todo.vote and not network.todo.answer_checkin
    assert [(n.name, n.role) for n in mehmet.networks] == [
        ("Jeugdhulp", Role.PARTICIPANT),
        ("Onthaal", Role.EXPERT),
    ]
    assert mehmet.networks[0].todo.introduce

    version_id = publication.status.version.id or 0
    all_services.agreements.accept(network_id=first, user_id=MEMBERS[0], version_id=version_id)
    [network] = all_services.home.home(team_id=TEAM, user_id=MEMBERS[0]).networks
    assert not network.todo.anything


def test_voting_is_a_to_do_only_while_the_posted_map_has_learning_goals(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock)
    all_services = services(sessions, clock)
    expectations = all_services.expectations
    expectations.save(network_id=network_id, user_id=MEMBERS[1], answers=ExpectationAnswers(text="Leren"))
    expectations.record_map(network_id=network_id, channel_id="C1", message_ts="1.0", posted_by=MEMBERS[1])

    def todo() -> ToDo:
        [network] = all_services.home.home(team_id=TEAM, user_id=MEMBERS[0]).networks
        return network.todo

    assert not todo().vote, "a map of expectations alone has nothing to vote on"
    answers = ExpectationAnswers(text="Leren", goals=("Feedback geven",))
    expectations.save(network_id=network_id, user_id=MEMBERS[1], answers=answers)
    assert todo().vote
    [goal] = expectations.current_map(network_id=network_id).goals
    expectations.toggle_vote(network_id=network_id, user_id=MEMBERS[0], ref=goal.ref)
    assert not todo().vote


def test_a_member_sees_their_own_open_cases_only(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock, channel_id="C0EEN", name="Jeugdhulp")
    cases = services(sessions, clock).cases
    mine = cases.bring(
        team_id=TEAM, channel_id="C0EEN", owner_id=MEMBERS[0], intake=case_intake(title="Mijn vraag")
    )
    closed = cases.bring(
        team_id=TEAM, channel_id="C0EEN", owner_id=MEMBERS[0], intake=case_intake(title="Klaar")
    )
    cases.bring(team_id=TEAM, channel_id="C0EEN", owner_id=MEMBERS[1], intake=case_intake(title="Van Mehmet"))
    cases.give_advice(case_id=mine.case_id, user_id=MEMBERS[1], text="Probeer een huisbezoek")
    cases.close(case_id=closed.case_id, user_id=MEMBERS[0], lesson="Geduld")

    [network] = home_service(sessions, clock).home(team_id=TEAM, user_id=MEMBERS[0]).networks

    assert network.network_id == network_id
    assert [(c.title, c.advice_count) for c in network.open_cases] == [("Mijn vraag", 1)]


def test_a_facilitator_sees_the_network_at_a_glance(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock, channel_id="C0EEN", name="Jeugdhulp")
    all_services = services(sessions, clock)
    all_services.intros.save(
        network_id=network_id,
        user_id=MEMBERS[0],
        answers=intro_answers(),
    )
    advised = all_services.cases.bring(
        team_id=TEAM, channel_id="C0EEN", owner_id=MEMBERS[0], intake=case_intake(title="A")
    )
    all_services.cases.bring(
        team_id=TEAM, channel_id="C0EEN", owner_id=MEMBERS[1], intake=case_intake(title="B")
    )
    all_services.cases.bring(
        team_id=TEAM, channel_id="C0EEN", owner_id=MEMBERS[2], intake=case_intake(title="C")
    )
    all_services.cases.give_advice(case_id=advised.case_id, user_id=MEMBERS[1], text="Zo")

    [before] = all_services.home.home(team_id=TEAM, user_id=FACILITATOR).networks
    assert before.glance is not None
    assert before.glance.last_checkin is None
    assert not before.glance.agreements_posted

    post = all_services.checkin_polls.claim_manual_poll(network_id=network_id, user_id=FACILITATOR)
    all_services.checkin_polls.record_posted(poll_id=post.poll_id, message_ts="1000.000100")
    react(all_services, MEMBERS[0], "grinning", "Ev1", message_ts="1000.000100", channel_id="C0EEN")

    [network] = all_services.home.home(team_id=TEAM, user_id=FACILITATOR).networks
    glance = network.glance
    assert network.is_facilitator and glance is not None
    assert glance.member_count == 4
    assert glance.size_note is not None  # four members: under the 10-15 guideline
    assert glance.introduced == 1
    assert (glance.open_cases, glance.open_cases_without_advice) == (3, 2)
    assert glance.last_checkin is not None
    assert glance.last_checkin.is_open
    assert (glance.last_checkin.respondents, glance.last_checkin.members) == (1, 4)
    # The facilitator has not answered the open poll; Joke has.
    assert network.todo.answer_checkin
    [joke] = all_services.home.home(team_id=TEAM, user_id=MEMBERS[0]).networks
    assert not joke.todo.answer_checkin
    [mehmet] = all_services.home.home(team_id=TEAM, user_id=MEMBERS[1]).networks
    assert mehmet.todo.answer_checkin


def test_archived_networks_and_networks_left_are_not_shown(sessions, clock: ManualClock) -> None:
    make_network(sessions, clock=clock, channel_id="C0EEN", name="Jeugdhulp")
    members = MemberService(sessions=sessions, clock=clock)
    members.member_left(team_id=TEAM, channel_id="C0EEN", user_id=MEMBERS[0], event_id="Ev-left")

    home = home_service(sessions, clock)

    assert home.home(team_id=TEAM, user_id=MEMBERS[0]).networks == []
    assert len(home.home(team_id=TEAM, user_id=MEMBERS[1]).networks) == 1
    assert home.home(team_id="T0ANDER", user_id=MEMBERS[1]).networks == []


def test_only_a_facilitator_of_the_network_passes_the_facilitator_check(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock, channel_id="C0EEN", name="Jeugdhulp")
    home = home_service(sessions, clock)

    assert (
        home.facilitated_network(team_id=TEAM, network_id=network_id, user_id=FACILITATOR).channel_id
        == "C0EEN"
    )
    with pytest.raises(NotAFacilitator):
        home.facilitated_network(team_id=TEAM, network_id=network_id, user_id=MEMBERS[0])
    with pytest.raises(NotAMember):
        home.facilitated_network(team_id=TEAM, network_id=network_id, user_id=OUTSIDER)
    with pytest.raises(NetworkGone):
        home.facilitated_network(team_id="T0ANDER", network_id=network_id, user_id=FACILITATOR)
    with pytest.raises(NetworkGone):
        home.facilitated_network(team_id=TEAM, network_id=network_id + 99, user_id=FACILITATOR)
    with pytest.raises(NotAFacilitator):
        home.network_csv(team_id=TEAM, network_id=network_id, user_id=MEMBERS[0])
    with unit_of_work(sessions) as session:
        network = session.get(Network, network_id)
        assert network is not None
        network.archived_at = clock.now()
        session.add(network)
    with pytest.raises(NetworkGone):
        home.facilitated_network(team_id=TEAM, network_id=network_id, user_id=FACILITATOR)
    assert home.home(team_id=TEAM, user_id=FACILITATOR).networks == []


def home_service(sessions, clock: ManualClock) -> HomeService:
    return HomeService(sessions=sessions, clock=clock, outbox=Outbox(clock=clock, process_id=None))


@dataclass(frozen=True)
class CsvFile:
    """The file as the facilitator gets it: the service's data, built by the view."""

    filename: str
    content: bytes


def csv_rows(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte order mark, for Excel"
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_the_csv_holds_the_network_without_confidential_details_or_answer_authors(
    sessions, clock: ManualClock
) -> None:
    network_id = make_network(sessions, clock=clock, channel_id="C0EEN", name="Jeugdhulp Gent-Zuid")
    all_services = services(sessions, clock)
    all_services.intros.save(
        network_id=network_id,
        user_id=MEMBERS[0],
        answers=intro_answers(gives="=1+1"),
    )
    open_case = all_services.cases.bring(
        team_id=TEAM, channel_id="C0EEN", owner_id=MEMBERS[0], intake=case_intake(title="Open vraag")
    )
    all_services.cases.give_advice(case_id=open_case.case_id, user_id=MEMBERS[1], text="Een huisbezoek")
    secret = all_services.cases.bring(
        team_id=TEAM,
        channel_id="C0EEN",
        owner_id=MEMBERS[1],
        intake=case_intake(
            title="Geheime titel", situation="GEHEIME SITUATIE", question="GEHEIME VRAAG", confidential=True
        ),
    )
    accepted_agreements(sessions, clock=clock, network_id=network_id, user_ids=(MEMBERS[2],))
    all_services.cases.give_advice(case_id=secret.case_id, user_id=MEMBERS[2], text="GEHEIM ADVIES")
    post = all_services.checkin_polls.claim_manual_poll(network_id=network_id, user_id=FACILITATOR)
    all_services.checkin_polls.record_posted(poll_id=post.poll_id, message_ts="1000.000100")
    all_services.checkin_answers.save_answer(
        poll_id=post.poll_id, user_id=MEMBERS[2], question="goes_well", text="De sfeer", signed=True
    )
    all_services.checkin_answers.save_answer(
        poll_id=post.poll_id, user_id=MEMBERS[0], question="could_be_better", text="Het tempo", signed=False
    )
    clock.advance(timedelta(hours=1))

    csv_data = all_services.home.network_csv(team_id=TEAM, network_id=network_id, user_id=FACILITATOR)
    csv_file = CsvFile(csv_data.filename, csv_content(csv_data, names={MEMBERS[0]: "Joke Janssens"}))

    assert csv_file.filename == "jeugdhulp-gent-zuid-2026-09-14.csv"
    rows = csv_rows(csv_file.content)
    header = csv_file.content.decode("utf-8-sig").splitlines()[0]
    assert header == "soort;nummer;lid;naam;rol;titel;tekst;stand;aantal;datum;voorgesteld;afspraken aanvaard"
    by_section: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_section.setdefault(row["soort"], []).append(row)
    assert [r["titel"] for r in by_section["netwerk"]] == ["Jeugdhulp Gent-Zuid"]
    assert {r["lid"]: (r["rol"], r["voorgesteld"]) for r in by_section["lid"]} == {
        FACILITATOR: ("facilitator", "nee"),
        MEMBERS[0]: ("deelnemer", "ja"),
        MEMBERS[1]: ("deelnemer", "nee"),
        MEMBERS[2]: ("deelnemer", "nee"),
    }
    assert {r["lid"]: r["naam"] for r in by_section["lid"]}[MEMBERS[0]] == "Joke Janssens"
    assert {r["lid"]: r["naam"] for r in by_section["lid"]}[MEMBERS[1]] == ""
    [intro] = by_section["voorstelling"]
    assert "Brengt mee: =1+1" in intro["tekst"]  # not a formula: the cell does not start with "="
    cases = {r["titel"]: r for r in by_section["case"]}
    assert cases["Open vraag"]["lid"] == MEMBERS[0] and cases["Open vraag"]["aantal"] == "1"
    confidential = cases["Geheime titel"]
    assert {key for key, value in confidential.items() if value} == {"soort", "nummer", "titel"}
    assert [r["tekst"] for r in by_section["advies"]] == ["Een huisbezoek"]
    [checkin] = by_section["peiling"]
    assert checkin["aantal"] == "2" and checkin["stand"] == "loopt"
    answers = by_section["antwoord"]
    assert sorted(r["tekst"] for r in answers) == ["De sfeer", "Het tempo"]
    assert all(r["lid"] == "" for r in answers)
    text = csv_file.content.decode("utf-8-sig")
    for secret_text in ("GEHEIM", MEMBERS[2] + ";;;De sfeer"):
        assert secret_text not in text
    # The signed author does not leave with the answer either.
    assert all(MEMBERS[2] not in r.values() for r in answers)


def test_the_csv_holds_the_network_of_its_own_workspace_on_a_channel_two_workspaces_share(
    sessions, clock: ManualClock
) -> None:
    # A channel shared between two organisations has one id in both; each may link its own network.
    make_network(sessions, clock=clock, channel_id="C0GEDEELD", name="Jeugdhulp")
    theirs = make_network(
        sessions,
        clock=clock,
        team_id="T0ANDER",
        channel_id="C0GEDEELD",
        facilitator_id="U2ANNA",
        member_ids=("U2BART",),
        name="Onderwijs",
    )

    csv_file = home_service(sessions, clock).network_csv(
        team_id="T0ANDER", network_id=theirs, user_id="U2ANNA"
    )

    assert csv_file.exported["network"]["name"] == "Onderwijs"
    assert {m["user_id"] for m in csv_file.exported["members"]} == {"U2ANNA", "U2BART"}


def test_a_cell_that_looks_like_a_formula_is_disarmed(sessions, clock: ManualClock) -> None:
    network_id = make_network(sessions, clock=clock, channel_id="C0EEN", name="=HYPERLINK(x)")
    csv_data = home_service(sessions, clock).network_csv(
        team_id=TEAM, network_id=network_id, user_id=FACILITATOR
    )
    csv_file = CsvFile(csv_data.filename, csv_content(csv_data))
    [network] = [r for r in csv_rows(csv_file.content) if r["soort"] == "netwerk"]
    assert network["titel"] == "'=HYPERLINK(x)"
    assert csv_file.filename == "hyperlink-x-2026-09-14.csv"


@pytest.mark.parametrize(("language", "filename"), [("nl", "netwerk"), ("en", "network"), ("fr", "reseau")])
def test_a_name_a_file_name_cannot_keep_names_the_csv_in_the_networks_language(
    sessions, clock: ManualClock, language: str, filename: str
) -> None:
    network_id = make_network(sessions, clock=clock, channel_id="C0EEN", name="🌱 成長", language=language)

    csv_data = home_service(sessions, clock).network_csv(
        team_id=TEAM, network_id=network_id, user_id=FACILITATOR
    )

    assert csv_data.filename == f"{filename}-2026-09-14.csv"
