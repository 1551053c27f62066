"""Ids of App Home: its view, and the facilitator's buttons (each carries the network id as its value)."""

from __future__ import annotations

from typing import Final

HOME_VIEW: Final = "home"


class HomeActions:
    POST_CHECKIN: Final = "home_post_checkin"
    PLAN_MEETING: Final = "home_plan_meeting"
    POST_SUMMARY: Final = "home_post_summary"
    DOWNLOAD_CSV: Final = "home_download_csv"


class HomeBlocks:
    NOTICE: Final = "home_notice"
    NETWORK_PREFIX: Final = "home_network_"
    """Followed by the network id: the block of a network's facilitator buttons."""
    MORE: Final = "home_more"
