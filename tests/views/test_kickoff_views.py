"""The kickoff's views: snapshots in both languages, Slack's limits at the extremes, and user text
that can never ping or break the formatting."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest

from bot.i18n import Texts
from bot.sandbox.blockkit import validate_blocks
from bot.sandbox.blockkit import validate_view
from bot.services.agreements import AgreementsStatus
from bot.services.expectations import ExpectationsOverview
from bot.services.expectations import MapGoal
from bot.services.expectations import MemberExpectations
from bot.services.expectations import VoteOutcome
from bot.services.expectations import goal_key
from bot.services.kickoff import SizeNote
from bot.services.roster import MembershipChange
from bot.services.roster import RoleChange
from bot.services.roster import Roster
from bot.services.roster import RosterEntry
from bot.views.common import ChannelModalContext
from bot.views.kickoff import agreements_for_member
from bot.views.kickoff import agreements_message
from bot.views.kickoff import agreements_modal
from bot.views.kickoff import default_agreements
from bot.views.kickoff import expectations_map
from bot.views.kickoff import expectations_modal
from bot.views.kickoff import intro_card
from bot.views.kickoff import intro_modal
from bot.views.kickoff import join_welcome
from bot.views.kickoff import pending_members
from bot.views.kickoff import role_changed
from bot.views.kickoff import roster_message
from bot.views.kickoff import size_note
from bot.views.kickoff import vote_feedback
from storage.models import AgreementVersion
from storage.models import Expectation
from storage.models import Intro
from storage.models import LearningGoal
from storage.models import Role
from tests.blocks import block_texts
from tests.factories import intro_answers
from tests.factories import network_row
from tests.snapshots import assert_matches_snapshot
from tests.snapshots import message_dict

NOW = datetime(2026, 9, 14, 8, 0, tzinfo=UTC)
LANGUAGES = ["nl", "en", "fr"]
HOSTILE = "<!channel> <@U999> *vet* _schuin_ ~weg~ `code` <https://x.example|klik> & co"


def blocks_of(message) -> list[dict]:  # type: ignore[no-untyped-def]
    return message.blocks_as_dicts()


def intro(**changes: str) -> Intro:
    """The introduction of `intro_answers` as the database holds it for U2."""
    answers = dataclasses.asdict(intro_answers(**changes))
    return Intro(id=1, network_id=1, user_id="U2", created_at=NOW, updated_at=NOW, **answers)


def map_goal(text: str, votes: int = 0, proposers: int = 1, minute: int = 0) -> MapGoal:
    return MapGoal(
        key=goal_key(text),
        text=text,
        wordings=(text,),
        proposer_ids=tuple(f"UP{n}" for n in range(proposers)),
        voter_ids=tuple(f"UV{n}" for n in range(votes)),
        first_written_at=NOW + timedelta(minutes=minute),
    )


def overview(goals: list[MapGoal], expectations: list[str] | None = None) -> ExpectationsOverview:
    rows = [
        Expectation(id=n, network_id=1, user_id=f"U{n}", text=text, created_at=NOW, updated_at=NOW)
        for n, text in enumerate(expectations or [], 1)
    ]
    return ExpectationsOverview(network=network_row(), goals=goals, expectations=rows, map_message=None)


def agreements(
    version: int = 1, accepted: set[str] | None = None, viewer: str = "U2", facilitator: bool = False
):  # type: ignore[no-untyped-def]
    row = AgreementVersion(
        id=7,
        network_id=1,
        version=version,
        text="Vertrouwelijk: wat hier gezegd wordt, blijft hier.\nGeven en ontvangen.",
        created_by="U1",
        created_at=NOW,
    )
    return AgreementsStatus(
        network=network_row(),
        version=row,
        member_ids=["U1", "U2", "U3", "U4"],
        accepted_ids=accepted if accepted is not None else {"U3"},
        viewer_id=viewer,
        viewer_is_facilitator=facilitator,
    )


def roster(viewer_is_facilitator: bool = True, members: int = 4) -> Roster:
    entries = [
        RosterEntry(
            user_id=f"U{n}",
            role=Role.FACILITATOR if n == 1 else (Role.EXPERT if n == 2 else Role.PARTICIPANT),
            introduced=n % 2 == 1,
            accepted=(n != 3) if viewer_is_facilitator or n == 2 else None,
        )
        for n in range(1, members + 1)
    ]
    return Roster(
        network=network_row(),
        viewer_id="U2",
        viewer_is_facilitator=viewer_is_facilitator,
        entries=entries,
        agreements_version=1,
        accepted_count=3,
    )


CONTEXT = ChannelModalContext(channel_id="C1", language="nl")


# ---------------------------------------------------------------------- snapshots


def member_expectations() -> MemberExpectations:
    expectation = Expectation(
        network_id=1, user_id="U2", text="Leren van elkaar", created_at=NOW, updated_at=NOW
    )
    goal = LearningGoal(
        network_id=1,
        user_id="U2",
        position=1,
        text="Feedback geven",
        goal_key="feedback geven",
        created_at=NOW,
    )
    return MemberExpectations(expectation=expectation, goals=[goal])


def joined() -> MembershipChange:
    return MembershipChange(network=network_row(), user_id="U9", member_count=16, facilitator_ids=["U1"])


SNAPSHOTS: dict[str, Callable[[Texts], object]] = {
    "intro_modal": lambda texts: intro_modal(texts, context=CONTEXT, intro=None).to_dict(),
    "intro_modal_edit": lambda texts: intro_modal(texts, context=CONTEXT, intro=intro()).to_dict(),
    "intro_card": lambda texts: message_dict(intro_card(texts, intro())),
    "expectations_modal": lambda texts: expectations_modal(
        texts, context=CONTEXT, current=member_expectations()
    ).to_dict(),
    "map": lambda texts: message_dict(
        expectations_map(
            texts,
            overview(
                [map_goal("Omgaan met agressie", votes=4, proposers=3), map_goal("Feedback geven", votes=1)],
                ["Eerlijke feedback op mijn aanpak", "Zien hoe anderen het doen"],
            ),
        )
    ),
    "agreements_modal": lambda texts: agreements_modal(
        texts, context=CONTEXT, agreements=default_agreements(texts)
    ).to_dict(),
    "agreements": lambda texts: message_dict(agreements_message(texts, agreements())),
    "agreements_v2": lambda texts: message_dict(agreements_message(texts, agreements(version=2))),
    "agreements_for_member": lambda texts: blocks_of(agreements_for_member(texts, agreements())),
    "roster_facilitator": lambda texts: blocks_of(roster_message(texts, roster())),
    "roster_participant": lambda texts: blocks_of(roster_message(texts, roster(viewer_is_facilitator=False))),
    "join_welcome": lambda texts: blocks_of(join_welcome(texts, joined())),
    "size_note_too_large": lambda texts: blocks_of(
        size_note(texts, note=SizeNote.TOO_LARGE, network_name="Jeugdhulp", count=16)
    ),
    "size_note_too_small": lambda texts: blocks_of(
        size_note(texts, note=SizeNote.TOO_SMALL, network_name="Jeugdhulp", count=8)
    ),
}
"""Each kickoff view as its snapshot `kickoff_<name>_<language>` holds it."""


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", SNAPSHOTS)
def test_each_view_matches_its_snapshot(name: str, language: str) -> None:
    assert_matches_snapshot(f"kickoff_{name}_{language}", SNAPSHOTS[name](Texts(language)))


# ---------------------------------------------------------------------- what the views promise


def test_every_view_is_within_slacks_limits() -> None:
    texts = Texts("nl")
    for modal in (
        intro_modal(texts, context=CONTEXT, intro=intro()),
        expectations_modal(texts, context=CONTEXT, current=MemberExpectations(expectation=None)),
        agreements_modal(texts, context=CONTEXT, agreements=default_agreements(texts)),
    ):
        assert validate_view(modal.to_dict()) == []
    for message in (
        intro_card(texts, intro()),
        agreements_message(texts, agreements()),
        agreements_for_member(texts, agreements()),
        roster_message(texts, roster()),
    ):
        assert validate_blocks(blocks_of(message)) == []


def test_a_map_with_many_goals_and_expectations_stays_within_fifty_blocks() -> None:
    goals = [map_goal(f"Leerdoel nummer {n} " + "&" * 120, votes=n % 4, minute=n) for n in range(150)]
    expectations = [f"Verwachting {n} " + "<&>" * 300 for n in range(40)]
    message = expectations_map(Texts("nl"), overview(goals, expectations))

    blocks = blocks_of(message)
    assert len(blocks) <= 50
    assert validate_blocks(blocks) == []
    buttons = [b for b in blocks if (b.get("accessory") or {}).get("type") == "button"]
    assert len(buttons) == 20
    [select] = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert len(select["options"]) == 100
    assert "Nog 130 leerdoelen" in str(blocks)


def test_the_map_has_one_button_per_goal_whose_value_names_the_goal() -> None:
    goals = [map_goal("Feedback geven", votes=2), map_goal("Netwerken")]
    blocks = blocks_of(expectations_map(Texts("nl"), overview(goals)))
    values = [b["accessory"]["value"] for b in blocks if "accessory" in b]
    assert values == [goal.ref for goal in goals]
    assert "●● 2 stemmen" in str(blocks)


def test_an_empty_map_invites_members_to_add_goals() -> None:
    blocks = blocks_of(expectations_map(Texts("en"), overview([], ["Only an expectation"])))
    assert "No learning goals yet" in str(blocks)
    assert validate_blocks(blocks) == []


def test_a_long_roster_stays_within_the_limits() -> None:
    message = roster_message(Texts("nl"), roster(members=400))
    blocks = blocks_of(message)
    assert len(blocks) <= 50 and validate_blocks(blocks) == []


def test_the_roster_can_take_an_extra_column() -> None:
    message = roster_message(
        Texts("nl"), roster(), extra_columns=[lambda entry: f"{entry.user_id[-1]}× gegeven"]
    )
    assert "• <@U2> · gastexpert · nog niet voorgesteld · afspraken aanvaard · 2× gegeven" in str(
        blocks_of(message)
    )


def test_a_participant_sees_who_accepted_only_for_themselves() -> None:
    lines = "\n".join(
        block_texts(
            blocks_of(roster_message(Texts("nl"), roster(viewer_is_facilitator=False))), mrkdwn_only=True
        )
    )
    by_member = {line.split()[1]: line for line in lines.splitlines() if line.startswith("• <@")}
    assert by_member["<@U3>"] == "• <@U3> · deelnemer · voorgesteld"
    assert by_member["<@U2>"] == "• <@U2> · gastexpert · nog niet voorgesteld · afspraken aanvaard"
    assert "Alleen facilitators zien" in lines


@pytest.mark.parametrize(
    "build",
    [
        lambda texts: intro_card(
            texts,
            intro(
                job_role=HOSTILE,
                organisation=HOSTILE,
                gives=HOSTILE,
                wants=HOSTILE,
                practice_question=HOSTILE,
            ),
        ),
        lambda texts: expectations_map(texts, overview([map_goal(HOSTILE)], [HOSTILE])),
        lambda texts: vote_feedback(
            texts, VoteOutcome(goal=map_goal(HOSTILE), added=True, votes_left=2, overview=overview([]))
        ),
    ],
)
def test_user_text_can_never_ping_or_break_the_formatting(build) -> None:  # type: ignore[no-untyped-def]
    message = build(Texts("nl"))
    texts = block_texts(blocks_of(message), mrkdwn_only=True)
    for text in [*texts, message.text]:
        assert "<!channel>" not in text and "<@U999>" not in text and "<https://x.example|" not in text
        assert "*vet*" not in text, "formatting characters cannot pair up"
    assert any("&lt;!channel&gt;" in text and "vet*\u200b" in text for text in texts), "shown as typed"


def test_user_text_in_the_agreements_is_escaped_too() -> None:
    status = agreements()
    status.version.text = HOSTILE
    for text in block_texts(blocks_of(agreements_message(Texts("nl"), status)), mrkdwn_only=True):
        assert "<!channel>" not in text


@pytest.mark.parametrize(
    ("added", "left", "expected"),
    [
        (True, 2, "Je stem op “Netwerken” is geteld. Je hebt nog 2 stemmen over."),
        (True, 1, "Je stem op “Netwerken” is geteld. Je hebt nog 1 stem over."),
        (True, 0, "Je stem op “Netwerken” is geteld. Daarmee heb je al je stemmen gebruikt"),
        (False, 3, "Je stem op “Netwerken” is teruggenomen. Je hebt nu 3 stemmen over."),
    ],
)
def test_the_voter_hears_how_many_votes_are_left(added: bool, left: int, expected: str) -> None:
    outcome = VoteOutcome(goal=map_goal("Netwerken"), added=added, votes_left=left, overview=overview([]))
    assert vote_feedback(Texts("nl"), outcome).text.startswith(expected)


def test_a_facilitator_sees_who_has_not_accepted() -> None:
    message = pending_members(Texts("nl"), agreements(facilitator=True, viewer="U1"))
    text = str(blocks_of(message))
    assert "<@U1>" in text and "<@U2>" in text and "<@U4>" in text and "<@U3>" not in text
    everyone = pending_members(Texts("en"), agreements(accepted={"U1", "U2", "U3", "U4"}))
    assert everyone.text == "All 4 members have accepted version 1."


def test_the_agreements_show_how_many_accepted() -> None:
    assert "1 van de 4 leden heeft deze afspraken aanvaard." in str(
        blocks_of(agreements_message(Texts("nl"), agreements()))
    )
    assert "2 of the 4 members have accepted" in str(
        blocks_of(agreements_message(Texts("en"), agreements(accepted={"U1", "U2"})))
    )


def test_a_member_who_accepted_gets_no_button_again() -> None:
    blocks = blocks_of(agreements_for_member(Texts("nl"), agreements(accepted={"U2"})))
    assert not [b for b in blocks if b["type"] == "actions"]
    assert "Je hebt deze versie aanvaard." in str(blocks)


def test_role_change_confirmations() -> None:
    change = RoleChange(network=network_row(), user_id="U2", previous=Role.PARTICIPANT, role=Role.EXPERT)
    assert role_changed(Texts("nl"), change).text == "<@U2> is nu gastexpert in dit netwerk."
    same = RoleChange(network=network_row(), user_id="U2", previous=Role.EXPERT, role=Role.EXPERT)
    assert role_changed(Texts("en"), same).text == "<@U2> already takes part in this network as guest expert."


def test_the_default_agreements_put_confidentiality_first_in_both_languages() -> None:
    assert default_agreements(Texts("nl"))[0].startswith(
        "Vertrouwelijkheid: wat hier gezegd wordt, blijft hier."
    )
    assert default_agreements(Texts("en"))[0].startswith("Confidentiality: what is said here stays here.")
    assert len(default_agreements(Texts("nl"))) == len(default_agreements(Texts("en")))
