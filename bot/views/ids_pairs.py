"""Ids of the pairing rounds and the pauses."""

from __future__ import annotations

from typing import Final

PAIRS_MODAL: Final = "pairs_start"
PAUSE_MODAL: Final = "pause_add"


class PairsBlocks:
    EVERY_WEEKS: Final = "pairs_every_weeks"

    BY_FIELD: Final = {"every_weeks": EVERY_WEEKS}


class PauseBlocks:
    STARTS_ON: Final = "pause_starts_on"
    ENDS_ON: Final = "pause_ends_on"

    BY_FIELD: Final = {"starts_on": STARTS_ON, "ends_on": ENDS_ON}


class PauseActions:
    REMOVE: Final = "pause_remove"
