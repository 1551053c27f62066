"""Every kind of effect a service can record has a carrier in the publishing layer."""

from __future__ import annotations

import bot.publishing  # noqa: F401  (registers every carrier)
from bot.publishing.carriers import carrier_of
from bot.publishing.carriers import known_kinds
from bot.services.outbox import EffectKind


def test_every_effect_kind_has_a_carrier_and_every_carrier_a_kind() -> None:
    assert {kind.value for kind in EffectKind} == set(known_kinds())
    assert all(callable(carrier_of(kind.value)) for kind in EffectKind)
