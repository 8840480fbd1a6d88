"""Building and incrementally refreshing a search index folder.

An unchanged collection is recognised from the manifest alone (hashes of the items, sizes and
modification times of the files), so that check imports nothing heavy and loads no model.
With `verify`, the files' contents are also checked against their recorded sha256 first, and
damaged files are written again. An index folder that cannot be written is left as it is.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from studyplan.adapters.files import FileWriteError, write_atomic
from studyplan.adapters.search.encoder import ProgressCallback  # (embedded so far, total to embed)
from studyplan.adapters.search.items import (
    LEXICAL_LAYOUT,
    TEXT_LAYOUT,
    Item,
    collection_fingerprint,
)
from studyplan.adapters.search.manifest import (
    FORMAT_VERSION,
    FileRecord,
    Manifest,
    ModelIdentity,
    read_manifest,
)
from studyplan.adapters.search.model_files import DIMENSION
from studyplan.adapters.search.storage import (
    LOCK,
    MANIFEST,
    PASSAGE_ROLES,
    VERDICT,
    exclusive,
    remove_stale,
    write_json_atomic,
)
from studyplan.adapters.structured import parse_json
from studyplan.core.errors import IndexMissing, StudyplanError

__all__ = [
    "DuplicateItems",
    "ProgressCallback",
    "RefreshReport",
    "SharedEncoder",
    "record_sources",
    "refresh_index",
    "unchanged_sources",
]
SOURCES = "sources.json"  # the files the items were read from, as of the current generation


@dataclass(frozen=True)
class SharedEncoder:
    """An encoder export in another index folder, used instead of exporting one here."""

    folder: Path
    record: FileRecord


class DuplicateItems(StudyplanError):
    def __init__(self, ids: list[str]) -> None:
        shown = ", ".join(repr(i) for i in ids[:5])
        super().__init__(f"cannot index: item ids must be unique, repeated: {shown}")


@dataclass
class RefreshReport:
    added: int
    changed: int
    removed: int
    unchanged: int
    embedded: int
    seconds: float
    rebuilt: bool  # no stored embeddings reused: first build, --rebuild, or an unusable index
    damaged: tuple[str, ...] = ()  # files that did not match their recorded sha256, rewritten
    read_only: bool = False  # out of date, but its folder cannot be written: left as it is
    passages: int = 0  # passages embedded (a long item has several, see `chunks`)


def refresh_index(
    index_dir: Path,
    items: Sequence[Item],
    *,
    rebuild: bool = False,
    progress: ProgressCallback | None = None,
    verify: bool = False,
    encoder: SharedEncoder | None = None,
) -> RefreshReport:
    """Bring the index in `index_dir` up to date with `items`, re-embedding only what changed.

    With `encoder`, new items are embedded by that export (the shipped index's) and this
    folder holds no encoder of its own."""
    started = time.perf_counter()
    _check_unique(items)
    fingerprint = collection_fingerprint(items)
    current = _readable_manifest(index_dir)
    if not rebuild and (
        current is not None
        and current.fingerprint == fingerprint
        and _untouched(current, index_dir)
        and not (verify and len(_intact_records(current, index_dir)) < len(current.records()))
    ):
        if _outdated_layout(current) and _writable(index_dir):
            with exclusive(index_dir):
                _upgrade(index_dir)
        return RefreshReport(0, 0, 0, len(items), 0, time.perf_counter() - started, False)
    if not _writable(index_dir):
        if current is None:
            raise IndexMissing(
                f"no usable search index in {index_dir}, and that folder is read-only — "
                "run `studyplan index` where it can be written"
            )
        report = RefreshReport(0, 0, 0, len(current.items), 0, 0.0, False, read_only=True)
        report.seconds = time.perf_counter() - started
        return report
    index_dir.mkdir(parents=True, exist_ok=True)
    with exclusive(index_dir):
        report = _refresh_locked(index_dir, items, fingerprint, rebuild, progress, encoder)
    report.seconds = time.perf_counter() - started
    return report


def _refresh_locked(
    index_dir: Path,
    items: Sequence[Item],
    fingerprint: str,
    rebuild: bool,
    progress: ProgressCallback | None,
    shared: SharedEncoder | None = None,
) -> RefreshReport:
    old = _readable_manifest(index_dir)
    model = old.model if old is not None and old.model.stat_matches() else ModelIdentity.current()
    usable = old if old is not None and not rebuild and old.model.same_model(model) else None
    intact = _intact_records(usable, index_dir) if usable is not None else set()

    if (
        usable is not None
        and usable.fingerprint == fingerprint
        and len(intact) == len(usable.records())
    ):
        # Same content; only file times moved (a copy, a restore): record the new times.
        for record in usable.records():
            record.restat(index_dir)
        usable.model = model
        write_json_atomic(index_dir / MANIFEST, usable.to_json())
        return RefreshReport(0, 0, 0, len(items), 0, 0.0, False)

    from studyplan.adapters.search import writer

    stored = _stored_vectors(usable, intact, index_dir)
    from studyplan.adapters.search.embedding import load_partial

    kept = load_partial(index_dir, model)  # what an interrupted build embedded
    encoder: FileRecord | None = None
    weights: FileRecord | None = None
    vocabulary: FileRecord | None = None
    if (
        usable is not None
        and not usable.encoder_shared
        and all(r.name in intact for r in usable.encoder_records())
    ):
        encoder, weights, vocabulary = _encoder_files(usable)
    if shared is not None:
        encoder, weights, vocabulary = shared.record, None, None
    if (
        encoder is None
        and old is not None
        and rebuild
        and old.model.same_model(model)
        and not old.encoder_shared
        and all(r.content_matches(index_dir) for r in old.encoder_records())
    ):
        # --rebuild trusts an encoder export whose content still matches its recorded hash.
        encoder, weights, vocabulary = _encoder_files(old)
    result = writer.write_index(
        index_dir,
        items,
        model=model,
        encoder=encoder,
        reusable={**kept, **(stored or {})},
        progress=progress,
        fingerprint=fingerprint,
        previous_generation=old.generation if old is not None else "",
        encoder_folder=shared.folder if shared is not None else None,
        encoder_weights=weights,
        encoder_vocabulary=vocabulary,
    )
    remove_stale(
        index_dir,
        {result.manifest.generation, result.manifest.previous_generation},
        {MANIFEST, LOCK, VERDICT, SOURCES}
        | {record.name for record in result.manifest.encoder_records()},
    )

    before = old.digests() if old is not None else {}
    after = {item.id: item.digest for item in items}
    changed = sum(1 for i, d in after.items() if i in before and before[i] != d)
    added = sum(1 for i in after if i not in before)
    damaged = (
        tuple(sorted(r.name for r in usable.records() if r.name not in intact))
        if usable is not None and usable.fingerprint == fingerprint
        else ()
    )
    return RefreshReport(
        added=added,
        changed=changed,
        removed=sum(1 for i in before if i not in after),
        unchanged=len(after) - added - changed,
        embedded=result.embedded,
        passages=result.passages,
        seconds=0.0,
        rebuilt=stored is None,
        damaged=damaged,
    )


def _encoder_files(manifest: Manifest) -> tuple[FileRecord, FileRecord | None, FileRecord | None]:
    """The export's graph, weights and vocabulary (None where an older version wrote none:
    `writer.write_index` adds what is missing)."""
    return manifest.encoder, manifest.encoder_weights, manifest.encoder_vocabulary


def _outdated_layout(manifest: Manifest) -> bool:
    return manifest.format != FORMAT_VERSION or (
        manifest.encoder_weights is None and not manifest.encoder_shared
    )


def _upgrade(index_dir: Path) -> None:
    """Bring the files of an index written by an older version up to this format, the index
    itself unchanged: an encoder export written as one file becomes a graph and its weights
    (which load three times faster), and the vocabulary file for queries is written."""
    from studyplan.adapters.search import writer

    manifest = _readable_manifest(index_dir)
    if manifest is None or not _outdated_layout(manifest):
        return
    if not manifest.encoder_shared:
        if not all(record.content_matches(index_dir) for record in manifest.encoder_records()):
            return  # damaged: the next verifying refresh exports it again
        manifest.encoder, manifest.encoder_weights, manifest.encoder_vocabulary = (
            writer.complete_encoder(index_dir, *_encoder_files(manifest))
        )
    manifest.format = FORMAT_VERSION
    write_json_atomic(index_dir / MANIFEST, manifest.to_json())


def _writable(index_dir: Path) -> bool:
    folder = index_dir
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent  # a new index folder is created inside the nearest existing one
    return os.access(folder, os.W_OK)


def _check_unique(items: Sequence[Item]) -> None:
    seen: set[str] = set()
    repeated: list[str] = []
    for item in items:
        if item.id in seen:
            repeated.append(item.id)
        seen.add(item.id)
    if repeated:
        raise DuplicateItems(repeated)


def _readable_manifest(index_dir: Path) -> Manifest | None:
    try:
        return read_manifest(index_dir)
    except StudyplanError:
        return None


def _untouched(manifest: Manifest, index_dir: Path) -> bool:
    return manifest.model.stat_matches() and all(
        record.stat_matches(index_dir) for record in manifest.records()
    )


def _intact_records(manifest: Manifest, index_dir: Path) -> set[str]:
    """Names of the manifest's files whose content is as recorded (every file is hashed)."""
    return {record.name for record in manifest.records() if record.content_matches(index_dir)}


