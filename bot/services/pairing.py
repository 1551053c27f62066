"""Who is paired with whom in a round: never the same pair twice while new pairs remain, newcomers first.

A pure rule over user ids, apart from the database: `pair_up(members, past_groups)`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import combinations

SEARCH_BUDGET = 20_000
"""How many steps the search for a round of only new pairs may take before it settles for fewest repeats."""


def pair_up(members: Sequence[str], past_groups: Sequence[Sequence[str]]) -> list[list[str]]:
    """Groups of two covering `members` (one group of three when their number is odd).

    Members who were never in a group (newcomers) come first, then those paired least; a round of only
    new pairs is found when one exists (within SEARCH_BUDGET steps), else the one with the fewest repeats.
    Fewer than two members make no group.
    """
    if len(members) < 2:
        return []
    met: Counter[frozenset[str]] = Counter()
    rounds: Counter[str] = Counter()
    for group in past_groups:
        rounds.update(group)
        met.update(frozenset(pair) for pair in combinations(group, 2))
    order = sorted(dict.fromkeys(members), key=lambda m: (rounds[m] > 0, rounds[m]))
    budget = [SEARCH_BUDGET]
    fresh = _search(order, met, budget)
    return fresh if fresh is not None else _fewest_repeats(order, met)


def _search(left: list[str], met: Counter[frozenset[str]], budget: list[int]) -> list[list[str]] | None:
    """Only new pairs: the first member of `left` with a partner (or, while their number is odd, two)."""
    budget[0] -= 1
    if budget[0] < 0 or len(left) == 1:
        return None
    if not left:
        return []
    first, rest = left[0], left[1:]
    fresh = [m for m in rest if not met[frozenset((first, m))]]
    for partner in fresh:
        found = _search([m for m in rest if m != partner], met, budget)
        if found is not None:
            return [[first, partner], *found]
    if len(left) % 2 == 1:
        for one, other in combinations(fresh, 2):
            if met[frozenset((one, other))]:
                continue
            found = _search([m for m in rest if m not in (one, other)], met, budget)
            if found is not None:
                return [[first, one, other], *found]
    return None


def _fewest_repeats(order: list[str], met: Counter[frozenset[str]]) -> list[list[str]]:
    left = list(order)
    groups: list[list[str]] = []
    while len(left) > 3 or len(left) == 2:
        first = left.pop(0)
        partner = min(left, key=lambda m: met[frozenset((first, m))])
        left.remove(partner)
        groups.append([first, partner])
    if len(left) == 3:
        groups.append(left)
    return groups
