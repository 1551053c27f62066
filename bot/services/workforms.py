"""The catalogue of work forms (werkvormen): interactive forms for a session and peer-consultation
methods for a case round.

Pure data, free of Slack and of the database. The words (name, goal, what happens in each step) live in
the catalogs under `workforms.<key>`; this module holds what the bot acts on: the kind, the time, the
group size, and per step who speaks and whether replies in a case's thread count as advice then.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from bot.i18n import SUPPORTED_LANGUAGES
from bot.i18n import t


class WorkFormKind(StrEnum):
    WORK_FORM = "work_form"
    """For a session: arriving, getting to know each other, gathering ideas, closing."""
    PEER_CONSULTATION = "peer_consultation"
    """An intervisie method: a structured round on one member's case."""


class Speaker(StrEnum):
    """Who has the word in a step."""

    SESSION_LEAD = "session_lead"
    CASE_OWNER = "case_owner"
    GROUP = "group"
    """The others: everyone but the member who brought the case."""
    EVERYONE = "everyone"
    """Each in turn, the case's owner too."""
    ALONE = "alone"
    """Everyone on their own, in silence."""
    PAIRS = "pairs"
    SMALL_GROUPS = "small_groups"
    INNER_CIRCLE = "inner_circle"


@dataclass(frozen=True, slots=True)
class Span:
    """A range such as 5 to 15 minutes or 5 to 12 people; `high` None means "or more"."""

    low: int
    high: int | None = None


@dataclass(frozen=True, slots=True)
class WorkFormStep:
    key: str
    """Names the step's texts: `workforms.<form>.steps.<key>`."""
    speaker: Speaker
    minutes: int
    asks_for_advice: bool = False
    """Only in such a step does a reply in the case's thread count as advice."""


@dataclass(frozen=True, slots=True)
class WorkForm:
    key: str
    """Stable: stored with a case round, and the key of the form's texts."""
    kind: WorkFormKind
    minutes: Span
    group_size: Span
    steps: tuple[WorkFormStep, ...]
    also_known_as: tuple[str, ...] = ()
    """Short names people type besides the Dutch and English ones (`balint`, `visbokaal`)."""

    @property
    def asks_for_advice(self) -> bool:
        return any(step.asks_for_advice for step in self.steps)


def _step(key: str, speaker: Speaker, minutes: int, *, advice: bool = False) -> WorkFormStep:
    return WorkFormStep(key=key, speaker=speaker, minutes=minutes, asks_for_advice=advice)


