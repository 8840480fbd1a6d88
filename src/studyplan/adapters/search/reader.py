"""Opening a built index for queries, once per process and generation.

Every file is checked against the sha256 its manifest records before it is used: the
generation's files (a few MB for the shipped corpus, about 4 ms) on every open, the encoder
export (90 MB, about 90 ms) once per file and again once a week, its verdict remembered under
its size, modification time and inode in `VERDICT`; and on every load, the export must embed a
probe text as the model does (`check_embeddings`).
"""

from __future__ import annotations

import contextlib
import json
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TypeVar

import numpy as np

from studyplan.adapters.files import FileWriteError, write_atomic
from studyplan.adapters.search.catalog import Catalog
from studyplan.adapters.search.dense import DenseIndex, Passages, load_index
from studyplan.adapters.search.encoder import Encoder, forget_encoder, shared_encoder
from studyplan.adapters.search.errors import IndexCorrupt
from studyplan.adapters.search.lexical import LexicalIndex
from studyplan.adapters.search.manifest import FileRecord, Manifest, read_manifest
from studyplan.adapters.search.model_files import DIMENSION
from studyplan.adapters.search.storage import MANIFEST, PASSAGE_ROLES, VERDICT
from studyplan.adapters.structured import parse_json

_T = TypeVar("_T")
REQUIRED_ROLES = ("items.jsonl", "meta.npz", "dense.faiss", "lexical/query.json")
# How reading a file whose content is as recorded can still fail: the file vanished, or a
# library (numpy, FAISS, onnxruntime) cannot read what another version of it wrote.
READ_FAILURES: tuple[type[Exception], ...] = (
    OSError,
    ValueError,
    KeyError,
    EOFError,
    RuntimeError,
    zipfile.BadZipFile,
)


@dataclass
class OpenIndex:
    folder: Path
    manifest: Manifest
    catalog: Catalog
    dense: DenseIndex
    lexical: LexicalIndex

    @cached_property
    def encoder(self) -> Encoder:
        """Loaded on first use, so lexical-only searches never start onnxruntime."""
        record = self.manifest.encoder
        verify_encoder(self.folder, self.manifest.encoder_records())
        from onnxruntime.capi import onnxruntime_pybind11_state as ort_errors

        failures = (*READ_FAILURES, ort_errors.Fail, ort_errors.InvalidProtobuf)
        vocabulary = self.manifest.encoder_vocabulary
        encoder = _load(
            self.folder,
            record,
            lambda: shared_encoder(
                self.folder / record.name,
                record.sha256,
                for_queries=True,
                vocabulary=self.folder / vocabulary.name if vocabulary is not None else None,
            ),
            failures,
        )
        try:
            check_embeddings(self.folder, record.name, encoder)
        except IndexCorrupt:
            forget_encoder(self.folder / record.name)
            raise
        return encoder


def check_embeddings(folder: Path, name: str, encoder: Encoder) -> None:
    """Raise IndexCorrupt unless the export embeds a probe text as the model does.

    The export's files are hashed in full only when their size, time or inode moved (see
    `verify_encoder`); damage that keeps all three — a flipped bit on disk — would otherwise
    go unseen. One short text costs a few milliseconds and catches every change that alters
    what the encoder computes, which is the damage that matters for search."""
    from studyplan.adapters.search.export import MIN_COSINE, probe_embeddings

    _, texts, expected = probe_embeddings()
    cosine = float(np.dot(encoder.encode_one(texts[0]), expected[0]))
    if not cosine >= MIN_COSINE:  # also catches NaN from damaged weights
        raise IndexCorrupt(
            folder, f"{name} embeds a probe text unlike the model (cosine {cosine:.4f})"
        )


_open: dict[Path, tuple[tuple[int, int, int], OpenIndex]] = {}


def open_index(index_dir: Path) -> OpenIndex:
    """The index in `index_dir`; reused while its manifest file is unchanged."""
    folder = index_dir.resolve()
    try:
        info = (folder / MANIFEST).stat()
        key = (info.st_ino, info.st_size, info.st_mtime_ns)
    except OSError:
        key = (0, 0, 0)
    cached = _open.get(folder)
    if cached is not None and cached[0] == key:
        return cached[1]
    opened = _read(folder, read_manifest(folder))
    _open[folder] = (key, opened)
    return opened


def verify_files(folder: Path, records: list[FileRecord]) -> None:
    """Raise IndexCorrupt unless each file is present with its recorded size and sha256."""
    for record in records:
        try:
            size = (folder / record.name).stat().st_size
        except OSError:
            raise IndexCorrupt(folder, f"{record.name} is missing") from None
        if size != record.size:
            raise IndexCorrupt(folder, f"{record.name} has changed since it was written")
    for record in records:
        if not record.content_matches(folder):
            raise IndexCorrupt(folder, f"{record.name} does not match its recorded sha256")


