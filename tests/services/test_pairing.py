"""Who is paired with whom: new pairs while any remain, one three for an odd number, newcomers first."""

from __future__ import annotations

from itertools import combinations

import pytest

from bot.services.pairing import pair_up


def pairs_of(groups: list[list[str]]) -> list[frozenset[str]]:
    return [frozenset(pair) for group in groups for pair in combinations(group, 2)]


@pytest.mark.parametrize("size", [2, 3, 4, 5, 8, 13, 15])
def test_every_member_is_in_exactly_one_group_of_two_or_one_of_three(size: int) -> None:
    members = [f"U{n:02d}" for n in range(size)]
    groups = pair_up(members, [])
    assert sorted(m for group in groups for m in group) == members
    assert sorted(len(group) for group in groups) == [2] * (size // 2 - size % 2) + [3] * (size % 2)


@pytest.mark.parametrize("size", [6, 7, 10, 13])
def test_nobody_meets_the_same_person_twice_while_new_pairs_remain(size: int) -> None:
    members = [f"U{n:02d}" for n in range(size)]
    history: list[list[str]] = []
    # Round-robin scheduling shows size-1 rounds of new pairs exist for an even size; ask for fewer.
    for _ in range(size // 2):
        history += pair_up(members, history)
    met = pairs_of(history)
    assert len(met) == len(set(met))


def test_newcomers_are_paired_first_and_with_someone_new() -> None:
    old = ["U01", "U02", "U03", "U04"]
    history = [["U01", "U02"], ["U03", "U04"]]
    groups = pair_up([*old, "U05", "U06"], history)
    # The newcomers come first in the order: neither is left over to join a three, and no pair repeats.
    newcomer_groups = [g for g in groups if "U05" in g or "U06" in g]
    assert all(len(g) == 2 for g in newcomer_groups)
    assert not set(pairs_of(groups)) & set(pairs_of(history))


def test_when_every_pair_has_met_the_round_repeats_as_few_as_it_can() -> None:
    groups = pair_up(
        ["U01", "U02", "U03", "U04"],
        [["U01", "U02"], ["U03", "U04"], ["U01", "U03"], ["U02", "U04"], ["U01", "U04"], ["U02", "U03"]],
    )
    assert sorted(len(g) for g in groups) == [2, 2]


def test_fewer_than_two_members_make_no_group() -> None:
    assert pair_up(["U01"], []) == []
    assert pair_up([], []) == []
