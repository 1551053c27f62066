"""The kickoff's services on both backends: introductions, members following the channel, roles, the
roster and the export. The factories here serve the other test_kickoff_* files too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from bot.clock import ManualClock
from bot.errors import ChannelNotLinked
from bot.errors import InvalidInput
from bot.errors import LastFacilitator
from bot.errors import NotAFacilitator
from bot.errors import NotAMember
from bot.errors import RoleUsage
from bot.errors import TargetNotAMember
from bot.services import Services
from bot.services import build_services
from bot.services.expectations import ExpectationAnswers
from bot.services.export import export_network
from bot.services.kickoff import SizeNote
from bot.services.kickoff import size_note_for
from bot.services.roster import role_from_word
from storage.models import Role
from tests.factories import intro_answers
from tests.factories import make_network
from tests.together import run_together

TEAM = "T1"
CHANNEL = "C1"
FACILITATOR = "U1"


@dataclass
class Kickoff:
    """A linked network and the services around it, for one test."""

    services: Services
    clock: ManualClock
    network_id: int
    events: int = 0

    def join(self, user_id: str, *, event_id: str | None = None):  # type: ignore[no-untyped-def]
        self.events += 1
        return self.services.members.member_joined(
            team_id=TEAM, channel_id=CHANNEL, user_id=user_id, event_id=event_id or f"Ev{self.events}"
        )

    def leave(self, user_id: str, *, event_id: str | None = None):  # type: ignore[no-untyped-def]
        self.events += 1
        return self.services.members.member_left(
            team_id=TEAM, channel_id=CHANNEL, user_id=user_id, event_id=event_id or f"Ev{self.events}"
        )

    def introduce(self, user_id: str, **changes: str):  # type: ignore[no-untyped-def]
        return self.services.intros.save(
            network_id=self.network_id, user_id=user_id, answers=intro_answers(**changes)
        )

    def expect(self, user_id: str, *goals: str, text: str = "Leren van elkaar"):  # type: ignore[no-untyped-def]
        return self.services.expectations.save(
            network_id=self.network_id, user_id=user_id, answers=ExpectationAnswers(text=text, goals=goals)
        )

    def publish(
        self, text: str = "Wat hier gezegd wordt, blijft hier.\nGeven en nemen", user_id: str = FACILITATOR
    ):  # type: ignore[no-untyped-def]
        return self.services.agreements.publish(network_id=self.network_id, user_id=user_id, text=text)

    def later(self, minutes: int = 1) -> None:
        self.clock.advance(timedelta(minutes=minutes))


def start_kickoff(sessions, clock: ManualClock, *, members: int = 3, language: str = "nl") -> Kickoff:  # type: ignore[no-untyped-def]
    """A network on CHANNEL with U1 as facilitator and U2 … U<members> as participants."""
    services = build_services(sessions=sessions, clock=clock)
    network_id = make_network(
        sessions,
        clock=clock,
        team_id=TEAM,
        channel_id=CHANNEL,
        facilitator_id=FACILITATOR,
        member_ids=[f"U{number}" for number in range(1, members + 1)],
        name="Lerend netwerk jeugdhulp",
        language=language,
    )
    return Kickoff(services=services, clock=clock, network_id=network_id)


@pytest.fixture
def kickoff(sessions, clock) -> Kickoff:  # type: ignore[no-untyped-def]
    return start_kickoff(sessions, clock)


# ---------------------------------------------------------------------- introductions


def test_a_first_introduction_is_created_and_a_second_edits_it(kickoff: Kickoff) -> None:
    first = kickoff.introduce("U2")
    assert first.created
    kickoff.services.intros.attach_card(intro_id=first.intro.id, ts="111.000")
    kickoff.later()

    second = kickoff.introduce("U2", job_role="Teamcoach")

    assert not second.created
    assert second.intro.id == first.intro.id
    assert second.intro.job_role == "Teamcoach"
    assert second.intro.card_ts == "111.000"
    assert second.intro.updated_at > first.intro.created_at
    current = kickoff.services.intros.current(network_id=kickoff.network_id, user_id="U2")
    assert current is not None and current.job_role == "Teamcoach"


def test_answers_are_stored_as_typed_without_surrounding_spaces(kickoff: Kickoff) -> None:
    saved = kickoff.introduce("U2", gives="  <!channel> *vet* & meer  ")
    assert saved.intro.gives == "<!channel> *vet* & meer"


@pytest.mark.parametrize(
    ("changes", "field", "key"),
    [
        ({"job_role": "   "}, "job_role", "validation.required"),
        ({"wants": ""}, "wants", "validation.required"),
        ({"organisation": "o" * 151}, "organisation", "validation.too_long"),
        ({"practice_question": "v" * 1001}, "practice_question", "validation.too_long"),
    ],
)
def test_an_empty_or_over_long_answer_stores_nothing(kickoff: Kickoff, changes, field, key) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as raised:
        kickoff.introduce("U2", **changes)
    assert raised.value.problems[field][0] == key
    assert kickoff.services.intros.current(network_id=kickoff.network_id, user_id="U2") is None


def test_only_members_introduce_themselves(kickoff: Kickoff) -> None:
    with pytest.raises(NotAMember):
        kickoff.introduce("U99")
    kickoff.leave("U3")
    with pytest.raises(NotAMember):
        kickoff.introduce("U3")


def test_the_first_card_attached_stays(kickoff: Kickoff) -> None:
    intro = kickoff.introduce("U2").intro
    intros = kickoff.services.intros
    assert intros.attach_card(intro_id=intro.id, ts="1.0") == "1.0"
    assert intros.attach_card(intro_id=intro.id, ts="2.0") == "1.0"
    assert intros.attach_card(intro_id=intro.id, ts="3.0", replace=True) == "3.0"


# ---------------------------------------------------------------------- members following the channel


def test_a_new_member_joins_as_participant_once_however_often_slack_delivers(kickoff: Kickoff) -> None:
    change = kickoff.join("U7", event_id="EvJoin")
    assert change is not None and change.user_id == "U7" and change.member_count == 4
    assert change.facilitator_ids == [FACILITATOR]
    assert kickoff.join("U7", event_id="EvJoin") is None
    roster = kickoff.services.members.roster(network_id=kickoff.network_id, viewer_id=FACILITATOR)
    assert [(e.user_id, e.role) for e in roster.entries][-1] == ("U7", Role.PARTICIPANT)
    assert roster.size == 4


def test_a_join_of_someone_already_in_the_network_changes_nothing(kickoff: Kickoff) -> None:
    assert kickoff.join("U2") is None


def test_events_from_a_channel_without_network_are_ignored(kickoff: Kickoff) -> None:
    change = kickoff.services.members.member_joined(
        team_id=TEAM, channel_id="C-OTHER", user_id="U7", event_id="EvElsewhere"
    )
    assert change is None


def test_apps_taken_in_at_the_start_leave_once_and_a_facilitator_never_does(kickoff: Kickoff) -> None:
    members = kickoff.services.members
    assert members.leave_out_apps(network_id=kickoff.network_id, app_user_ids=["U3", FACILITATOR]) == 1
    assert members.leave_out_apps(network_id=kickoff.network_id, app_user_ids=["U3"]) == 0
    roster = members.roster(network_id=kickoff.network_id, viewer_id=FACILITATOR)
    assert [e.user_id for e in roster.entries] == [FACILITATOR, "U2"]


def test_a_member_who_leaves_is_kept_in_history_and_returns_with_their_role(kickoff: Kickoff) -> None:
    facilitator_ids = kickoff.services.members.set_role(
        network_id=kickoff.network_id, by_user_id=FACILITATOR, user_id="U2", role=Role.FACILITATOR
    )
    assert facilitator_ids.changed
    left = kickoff.leave("U2")
    assert left is not None and left.member_count == 2
    assert kickoff.leave("U2") is None
    with pytest.raises(NotAMember):
        kickoff.services.members.roster(network_id=kickoff.network_id, viewer_id="U2")

    returned = kickoff.join("U2")
    assert returned is not None
    roster = kickoff.services.members.roster(network_id=kickoff.network_id, viewer_id="U2")
    assert {e.user_id: e.role for e in roster.entries}["U2"] == Role.FACILITATOR


def test_facilitators_hear_when_the_group_grows_past_fifteen(sessions, clock) -> None:  # type: ignore[no-untyped-def]
    kickoff = start_kickoff(sessions, clock, members=14)
    assert kickoff.join("U15").size_note is None
    sixteenth = kickoff.join("U16")
    assert sixteenth.size_note == SizeNote.TOO_LARGE and sixteenth.member_count == 16
    assert kickoff.join("U17").size_note is None, "one note when crossing, not one per join"


def test_facilitators_hear_when_the_group_drops_under_ten_after_the_kickoff(sessions, clock) -> None:  # type: ignore[no-untyped-def]
    kickoff = start_kickoff(sessions, clock, members=11)
    assert kickoff.leave("U11").size_note is None, "still ten"
    assert kickoff.leave("U10").size_note is None, "the kickoff is not over: agreements are not posted"
    kickoff.join("U10")
    kickoff.publish()
    assert kickoff.leave("U10").size_note == SizeNote.TOO_SMALL
    assert kickoff.leave("U9").size_note is None


def test_the_guideline_is_ten_to_fifteen() -> None:
    assert [size_note_for(n) for n in (9, 10, 15, 16)] == [SizeNote.TOO_SMALL, None, None, SizeNote.TOO_LARGE]


# ---------------------------------------------------------------------- roles


@pytest.mark.parametrize(
    ("word", "role"),
    [
        ("facilitator", Role.FACILITATOR),
        ("Trekker", Role.FACILITATOR),
        ("facilitateur", Role.FACILITATOR),
        ("expert", Role.EXPERT),
        ("deelnemer", Role.PARTICIPANT),
        ("participant", Role.PARTICIPANT),
    ],
)
def test_role_words_in_each_language(word: str, role: Role) -> None:
    assert role_from_word(word) == role


def test_an_unknown_role_word_is_refused() -> None:
    with pytest.raises(RoleUsage):
        role_from_word("baas")


def test_a_facilitator_names_a_guest_expert_and_a_co_facilitator(kickoff: Kickoff) -> None:
    members = kickoff.services.members
    change = members.set_role(
        network_id=kickoff.network_id, by_user_id=FACILITATOR, user_id="U2", role=Role.EXPERT
    )
    assert (change.previous, change.role, change.changed) == (Role.PARTICIPANT, Role.EXPERT, True)
    members.set_role(
        network_id=kickoff.network_id, by_user_id=FACILITATOR, user_id="U3", role=Role.FACILITATOR
    )
    again = members.set_role(
        network_id=kickoff.network_id, by_user_id="U3", user_id="U3", role=Role.FACILITATOR
    )
    assert not again.changed
    roles = {e.user_id: e.role for e in members.roster(network_id=kickoff.network_id, viewer_id="U2").entries}
    assert roles == {"U1": Role.FACILITATOR, "U2": Role.EXPERT, "U3": Role.FACILITATOR}


def test_only_facilitators_change_roles_and_only_of_members(kickoff: Kickoff) -> None:
    members = kickoff.services.members
    with pytest.raises(NotAFacilitator):
        members.set_role(network_id=kickoff.network_id, by_user_id="U2", user_id="U3", role=Role.FACILITATOR)
    with pytest.raises(TargetNotAMember) as raised:
        members.set_role(
            network_id=kickoff.network_id, by_user_id=FACILITATOR, user_id="U99", role=Role.EXPERT
        )
    assert raised.value.values == {"user": "U99"}


def test_the_last_facilitator_cannot_be_removed(kickoff: Kickoff) -> None:
    members = kickoff.services.members
    with pytest.raises(LastFacilitator):
        members.set_role(
            network_id=kickoff.network_id, by_user_id=FACILITATOR, user_id=FACILITATOR, role=Role.PARTICIPANT
        )
    members.set_role(
        network_id=kickoff.network_id, by_user_id=FACILITATOR, user_id="U2", role=Role.FACILITATOR
    )
    members.set_role(
        network_id=kickoff.network_id, by_user_id=FACILITATOR, user_id=FACILITATOR, role=Role.PARTICIPANT
    )
    with pytest.raises(LastFacilitator):
        members.set_role(network_id=kickoff.network_id, by_user_id="U2", user_id="U2", role=Role.EXPERT)


def test_two_facilitators_stepping_down_at_once_leave_one(kickoff: Kickoff) -> None:
    members = kickoff.services.members
    members.set_role(
        network_id=kickoff.network_id, by_user_id=FACILITATOR, user_id="U2", role=Role.FACILITATOR
    )

    def step_down(user_id: str):  # type: ignore[no-untyped-def]
        return lambda: members.set_role(
            network_id=kickoff.network_id, by_user_id=user_id, user_id=user_id, role=Role.PARTICIPANT
        )

    results = run_together(step_down("U1"), step_down("U2"))

    refused = [r for r in results if isinstance(r, LastFacilitator)]
    assert len(refused) == 1, results
    roster = members.roster(network_id=kickoff.network_id, viewer_id="U3")
    assert sum(e.role == Role.FACILITATOR for e in roster.entries) == 1


def test_an_archived_network_takes_no_kickoff_requests(kickoff: Kickoff, sessions) -> None:  # type: ignore[no-untyped-def]
    from storage.db import unit_of_work
    from storage.models import Network

    with unit_of_work(sessions) as session:
        network = session.get(Network, kickoff.network_id)
        network.archived_at = kickoff.clock.now()
    with pytest.raises(ChannelNotLinked):
        kickoff.introduce("U2")
    assert kickoff.join("U8") is None


# ---------------------------------------------------------------------- the roster


def test_the_roster_shows_roles_introductions_and_acceptance_to_facilitators(kickoff: Kickoff) -> None:
    kickoff.introduce("U2")
    publication = kickoff.publish()
    kickoff.services.agreements.accept(
        network_id=kickoff.network_id, user_id="U3", version_id=publication.status.version.id
    )

    roster = kickoff.services.members.roster(network_id=kickoff.network_id, viewer_id=FACILITATOR)

    assert roster.viewer_is_facilitator
    assert [(e.user_id, e.introduced, e.accepted) for e in roster.entries] == [
        ("U1", False, False),
        ("U2", True, False),
        ("U3", False, True),
    ]
    assert (roster.agreements_version, roster.accepted_count, roster.size) == (1, 1, 3)
    assert roster.size_note == SizeNote.TOO_SMALL


def test_a_participant_sees_only_their_own_acceptance(kickoff: Kickoff) -> None:
    publication = kickoff.publish()
    kickoff.services.agreements.accept(
        network_id=kickoff.network_id, user_id="U3", version_id=publication.status.version.id
    )

    roster = kickoff.services.members.roster(network_id=kickoff.network_id, viewer_id="U2")

    assert {e.user_id: e.accepted for e in roster.entries} == {"U1": None, "U2": False, "U3": None}
    assert roster.accepted_count == 1


def test_before_any_agreements_nobody_has_an_acceptance_status(kickoff: Kickoff) -> None:
    roster = kickoff.services.members.roster(network_id=kickoff.network_id, viewer_id=FACILITATOR)
    assert {e.accepted for e in roster.entries} == {None}
    assert roster.agreements_version is None


# ---------------------------------------------------------------------- the export


def test_the_export_shows_introductions_expectations_votes_and_acceptances(
    kickoff: Kickoff, sessions
) -> None:  # type: ignore[no-untyped-def]
    kickoff.introduce("U2", practice_question="Hoe zeg ik nee?")
    kickoff.expect("U2", "Omgaan met agressie", text="Ervaringen delen")
    kickoff.expect("U3", "omgaan met agressie!")
    overview = kickoff.services.expectations.overview(network_id=kickoff.network_id, user_id="U2")
    ref = overview.goals[0].ref
    kickoff.services.expectations.toggle_vote(network_id=kickoff.network_id, user_id="U2", ref=ref)
    kickoff.services.expectations.toggle_vote(network_id=kickoff.network_id, user_id="U1", ref=ref)
    publication = kickoff.publish()
    kickoff.services.agreements.accept(
        network_id=kickoff.network_id, user_id="U2", version_id=publication.status.version.id
    )

    data = export_network(sessions=sessions, channel_id=CHANNEL)

    members = {m["user_id"]: (m["introduced"], m["accepted_agreements"]) for m in data["members"]}
    assert members == {"U1": (False, False), "U2": (True, True), "U3": (False, False)}
    [intro] = data["intros"]
    assert intro["user_id"] == "U2" and intro["practice_question"] == "Hoe zeg ik nee?"
    goals = [e for e in data["expectations"] if e["kind"] == "learning_goal"]
    assert goals == [
        {
            "kind": "learning_goal",
            "text": "Omgaan met agressie",
            "votes": 2,
            "wordings": ["Omgaan met agressie", "omgaan met agressie!"],
            "proposed_by": ["U2", "U3"],
            "voters": ["U1", "U2"],
        }
    ]
    assert {e["text"] for e in data["expectations"] if e["kind"] == "expectation"} == {
        "Ervaringen delen",
        "Leren van elkaar",
    }
    assert data["agreements"]["version"] == 1 and data["agreements"]["accepted_by"] == ["U2"]
