"""Search quality with the real model on the real corpus, and the fast path's fidelity."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from studyplan.adapters.search.encoder import Encoder
from studyplan.adapters.search.items import Item
from studyplan.adapters.search.manifest import read_manifest
from studyplan.adapters.search.query import search
from studyplan.core.model import COMPANIES

pytestmark = pytest.mark.model  # every test here needs the embedding model

TRACKS = {"coding", "ml", "system-design", "behavioral", "company"}
QUERIES_FILE = Path(__file__).with_name("search_queries.toml")


@dataclass(frozen=True)
class LabelledQuery:
    query: str
    relevant: tuple[str, ...]
    track: str
    tags: tuple[str, ...]


@pytest.fixture(scope="module")
def labelled() -> list[LabelledQuery]:
    data = tomllib.loads(QUERIES_FILE.read_text(encoding="utf-8"))
    return [
        LabelledQuery(
            query=entry["query"],
            relevant=tuple(entry["relevant"]),
            track=entry["track"],
            tags=tuple(entry.get("tags", ())),
        )
        for entry in data["query"]
    ]


def test_labelled_set_covers_tracks_companies_and_kinds(
    labelled: list[LabelledQuery],
) -> None:
    assert len(labelled) >= 60
    assert {q.track for q in labelled} >= TRACKS
    mentioned = {c for q in labelled for c in COMPANIES if c in q.query.lower()}
    assert mentioned == set(COMPANIES)
    tags = {tag for q in labelled for tag in q.tags}
    assert {"paraphrase", "typo", "vocab-gap"} <= tags
    assert len({q.query for q in labelled}) == len(labelled)


def test_every_labelled_id_exists_in_the_corpus(
    labelled: list[LabelledQuery], corpus: dict[str, Item]
) -> None:
    unknown = sorted({i for q in labelled for i in q.relevant} - corpus.keys())
    assert unknown == []


def test_apple_interview_query_is_labelled_with_apples_section(
    labelled: list[LabelledQuery],
) -> None:
    (apple,) = [q for q in labelled if q.query == "how does Apple interview"]
    assert "guide:company-apple#how-apple-interviews-ml-engineers" in apple.relevant


def ranked_ids(index_dir: Path, query: str, **options: str) -> list[str]:
    return [hit.id for hit in search(index_dir, query, k=10, **options)]  # type: ignore[arg-type]


def success_at_3(runs: list[tuple[list[str], tuple[str, ...]]]) -> float:
    return sum(any(i in rel for i in ids[:3]) for ids, rel in runs) / len(runs)


def mrr_at_10(runs: list[tuple[list[str], tuple[str, ...]]]) -> float:
    total = 0.0
    for ids, relevant in runs:
        total += next((1 / rank for rank, i in enumerate(ids, 1) if i in relevant), 0.0)
    return total / len(runs)


def test_hybrid_success_at_3_and_it_beats_both_single_modes(
    index_dir: Path, labelled: list[LabelledQuery]
) -> None:
    runs = {
        mode: [(ranked_ids(index_dir, q.query, mode=mode), q.relevant) for q in labelled]
        for mode in ("hybrid", "semantic", "lexical")
    }
    assert success_at_3(runs["hybrid"]) >= 0.9
    hybrid_mrr = mrr_at_10(runs["hybrid"])
    assert hybrid_mrr > mrr_at_10(runs["semantic"])
    assert hybrid_mrr > mrr_at_10(runs["lexical"])


def test_fast_path_matches_sentence_transformers(
    index_dir: Path,
    corpus: dict[str, Item],
    labelled: list[LabelledQuery],
    reference_model: Any,
) -> None:
    model = reference_model
    encoder = Encoder(index_dir / read_manifest(index_dir).encoder.name)
    items = list(corpus.values())
    long_text = " ".join(item.text for item in items[:6])  # far beyond 256 tokens
    texts = [
        "how does Apple interview",
        "",
        "O(n log n) — two pointers: i, j = 0, len(a) - 1  # 🚀",
        "Wie bereitet man sich auf ein Vorstellungsgespräch bei Google vor?",
        "机器学习工程师面试",
        long_text,
        long_text[: len(long_text) // 3],
        *(item.indexed_text for item in items[::40]),
    ]
    expected = model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    got = encoder.encode(texts)
    assert float((expected * got).sum(axis=1).min()) >= 0.999
    one_by_one = np.stack([encoder.encode_one(text) for text in texts])
    np.testing.assert_allclose(one_by_one, got, atol=1e-5)  # padding in batches changes nothing

    documents = items[::3]
    queries = [q.query for q in labelled][::3]
    ref_docs = model.encode([d.indexed_text for d in documents], normalize_embeddings=True)
    ref_queries = model.encode(queries, normalize_embeddings=True)
    fast_docs = encoder.encode([d.indexed_text for d in documents])
    fast_queries = encoder.encode(queries)
    for ref_q, fast_q in zip(ref_queries, fast_queries, strict=True):
        reference = np.argsort(-(ref_docs @ ref_q), kind="stable")[:10]
        fast = np.argsort(-(fast_docs @ fast_q), kind="stable")[:10]
        assert list(fast) == list(reference)
