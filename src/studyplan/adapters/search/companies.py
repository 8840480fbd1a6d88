"""Which of the ten companies a query names, and a ranking prior that follows from it.

A question that names a company ("how does Apple interview") is about that company: items
not tagged for it lose a little score, and items tagged only for other companies lose much
more, so the named company's material comes first, then the general. Scores stay in the
fused range. The labelled queries (bench/bench_search.py) are unchanged by the prior; it
decides the order among close candidates, e.g. a user's own notes on the named company
against shipped items about other companies.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from studyplan.core.model import companies_named_in

GENERAL_FACTOR = 0.87  # share of its score an item about no company keeps
OTHER_COMPANY_FACTOR = 0.52  # ... and one about other companies only


def named_companies(text: str) -> set[str]:
    return set(companies_named_in(text))


def apply_company_prior(
    ranking: Sequence[tuple[int, float]], about_named: np.ndarray, about_any: np.ndarray
) -> list[tuple[int, float]]:
    """Rescore (row, score) pairs: rows about a named company keep their score, the rest lose some."""
    rescored = []
    for row, score in ranking:
        if not about_named[row]:
            score *= OTHER_COMPANY_FACTOR if about_any[row] else GENERAL_FACTOR
        rescored.append((row, score))
    return sorted(rescored, key=lambda pair: (-pair[1], pair[0]))
