"""Which of the ten companies a query names, and a ranking prior that follows from it.

A question that names a company ("how does Apple interview") is about that company: items
tagged for other companies are demoted, so the general and the named company's material
come first. The factors are tuned on tests/search_queries.toml (bench/bench_search.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from studyplan.content.model import companies_named_in

OTHER_COMPANY_FACTOR = 0.6  # items about another company keep this share of their score
NAMED_COMPANY_FACTOR = 1.15  # items about the named company gain this much


def named_companies(text: str) -> set[str]:
    return set(companies_named_in(text))


def apply_company_prior(
    ranking: Sequence[tuple[int, float]], about_named: np.ndarray, about_any: np.ndarray
) -> list[tuple[int, float]]:
    """Rescore (row, score) pairs: rows about a named company up, rows only about others down."""
    rescored = []
    for row, score in ranking:
        if about_named[row]:
            score *= NAMED_COMPANY_FACTOR
        elif about_any[row]:
            score *= OTHER_COMPANY_FACTOR
        rescored.append((row, score))
    return sorted(rescored, key=lambda pair: (-pair[1], pair[0]))
