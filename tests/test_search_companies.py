"""Naming a company in a query puts that company's material first."""

from __future__ import annotations

import numpy as np

from studyplan.adapters.search.companies import apply_company_prior
from studyplan.core.model import companies_named_in


def test_company_names_and_aliases_are_recognised() -> None:
    assert companies_named_in("how does Apple interview") == ("apple",)
    assert companies_named_in("Meta (previously Facebook)") == ("meta",)
    assert companies_named_in("AWS or Google Cloud?") == ("google", "amazon")
    assert companies_named_in("what is meta-learning") == ()
    assert companies_named_in("pineapple and snapple") == ()


def test_prior_orders_named_then_general_then_other_companies() -> None:
    # rows: 0 about apple, 1 general, 2 about nvidia only, 3 about apple and nvidia
    about_named = np.array([True, False, False, True])
    about_any = np.array([True, False, True, True])
    ranking = [(2, 0.9), (1, 0.8), (0, 0.6), (3, 0.5)]
    rescored = apply_company_prior(ranking, about_named, about_any)
    assert [row for row, _ in rescored] == [1, 0, 3, 2]
    assert dict(rescored)[0] == 0.6  # the named company's items keep their score
    assert all(0 <= score <= 0.9 for _, score in rescored)
