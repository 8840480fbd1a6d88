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
from studyplan.adapters.search.layers import Layers
from studyplan.adapters.search.reader import OpenIndex, open_index
from studyplan.adapters.search.snippet import make_snippet
from studyplan.adapters.search.storage import MANIFEST
from studyplan.core.model import COMPANIES, Track

MODES = ("hybrid", "semantic", "lexical")
# Chosen on the tune split of the labelled queries (bench/bench_fusion.py prints why).
DEFAULT_FUSION = "calibrated"
CANDIDATES = 100  # per side, before fusion
# No real evidence: no query word in any item, and no item this close in meaning. Nonsense
# ("zzqxj", "🙂") stays below it; real questions worded unlike any item stay above
# (bench/bench_fusion.py prints both sides).
NOTHING_COSINE = 0.30
# Your own material first among near-equals: the OWN_FIRST best rows of the workspace's own
# layer (the user's documents, stories and cards) each rank above any shipped row that scores
# less than OWN_MARGIN more. The shipped corpus holds several near-duplicate items on every
# interview subject, so a plain score order puts a user's notes on a subject below all of
# them; a user who wrote notes on it wants them among the first answers, while a shipped item
# that matches clearly better still comes first. Chosen on the tune splits
# (bench/bench_fusion.py prints the sweep and what it costs the shipped answers).
OWN_FIRST = 2
OWN_MARGIN = 0.15
# And in sight: the best own item takes place OWN_SLOT + 1 at the latest when it scores at
# least OWN_SHARE of the best score, so notes on a subject the shipped corpus covers with a
# guide section and several cards ("how does Apple interview", with the career guide added)
# still show among the first three. It moves no labelled query of the tune or held-out sets.
OWN_SLOT = 2
OWN_SHARE = 0.6
# A query term found in at most RARE_ITEMS items is rare (an FSDP option name, "top-p"): when
# BM25 ranks an item holding it first, the hybrid ranking keeps that item at place
# RARE_PLACE + 1 or better, so meaning alone never buries an exact match.
RARE_ITEMS = 3
RARE_PLACE = 2


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
    own: bool = False  # from the workspace's own index (documents, stories, own cards)
    related: tuple[str, ...] = ()  # the card's related cards, as the index records them


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
    own_dir: Path | None = None,
) -> list[Hit]:
    """The `k` best items for `query`, best first, among those passing the filters: from the
    index in `index_dir` (the shipped corpus's) and, given `own_dir`, a workspace's own index,
    ranked together. Empty when nothing matches at all."""
    text = _check_query(query)
    fusion = _check_options(k, mode, kind, fusion)
    layers = open_layers(index_dir, own_dir)
    track, company = _check_filters(layers, track, company)
    allowed = layers.mask(track=track, company=company, kind=kind)
    ranking = rank(layers, text, mode=mode, fusion=fusion, allowed=allowed, k=k)
    rows = [row for row, _ in ranking]
    stems = set(layers.terms(text))
    own = layers.own_start
    return [
        _hit(layers.indexes[0], item, score, stems, row >= own)
        for item, (row, score) in zip(layers.items(rows), ranking, strict=True)
    ]


def open_layers(index_dir: Path, own_dir: Path | None = None) -> Layers:
    """The shipped index, and the workspace's own when it exists and holds items."""
    shipped = open_index(index_dir)
    indexes = [shipped]
    if own_dir is not None and (own_dir / MANIFEST).exists():
        own = open_index(own_dir)
        if len(own.catalog) and own.manifest.model.same_model(shipped.manifest.model):
            indexes.append(own)
    return Layers(indexes)


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
    layers: Layers, track: str | None, company: str | None
) -> tuple[str | None, str | None]:
    if track is not None:
        track = track.strip().lower()
        known = sorted({t.value for t in Track} | layers.tracks - {""})
        if track not in known:
            raise BadQuery(f"unknown track {track!r} — use one of: {', '.join(known)}")
    if company is not None:
        company = company.strip().lower()
        known = sorted(set(COMPANIES) | layers.companies)
        if company not in known:
            raise BadQuery(f"unknown company {company!r} — use one of: {', '.join(known)}")
    return track, company


@dataclass
class Evidence:
    """What a query finds in every row: cosine similarity (from all the row's passages, see
    `Passages.combined`; -1 where not computed), BM25, and the rows holding rare terms."""

    cosine: np.ndarray
    lexical: np.ndarray
    allowed: np.ndarray | None
    first_cosine: np.ndarray | None = None  # with each row's first passage (None: = cosine)
    rare_rows: np.ndarray | None = None  # rows holding a rare query term (see RARE_ITEMS)

    def top(self, scores: np.ndarray, n: int, positive: bool = False) -> np.ndarray:
        """The best `n` allowed rows by `scores`, best first (ties by row)."""
        keep = np.ones(len(scores), dtype=bool) if self.allowed is None else self.allowed.copy()
        if positive:
            keep &= scores > 0
        rows = np.flatnonzero(keep)
        if len(rows) > n:
            rows = rows[np.argpartition(-scores[rows], n - 1)[:n]]
        return rows[np.lexsort((rows, -scores[rows]))]

    def nothing(self) -> bool:
        """No query word anywhere and nothing close in meaning: no real evidence."""
        keep = slice(None) if self.allowed is None else self.allowed
        lexical = self.lexical[keep]
        # A first passage only: with many passages, chance alone brings one of them close.
        first = self.cosine if self.first_cosine is None else self.first_cosine
        return not (lexical > 0).any() and not (first[keep] >= NOTHING_COSINE).any()


