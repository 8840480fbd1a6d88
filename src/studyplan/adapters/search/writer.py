"""Writing one generation of an index: embed what is new, then every file, then the manifest."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from studyplan.adapters.files import write_atomic
from studyplan.adapters.search import dense, lexical
from studyplan.adapters.search.catalog import write_catalog
from studyplan.adapters.search.chunks import LAYOUT as PASSAGE_LAYOUT
from studyplan.adapters.search.chunks import extra_passages, short_windows
from studyplan.adapters.search.dense import Passages
from studyplan.adapters.search.embedding import embed, forget_partial
from studyplan.adapters.search.encoder import ProgressCallback, load_tokenizer, shared_encoder
from studyplan.adapters.search.items import Item
from studyplan.adapters.search.manifest import FileRecord, Manifest, ModelIdentity, library_versions
from studyplan.adapters.search.model_files import DIMENSION, MAX_TOKENS, TOKENIZER_FILE, model_dir
from studyplan.adapters.search.storage import (
    ENCODER_PREFIX,
    MANIFEST,
    PASSAGE_ROLES,
    generation_name,
    new_generation,
    write_dir_atomic,
    write_json_atomic,
)


@dataclass
class WriteResult:
    manifest: Manifest
    embedded: int  # distinct item texts with a passage embedded now (not reused)
    passages: int = 0  # passages embedded now (a long item has several)


def write_index(
    index_dir: Path,
    items: Sequence[Item],
    *,
    model: ModelIdentity,
    encoder: FileRecord | None,
    reusable: dict[str, np.ndarray],
    progress: ProgressCallback | None,
    fingerprint: str,
    previous_generation: str,
    encoder_folder: Path | None = None,
    encoder_weights: FileRecord | None = None,
    encoder_vocabulary: FileRecord | None = None,
) -> WriteResult:
    """`encoder_folder`: where a shared encoder export lives (None: in `index_dir`).
    `reusable`: vectors already embedded, by passage key (`passage_keys`)."""
    passages = item_passages(items)
    jobs: dict[str, str] = {}
    for item, extra in zip(items, passages, strict=True):
        texts = [item.indexed_text, *(passage.text for passage in extra)]
        for key, text in zip(passage_keys(item, len(extra)), texts, strict=True):
            if key not in reusable:
                jobs.setdefault(key, text)
    if jobs and progress is not None:
        progress(0, len(jobs))  # before the export, which alone takes seconds
    if encoder is None:
        encoder, encoder_weights, encoder_vocabulary = export_encoder(index_dir, model)
    elif encoder_folder is None:
        encoder, encoder_weights, encoder_vocabulary = complete_encoder(
            index_dir, encoder, encoder_weights, encoder_vocabulary
        )
    fresh: dict[str, np.ndarray] = {}
    if jobs:
        folder = encoder_folder if encoder_folder is not None else index_dir
        session = shared_encoder(folder / encoder.name, encoder.sha256)
        fresh = embed(session, jobs, index_dir, model, progress)
    found = {**reusable, **fresh}
    vectors = np.zeros((len(items), DIMENSION), dtype=np.float32)
    extra_rows: list[int] = []
    extra_vectors: list[np.ndarray] = []
    extra_windows: list[bool] = []
    for row, (item, extra) in enumerate(zip(items, passages, strict=True)):
        first, *rest = passage_keys(item, len(extra))
        vectors[row] = found[first]
        extra_rows += [row] * len(rest)
        extra_vectors += [found[key] for key in rest]
        extra_windows += [passage.window for passage in extra]
    manifest = write_generation(
        index_dir,
        items,
        vectors,
        model=model,
        encoder=encoder,
        fingerprint=fingerprint,
        previous_generation=previous_generation,
        encoder_shared=encoder_folder is not None,
        encoder_weights=encoder_weights if encoder_folder is None else None,
        encoder_vocabulary=encoder_vocabulary if encoder_folder is None else None,
        passages=Passages.of(extra_vectors, extra_rows, extra_windows),
    )
    forget_partial(index_dir)
    embedded = {  # identical texts are embedded once
        item.digest
        for item, extra in zip(items, passages, strict=True)
        if any(key not in reusable for key in passage_keys(item, len(extra)))
    }
    return WriteResult(manifest, len(embedded), len(jobs))


@dataclass(frozen=True, slots=True)
class Passage:
    text: str
    window: bool  # a short window (`chunks.short_windows`), not a full-length passage


def item_passages(items: Sequence[Item]) -> list[list[Passage]]:
    """Each item's passages after its first: its full-length passages, then its short
    windows. Only sections are cut: a card is a question and its answer, whose opening says
    what it is about, and its further passages changed no labelled query while costing a
    tenth more embedding (bench/bench_embed.py)."""
    sections = [n for n, item in enumerate(items) if item.kind == "section"]
    found: list[list[Passage]] = [[] for _ in items]
    cut = extra_passages(
        [items[n].indexed_text for n in sections],
        [items[n].title for n in sections],
        load_tokenizer(truncate=False),
    )
    for n, extra in zip(sections, cut, strict=True):
        item = items[n]
        found[n] = [Passage(text, False) for text in extra] + [
            Passage(text, True) for text in short_windows(item.text, item.title)
        ]
    return found


def passage_keys(item: Item, extra: int) -> list[str]:
    """The keys of an item's passage vectors: its digest for the first (as before passages
    existed), "<digest>:<n>" for the n-th after it."""
    return [item.digest, *(f"{item.digest}:{n}" for n in range(1, extra + 1))]


def export_encoder(
    index_dir: Path, model: ModelIdentity
) -> tuple[FileRecord, FileRecord, FileRecord | None]:
    """The ONNX export (checked against sentence-transformers), as a graph and its weights,
    and the tokenizer's vocabulary for queries."""
    from studyplan.adapters.search.export import export_onnx

    name = f"{ENCODER_PREFIX}{model.weights_sha256[:16]}.onnx"
    export_onnx(index_dir / name)
    return (*split_encoder(index_dir, name), export_vocabulary(index_dir, name))


