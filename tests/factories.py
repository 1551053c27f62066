"""Test data from small factories, one of each: keyword-only, with defaults a test overrides only where
the value matters to it (`make_network(sessions, clock=clock, channel_id="C0EEN")`)."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from typing import Any

from bot.clock import Clock
from bot.services.cases import CaseIntake
from bot.services.cases import CaseService
from bot.services.checkin_schedule import ScheduleForm
from bot.services.intros import IntroAnswers
from bot.services.meetings import MeetingForm
from bot.services.networks import NetworkDetails
from bot.services.networks import NetworkService
from bot.services.outbox import Outbox
from bot.views.ids import VALUE_ACTION
from bot.views.ids import CaseIntakeBlocks
from bot.views.ids import IntroBlocks
from storage.db import SessionFactory
from storage.models import Network
from storage.models import NetworkComposition
from storage.models import NetworkOrigin

TEAM_ID = "T0NETWERK"
CHANNEL_ID = "C0NETWERK"
FACILITATOR_ID = "U0ELS"
MEMBER_IDS = ("U0JOKE", "U0MEHMET", "U0SARAH")


CASE_FORM: dict[str, Any] = {
    CaseIntakeBlocks.TITLE: "Ouders die niet opdagen",
    CaseIntakeBlocks.SITUATION: "Drie keer op rij kwam niemand naar het oudergesprek.",
    CaseIntakeBlocks.QUESTION: "Hoe krijg ik ouders wel aan tafel?",
    CaseIntakeBlocks.TRIED: "Een brief en een sms.",
    CaseIntakeBlocks.HELP_WANTED: ["advice", "experiences"],
    CaseIntakeBlocks.CONFIDENTIAL: [],
}
"""The case intake modal as a member fills it in, by block id."""
INTRO_FORM = {
    IntroBlocks.JOB_ROLE: "Gezinscoach",
    IntroBlocks.ORGANISATION: "CAW Oost-Vlaanderen",
    IntroBlocks.GIVES: "Tien jaar huisbezoeken bij gezinnen in armoede",
    IntroBlocks.WANTS: "Omgaan met agressie van ouders",
    IntroBlocks.PRACTICE_QUESTION: "",
}
"""The intro modal as a member fills it in, by block id."""


def form_values(form: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """What a person typed or chose, by block id, shaped as the driver submits it."""
    return {block_id: {VALUE_ACTION: value} for block_id, value in form.items()}


def network_details(**overrides: str) -> NetworkDetails:
    """What the facilitator fills in when starting a network."""
    values = {
        "name": "Jeugdhulp",
        "goal": "",
        "origin": "organised",
        "composition": "same_role",
        "language": "nl",
        "timezone": "Europe/Brussels",
    }
    return NetworkDetails(**{**values, **overrides})


def network_row(*, name: str = "Lerend netwerk jeugdhulp", goal: str = "") -> Network:
    """A network as the database holds it, started on Monday 14 September 2026, without storing it: for
    the views, which take it as it is."""
    return Network(
        id=1,
        team_id="T1",
        channel_id="C1",
        name=name,
        goal=goal,
        origin=NetworkOrigin.ORGANISED,
        composition=NetworkComposition.SAME_ROLE,
        language="nl",
        timezone="Europe/Brussels",
        created_by="U1",
        created_at=datetime(2026, 9, 14, 8, 0, tzinfo=UTC),
    )


def make_network(
    sessions: SessionFactory,
    *,
    clock: Clock,
    team_id: str = TEAM_ID,
    channel_id: str = CHANNEL_ID,
    facilitator_id: str = FACILITATOR_ID,
    member_ids: tuple[str, ...] | list[str] = MEMBER_IDS,
    **details: str,
) -> int:
    """A network linked to `channel_id` now, as `/netwerk start` links it; its id.

    `facilitator_id` starts it, the `member_ids` in the channel become participants, and `details` are
    the fields of `network_details` to change (`name="Onthaal"`, `language="en"`)."""
    overview = NetworkService(sessions=sessions, clock=clock).link_channel(
        team_id=team_id,
        channel_id=channel_id,
        facilitator_id=facilitator_id,
        details=network_details(**details),
        channel_member_ids=list(member_ids),
    )
    return overview.network.id or 0


def intro_answers(**overrides: str) -> IntroAnswers:
    """A member's introduction."""
    values = {
        "job_role": "Gezinscoach",
        "organisation": "CAW Oost-Vlaanderen",
        "gives": "Tien jaar huisbezoeken",
        "wants": "Omgaan met agressie",
        "practice_question": "Hoe zeg ik nee zonder de band te verliezen?",
    }
    return IntroAnswers(**{**values, **overrides})


def case_intake(**overrides: Any) -> CaseIntake:
    """A case as its owner fills in the intake modal."""
    values: dict[str, Any] = {
        "title": "Ouders die niet opdagen",
        "situation": "Drie keer op rij kwam niemand.",
        "question": "Hoe krijg ik ouders aan tafel?",
        "tried": "Een brief.",
        "help_wanted": ("advice",),
        "confidential": False,
    }
    return CaseIntake(**{**values, **overrides})


def case_service(sessions: SessionFactory, clock: Clock) -> CaseService:
    """The case service as a test drives it: its outbox records effects that no live process claims."""
    return CaseService(sessions=sessions, clock=clock, outbox=Outbox(clock=clock, process_id=None))


def schedule_form(**overrides: str) -> ScheduleForm:
    """The check-in schedule as the facilitator submits it: weekly on Monday at 10:00, by default."""
    values = {
        "frequency": "weekly",
        "weekday": "0",
        "time": "10:00",
        "open_days": "3",
        "reminders": "on",
        "anonymity_threshold": "3",
    }
    return ScheduleForm(**{**values, **overrides})


def meeting_form(**overrides: str) -> MeetingForm:
    """A meeting as the facilitator plans it: Thursday 24 September 2026, 13:30 to 16:30, by default."""
    values = {
        "day": "2026-09-24",
        "start": "13:30",
        "end": "16:30",
        "topic": "Moeilijke gesprekken",
        "cases": "Een vader\nEen tiener",
    }
    return MeetingForm(**{**values, **overrides})


def accepted_agreements(
    sessions: SessionFactory, *, clock: Clock, network_id: int, user_ids: tuple[str, ...]
) -> None:
    """Posted agreements (as `/netwerk afspraken` leaves them) that `user_ids` accepted: they may read the
    network's confidential cases."""
    from bot.services.agreements import AgreementService

    agreements = AgreementService(sessions=sessions, clock=clock)
    publication = agreements.publish(
        network_id=network_id, user_id=_facilitator_of(sessions, network_id), text="Vertrouwelijk"
    )
    version = publication.status.version
    assert version is not None and version.id is not None
    agreements.attach_message(version_id=version.id, message_ts="50.000001")
    for user_id in user_ids:
        agreements.accept(network_id=network_id, user_id=user_id, version_id=version.id)


def _facilitator_of(sessions: SessionFactory, network_id: int) -> str:
    from storage import queries

    with sessions() as session:
        memberships = queries.list_memberships(session=session, network_id=network_id)
        return next(m.user_id for m in memberships if m.role == "facilitator")
