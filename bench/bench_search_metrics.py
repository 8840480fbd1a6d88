"""Ranking metrics over the labelled queries in tests/search_queries.toml (binary relevance)."""

from __future__ import annotations

import math
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

QUERIES = Path(__file__).resolve().parents[1] / "tests" / "search_queries.toml"


@dataclass(frozen=True)
class Labelled:
    query: str
    relevant: frozenset[str]
    track: str
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Quality:
    success_at_3: float
    mrr_at_10: float
    ndcg_at_10: float


def load_queries(path: Path = QUERIES) -> list[Labelled]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        Labelled(q["query"], frozenset(q["relevant"]), q.get("track", ""), tuple(q.get("tags", ())))
        for q in data["query"]
    ]


def success_at(ranked: Sequence[str], relevant: frozenset[str], k: int) -> float:
    return 1.0 if any(i in relevant for i in ranked[:k]) else 0.0


def reciprocal_rank(ranked: Sequence[str], relevant: frozenset[str], k: int) -> float:
    for rank, item in enumerate(ranked[:k], start=1):
        if item in relevant:
            return 1.0 / rank
    return 0.0


def ndcg(ranked: Sequence[str], relevant: frozenset[str], k: int) -> float:
    gain = sum(1.0 / math.log2(r + 1) for r, i in enumerate(ranked[:k], start=1) if i in relevant)
    ideal = sum(1.0 / math.log2(r + 1) for r in range(1, min(len(relevant), k) + 1))
    return gain / ideal if ideal else 0.0


def quality(runs: Sequence[tuple[Sequence[str], frozenset[str]]]) -> Quality:
    n = len(runs)
    return Quality(
        success_at_3=sum(success_at(r, rel, 3) for r, rel in runs) / n,
        mrr_at_10=sum(reciprocal_rank(r, rel, 10) for r, rel in runs) / n,
        ndcg_at_10=sum(ndcg(r, rel, 10) for r, rel in runs) / n,
    )
