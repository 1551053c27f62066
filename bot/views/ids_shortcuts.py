"""Ids of the message shortcuts (as manifest.json declares them) and of the lesson consent question."""

from __future__ import annotations

from typing import Final

BRING_IN_AS_CASE_SHORTCUT: Final = "bring_in_as_case"
"""The callback_id of "Breng in als casus"."""
SAVE_AS_LESSON_SHORTCUT: Final = "save_as_lesson"
"""The callback_id of "Bewaar als les"."""


class ShortcutActions:
    CONSENT_YES: Final = "lesson_consent_yes"
    """The author lets the lesson be kept; the value is the saved lesson's id."""
    CONSENT_NO: Final = "lesson_consent_no"
