"""The first search of an installation builds the shipped corpus's index, and says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from studyplan.cli import main
from studyplan.cli.search_commands import SHOW_PROGRESS_FROM

pytestmark = pytest.mark.model  # the first build embeds with the real model


def write_corpus(root: Path, count: int) -> Path:
    cards = root / "cards"
    cards.mkdir(parents=True)
    tables = [
        f'[[card]]\nid = "ml-{n:03}"\ntopic = "losses"\ndifficulty = "easy"\nminutes = 5\n'
        f'prompt = "What does loss function number {n} measure?"\n'
        f'answer = """\n- It measures error kind {n}.\n"""\n'
        for n in range(count)
    ]
    (cards / "ml.toml").write_text('track = "ml"\n\n' + "\n".join(tables), encoding="utf-8")
    return root


def test_first_search_builds_the_shared_index_with_a_progress_bar(
    tmp_path: Path, shipped_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    count = SHOW_PROGRESS_FROM + 8
    monkeypatch.setenv("STUDYPLAN_CORPUS", str(write_corpus(tmp_path / "corpus", count)))
    # A terminal, as far as the progress bar can tell.
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("TTY_INTERACTIVE", "1")
    first = CliRunner().invoke(main, ["search", "loss function number 7"])
    assert first.exit_code == 0, first.output
    assert "Building the search index" in first.stderr
    assert "Embedding" in first.stderr and f"{count}/{count}" in first.stderr
    assert "passages," in first.stderr and "left" in first.stderr  # the rate, the time left
    assert "ml-007" in first.stdout
    assert (shipped_index / "manifest.json").is_file()
    assert not (tmp_path / "home" / "index").exists()  # nothing of the user's own to index

    again = CliRunner().invoke(main, ["search", "loss function number 7"])
    assert again.exit_code == 0 and again.stderr == ""  # built once, then reused