FULL_CHECK_EVERY_S = 7 * 24 * 3600


def verify_encoder(folder: Path, records: list[FileRecord], now: float | None = None) -> None:
    """verify_files for the encoder export (its graph and weights), skipped while they are
    the files last verified (same size, modification time and inode) and that full check is
    less than a week old. Damage that keeps all three is caught sooner by `check_embeddings`
    on every load, and by `studyplan index`, which always hashes in full."""
    files = []
    for record in records:
        try:
            info = (folder / record.name).stat()
        except OSError:
            raise IndexCorrupt(folder, f"{record.name} is missing") from None
        files.append(
            {
                "name": record.name,
                "sha256": record.sha256,
                "stat": [info.st_size, info.st_mtime_ns, info.st_ino],
            }
        )
    now = time.time() if now is None else now
    with contextlib.suppress(OSError, ValueError, TypeError, KeyError):
        last = parse_json((folder / VERDICT).read_bytes())
        if last["files"] == files and 0 <= now - float(last["checked"]) < FULL_CHECK_EVERY_S:
            return
    verify_files(folder, records)
    verdict = {"files": files, "checked": now}
    with contextlib.suppress(FileWriteError):  # a read-only index is verified every time
        write_atomic(folder / VERDICT, json.dumps(verdict).encode(), durable=False)


def _read(folder: Path, manifest: Manifest) -> OpenIndex:
    verify_files(folder, list(manifest.files.values()))
    files = manifest.files
    missing = [role for role in REQUIRED_ROLES if role not in files]
    if missing:
        raise IndexCorrupt(folder, f"{MANIFEST} lists no {missing[0]} file")

    def path(role: str) -> Path:
        return folder / files[role].name

    catalog = _load(
        folder, files["meta.npz"], lambda: Catalog(path("items.jsonl"), path("meta.npz"))
    )
    if "vectors.npy" in files and manifest.dense.get("kind") == "flat":
        # Memory-mapped: a query touches the pages it reads, and FAISS is never imported.
        vectors = _load(
            folder, files["vectors.npy"], lambda: np.load(path("vectors.npy"), mmap_mode="r")
        )
        if vectors.ndim != 2 or (len(vectors) and vectors.shape[1] != DIMENSION):
            raise IndexCorrupt(folder, f"{files['vectors.npy'].name} has the wrong shape")
        dense = DenseIndex(None, vectors, _passages(folder, manifest))
    else:
        faiss_index = _load(folder, files["dense.faiss"], lambda: load_index(path("dense.faiss")))
        if int(faiss_index.d) != DIMENSION:
            raise IndexCorrupt(folder, "its dense index has the wrong dimension")
        dense = DenseIndex(faiss_index, passages=_passages(folder, manifest))
    lexical = _load(
        folder,
        files["lexical/query.json"],
        lambda: LexicalIndex.load(path("lexical/query.json").parent),
    )
    rows = len(manifest.items)
    if not (len(catalog) == rows and len(dense) == rows and lexical.num_docs == rows):
        raise IndexCorrupt(folder, "its files disagree on the number of items")
    return OpenIndex(folder, manifest, catalog, dense, lexical)


def _passages(folder: Path, manifest: Manifest) -> Passages | None:
    """Long items' further passages, memory-mapped (None in an index written before them)."""
    files = manifest.files
    if not all(role in files for role in PASSAGE_ROLES):
        return None
    vectors = _load(
        folder,
        files["passages.npy"],
        lambda: np.load(folder / files["passages.npy"].name, mmap_mode="r"),
    )
    rows = _load(
        folder,
        files["passage-rows.npy"],
        lambda: np.load(folder / files["passage-rows.npy"].name, mmap_mode="r"),
    )
    windows = _load(
        folder,
        files["passage-windows.npy"],
        lambda: np.load(folder / files["passage-windows.npy"].name, mmap_mode="r"),
    )
    items = len(manifest.items)
    if (
        vectors.ndim != 2
        or vectors.shape[1] != DIMENSION
        or rows.shape != (len(vectors),)
        or windows.shape != (len(vectors),)
        or windows.dtype != np.bool_
        or (len(rows) and not (int(rows.min()) >= 0 and int(rows.max()) < items))
    ):
        raise IndexCorrupt(folder, f"{files['passages.npy'].name} does not fit its items")
    return Passages(vectors, rows, windows)


def _load(
    folder: Path,
    record: FileRecord,
    load: Callable[[], _T],
    failures: tuple[type[Exception], ...] = READ_FAILURES,
) -> _T:
    try:
        return load()
    except failures as exc:
        raise IndexCorrupt(folder, f"{record.name} cannot be read: {type(exc).__name__}") from exc