def _stored_vectors(
    manifest: Manifest | None, intact: set[str], index_dir: Path
) -> dict[str, np.ndarray] | None:
    """passage key (`writer.passage_keys`) -> stored embedding, read back from the previous
    generation's FAISS index and passage files; None when there is no intact previous
    generation to reuse. Passages written under another layout are left out (embedded
    again)."""
    if manifest is None:
        return None
    record = manifest.files.get("dense.faiss")
    if record is None or record.name not in intact:
        return None
    from studyplan.adapters.search.dense import load_index, stored_vectors

    try:
        vectors = stored_vectors(load_index(index_dir / record.name))
    except RuntimeError:  # FAISS's error for an unreadable file
        return None
    if vectors.shape != (len(manifest.items), DIMENSION):
        return None
    found = {digest: vectors[row] for row, (_, digest) in enumerate(manifest.items)}
    found.update(_stored_passages(manifest, intact, index_dir))
    return found


def _stored_passages(
    manifest: Manifest, intact: set[str], index_dir: Path
) -> dict[str, np.ndarray]:
    from studyplan.adapters.search.chunks import LAYOUT

    records = [manifest.files.get(role) for role in PASSAGE_ROLES]
    if manifest.dense.get("passages") != LAYOUT or any(
        r is None or r.name not in intact for r in records
    ):
        return {}
    try:
        vectors, rows, _ = (np.load(index_dir / r.name, allow_pickle=False) for r in records if r)
    except (OSError, ValueError, EOFError):
        return {}
    if vectors.shape != (len(rows), DIMENSION) or (len(rows) and rows.max() >= len(manifest.items)):
        return {}
    found: dict[str, np.ndarray] = {}
    seen: dict[int, int] = {}
    for vector, row in zip(vectors, rows.tolist(), strict=True):
        seen[row] = seen.get(row, 0) + 1
        found[f"{manifest.items[row][1]}:{seen[row]}"] = vector
    return found


