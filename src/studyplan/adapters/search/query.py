"""Answering a query: dense, lexical or hybrid ranking, filters, snippets."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from studyplan.adapters.search import fusion as fusions
from studyplan.adapters.search.companies import apply_company_prior, named_companies
from studyplan.adapters.search.errors import BadQuery
from studyplan.adapters.search.items import KINDS, Item
from studyplan.adapters.search.lexical import respell
from studyplan.adapters.search.reader import OpenIndex, open_index
from studyplan.adapters.search.snippet import make_snippet
from studyplan.core.model import COMPANIES, Track

MODES = ("hybrid", "semantic", "lexical")
DEFAULT_FUSION = "linear"  # measured better than RRF on the labelled queries (bench_search.py)
CANDIDATES = 100  # per side, before fusion


@dataclass(frozen=True)
class Hit:
    id: str
    kind: str
    title: str
    text: str
    score: float
    source: str
    track: str
    companies: tuple[str, ...]
    snippet: str
    highlights: tuple[tuple[int, int], ...]  # [start, end) spans of `snippet` to highlight
    also: tuple[str, ...] = ()  # related cards folded into this hit (see `group_related`)


def search(
    index_dir: Path,
    query: str,
    *,
    k: int = 10,
    mode: str = "hybrid",
    track: str | None = None,
    company: str | None = None,
    kind: str | None = None,
    fusion: str | None = None,
) -> list[Hit]:
    """The `k` best items for `query`, best first, among those passing the filters."""
    text = _check_query(query)
    fusion = _check_options(k, mode, kind, fusion)
    index = open_index(index_dir)
    track, company = _check_filters(index, track, company)
    allowed = index.catalog.mask(track=track, company=company, kind=kind)
    ranking = rank(index, text, mode=mode, fusion=fusion, allowed=allowed, k=k)
    items = index.catalog.items([row for row, _ in ranking])
    stems = set(index.lexical.terms(text))
    return [
        _hit(index, item, score, stems) for item, (_, score) in zip(items, ranking, strict=True)
    ]


def group_related(hits: Sequence[Hit], related: Mapping[str, Sequence[str]], k: int) -> list[Hit]:
    """The best `k` hits, each carrying the lower-ranked hits of cards linked to it as
    related (near-duplicates by design) instead of letting them take places of their own."""
    kept: list[Hit] = []
    folded: dict[str, list[str]] = {}
    for hit in hits:
        links = set(related.get(hit.id, ()))
        home = next((h for h in kept if h.id in links or hit.id in related.get(h.id, ())), None)
        if home is not None:
            folded[home.id].append(hit.id)
            continue
        if len(kept) < k:
            kept.append(hit)
            folded[hit.id] = []
    return [replace(hit, also=tuple(folded[hit.id])) for hit in kept]


def _check_query(query: str) -> str:
    if not isinstance(query, str) or not query.strip():
        raise BadQuery(
            'empty query — type what you are looking for, e.g. "how does Apple interview"'
        )
    return query.strip()


def _check_options(k: int, mode: str, kind: str | None, fusion: str | None) -> str:
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise BadQuery(f"k must be a whole number of at least 1, not {k!r}")
    if mode not in MODES:
        raise BadQuery(f"unknown search mode {mode!r} — use one of: {', '.join(MODES)}")
    if kind is not None and kind not in KINDS:
        raise BadQuery(f"unknown kind {kind!r} — use one of: {', '.join(KINDS)}")
    chosen = DEFAULT_FUSION if fusion is None else fusion
    if chosen not in fusions.FUSIONS:
        raise BadQuery(f"unknown fusion {fusion!r} — use one of: {', '.join(fusions.FUSIONS)}")
    return chosen


def _check_filters(
    index: OpenIndex, track: str | None, company: str | None
) -> tuple[str | None, str | None]:
    if track is not None:
        track = track.strip().lower()
        known = sorted({t.value for t in Track} | set(index.catalog.tracks) - {""})
        if track not in known:
            raise BadQuery(f"unknown track {track!r} — use one of: {', '.join(known)}")
    if company is not None:
        company = company.strip().lower()
        known = sorted(set(COMPANIES) | set(index.catalog.companies))
        if company not in known:
            raise BadQuery(f"unknown company {company!r} — use one of: {', '.join(known)}")
    return track, company


def rank(
    index: OpenIndex,
    text: str,
    *,
    mode: str,
    fusion: str,
    allowed: np.ndarray | None,
    k: int,
    dense_weight: float = fusions.LINEAR_DENSE_WEIGHT,
) -> list[tuple[int, float]]:
    """The best `k` (row, score) pairs. Filters apply before ranking, so `k` pairs come back
    whenever at least `k` rows pass them."""
    depth = max(CANDIDATES, k)
    if mode == "lexical":
        ranking = lexical_candidates(index, text, allowed, depth)
    elif mode == "semantic":
        ranking = dense_candidates(index, text, allowed, depth)
    else:
        dense = dense_candidates(index, text, allowed, depth)
        lexical = lexical_candidates(index, text, allowed, depth)
        ranking = fuse(dense, lexical, fusion, dense_weight)
    named = named_companies(text)
    if named:
        ranking = apply_company_prior(ranking, *index.catalog.about_companies(named))
    return ranking[:k]


def dense_candidates(
    index: OpenIndex, text: str, allowed: np.ndarray | None, n: int
) -> list[tuple[int, float]]:
    """Nearest items by cosine; misspelt words are corrected first (they would shift the vector)."""
    if len(index.dense) == 0:
        return []
    spelled = respell(text, index.lexical.corrections(text))
    rows, scores = index.dense.search(index.encoder.encode_one(spelled), n, allowed)
    return [(int(r), float(s)) for r, s in zip(rows, scores, strict=True)]


def lexical_candidates(
    index: OpenIndex, text: str, allowed: np.ndarray | None, n: int
) -> list[tuple[int, float]]:
    scores = index.lexical.scores(text)
    if allowed is not None:
        scores[~allowed] = 0.0
    matching = np.flatnonzero(scores > 0)
    if len(matching) > n:
        matching = matching[np.argpartition(-scores[matching], n - 1)[:n]]
    return fusions.ranked({int(row): float(scores[row]) for row in matching})


def fuse(
    dense: list[tuple[int, float]],
    lexical: list[tuple[int, float]],
    fusion: str,
    dense_weight: float = fusions.LINEAR_DENSE_WEIGHT,
) -> list[tuple[int, float]]:
    if fusion == "rrf":
        fused = fusions.reciprocal_rank_fusion([[r for r, _ in dense], [r for r, _ in lexical]])
    else:
        fused = fusions.linear_fusion(dict(dense), dict(lexical), dense_weight)
    return fusions.ranked(fused)


def _hit(index: OpenIndex, item: Item, score: float, stems: set[str]) -> Hit:
    lexical = index.lexical
    # The title is shown on its own; a card's text repeats its prompt (the title) first.
    body = item.text.removeprefix(item.title).strip() or item.text
    snippet = make_snippet(body, stems, lexical.analyzer.stem, stopwords=lexical.display_stopwords)
    return Hit(
        id=item.id,
        kind=item.kind,
        title=item.title,
        text=item.text,
        score=score,
        source=item.source,
        track=item.track,
        companies=item.companies,
        snippet=snippet.text,
        highlights=snippet.highlights,
    )
