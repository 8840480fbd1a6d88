"""Opening a built index for queries, once per process and generation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from studyplan.search.catalog import Catalog
from studyplan.search.dense import DenseIndex, load_index
from studyplan.search.encoder import Encoder, shared_encoder
from studyplan.search.errors import IndexCorrupt
from studyplan.search.lexical import LexicalIndex
from studyplan.search.manifest import FileRecord, Manifest, read_manifest
from studyplan.search.model_files import DIMENSION
from studyplan.search.storage import MANIFEST

_T = TypeVar("_T")
REQUIRED_ROLES = ("items.jsonl", "meta.npz", "dense.faiss", "lexical/query.json")


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
        return _load(
            self.folder, record, lambda: shared_encoder(self.folder / record.name, record.sha256)
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


def _read(folder: Path, manifest: Manifest) -> OpenIndex:
    for record in manifest.records():
        try:
            size = (folder / record.name).stat().st_size
        except OSError:
            raise IndexCorrupt(folder, f"{record.name} is missing") from None
        if size != record.size:
            raise IndexCorrupt(folder, f"{record.name} has changed since it was written")
    files = manifest.files
    missing = [role for role in REQUIRED_ROLES if role not in files]
    if missing:
        raise IndexCorrupt(folder, f"{MANIFEST} lists no {missing[0]} file")

    def path(role: str) -> Path:
        return folder / files[role].name

    catalog = _load(
        folder, files["meta.npz"], lambda: Catalog(path("items.jsonl"), path("meta.npz"))
    )
    faiss_index = _load(folder, files["dense.faiss"], lambda: load_index(path("dense.faiss")))
    lexical = _load(
        folder,
        files["lexical/query.json"],
        lambda: LexicalIndex.load(path("lexical/query.json").parent),
    )
    rows = len(manifest.items)
    if not (
        len(catalog) == rows
        and int(faiss_index.ntotal) == rows
        and int(faiss_index.d) == DIMENSION
        and lexical.num_docs == rows
    ):
        raise IndexCorrupt(folder, "its files disagree on the number of items")
    return OpenIndex(folder, manifest, catalog, DenseIndex(faiss_index), lexical)


def _load(folder: Path, record: FileRecord, load: Callable[[], _T]) -> _T:
    try:
        return load()
    # Readers of numpy, FAISS, bm25s and onnxruntime files fail with many exception types.
    except Exception as exc:
        raise IndexCorrupt(folder, f"{record.name} cannot be read: {type(exc).__name__}") from exc
