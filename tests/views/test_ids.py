"""The block ids of the form modals: one block for each field its service takes, and for no other."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import fields
from typing import Any

import pytest

from bot.services.cases import CaseIntake
from bot.services.checkin_schedule import ScheduleForm
from bot.services.follow_ups import FollowUpService
from bot.services.intros import IntroAnswers
from bot.services.journey_plan import JourneyForm
from bot.services.meetings import MeetingForm
from bot.services.meetings import MeetingService
from bot.services.meetings import validate_evaluation
from bot.services.networks import NetworkDetails
from bot.services.thermometer import ASPECTS
from bot.views import ids
from storage.models.kickoff import LEARNING_GOALS_PER_MEMBER


@pytest.mark.parametrize(
    ("by_field", "form", "read_apart"),
    [
        (ids.CaseIntakeBlocks.BY_FIELD, CaseIntake, {"source_permalink"}),
        (ids.CheckinScheduleBlocks.BY_FIELD, ScheduleForm, set()),
        (ids.MeetingPlanBlocks.BY_FIELD, MeetingForm, {"case_ids"}),
        (ids.IntroBlocks.BY_FIELD, IntroAnswers, set()),
        (ids.JourneyPlanBlocks.BY_FIELD, JourneyForm, set()),
        (ids.StartNetworkBlocks.BY_FIELD, NetworkDetails, set()),
    ],
)
def test_a_form_has_a_block_for_each_field_of_what_its_service_takes(
    by_field: dict[str, str], form: type, read_apart: set[str]
) -> None:
    # The error boundary finds each field's block here, and handlers that build the form from
    # `state_values(view, BY_FIELD)` would pass a block too many as an unknown argument.
    assert list(by_field) == [field.name for field in fields(form) if field.name not in read_apart]


def test_every_score_and_learning_goal_has_its_block() -> None:
    goals = [f"goal_{position}" for position in range(1, LEARNING_GOALS_PER_MEMBER + 1)]
    assert list(ids.ExpectationsBlocks.BY_FIELD) == ["text", *goals]
    assert list(ids.ThermometerAnswerBlocks.BY_FIELD) == [*(aspect.value for aspect in ASPECTS), "stronger"]


@pytest.mark.parametrize(
    ("by_field", "takes"),
    [
        (ids.FollowUpAnswerBlocks.BY_FIELD, FollowUpService.answer),
        (ids.MeetingEvaluationBlocks.BY_FIELD, validate_evaluation),
        (ids.MeetingEvaluationBlocks.BY_FIELD, MeetingService.save_evaluation),
    ],
)
def test_a_form_read_into_a_services_arguments_names_them(
    by_field: dict[str, str], takes: Callable[..., Any]
) -> None:
    assert set(by_field) <= set(inspect.signature(takes).parameters)
