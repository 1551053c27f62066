"""Ids of privacy: the confirmation buttons of forget-me and archive."""

from __future__ import annotations

from typing import Final


class PrivacyActions:
    FORGET: Final = "privacy_forget"
    """Its value is the language the confirmation was asked in."""
    ARCHIVE: Final = "privacy_archive"
    """Its value is the network id."""
