"""The ONNX encoder is written from the model's weights without torch, and is held to
sentence-transformers (torch), the independent reference."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from studyplan.adapters.search.bert_graph import read_config
from studyplan.adapters.search.encoder import Encoder
from studyplan.adapters.search.errors import EncoderError
from studyplan.adapters.search.export import probe_embeddings
from studyplan.adapters.search.model_files import WEIGHTS_FILE, file_sha256, model_dir

pytestmark = pytest.mark.model  # every test here needs the embedding model


def test_reference_embeddings_are_what_sentence_transformers_gives(reference_model: Any) -> None:
    sha, texts, stored = probe_embeddings()
    assert sha == file_sha256(model_dir() / WEIGHTS_FILE)
    expected = reference_model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    np.testing.assert_allclose(stored, expected, atol=1e-6)


def test_export_needs_no_torch_and_matches_the_reference(tmp_path: Path) -> None:
    target = tmp_path / "encoder.onnx"
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from studyplan.adapters.search.export import export_onnx\n"
        f"export_onnx(Path({str(target)!r}))\n"
        "heavy = {'torch', 'transformers', 'sentence_transformers'} & set(sys.modules)\n"
        "print(sorted(heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["[]"]
    _, texts, expected = probe_embeddings()
    got = Encoder(target).encode(texts)
    assert float((expected * got).sum(axis=1).min()) > 0.99999
    assert not list(tmp_path.glob(".*tmp*"))  # written whole, nothing left beside it


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("hidden_act", "gelu_new"),
        ("position_embedding_type", "relative_key"),
        ("model_type", "roberta"),
    ],
)
def test_a_model_the_graph_does_not_compute_is_refused(
    tmp_path: Path, key: str, value: str
) -> None:
    shutil.copy(model_dir() / "config.json", tmp_path / "config.json")
    config = json.loads((tmp_path / "config.json").read_text(encoding="utf-8"))
    assert read_config(tmp_path)["hidden_size"] == 384
    config[key] = value
    (tmp_path / "config.json").write_text(json.dumps(config), encoding="utf-8")
    with pytest.raises(EncoderError, match=f"{key} is '{value}'"):
        read_config(tmp_path)
