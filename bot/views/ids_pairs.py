"""Ids of the pairing rounds and the pauses."""

from __future__ import annotations

from typing import Final

from bot.views.ids_forms import FormBlocks

PAIRS_MODAL: Final = "pairs_start"
PAUSE_MODAL: Final = "pause_add"


class PairsBlocks(FormBlocks):
    EVERY_WEEKS: Final = "pairs_every_weeks"


class PauseBlocks(FormBlocks):
    STARTS_ON: Final = "pause_starts_on"
    ENDS_ON: Final = "pause_ends_on"


class PauseActions:
    REMOVE: Final = "pause_remove"