def complete_encoder(
    index_dir: Path, encoder: FileRecord, weights: FileRecord | None, vocabulary: FileRecord | None
) -> tuple[FileRecord, FileRecord, FileRecord | None]:
    """An export written by an older version brought up to date: a graph written as one file
    split from its weights, the vocabulary file for queries added."""
    if weights is None:
        encoder, weights = split_encoder(index_dir, encoder.name)
    if vocabulary is None:
        vocabulary = export_vocabulary(index_dir, encoder.name)
    return encoder, weights, vocabulary


def export_vocabulary(index_dir: Path, encoder_name: str) -> FileRecord | None:
    """The vocabulary file beside the export `encoder_name`; None when the model's tokenizer
    is not one `wordpiece` reproduces (queries then use the `tokenizers` library)."""
    from studyplan.adapters.search.vocabulary import vocabulary_name, write_vocabulary

    name = vocabulary_name(encoder_name)
    if not write_vocabulary(index_dir / name, model_dir() / TOKENIZER_FILE, MAX_TOKENS):
        return None
    return FileRecord.of(index_dir, name)


def split_encoder(index_dir: Path, name: str) -> tuple[FileRecord, FileRecord]:
    from studyplan.adapters.search.export import split_weights

    weights = split_weights(index_dir, name)
    return FileRecord.of(index_dir, name), FileRecord.of(index_dir, weights)


def write_generation(
    index_dir: Path,
    items: Sequence[Item],
    vectors: np.ndarray,
    *,
    model: ModelIdentity,
    encoder: FileRecord,
    fingerprint: str,
    previous_generation: str,
    hnsw_threshold: int = dense.HNSW_THRESHOLD,
    encoder_shared: bool = False,
    encoder_weights: FileRecord | None = None,
    encoder_vocabulary: FileRecord | None = None,
    passages: Passages | None = None,
) -> Manifest:
    """Write every file of a new generation, then the manifest that makes it current.
    `passages`: the vectors of long items' passages after their first (`chunks`)."""
    passages = passages if passages is not None else Passages.of([], [], [])
    generation = new_generation()
    roles = ("items.jsonl", "meta.npz", "dense.faiss", "vectors.npy", "lexical")
    names = {role: generation_name(generation, role) for role in (*roles, *PASSAGE_ROLES)}
    write_catalog(items, index_dir / names["items.jsonl"], index_dir / names["meta.npz"])
    faiss_index = dense.build_index(vectors, hnsw_threshold=hnsw_threshold)
    dense.save_index(faiss_index, index_dir / names["dense.faiss"])
    # The same vectors as a plain array: a query on a flat index reads them memory-mapped
    # and needs no FAISS at all.
    write_atomic(
        index_dir / names["vectors.npy"],
        lambda handle: np.save(handle, np.ascontiguousarray(vectors, dtype=np.float32)),
    )
    write_atomic(
        index_dir / names["passages.npy"],
        lambda handle: np.save(handle, passages.vectors),
    )
    write_atomic(
        index_dir / names["passage-rows.npy"],
        lambda handle: np.save(handle, passages.rows),
    )
    write_atomic(
        index_dir / names["passage-windows.npy"],
        lambda handle: np.save(handle, passages.windows),
    )
    write_dir_atomic(
        index_dir / names["lexical"],
        lambda folder: lexical.build_lexical([item.lexical_text for item in items], folder),
    )
    files = {
        role: FileRecord.of(index_dir, names[role])
        for role in ("items.jsonl", "meta.npz", "dense.faiss", "vectors.npy", *PASSAGE_ROLES)
    }
    for path in sorted((index_dir / names["lexical"]).iterdir()):
        name = f"{names['lexical']}/{path.name}"
        files[f"lexical/{path.name}"] = FileRecord.of(index_dir, name)
    manifest = Manifest(
        model=model,
        encoder=encoder,
        generation=generation,
        previous_generation=previous_generation,
        files=files,
        dense={
            "kind": dense.index_kind(faiss_index),
            "hnsw_threshold": hnsw_threshold,
            "hnsw_m": dense.HNSW_M,
            "hnsw_ef_construction": dense.HNSW_EF_CONSTRUCTION,
            "hnsw_ef_search": dense.HNSW_EF_SEARCH,
            "passages": PASSAGE_LAYOUT,
        },
        items=[[item.id, item.digest] for item in items],
        fingerprint=fingerprint,
        versions=library_versions(),
        encoder_shared=encoder_shared,
        encoder_weights=encoder_weights,
        encoder_vocabulary=encoder_vocabulary,
    )
    write_json_atomic(index_dir / MANIFEST, manifest.to_json())
    return manifest
