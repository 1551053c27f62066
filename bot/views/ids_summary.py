"""Ids of the summary: its digest schedule modal."""

from __future__ import annotations

from typing import Final

from bot.views.ids_forms import FormBlocks

SUMMARY_DIGEST_MODAL: Final = "summary_digest"


class SummaryDigestBlocks(FormBlocks):
    FREQUENCY: Final = "summary_digest_frequency"
