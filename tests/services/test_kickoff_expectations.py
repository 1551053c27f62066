"""Expectations, learning goals grouped by meaning, and dot voting on the map, on both backends."""

from __future__ import annotations

import pytest

from bot.errors import GoalNotOnMap
from bot.errors import InvalidInput
from bot.errors import NotAMember
from bot.errors import NothingToMap
from bot.errors import VotesUsedUp
from bot.services.expectations import ExpectationAnswers
from bot.services.expectations import goal_key
from bot.services.expectations import goal_ref
from bot.services.expectations import validate_expectations
from tests.services.test_kickoff import Kickoff
from tests.services.test_kickoff import start_kickoff
from tests.together import run_together


@pytest.fixture
def kickoff(sessions, clock) -> Kickoff:  # type: ignore[no-untyped-def]
    return start_kickoff(sessions, clock, members=6)


def goals_by_text(kickoff: Kickoff, viewer: str = "U1") -> dict[str, int]:
    overview = kickoff.services.expectations.overview(network_id=kickoff.network_id, user_id=viewer)
    return {goal.text: goal.votes for goal in overview.goals}


def ref_of(kickoff: Kickoff, text: str) -> str:
    return goal_ref(goal_key(text))


def vote(kickoff: Kickoff, user_id: str, text: str):  # type: ignore[no-untyped-def]
    return kickoff.services.expectations.toggle_vote(
        network_id=kickoff.network_id, user_id=user_id, ref=ref_of(kickoff, text)
    )


# ---------------------------------------------------------------------- one goal, however it is written


@pytest.mark.parametrize(
    "variant",
    [
        "Omgaan met agressie",
        "omgaan met AGRESSIE",
        "  Omgaan   met\tagressie  ",
        "Omgaan met agressie!",
        "Omgaan met agressie…",
        "Ómgáán mét agressie",
        "Omgaan met 'agressie'.",
    ],
)
def test_case_spacing_punctuation_and_accents_do_not_split_a_goal(variant: str) -> None:
    assert goal_key(variant) == goal_key("omgaan met agressie") == "omgaan met agressie"


def test_different_goals_stay_apart() -> None:
    assert goal_key("Omgaan met agressie") != goal_key("Omgaan met agressie van ouders")
    assert goal_key("Feedback geven") != goal_key("Feedback krijgen")


def test_the_map_groups_wordings_and_shows_the_most_common_one(kickoff: Kickoff) -> None:
    kickoff.expect("U2", "omgaan met agressie!")
    kickoff.expect("U3", "Omgaan met agressie", "Feedback geven")
    kickoff.expect("U4", "Omgaan met agressie")

    overview = kickoff.services.expectations.overview(network_id=kickoff.network_id, user_id="U2")

    first = overview.goals[0]
    assert first.text == "Omgaan met agressie"
    assert first.wordings == ("omgaan met agressie!", "Omgaan met agressie")
    assert first.proposer_ids == ("U2", "U3", "U4")
    assert [goal.text for goal in overview.goals] == ["Omgaan met agressie", "Feedback geven"]
    assert len(overview.expectations) == 3


def test_with_a_tie_the_first_wording_shows(kickoff: Kickoff) -> None:
    kickoff.expect("U2", "Feedback Geven")
    kickoff.later()
    kickoff.expect("U3", "feedback geven")
    assert list(goals_by_text(kickoff)) == ["Feedback Geven"]


def test_a_goal_written_twice_by_one_member_counts_once(kickoff: Kickoff) -> None:
    kickoff.expect("U2", "Feedback geven", "feedback geven!", "Netwerken")
    overview = kickoff.services.expectations.overview(network_id=kickoff.network_id, user_id="U2")
    assert [(g.text, len(g.proposer_ids)) for g in overview.goals] == [
        ("Feedback geven", 1),
        ("Netwerken", 1),
    ]


def test_saving_again_replaces_a_members_goals_and_expectations(kickoff: Kickoff) -> None:
    kickoff.expect("U2", "Feedback geven", "Netwerken", text="Eerst")
    kickoff.expect("U2", "Netwerken", text="Daarna")

    current = kickoff.services.expectations.current(network_id=kickoff.network_id, user_id="U2")
    assert current.expectation is not None and current.expectation.text == "Daarna"
    assert [goal.text for goal in current.goals] == ["Netwerken"]
    assert list(goals_by_text(kickoff)) == ["Netwerken"]


@pytest.mark.parametrize(
    ("answers", "field", "key"),
    [
        (ExpectationAnswers(text=" "), "text", "validation.required"),
        (ExpectationAnswers(text="x" * 1001), "text", "validation.too_long"),
        (ExpectationAnswers(text="ok", goals=("", "g" * 151)), "goal_2", "validation.too_long"),
        (ExpectationAnswers(text="ok", goals=("?!…",)), "goal_1", "kickoff.expectations.goal_without_words"),
    ],
)
def test_an_empty_or_over_long_answer_stores_nothing(kickoff: Kickoff, answers, field, key) -> None:  # type: ignore[no-untyped-def]
    assert validate_expectations(answers)[field][0] == key
    with pytest.raises(InvalidInput):
        kickoff.services.expectations.save(network_id=kickoff.network_id, user_id="U2", answers=answers)
    current = kickoff.services.expectations.current(network_id=kickoff.network_id, user_id="U2")
    assert current.expectation is None and current.goals == []


