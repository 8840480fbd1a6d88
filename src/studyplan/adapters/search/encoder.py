"""Text -> normalised embeddings with the ONNX export of the model: onnxruntime + tokenizers only.

Mean pooling and L2 normalisation are inside the exported graph, so the output rows are the
sentence-transformers embeddings. Nothing here imports torch. A query is tokenised by
`wordpiece` when the index has its vocabulary file, which loads in a fraction of the time the
`tokenizers` library takes; batches always go through the library.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from studyplan.adapters.search.model_files import DIMENSION, MAX_TOKENS, TOKENIZER_FILE, model_dir
from studyplan.adapters.search.wordpiece import WordPiece

ProgressCallback = Callable[[int, int], None]
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OUTPUT = "embedding"


def load_tokenizer(path: Path | None = None) -> Any:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path or model_dir() / TOKENIZER_FILE))
    # The packaged tokenizer.json truncates and pads to 128; the model itself reads 256 tokens.
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    tokenizer.no_padding()
    return tokenizer


class Encoder:
    """One onnxruntime session plus the model's tokenizer; create once, encode many times."""

    def __init__(
        self,
        onnx_model: Path | bytes,
        tokenizer_path: Path | None = None,
        *,
        for_queries: bool = False,
        vocabulary: Path | None = None,
    ) -> None:
        """`onnx_model` is the file, or its bytes (an export checked before it is written).
        `for_queries`: a session that starts fast for encoding a query or two (basic graph
        optimisations; the weights used where they lie instead of repacked for batch
        matrix products; one thread), in about a fifth of the time of one that encodes
        batches fastest. `vocabulary`: the file `wordpiece` reads (None: the library only)."""
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        levels = onnxruntime.GraphOptimizationLevel
        options.graph_optimization_level = (
            levels.ORT_ENABLE_BASIC if for_queries else levels.ORT_ENABLE_ALL
        )
        if for_queries:
            options.intra_op_num_threads = 1
            options.add_session_config_entry("session.disable_prepacking", "1")
        self._session = onnxruntime.InferenceSession(
            onnx_model if isinstance(onnx_model, bytes) else str(onnx_model),
            options,
            providers=["CPUExecutionProvider"],
        )
        self._tokenizer_path = tokenizer_path
        self._library: Any = None
        self._wordpiece = WordPiece.load(vocabulary) if vocabulary is not None else None

    @property
    def tokenizer(self) -> Any:
        """The `tokenizers` library's tokenizer of the model, loaded on first use."""
        if self._library is None:
            self._library = load_tokenizer(self._tokenizer_path)
        return self._library

    def encode(
        self,
        texts: Sequence[str],
        *,
        batch_size: int = 32,
        progress: ProgressCallback | None = None,
    ) -> np.ndarray:
        """Rows of float32 unit vectors, in the order of `texts`."""
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        rows_ids = [encoding.ids for encoding in self.tokenizer.encode_batch(list(texts))]
        # Batching texts of similar length keeps padding, hence wasted compute, small.
        order = sorted(range(len(texts)), key=lambda i: len(rows_ids[i]))
        done = 0
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            out[rows] = self._run([rows_ids[i] for i in rows])
            done += len(rows)
            if progress is not None:
                progress(done, len(texts))
        return out

    def encode_one(self, text: str) -> np.ndarray:
        row: np.ndarray = self._run([self.token_ids(text)])[0]
        return row

    def token_ids(self, text: str) -> list[int]:
        """The model's token ids for `text`, [CLS] and [SEP] included, cut to MAX_TOKENS."""
        found = self._wordpiece.ids(text) if self._wordpiece is not None else None
        if found is None:
            found = self.tokenizer.encode(text).ids
        return found

    def _run(self, rows_ids: Sequence[Sequence[int]]) -> np.ndarray:
        """Embed token id rows: padded with zeros to the longest, which the mask leaves out
        (one text, unpadded, is what the tokenizer gives: every mask 1, every type 0)."""
        width = max(len(ids) for ids in rows_ids)
        arrays = {name: np.zeros((len(rows_ids), width), dtype=np.int64) for name in INPUTS}
        for row, ids in enumerate(rows_ids):
            arrays["input_ids"][row, : len(ids)] = ids
            arrays["attention_mask"][row, : len(ids)] = 1
        (embeddings,) = self._session.run([OUTPUT], arrays)
        result: np.ndarray = np.asarray(embeddings, dtype=np.float32)
        return result


_sessions: dict[tuple[Path, str, bool], Encoder] = {}


def shared_encoder(
    onnx_path: Path, sha256: str, *, for_queries: bool = False, vocabulary: Path | None = None
) -> Encoder:
    """One Encoder per export, use and process: every search in a process shares a session."""
    key = (onnx_path.resolve(), sha256, for_queries)
    if key not in _sessions:
        _sessions[key] = Encoder(onnx_path, for_queries=for_queries, vocabulary=vocabulary)
    return _sessions[key]


def forget_encoder(onnx_path: Path) -> None:
    """Drop this process's sessions of an export found damaged, so a repaired file is loaded
    afresh instead of the damaged weights the old session still maps."""
    resolved = onnx_path.resolve()
    for key in [key for key in _sessions if key[0] == resolved]:
        del _sessions[key]