def evidence(layers: Layers, text: str, mode: str, allowed: np.ndarray | None) -> Evidence:
    size = len(layers)
    terms = layers.terms(text)
    lexical = layers.lexical_scores(terms)
    rare = [t for t in set(terms) if 0 < layers.document_frequency(t) <= RARE_ITEMS]
    rare_rows = np.concatenate([layers.rows_with(t) for t in rare]) if rare else None
    if mode == "lexical":
        cosine = first = np.full(size, -1.0, dtype=np.float32)
    else:
        first, cosine = layers.cosines(text, CANDIDATES)
    return Evidence(cosine, lexical, allowed, first, rare_rows)


def rank(
    layers: Layers,
    text: str,
    *,
    mode: str,
    fusion: str,
    allowed: np.ndarray | None,
    k: int,
    dense_weight: float | None = None,
    found: Evidence | None = None,
    own_margin: float = OWN_MARGIN,
    own_count: int = OWN_FIRST,
) -> list[tuple[int, float]]:
    """The best `k` (row, score) pairs. Filters apply before ranking, so `k` pairs come back
    whenever at least `k` rows pass them and the query has any evidence."""
    found = found if found is not None else evidence(layers, text, mode, allowed)
    depth = max(CANDIDATES, k)
    if mode == "lexical":
        rows = found.top(found.lexical, depth, positive=True)
        ranking = [(int(r), float(found.lexical[r])) for r in rows]
    elif found.nothing():
        return []
    elif mode == "semantic":
        rows = found.top(found.cosine, depth)
        ranking = [(int(r), float(found.cosine[r])) for r in rows]
    else:
        ranking = fuse(found, fusion, depth, dense_weight)
    named = named_companies(text)
    if named:
        ranking = apply_company_prior(ranking, *layers.about_companies(named))
    if layers.own_start < len(layers) and mode != "lexical":
        ranking = own_first(ranking, layers.own_start, own_margin, own_count)
        ranking = own_in_sight(ranking, layers.own_start)
    if mode == "hybrid":
        ranking = keep_rare_match(ranking, found)
    return ranking[:k]


def own_first(
    ranking: list[tuple[int, float]], own_start: int, margin: float, count: int = OWN_FIRST
) -> list[tuple[int, float]]:
    """The ranking with the best `count` rows from `own_start` on (the user's own) each placed
    above every other row that scores less than `margin` more; scores are left as they are."""
    if margin <= 0:
        return ranking
    lifted = set([row for row, _ in ranking if row >= own_start][:count])
    return sorted(
        ranking, key=lambda pair: (-(pair[1] + (margin if pair[0] in lifted else 0.0)), pair[0])
    )


def own_in_sight(
    ranking: list[tuple[int, float]], own_start: int, share: float = OWN_SHARE
) -> list[tuple[int, float]]:
    """The best row from `own_start` on moved up to place OWN_SLOT + 1 when it ranks below
    it and scores at least `share` of the best score."""
    at = next((n for n, (row, _) in enumerate(ranking) if row >= own_start), None)
    if at is None or ranking[at][1] < share * ranking[0][1]:
        return ranking
    return _raised(ranking, at, OWN_SLOT)


def keep_rare_match(ranking: list[tuple[int, float]], found: Evidence) -> list[tuple[int, float]]:
    """When BM25's best row holds a rare query term (in at most RARE_ITEMS items: an option
    name, an identifier) and the fused ranking puts it below place RARE_PLACE + 1, it moves up
    to that place."""
    if found.rare_rows is None:
        return ranking
    top = found.top(found.lexical, 1, positive=True)
    if not len(top) or not np.isin(top, found.rare_rows).all():
        return ranking
    row = int(top[0])
    at = next((n for n, (r, _) in enumerate(ranking) if r == row), None)
    return ranking if at is None else _raised(ranking, at, RARE_PLACE)


def _raised(ranking: list[tuple[int, float]], at: int, place: int) -> list[tuple[int, float]]:
    """The pair at index `at` moved up to index `place` (left where it is when at or above)."""
    if at <= place:
        return ranking
    rest = ranking[:at] + ranking[at + 1 :]
    return [*rest[:place], ranking[at], *rest[place:]]


def fuse(
    found: Evidence, fusion: str, depth: int, dense_weight: float | None = None
) -> list[tuple[int, float]]:
    """One ranking from both sides' best `depth` rows, each row scored on both sides."""
    dense_rows = found.top(found.cosine, depth)
    lexical_rows = found.top(found.lexical, depth, positive=True)
    if fusion == "rrf":
        fused = fusions.reciprocal_rank_fusion(
            [[int(r) for r in dense_rows], [int(r) for r in lexical_rows]]
        )
    elif fusion == "linear":
        weight = fusions.LINEAR_DENSE_WEIGHT if dense_weight is None else dense_weight
        fused = fusions.linear_fusion(
            {int(r): float(found.cosine[r]) for r in dense_rows},
            {int(r): float(found.lexical[r]) for r in lexical_rows},
            weight,
        )
    else:
        weight = fusions.CALIBRATED_DENSE_WEIGHT if dense_weight is None else dense_weight
        # A set, not np.union1d: that loads numpy.ma, about 15 ms of every cold search.
        union = set(dense_rows.tolist()) | set(lexical_rows.tolist())
        rows = np.fromiter(sorted(union), dtype=np.int64, count=len(union))
        scores = fusions.calibrated_fusion(
            found.cosine[rows], found.lexical[rows], float(found.lexical.max(initial=0.0)), weight
        )
        fused = {int(r): float(s) for r, s in zip(rows, scores, strict=True)}
    return fusions.ranked(fused)


def _hit(index: OpenIndex, item: Item, score: float, stems: set[str], own: bool) -> Hit:
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
        own=own,
        related=item.related,
    )
