"""One-time export of the packaged model to ONNX, with pooling and normalisation in the graph.

The only module of the search package that imports torch and sentence-transformers; it runs
when an index is first built (or rebuilt), never on a query.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from studyplan.search.encoder import INPUTS, OUTPUT, Encoder
from studyplan.search.errors import EncoderError
from studyplan.search.model_files import model_dir

OPSET = 17
# Texts the export is checked on against sentence-transformers before it is kept.
PROBES = (
    "how does Apple interview",
    "Reverse a singly linked list in place and return the new head.",
    "Wie bereite ich mich auf ein Vorstellungsgespräch vor?",
    "attention " * 400,
)
MIN_COSINE = 0.9999


def offline_environment() -> None:
    """Never reach for the Hugging Face hub, and keep library chatter off the user's terminal."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def load_sentence_transformer() -> Any:
    offline_environment()
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(model_dir()), device="cpu")


def export_onnx(target: Path) -> None:
    """Write the ONNX model to `target` (atomically) and check it against sentence-transformers."""
    import torch

    model = load_sentence_transformer()
    transformer = model[0].auto_model.eval()

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            tokens = self.transformer(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )[0]
            mask = attention_mask.unsqueeze(-1).to(tokens.dtype)
            mean = (tokens * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2.0, dim=1)

    # A padded second row, so tracing records the attention-mask path, not an all-ones shortcut.
    input_ids = torch.tensor([[101, 7592, 2088, 102], [101, 7592, 102, 0]], dtype=torch.long)
    attention_mask = (input_ids != 0).long()
    token_type_ids = torch.zeros_like(input_ids)
    axes = {name: {0: "batch", 1: "tokens"} for name in INPUTS}
    axes[OUTPUT] = {0: "batch"}
    tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}")
    try:
        with torch.no_grad(), warnings.catch_warnings():
            # dynamo=False is the deliberate choice (fast, needs only `onnx`); silence only
            # the deprecation and tracing notes it prints, nothing else.
            warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"torch\.onnx")
            warnings.filterwarnings("ignore", message=r"You are using the legacy TorchScript")
            tracer_warning: type[Warning] = torch.jit.TracerWarning  # type: ignore[attr-defined]
            warnings.filterwarnings("ignore", category=tracer_warning)
            warnings.filterwarnings("ignore", message=r"Exporting aten::index operator")
            torch.onnx.export(
                Pooled().eval(),
                (input_ids, attention_mask, token_type_ids),
                str(tmp),
                input_names=list(INPUTS),
                output_names=[OUTPUT],
                dynamic_axes=axes,
                opset_version=OPSET,
                dynamo=False,
            )
        check_export(tmp, model)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def check_export(onnx_path: Path, model: Any) -> None:
    expected = model.encode(list(PROBES), normalize_embeddings=True, convert_to_numpy=True)
    got = Encoder(onnx_path).encode(PROBES)
    cosine = (np.asarray(expected, dtype=np.float32) * got).sum(axis=1)
    if float(cosine.min()) < MIN_COSINE:
        raise EncoderError(
            f"the ONNX export disagrees with sentence-transformers (cosine {cosine.min():.5f})"
            " — check the installed torch and onnx versions"
        )


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
