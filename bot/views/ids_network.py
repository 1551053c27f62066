"""Ids of the start modal."""

from __future__ import annotations

from typing import Final

from bot.views.ids_forms import FormBlocks

START_NETWORK_MODAL: Final = "network_start"


class StartNetworkBlocks(FormBlocks):
    """Blocks of the start modal, one per form field (the service's field names map onto them)."""

    NAME: Final = "start_name"
    GOAL: Final = "start_goal"
    ORIGIN: Final = "start_origin"
    COMPOSITION: Final = "start_composition"
    LANGUAGE: Final = "start_language"
    TIMEZONE: Final = "start_timezone"


VALUE_ACTION: Final = "value"
"""The action_id of the single element inside an input block."""
