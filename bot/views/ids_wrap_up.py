"""Ids of closing the network: the confirmation modal, the look-back button and modal."""

from __future__ import annotations

from typing import Final

from bot.views.ids_forms import FormBlocks

WRAP_UP_MODAL: Final = "wrap_up_start"
LOOK_BACK_MODAL: Final = "wrap_up_look_back"


class WrapUpActions:
    LOOK_BACK: Final = "wrap_up_look_back_open"
    """The announcement's and the invitation's button; its value is the wrap-up's id."""


class WrapUpBlocks(FormBlocks):
    ENDS_ON: Final = "wrap_up_ends_on"


class LookBackBlocks:
    GOAL_PREFIX: Final = "wrap_up_goal_"
    """One block per learning goal, by its position: `wrap_up_goal_0`, `wrap_up_goal_1`, ..."""
    LESSON: Final = "wrap_up_lesson"
    TOOK_PART: Final = "wrap_up_took_part"
    DID_DIFFERENTLY: Final = "wrap_up_did_differently"
    YIELDED: Final = "wrap_up_yielded"
    SHARE: Final = "wrap_up_share"
    SHARE_OPTION: Final = "share"

    # Spelled out, not a FormBlocks: one block per goal, and the box to share is read apart.
    BY_FIELD: Final = {
        "goal-*": GOAL_PREFIX,
        "lesson": LESSON,
        "took_part": TOOK_PART,
        "did_differently": DID_DIFFERENTLY,
        "yielded": YIELDED,
    }
