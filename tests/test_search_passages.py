"""Long items cut into passages the model reads whole, and index builds that keep what they
embedded when interrupted."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from studyplan.adapters.content.importer import import_document
from studyplan.adapters.search import dense, embedding
from studyplan.adapters.search.chunks import (
    MAX_PASSAGES,
    MAX_WINDOWS,
    WINDOW,
    WINDOW_STEP,
    WINDOW_WORDS,
    extra_passages,
    short_windows,
)
from studyplan.adapters.search.dense import Passages, load_index, stored_vectors
from studyplan.adapters.search.encoder import load_tokenizer
from studyplan.adapters.search.index import SharedEncoder, refresh_index
from studyplan.adapters.search.items import Item, items_from_content
from studyplan.adapters.search.manifest import read_manifest
from studyplan.adapters.search.model_files import MAX_TOKENS
from studyplan.core.errors import EmbeddingInterrupted

pytestmark = pytest.mark.model  # the model's tokenizer, and for builds its encoder

NOTES = Path(__file__).resolve().parents[1] / "bench" / "notes" / "ml-engineering" / "tune"


@pytest.fixture(scope="module")
def tokenizer() -> object:
    return load_tokenizer(truncate=False)


@pytest.fixture(scope="module")
def long_section() -> Item:
    document = import_document(NOTES / "training" / "model-parallelism" / "README.md")
    (item,) = [
        i for i in items_from_content([], document.sections) if i.title.endswith("to use ZeRO")
    ]
    return item


def test_a_long_section_is_cut_into_overlapping_passages(tokenizer, long_section) -> None:  # type: ignore[no-untyped-def]
    (passages,) = extra_passages([long_section.indexed_text], [long_section.title], tokenizer)
    assert 10 <= len(passages) < MAX_PASSAGES
    truncating = load_tokenizer()
    words = long_section.indexed_text.split()
    covered = " ".join(passages)
    for passage in passages:
        assert passage.startswith(f"{long_section.title}\n")  # each one knows what it is about
        assert len(truncating.encode(passage).ids) <= MAX_TOKENS  # the model reads it whole
        body = passage.split("\n", 1)[1]
        assert body.split()[0] in words  # never starts inside a word
    # The text past the model's first window is all in some passage: its last sentence too.
    assert long_section.indexed_text.split()[-1] in passages[-1].split()
    assert "5x faster" in covered and "reduce_bucket_size" in covered
    # Neighbours share OVERLAP tokens (about 20 words), so no sentence is only ever cut in two.
    for before, after in itertools.pairwise(passages):
        tail = " ".join(before.split("\n", 1)[1].split()[-8:])
        assert tail in " ".join(after.split()), tail
    assert WINDOW == MAX_TOKENS - 2


def test_short_texts_have_no_more_passages_and_huge_ones_are_capped(tokenizer) -> None:  # type: ignore[no-untyped-def]
    short, huge = extra_passages(
        ["A heap keeps the smallest item on top.", "token " * 40_000], ["Heaps", "Huge"], tokenizer
    )
    assert short == [] and len(huge) == MAX_PASSAGES - 1


def test_a_section_is_cut_into_half_overlapping_short_windows() -> None:
    words = [f"w{n}" for n in range(120)]
    windows = short_windows(" ".join(words), "Heaps")
    bodies = [w.split("\n", 1)[1].split() for w in windows]
    assert all(w.startswith("Heaps\n") for w in windows)
    assert [b[0] for b in bodies] == [f"w{n}" for n in range(0, 120, WINDOW_STEP)][: len(bodies)]
    assert all(len(b) <= WINDOW_WORDS for b in bodies) and bodies[-1][-1] == "w119"
    assert short_windows(" ".join(words[:WINDOW_WORDS]), "Short") == []
    assert len(short_windows("word " * 100_000, "Huge")) == MAX_WINDOWS


def test_a_window_answering_the_query_raises_its_section_by_its_share() -> None:
    """Item 0 has a window matching the query exactly, item 1 a full-length passage that
    does, item 2 nothing but its first passage."""
    query = np.array([1.0, 0.0], dtype=np.float32)
    first = np.array([0.2, 0.2, 0.6], dtype=np.float32)
    passages = Passages(
        np.array([[1.0, 0.0], [1.0, 0.0]], dtype=np.float32),
        np.array([0, 1]),
        np.array([True, False]),
    )
    window, whole, alone = passages.combined(query, first)
    assert alone == pytest.approx(0.6)  # one passage: its cosine as it is
    assert whole == pytest.approx((0.2 + 1.0) / 2)  # first and best full-length passage
    share = dense.WINDOW_SHARE  # of the cosine from its best window
    assert window == pytest.approx((1 - share) * 0.2 + share * 1.0)
    assert Passages(passages.vectors, passages.rows, np.array([False, False])).combined(
        query, first
    )[0] == pytest.approx(0.6)


def test_an_interrupted_build_keeps_what_it_embedded(
    index_dir: Path, shipped_items: list[Item], tmp_path: Path
) -> None:
    items = [item for item in shipped_items if item.kind == "card"][:300]
    shared = SharedEncoder(index_dir, read_manifest(index_dir).encoder)
    seen: list[tuple[int, int]] = []

    def stop_after_two_batches(done: int, total: int) -> None:
        seen.append((done, total))
        if len(seen) == 3:  # (0, total) comes first, before any batch
            raise KeyboardInterrupt

    target = tmp_path / "own"
    with pytest.raises(EmbeddingInterrupted) as stopped:
        refresh_index(target, items, progress=stop_after_two_batches, encoder=shared)
    kept, total = stopped.value.kept, stopped.value.total
    assert 0 < kept < total and kept == seen[-1][0]
    assert "`studyplan index` goes on from there" in str(stopped.value)
    assert (target / embedding.PARTIAL).is_file()

    resumed: list[tuple[int, int]] = []
    report = refresh_index(
        target, items, progress=lambda d, t: resumed.append((d, t)), encoder=shared
    )
    assert resumed[-1] == (total - kept, total - kept)  # only the rest is embedded
    assert not (target / embedding.PARTIAL).exists()
    clean = tmp_path / "clean"
    refresh_index(clean, items, encoder=shared)
    vectors = [
        stored_vectors(load_index(folder / read_manifest(folder).files["dense.faiss"].name))
        for folder in (target, clean)
    ]
    np.testing.assert_allclose(vectors[0], vectors[1], atol=1e-5)
    assert report.added == len(items)