def source_stats(paths: Sequence[Path]) -> dict[str, list[int]]:
    """Size and modification time of each file the items are read from."""
    found: dict[str, list[int]] = {}
    for path in paths:
        info = path.stat()
        found[str(path.resolve())] = [info.st_size, info.st_mtime_ns]
    return found


def unchanged_sources(index_dir: Path, sources: dict[str, list[int]]) -> RefreshReport | None:
    """A report of "nothing to do" when the index was last brought up to date from exactly
    these files (same sizes and times) and its own files look untouched; None otherwise.

    Lets a search skip reading and hashing the items it would only find unchanged."""
    started = time.perf_counter()
    try:
        recorded = parse_json((index_dir / SOURCES).read_bytes())
    except (OSError, ValueError):
        return None
    current = _readable_manifest(index_dir)
    if (
        current is None
        or not isinstance(recorded, dict)
        or recorded.get("generation") != current.generation
        or recorded.get("fingerprint") != current.fingerprint
        or recorded.get("layout") != f"{TEXT_LAYOUT}/{LEXICAL_LAYOUT}"
        or recorded.get("sources") != sources
        or _outdated_layout(current)
        or not _untouched(current, index_dir)
    ):
        return None
    count = len(current.items)
    return RefreshReport(0, 0, 0, count, 0, time.perf_counter() - started, False)


def record_sources(index_dir: Path, sources: dict[str, list[int]]) -> None:
    """Note which files the current generation was read from (skipped where it cannot be
    written: the check then reads the items each time, as without it)."""
    current = _readable_manifest(index_dir)
    if current is None:
        return
    record = {
        "generation": current.generation,
        "fingerprint": current.fingerprint,
        "layout": f"{TEXT_LAYOUT}/{LEXICAL_LAYOUT}",
        "sources": sources,
    }
    with contextlib.suppress(FileWriteError, OSError, ValueError):  # damaged: written anew
        if parse_json((index_dir / SOURCES).read_bytes()) == record:
            return
    with contextlib.suppress(FileWriteError, OSError):
        write_atomic(index_dir / SOURCES, json.dumps(record).encode(), durable=False)
