"""Ids of the safe group: the confidential case's reading modal, its guest experts, forgetting details."""

from __future__ import annotations

from typing import Final

CASE_READING_VIEW: Final = "case_reading_modal"
"""A modal with nothing to submit: it only shows a confidential case to its reader."""
CASE_GUESTS_MODAL: Final = "case_guests_modal"


class SafeActions:
    READ: Final = "case_read"
    """On a confidential case's card and private notes; value: the case id."""
    READ_PAGE: Final = "case_read_page"
    """In the reading modal; value `<case id>:<page>`."""
    READ_PREVIOUS_PAGE: Final = "case_read_page_previous"
    GUESTS: Final = "case_guests"
    """On a confidential case's card, for its owner; value: the case id."""
    WITHDRAW_GUEST: Final = "case_guest_withdraw"
    """In the guests modal; value `<case id>:<user id>`."""
    FORGET_ARCHIVED: Final = "network_forget_confidential"
    """In the archive's answer to its facilitator; value: the network id."""


class SafeBlocks:
    GUEST: Final = "case_guest_invite"
    FORGET_DETAILS: Final = "case_forget_details"
    READ_PAGES: Final = "case_read_pages"

    GUESTS_BY_FIELD: Final = {"guest": GUEST}


FORGET_DETAILS_OPTION: Final = "forget_details"
