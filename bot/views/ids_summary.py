"""Ids of the summary: its digest schedule modal."""

from __future__ import annotations

from typing import Final

SUMMARY_DIGEST_MODAL: Final = "summary_digest"


class SummaryDigestBlocks:
    FREQUENCY: Final = "summary_digest_frequency"

    BY_FIELD: Final = {"frequency": FREQUENCY}
