"""The trajectory's and the agenda's views: snapshots, Slack's limits for the longest plan, and user text
that stays literal."""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta

import pytest

from bot.i18n import Texts
from bot.sandbox.blockkit import validate_blocks
from bot.services.agenda import AgendaCase
from bot.services.agenda import SessionAgenda
from bot.services.journey import JourneyPlan
from bot.services.journey import JourneyShown
from bot.services.journey import PlannedRole
from bot.services.journey import PlannedSession
from bot.services.journey import RoleAsked
from bot.services.journey_plan import SESSIONS_MAX
from bot.views.agenda import agenda_lines
from bot.views.charter import charter_markdown
from bot.views.journey import JourneyModalContext
from bot.views.journey import journey_overview
from bot.views.journey import journey_plan_modal
from bot.views.journey import journey_sessions_modal
from bot.views.journey import plan_message
from bot.views.journey import role_asked_message
from storage.models import Network
from storage.models.journey import Rhythm
from storage.models.journey import RoleState
from storage.models.journey import SessionRole
from tests.snapshots import assert_matches_snapshot
from tests.snapshots import message_dict
from tests.views.builders import charter

MEMBERS = ("U0ELS", "U0JOKE", "U0MEHMET", "U0SARAH", "U0PIETER")
FIRST = datetime(2026, 10, 8, 11, 30, tzinfo=UTC)


def session(position: int, *, theme: str = "Omgaan met agressie", workform: str = "") -> PlannedSession:
    roles = [
        PlannedRole(
            role_id=position * 10 + index, role=role, slot=slot, user_id=user, state=RoleState.PROPOSED
        )
        for index, ((role, slot), user) in enumerate(
            zip(
                [
                    (SessionRole.LEAD, 0),
                    (SessionRole.TIMEKEEPER, 0),
                    (SessionRole.NOTES, 0),
                    (SessionRole.CASE, 0),
                    (SessionRole.CASE, 1),
                ],
                [MEMBERS[(position * 5 + i) % len(MEMBERS)] for i in range(5)],
                strict=True,
            )
        )
    ]
    starts_at = FIRST + timedelta(weeks=2 * position)
    return PlannedSession(
        session_id=position + 1,
        meeting_id=position + 1,
        position=position,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        theme=theme,
        workform=workform,
        roles=roles,
    )


def plan(count: int = 3, **changes) -> JourneyPlan:  # type: ignore[no-untyped-def]
    values = dict(
        journey_id=1,
        network_id=1,
        channel_id="C0NETWERK",
        language="nl",
        timezone="Europe/Brussels",
        version=2,
        rhythm=Rhythm.EVERY_2_WEEKS,
        place="https://meet.example.org/jeugdhulp",
        planned_by="U0ELS",
        plan_ts=None,
        sessions=[session(i, workform="incident" if i == 0 else "") for i in range(count)],
    )
    values.update(changes)
    return JourneyPlan(**values)


def context() -> JourneyModalContext:
    return JourneyModalContext(
        network_id=1, channel_id="C0NETWERK", language="nl", timezone="Europe/Brussels", version=2
    )


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_plan_its_modals_and_the_role_question(language: str) -> None:
    texts = Texts(language)
    shown = JourneyShown(
        network=Network(id=1, channel_id="C0NETWERK"),  # type: ignore[call-arg]
        plan=plan(),
        viewer_id="U0JOKE",
        may_plan=True,
        now=FIRST - timedelta(days=1),
    )
    asked = RoleAsked(
        role=plan().sessions[0].roles[0],
        session=plan().sessions[0],
        channel_id="C0NETWERK",
        language=language,
        timezone="Europe/Brussels",
    )
    message, overview, question = (
        plan_message(texts, plan()),
        journey_overview(texts, shown),
        role_asked_message(texts, asked),
    )
    assert_matches_snapshot(
        f"journey_{language}",
        {
            "plan_modal": journey_plan_modal(
                texts, context=context(), suggested_day=date(2026, 9, 21)
            ).to_dict(),
            "sessions_modal": journey_sessions_modal(texts, plan(), context=context()).to_dict(),
            "plan": message_dict(message),
            "overview": message_dict(overview),
            "question": message_dict(question),
        },
    )


def test_the_longest_plan_fits_slacks_limits_and_user_text_stays_literal() -> None:
    texts = Texts("nl")
    longest = plan(SESSIONS_MAX, place="<!channel> *vet*")
    longest.sessions[0] = session(0, theme="<!here> " + "x" * 140, workform="`rm`")
    message = plan_message(texts, longest)
    assert validate_blocks(message.blocks_as_dicts()) == []
    assert len(message.blocks) <= 50
    assert "<!here>" not in str(message.blocks_as_dicts()) and "<!channel>" not in str(
        message.blocks_as_dicts()
    )


def test_the_agenda_opens_with_follow_up_and_names_a_confidential_case_by_title() -> None:
    agenda = SessionAgenda(
        theme="Omgaan met agressie",
        workform="incident",
        roles=session(0).roles,
        topics=["Grenzen <!here>"],
        cases=[AgendaCase(case_id=2, title="Een geheim dossier", owner_id="U0JOKE", confidential=True)],
        follow_up=[
            AgendaCase(case_id=1, title="Ouders die niet opdagen", owner_id="U0MEHMET", confidential=False)
        ],
    )
    lines = agenda_lines(Texts("nl"), agenda)
    assert lines[0].startswith("*Eerst een opvolgingsronde:*") and "Ouders die niet opdagen" in lines[1]
    assert "*Een geheim dossier* (vertrouwelijk), ingebracht door <@U0JOKE>" in "\n".join(lines)
    assert "<!here>" not in "\n".join(lines)


def test_the_charter_names_the_sessions_with_their_roles() -> None:
    markdown = charter_markdown(Texts("nl"), charter(journey=plan(2).sessions))
    assert "- donderdag 8 oktober om 13:30: Omgaan met agressie — Gespreksleider ![](@U0ELS)" in markdown
    assert "Nog geen traject gepland" not in markdown