def test_there_is_no_map_before_anyone_wrote_something(kickoff: Kickoff) -> None:
    with pytest.raises(NothingToMap):
        kickoff.services.expectations.overview(network_id=kickoff.network_id, user_id="U2")


def test_outsiders_neither_write_nor_see_the_map(kickoff: Kickoff) -> None:
    with pytest.raises(NotAMember):
        kickoff.expect("U99", "Feedback geven")
    kickoff.expect("U2", "Feedback geven")
    with pytest.raises(NotAMember):
        kickoff.services.expectations.overview(network_id=kickoff.network_id, user_id="U99")


# ---------------------------------------------------------------------- dot voting


def test_three_votes_each_a_fourth_is_refused_and_a_vote_can_be_moved(kickoff: Kickoff) -> None:
    kickoff.expect("U2", "Feedback geven", "Netwerken", "Agressie")
    kickoff.expect("U3", "Supervisie")

    assert vote(kickoff, "U4", "Feedback geven").votes_left == 2
    assert vote(kickoff, "U4", "Netwerken").votes_left == 1
    last = vote(kickoff, "U4", "Agressie")
    assert last.added and last.votes_left == 0
    with pytest.raises(VotesUsedUp) as raised:
        vote(kickoff, "U4", "Supervisie")
    assert raised.value.values == {"votes": 3}

    taken_back = vote(kickoff, "U4", "Netwerken")
    assert not taken_back.added and taken_back.votes_left == 1
    moved = vote(kickoff, "U4", "Supervisie")
    assert moved.added and moved.goal.votes == 1

    assert goals_by_text(kickoff) == {"Agressie": 1, "Feedback geven": 1, "Supervisie": 1, "Netwerken": 0}


def test_the_map_puts_the_most_voted_goal_first(kickoff: Kickoff) -> None:
    kickoff.expect("U2", "Feedback geven", "Netwerken")
    for voter in ("U2", "U3", "U4"):
        vote(kickoff, voter, "Netwerken")
    vote(kickoff, "U5", "Feedback geven")
    overview = kickoff.services.expectations.overview(network_id=kickoff.network_id, user_id="U2")
    assert [(g.text, g.votes) for g in overview.goals] == [("Netwerken", 3), ("Feedback geven", 1)]
    assert overview.goals[0].voter_ids == ("U2", "U3", "U4")


def test_a_vote_for_a_goal_not_on_the_map_is_refused(kickoff: Kickoff) -> None:
    kickoff.expect("U2", "Feedback geven")
    with pytest.raises(GoalNotOnMap):
        kickoff.services.expectations.toggle_vote(network_id=kickoff.network_id, user_id="U2", ref="forged")


def test_a_member_who_left_cannot_vote_and_their_votes_stop_counting(kickoff: Kickoff) -> None:
    kickoff.expect("U2", "Feedback geven")
    vote(kickoff, "U3", "Feedback geven")
    kickoff.leave("U3")

    with pytest.raises(NotAMember):
        vote(kickoff, "U3", "Feedback geven")
    assert goals_by_text(kickoff) == {"Feedback geven": 0}

    kickoff.join("U3")
    assert goals_by_text(kickoff) == {"Feedback geven": 1}


def test_rewording_a_goal_away_gives_its_voters_their_votes_back(kickoff: Kickoff) -> None:
    kickoff.expect("U2", "Feedback geven", "Netwerken")
    kickoff.expect("U3", "Netwerken")
    vote(kickoff, "U4", "Feedback geven")
    vote(kickoff, "U4", "Netwerken")

    kickoff.expect("U2", "Supervisie")

    assert goals_by_text(kickoff) == {"Netwerken": 1, "Supervisie": 0}
    assert vote(kickoff, "U4", "Supervisie").votes_left == 1


def test_clicks_racing_each_other_never_grant_a_fourth_vote(kickoff: Kickoff) -> None:
    goals = ["Feedback geven", "Netwerken", "Agressie", "Supervisie", "Intervisie", "Zelfzorg"]
    kickoff.expect("U2", *goals[:3])
    kickoff.expect("U3", *goals[3:])

    results = run_together(*(lambda text=text: vote(kickoff, "U4", text) for text in goals))

    counted = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, VotesUsedUp)]
    assert (len(counted), len(refused)) == (3, 3), results
    assert sum(goals_by_text(kickoff).values()) == 3


def test_clicks_racing_each_other_lose_no_vote(sessions, clock) -> None:  # type: ignore[no-untyped-def]
    kickoff = start_kickoff(sessions, clock, members=10)
    kickoff.expect("U2", "Feedback geven")
    voters = [f"U{number}" for number in range(1, 11)]

    results = run_together(*(lambda voter=voter: vote(kickoff, voter, "Feedback geven") for voter in voters))

    assert not [r for r in results if isinstance(r, Exception)], results
    assert goals_by_text(kickoff) == {"Feedback geven": 10}


def test_the_map_message_is_remembered_and_replaced(kickoff: Kickoff) -> None:
    expectations = kickoff.services.expectations
    kickoff.expect("U2", "Feedback geven")
    assert (
        expectations.record_map(
            network_id=kickoff.network_id, channel_id="C1", message_ts="1.0", posted_by="U2"
        )
        is None
    )
    previous = expectations.record_map(
        network_id=kickoff.network_id, channel_id="C1", message_ts="2.0", posted_by="U3"
    )
    assert previous is not None and previous.message_ts == "1.0"
    overview = expectations.overview(network_id=kickoff.network_id, user_id="U2")
    assert overview.map_message is not None and overview.map_message.message_ts == "2.0"
