"""Group agreements: versions, acceptance, who has not accepted, on both backends."""

from __future__ import annotations

import pytest

from bot.errors import AgreementsNotPosted
from bot.errors import AgreementsReplaced
from bot.errors import InvalidInput
from bot.errors import NotAFacilitator
from bot.errors import NotAMember
from bot.services.agreements import parse_agreements
from bot.services.agreements import validate_agreements
from bot.services.kickoff import SizeNote
from storage.models import Role
from tests.services.test_kickoff import FACILITATOR
from tests.services.test_kickoff import Kickoff
from tests.services.test_kickoff import start_kickoff
from tests.together import run_together


@pytest.fixture
def kickoff(sessions, clock) -> Kickoff:  # type: ignore[no-untyped-def]
    return start_kickoff(sessions, clock, members=4)


def posted(kickoff: Kickoff, text: str = "Vertrouwelijk\nGeven en nemen"):  # type: ignore[no-untyped-def]
    """Publish and attach a message ts, as the handler does after posting."""
    publication = kickoff.publish(text)
    version = publication.status.version
    kickoff.services.agreements.attach_message(version_id=version.id, message_ts=f"{version.version}.0")
    return publication


def accept(kickoff: Kickoff, user_id: str, version_id: int):  # type: ignore[no-untyped-def]
    return kickoff.services.agreements.accept(
        network_id=kickoff.network_id, user_id=user_id, version_id=version_id
    )


def test_one_agreement_per_line_without_list_markers() -> None:
    typed = (
        "1. Vertrouwelijk: wat hier gezegd wordt, blijft hier\n\n"
        "- Geven  en nemen\n• Gelijkwaardig\n  2) Iedereen draagt bij "
    )
    assert parse_agreements(typed) == [
        "Vertrouwelijk: wat hier gezegd wordt, blijft hier",
        "Geven en nemen",
        "Gelijkwaardig",
        "Iedereen draagt bij",
    ]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("   \n  ", "validation.required"),
        ("kort\n" + "x" * 501, "kickoff.agreements.line_too_long"),
        ("\n".join(f"afspraak {n}" for n in range(26)), "kickoff.agreements.too_many"),
    ],
)
def test_empty_or_over_long_agreements_are_refused(kickoff: Kickoff, text: str, key: str) -> None:
    assert validate_agreements(text)["agreements"][0] == key
    with pytest.raises(InvalidInput):
        kickoff.publish(text)
    assert kickoff.services.agreements.status(network_id=kickoff.network_id, user_id="U2").version is None


def test_only_a_facilitator_posts_agreements(kickoff: Kickoff) -> None:
    with pytest.raises(NotAFacilitator):
        kickoff.publish(user_id="U2")
    with pytest.raises(NotAMember):
        kickoff.publish(user_id="U99")
    assert kickoff.services.agreements.status(network_id=kickoff.network_id, user_id="U2").version is None


def test_members_accept_once_and_the_count_follows(kickoff: Kickoff) -> None:
    version = posted(kickoff).status.version

    first = accept(kickoff, "U2", version.id)
    assert first.newly and first.status.accepted_count == 1 and first.status.member_count == 4
    again = accept(kickoff, "U2", version.id)
    assert not again.newly and again.status.accepted_count == 1
    assert accept(kickoff, "U3", version.id).status.accepted_count == 2


def test_a_new_version_asks_everyone_again(kickoff: Kickoff) -> None:
    agreements = kickoff.services.agreements
    first = posted(kickoff).status.version
    accept(kickoff, "U2", first.id)
    assert agreements.pending_for(network_id=kickoff.network_id, user_id="U2") is None

    publication = posted(kickoff, "Vertrouwelijk\nGeven en nemen\nOp tijd komen")

    second = publication.status.version
    assert second.version == 2 and publication.to_post
    assert publication.previous is not None and publication.previous.id == first.id
    assert publication.size_note is None, "only the first version ends the kickoff"
    assert agreements.pending_for(network_id=kickoff.network_id, user_id="U2") is not None
    with pytest.raises(AgreementsReplaced) as raised:
        accept(kickoff, "U2", first.id)
    assert raised.value.values == {"version": 2}
    accept(kickoff, "U2", second.id)
    assert agreements.pending_for(network_id=kickoff.network_id, user_id="U2") is None


def test_the_same_agreements_again_make_no_new_version(kickoff: Kickoff) -> None:
    posted(kickoff, "Vertrouwelijk\nGeven en nemen")
    again = kickoff.publish("- Vertrouwelijk\n- Geven en nemen\n")
    assert not again.to_post and again.status.version.version == 1


def test_a_version_whose_post_never_landed_is_posted_again_not_renumbered(kickoff: Kickoff) -> None:
    kickoff.publish("Vertrouwelijk")
    again = kickoff.publish("Vertrouwelijk")
    assert again.to_post and again.status.version.version == 1


def test_nothing_to_accept_before_the_agreements_are_posted(kickoff: Kickoff) -> None:
    agreements = kickoff.services.agreements
    assert agreements.pending_for(network_id=kickoff.network_id, user_id="U2") is None
    assert agreements.pending_for(network_id=kickoff.network_id, user_id="U2") is None
    with pytest.raises(AgreementsNotPosted):
        accept(kickoff, "U2", 1)


def test_a_member_who_has_not_accepted_is_shown_the_agreements(kickoff: Kickoff) -> None:
    version = posted(kickoff).status.version
    pending = kickoff.services.agreements.pending_for(network_id=kickoff.network_id, user_id="U2")
    assert pending is not None and pending.version.id == version.id and not pending.viewer_accepted
    accept(kickoff, "U2", version.id)
    assert kickoff.services.agreements.pending_for(network_id=kickoff.network_id, user_id="U2") is None


def test_only_facilitators_see_who_has_not_accepted(kickoff: Kickoff) -> None:
    agreements = kickoff.services.agreements
    version = posted(kickoff).status.version
    accept(kickoff, "U3", version.id)

    status = agreements.pending_members(network_id=kickoff.network_id, user_id=FACILITATOR)
    assert status.pending_ids == ["U1", "U2", "U4"]
    with pytest.raises(NotAFacilitator):
        agreements.pending_members(network_id=kickoff.network_id, user_id="U2")


def test_a_member_who_left_cannot_accept_and_does_not_count(kickoff: Kickoff) -> None:
    version = posted(kickoff).status.version
    accept(kickoff, "U4", version.id)
    kickoff.leave("U4")
    with pytest.raises(NotAMember):
        accept(kickoff, "U4", version.id)
    status = kickoff.services.agreements.status(network_id=kickoff.network_id, user_id="U2")
    assert (status.accepted_count, status.member_count) == (0, 3)


def test_the_first_agreements_end_the_kickoff_and_note_a_small_group(kickoff: Kickoff) -> None:
    publication = kickoff.publish()
    assert publication.size_note == SizeNote.TOO_SMALL


def test_the_first_agreements_of_a_group_of_twelve_need_no_note(sessions, clock) -> None:  # type: ignore[no-untyped-def]
    assert start_kickoff(sessions, clock, members=12).publish().size_note is None


def test_two_facilitators_posting_at_once_make_two_versions(kickoff: Kickoff) -> None:
    kickoff.services.members.set_role(
        network_id=kickoff.network_id, by_user_id=FACILITATOR, user_id="U2", role=Role.FACILITATOR
    )
    results = run_together(
        lambda: kickoff.publish("Eerste tekst", "U1"), lambda: kickoff.publish("Tweede tekst", "U2")
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(r.status.version.version for r in results) == [1, 2]
