"""Ids of the network thermometer's message and answer modal."""

from __future__ import annotations

from typing import Final

from bot.views.ids_forms import FormBlocks

THERMOMETER_ANSWER_MODAL: Final = "thermometer_answer"


class ThermometerActions:
    ANSWER: Final = "thermometer_answer_open"
    """The round message's button; its value is the round's id."""


class ThermometerAnswerBlocks(FormBlocks):
    GOAL: Final = "thermometer_goal"
    PROCESS: Final = "thermometer_process"
    CONTRIBUTION: Final = "thermometer_contribution"
    SAFETY: Final = "thermometer_safety"
    FACILITATION: Final = "thermometer_facilitation"
    VALUE: Final = "thermometer_value"
    STRONGER: Final = "thermometer_stronger"
    ASPECTS: Final = (GOAL, PROCESS, CONTRIBUTION, SAFETY, FACILITATION, VALUE)
    """The six scores' blocks, in the order the modal asks them (that of `Aspect`)."""