_S = Speaker
WORK_FORMS: tuple[WorkForm, ...] = (
    WorkForm(
        "check_in",
        WorkFormKind.WORK_FORM,
        Span(5, 15),
        Span(2),
        (_step("question", _S.SESSION_LEAD, 1), _step("round", _S.EVERYONE, 10)),
        ("checkin", "inchecken"),
    ),
    WorkForm(
        "check_out",
        WorkFormKind.WORK_FORM,
        Span(5, 15),
        Span(2),
        (_step("question", _S.SESSION_LEAD, 1), _step("round", _S.EVERYONE, 10)),
        ("checkout", "uitchecken"),
    ),
    WorkForm(
        "speeddate",
        WorkFormKind.WORK_FORM,
        Span(15, 25),
        Span(4),
        (
            _step("pairs", _S.SESSION_LEAD, 2),
            _step("first_question", _S.PAIRS, 4),
            _step("rotate", _S.PAIRS, 12),
            _step("harvest", _S.EVERYONE, 3),
        ),
        ("speeddaten", "speed date"),
    ),
    WorkForm(
        "one_two_four_all",
        WorkFormKind.WORK_FORM,
        Span(12, 15),
        Span(4),
        (
            _step("alone", _S.ALONE, 1),
            _step("pairs", _S.PAIRS, 2),
            _step("fours", _S.SMALL_GROUPS, 4),
            _step("all", _S.EVERYONE, 5),
        ),
        ("124all", "1-2-4-allen", "1-2-4"),
    ),
    WorkForm(
        "world_cafe",
        WorkFormKind.WORK_FORM,
        Span(60, 120),
        Span(8),
        (
            _step("question", _S.SESSION_LEAD, 5),
            _step("first_round", _S.SMALL_GROUPS, 25),
            _step("switch", _S.SMALL_GROUPS, 25),
            _step("harvest", _S.EVERYONE, 15),
        ),
        ("cafe", "wereldcafe"),
    ),
    WorkForm(
        "fishbowl",
        WorkFormKind.WORK_FORM,
        Span(30, 45),
        Span(8),
        (
            _step("set_up", _S.SESSION_LEAD, 3),
            _step("conversation", _S.INNER_CIRCLE, 30),
            _step("harvest", _S.EVERYONE, 7),
        ),
        ("visbokaal", "aquarium"),
    ),
    WorkForm(
        "incident",
        WorkFormKind.PEER_CONSULTATION,
        Span(60, 70),
        Span(5, 12),
        (
            _step("look_back", _S.EVERYONE, 5),
            _step("incident", _S.CASE_OWNER, 5),
            _step("questions", _S.GROUP, 15),
            _step("analysis", _S.SESSION_LEAD, 10),
            _step("advice", _S.GROUP, 15, advice=True),
            _step("response", _S.CASE_OWNER, 10),
            _step("evaluation", _S.EVERYONE, 5),
        ),
        ("incidentmethode", "hendriksen"),
    ),
    WorkForm(
        "gossip",
        WorkFormKind.PEER_CONSULTATION,
        Span(45, 60),
        Span(4, 10),
        (
            _step("telling", _S.CASE_OWNER, 10),
            _step("questions", _S.GROUP, 10),
            _step("gossip", _S.GROUP, 15, advice=True),
            _step("response", _S.CASE_OWNER, 10),
            _step("evaluation", _S.EVERYONE, 5),
        ),
        ("roddel", "roddelen"),
    ),
    WorkForm(
        "balint",
        WorkFormKind.PEER_CONSULTATION,
        Span(60, 120),
        Span(5, 12),
        (
            _step("choice", _S.EVERYONE, 10),
            _step("telling", _S.CASE_OWNER, 10),
            _step("associations", _S.GROUP, 10),
            _step("questions", _S.GROUP, 15),
            _step("written_advice", _S.GROUP, 15, advice=True),
            _step("judgement", _S.GROUP, 10),
            _step("decision", _S.CASE_OWNER, 10),
            _step("evaluation", _S.EVERYONE, 10),
        ),
        ("balintmethode",),
    ),
    WorkForm(
        "socratic",
        WorkFormKind.PEER_CONSULTATION,
        Span(150, 240),
        Span(5, 10),
        (
            _step("question", _S.SESSION_LEAD, 10),
            _step("example", _S.CASE_OWNER, 30),
            _step("core_statement", _S.GROUP, 30),
            _step("own_versions", _S.EVERYONE, 40),
            _step("inquiry", _S.GROUP, 60),
            _step("evaluation", _S.EVERYONE, 20),
        ),
        ("socrates", "socratisch", "socratic dialogue"),
    ),
    WorkForm(
        "topoi",
        WorkFormKind.PEER_CONSULTATION,
        Span(30, 50),
        Span(4, 12),
        (
            _step("telling", _S.CASE_OWNER, 5),
            _step("language", _S.GROUP, 5),
            _step("ordering", _S.GROUP, 5),
            _step("persons", _S.GROUP, 5),
            _step("organisation", _S.GROUP, 5),
            _step("commitment", _S.GROUP, 5),
            _step("interventions", _S.GROUP, 10, advice=True),
            _step("response", _S.CASE_OWNER, 5),
        ),
        ("hoffman",),
    ),
)
_BY_KEY = {form.key: form for form in WORK_FORMS}


def work_form(key: str) -> WorkForm | None:
    """The form with this stored key, or None for a key the catalogue no longer has."""
    return _BY_KEY.get(key)


def peer_consultation_methods() -> list[WorkForm]:
    return [form for form in WORK_FORMS if form.kind == WorkFormKind.PEER_CONSULTATION]


def normalised_name(text: str) -> str:
    """A name as matching sees it: no accents, no case, only letters and digits.

    `World Café` and `world-cafe` both become `worldcafe`.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[^0-9a-z]", "", bare.casefold())


def _names(form: WorkForm) -> set[str]:
    names = {form.key, *form.also_known_as}
    names.update(t(f"workforms.{form.key}.name", language) for language in SUPPORTED_LANGUAGES)
    return {normalised_name(name) for name in names} - {""}


def find_work_form(name: str) -> WorkForm | None:
    """The form `name` means, in any catalog language, forgiving case, accents and punctuation; failing an
    exact name, the one form whose name begins so (at least three characters). None when no form, or
    more than one, fits."""
    wanted = normalised_name(name)
    if not wanted:
        return None
    exact = [form for form in WORK_FORMS if wanted in _names(form)]
    if exact:
        return exact[0]
    if len(wanted) < 3:
        return None
    starting = [form for form in WORK_FORMS if any(n.startswith(wanted) for n in _names(form))]
    return starting[0] if len(starting) == 1 else None
