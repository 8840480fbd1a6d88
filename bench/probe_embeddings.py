"""Write src/studyplan/adapters/search/probe_embeddings.json: the reference the ONNX export is checked on.

The embeddings come from sentence-transformers (torch) on the packaged weights, so the
torch-free export is compared with an independent implementation every time it is built.
Run again only when the model changes: `.venv/bin/python bench/probe_embeddings.py`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from studyplan.adapters.files import write_atomic
from studyplan.adapters.search.model_files import WEIGHTS_FILE, file_sha256, model_dir

TARGET = (
    Path(__file__).resolve().parents[1]
    / "src"
    / "studyplan"
    / "adapters"
    / "search"
    / "probe_embeddings.json"
)
TEXTS = [
    "how does Apple interview",
    "Reverse a singly linked list in place and return the new head.",
    "Wie bereite ich mich auf ein Vorstellungsgespräch vor?",
    "attention " * 400,  # beyond the 256 tokens the model reads
]


def main() -> None:
    os.environ["HF_HUB_OFFLINE"] = "1"
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(model_dir()), device="cpu")
    vectors = model.encode(TEXTS, normalize_embeddings=True, convert_to_numpy=True)
    data = {
        "model": "sentence-transformers/all-MiniLM-L6-v2",
        "weights_sha256": file_sha256(model_dir() / WEIGHTS_FILE),
        "texts": TEXTS,
        "embeddings": [[round(float(x), 7) for x in row] for row in vectors],
    }
    write_atomic(TARGET, (json.dumps(data, ensure_ascii=False) + "\n").encode())
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
