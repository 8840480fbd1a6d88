"""Folding related cards into the best-ranked one of them: a small hand-checked case."""

from __future__ import annotations

from studyplan.adapters.search.query import Hit, group_related


def hit(hit_id: str, score: float) -> Hit:
    return Hit(hit_id, "card", hit_id, "", score, "", "ml", (), "", ())


def test_related_hits_fold_into_the_first_of_them_and_k_distinct_remain() -> None:
    ranked = [hit(i, s) for i, s in [("a", 0.9), ("b", 0.8), ("a2", 0.7), ("c", 0.6), ("d", 0.5)]]
    related = {"a": ("a2",), "a2": ("a",)}
    grouped = group_related(ranked, related, k=3)
    assert [(h.id, h.also) for h in grouped] == [("a", ("a2",)), ("b", ()), ("c", ())]


def test_a_link_from_either_side_folds() -> None:
    ranked = [hit("x", 0.9), hit("y", 0.8)]
    assert [h.also for h in group_related(ranked, {"y": ("x",)}, k=2)] == [("y",)]
    assert [h.id for h in group_related(ranked, {}, k=2)] == ["x", "y"]
