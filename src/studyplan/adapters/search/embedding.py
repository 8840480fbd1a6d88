"""Embedding what an index build needs, kept as it goes.

A big import (a deck of thousands of cards) takes minutes to embed on a laptop. Every
CHECKPOINT_SECONDS, and when the build is interrupted (Ctrl-C), the vectors embedded so far
are saved beside the index (`PARTIAL`); the next build of that folder takes them back and
embeds only the rest. A build that finishes removes them.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from studyplan.adapters.files import FileWriteError, write_atomic
from studyplan.adapters.search import chunks
from studyplan.adapters.search.encoder import Encoder, ProgressCallback
from studyplan.adapters.search.items import TEXT_LAYOUT
from studyplan.adapters.search.manifest import ModelIdentity
from studyplan.adapters.search.model_files import DIMENSION
from studyplan.adapters.structured import parse_json
from studyplan.core.errors import EmbeddingInterrupted

PARTIAL = "partial-embeddings.npy"
PARTIAL_KEYS = "partial-embeddings.json"
CHECKPOINT_SECONDS = 10.0


def embed(
    session: Encoder,
    jobs: Mapping[str, str],
    index_dir: Path,
    model: ModelIdentity,
    progress: ProgressCallback | None = None,
) -> dict[str, np.ndarray]:
    """key -> vector for every text in `jobs` (key -> text); checkpointed as the module says.
    Raises EmbeddingInterrupted, after saving, when interrupted."""
    keys, texts = list(jobs), list(jobs.values())
    done: dict[str, np.ndarray] = {}
    saved_at = time.monotonic()
    try:
        for rows, vectors in session.batches(texts):
            for row, vector in zip(rows, vectors, strict=True):
                done[keys[row]] = vector
            if progress is not None:
                progress(len(done), len(texts))
            if time.monotonic() - saved_at >= CHECKPOINT_SECONDS:
                save_partial(index_dir, model, done)
                saved_at = time.monotonic()
    except KeyboardInterrupt:
        save_partial(index_dir, model, done)
        raise EmbeddingInterrupted(len(done), len(texts)) from None
    return done


def _stamp(model: ModelIdentity) -> dict[str, str]:
    return {
        "weights": model.weights_sha256,
        "tokenizer": model.tokenizer_sha256,
        "layout": f"{TEXT_LAYOUT}/{chunks.LAYOUT}",
    }


def save_partial(index_dir: Path, model: ModelIdentity, done: Mapping[str, np.ndarray]) -> None:
    """Everything embedded so far, with what it was embedded by (skipped when the folder
    cannot be written: the next build then embeds it again)."""
    if not done:
        return
    vectors = np.stack(list(done.values())).astype(np.float32)
    record = {**_stamp(model), "keys": list(done)}
    with contextlib.suppress(FileWriteError, OSError):
        write_atomic(index_dir / PARTIAL, lambda handle: np.save(handle, vectors), durable=False)
        write_atomic(index_dir / PARTIAL_KEYS, json.dumps(record).encode(), durable=False)


def load_partial(index_dir: Path, model: ModelIdentity) -> dict[str, np.ndarray]:
    """What an interrupted build kept, when the same model and layout embedded it."""
    try:
        record = parse_json((index_dir / PARTIAL_KEYS).read_bytes())
        vectors = np.load(index_dir / PARTIAL, allow_pickle=False)
    except (OSError, ValueError, EOFError):
        return {}
    if not isinstance(record, dict) or any(record.get(k) != v for k, v in _stamp(model).items()):
        return {}
    keys = record.get("keys")
    if (
        not isinstance(keys, list)
        or vectors.ndim != 2
        or vectors.shape != (len(keys), DIMENSION)
        or not np.isfinite(vectors).all()
    ):
        return {}
    return {str(key): vectors[n] for n, key in enumerate(keys)}


def forget_partial(index_dir: Path) -> None:
    for name in (PARTIAL, PARTIAL_KEYS):
        (index_dir / name).unlink(missing_ok=True)
