"""Search over a user's real notes beside the shipped corpus: the rules that rank them.

The notes are two chapters of the Machine Learning Engineering Open Book (CC BY-SA 4.0, in
bench/notes/ml-engineering/tune/), added as a workspace's own layer over the real shipped
index, with the real model.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

from studyplan.adapters.content.importer import import_document
from studyplan.adapters.search import query as Q
from studyplan.adapters.search.index import SharedEncoder, refresh_index
from studyplan.adapters.search.items import Item, items_from_content
from studyplan.adapters.search.layers import Layers
from studyplan.adapters.search.manifest import read_manifest

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parents[1]
NOTES = ROOT / "bench" / "notes" / "ml-engineering" / "tune"
CHAPTERS = ("inference/README.md", "training/model-parallelism/README.md")
QUERIES = ROOT / "tests" / "mlnotes_queries_tune.toml"


@pytest.fixture(scope="session")
def notes(
    index_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Layers, dict[str, str]]:
    """The shipped layer and an own layer holding the two chapters, and each section's label
    ("inference/README#<key>") -> its id."""
    sections = []
    labels: dict[str, str] = {}
    for chapter in CHAPTERS:
        document = import_document(NOTES / chapter)
        sections += document.sections
        stem = chapter.removesuffix(".md")
        labels.update({f"{stem}#{s.id.split('#', 1)[1]}": s.id for s in document.sections})
    own = tmp_path_factory.mktemp("own-notes")
    shared = SharedEncoder(index_dir, read_manifest(index_dir).encoder)
    refresh_index(own, items_from_content([], sections), encoder=shared)
    return Q.open_layers(index_dir, own), labels


def ranked(layers: Layers, text: str, mode: str = "hybrid", **options: float) -> list[Item]:
    ranking = Q.rank(
        layers, text, mode=mode, fusion=Q.DEFAULT_FUSION, allowed=None, k=10, **options
    )  # type: ignore[arg-type]
    return layers.items([row for row, _ in ranking])


def row_of(layers: Layers, section_id: str) -> int:
    return next(
        r for r in range(layers.own_start, len(layers)) if layers.items([r])[0].id == section_id
    )


def test_a_long_section_is_matched_by_meaning_past_its_opening(
    notes: tuple[Layers, dict[str, str]],
) -> None:
    layers, labels = notes
    target = labels["training/model-parallelism/README#inter-node-speed-requirements-to-use-zero"]
    row = row_of(layers, target)
    own = layers.indexes[1]
    assert own.dense.passages is not None
    assert int((np.asarray(own.dense.passages.rows) == row - layers.own_start).sum()) >= 10
    # Both queries are about the section's last paragraphs, 1,500 words past its opening.
    for text in (
        "TFLOPS per GPU with 100Gbps InfiniBand on V100s",
        "the bandwidth you get depends on the payload: check the reduce and prefetch bucket sizes",
    ):
        found = Q.evidence(layers, text, "semantic", None)
        assert found.first_cosine is not None
        assert found.cosine[row] > found.first_cosine[row] + 0.05
        assert target in [item.id for item in ranked(layers, text, "semantic")[:3]], text


def test_an_exact_rare_term_stays_in_the_top_three(notes: tuple[Layers, dict[str, str]]) -> None:
    layers, labels = notes
    target = labels[
        "training/model-parallelism/README#zero-data-parallelism-zero-with-multiple-replicas"
    ]
    for text in ("HYBRID_SHARD", "shardingStrategy.HYBRID_SHARD"):
        assert ranked(layers, text, "lexical")[0].id == target
        assert target in [item.id for item in ranked(layers, text)[:3]], text


def test_own_notes_come_first_among_near_equals(notes: tuple[Layers, dict[str, str]]) -> None:
    layers, labels = notes
    sampling = labels["inference/README#decoding-methods-sampling"]
    plain = ranked(layers, "top-p", own_margin=0.0)
    assert plain[0].id.startswith("ml-")  # on scores alone a shipped card comes first
    first = ranked(layers, "top-p")
    assert first[0].id == sampling
    scores = dict(
        Q.rank(layers, "top-p", mode="hybrid", fusion=Q.DEFAULT_FUSION, allowed=None, k=10)
    )
    best_shipped = max(s for r, s in scores.items() if r < layers.own_start)
    assert scores[row_of(layers, sampling)] > best_shipped - Q.OWN_MARGIN


def test_stubs_take_no_places(notes: tuple[Layers, dict[str, str]]) -> None:
    layers, labels = notes
    for text in ("vLLM", "SGLang", "related reading on pipeline parallelism"):
        titles = [item.title for item in ranked(layers, text)]
        assert not any(t.endswith(("— vLLM", "— SGLang", "Related reading")) for t in titles)
    frameworks = labels["inference/README#inference-frameworks"]
    assert frameworks in [item.id for item in ranked(layers, "SGLang")[:3]]


def test_hybrid_is_never_below_either_mode_alone(notes: tuple[Layers, dict[str, str]]) -> None:
    layers, labels = notes
    entries = tomllib.loads(QUERIES.read_text(encoding="utf-8"))["query"]
    chosen = [
        (entry["query"], {labels[r] for r in entry["relevant"] if r in labels})
        for entry in entries
        if all(r.split("#")[0] + ".md" in CHAPTERS for r in entry["relevant"])
    ]
    assert len(chosen) >= 20

    def mrr(mode: str) -> float:
        total = 0.0
        for text, relevant in chosen:
            ids = [item.id for item in ranked(layers, text, mode)]
            total += next((1 / n for n, i in enumerate(ids, 1) if i in relevant), 0.0)
        return total / len(chosen)

    hybrid, lexical, semantic = mrr("hybrid"), mrr("lexical"), mrr("semantic")
    assert hybrid >= max(lexical, semantic), (hybrid, lexical, semantic)
    assert hybrid >= 0.85
