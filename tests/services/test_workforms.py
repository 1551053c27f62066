"""The catalogue of work forms: complete, worded in every language, and found by a forgiving name."""

from __future__ import annotations

import pytest

from bot.i18n import t
from bot.services.workforms import WORK_FORMS
from bot.services.workforms import WorkFormKind
from bot.services.workforms import find_work_form
from bot.services.workforms import peer_consultation_methods


def test_the_catalogue_holds_the_forms_the_network_asks_for() -> None:
    keys = {form.key for form in WORK_FORMS}
    assert {"check_in", "check_out", "speeddate", "one_two_four_all", "world_cafe", "fishbowl"} <= keys
    methods = {form.key for form in peer_consultation_methods()}
    assert methods == {"incident", "gossip", "balint", "socratic", "topoi"}
    assert len(WORK_FORMS) >= 10


@pytest.mark.parametrize("language", ["nl", "en", "fr"])
def test_every_form_and_step_has_its_words(language: str) -> None:
    for form in WORK_FORMS:
        assert t(f"workforms.{form.key}.name", language) and t(f"workforms.{form.key}.goal", language)
        for step in form.steps:
            assert t(f"workforms.{form.key}.steps.{step.key}.title", language)
            assert t(f"workforms.{form.key}.steps.{step.key}.what", language)


def test_the_steps_add_up_to_the_forms_time() -> None:
    for form in WORK_FORMS:
        total = sum(step.minutes for step in form.steps)
        high = form.minutes.high or form.minutes.low
        assert form.minutes.low <= total <= high, form.key


def test_work_forms_ask_for_no_advice_and_most_methods_do() -> None:
    assert not any(f.asks_for_advice for f in WORK_FORMS if f.kind == WorkFormKind.WORK_FORM)
    assert {f.key for f in peer_consultation_methods() if not f.asks_for_advice} == {"socratic"}


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("World Café", "world_cafe"),
        ("world cafe", "world_cafe"),
        ("WORLD-CAFÉ", "world_cafe"),
        ("1-2-4-all", "one_two_four_all"),
        ("1 2 4 allen", "one_two_four_all"),
        ("Incidentmethode", "incident"),
        ("incident method", "incident"),
        ("roddelmethode", "gossip"),
        ("Gossip", "gossip"),
        ("balint", "balint"),
        ("Socratisch gesprek", "socratic"),
        ("socratic dialogue", "socratic"),
        ("TOPOI-lens", "topoi"),
        ("topoi", "topoi"),
        ("visbokaal", "fishbowl"),
        ("Check-in", "check_in"),
        ("incheckronde", "check_in"),
        ("speeddate", "speeddate"),
        ("fish", "fishbowl"),
        ("Méthode d'incident", "incident"),
        ("methode du dos tourne", "gossip"),
        ("Entretien socratique", "socratic"),
        ("1-2-4-tous", "one_two_four_all"),
        ("Grille TOPOI", "topoi"),
        ("tour de check-out", "check_out"),
    ],
)
def test_a_name_is_found_forgiving_case_accents_and_language(typed: str, key: str) -> None:
    form = find_work_form(typed)
    assert form is not None and form.key == key


@pytest.mark.parametrize("typed", ["", "  ", "yoga", "ch", "check", "méthode"])
def test_no_form_or_more_than_one_is_no_answer(typed: str) -> None:
    assert find_work_form(typed) is None
