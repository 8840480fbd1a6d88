"""`studyplan info` as aligned lines for the terminal (every value as plain text)."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from studyplan.app.about import Info
from studyplan.core.text_safety import one_line


def _line(console: Console, label: str, value: object) -> None:
    shown = "not installed" if value is None else one_line(str(value))
    console.print(Text(f"{label:<22} {shown}"), soft_wrap=True)  # a path stays one line


def print_info(console: Console, info: Info) -> None:
    _line(console, "studyplan", info.version)
    _line(console, "python", info.python)
    _line(console, "platform", info.platform)
    _line(console, "workspace", info.workspace)
    _line(console, "database", info.database)
    _line(console, "corpus", info.corpus)
    index = info.index
    state = f"built, {index.items} items" if index.built else "not built yet: `studyplan index`"
    _line(console, "index", f"{index.path} ({state})")
    if index.built:
        _line(console, "index encoder", f"{index.encoder} sha256 {index.encoder_sha256}")
        _line(console, "index model weights", f"sha256 {index.model_weights_sha256}")
    own = info.own_index
    own_state = f"built, {own.items} items" if own.built else "none yet: nothing of yours indexed"
    _line(console, "own index", f"{own.path} ({own_state})")
    counts = info.counts
    _line(
        console,
        "counts",
        f"{counts['cards']} cards, {counts['own_cards']} own cards, {counts['grades']} grades, "
        f"{counts['documents']} documents, {counts['stories']} stories",
    )
    model = info.model
    _line(console, "model", f"{model.name} ({model.package} {model.version or 'not installed'})")
    if model.problem is not None:
        _line(console, "model problem", model.problem)
    else:
        _line(console, "model files", model.path)
        _line(console, "model weights", f"sha256 {model.weights_sha256}")
    for name, version in info.libraries.items():
        _line(console, name, version)
