"""File and folder names that are not UTF-8, and a terminal that only takes ASCII: every
command still answers, such characters printing as a replacement mark ("?")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

DAY = "2026-01-05"
CAFE = os.fsdecode(b"caf\xe9")  # the Latin-1 byte, not valid UTF-8: held as a surrogate


def studyplan(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The installed command's way in (python -m studyplan runs studyplan.launch)."""
    environment = {**os.environ, "STUDYPLAN_HOME": os.fsdecode(home), **env}
    return subprocess.run(
        [sys.executable, "-m", "studyplan", *args],
        capture_output=True,
        text=True,
        errors="replace",
        env=environment,
        check=False,
        timeout=120,
    )


def test_a_workspace_and_a_card_file_with_names_that_are_not_utf8(tmp_path: Path) -> None:
    home = tmp_path / os.fsdecode(b"space\xff")
    (home / "cards").mkdir(parents=True)
    (home / "cards" / f"{CAFE}.md").write_text("Q: What is a heap?\nA: A tree.\n", "utf-8")
    (home / "cards" / f"{CAFE}-bad.toml").write_text("card = [1]\n", "utf-8")
    for args in (("today", "--date", DAY), ("cards",), ("info",), ("stats", "--date", DAY)):
        done = studyplan(home, *args)
        assert done.returncode == 0, (args, done.stderr)
        assert "Traceback" not in done.stderr
    checked = studyplan(home, "check")
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    assert "caf?-bad.toml:1: a card must be a [[card]] table" in checked.stderr


def test_an_ascii_terminal_gets_replacement_marks_not_an_error(tmp_path: Path) -> None:
    done = studyplan(tmp_path / "home", "today", "--date", DAY, PYTHONIOENCODING="ascii")
    assert done.returncode == 0, done.stderr
    assert "Start with studyplan review." in done.stdout
    assert "?" in done.stdout and "\u2014" not in done.stdout


@pytest.mark.model
def test_adding_a_document_whose_name_is_not_utf8(
    tmp_path: Path, copy_real_index: Callable[[Path], Path]
) -> None:
    index = copy_real_index(tmp_path / "shared-index")
    note = tmp_path / f"{CAFE}.md"
    note.write_text("# Espresso notes\n\nAttention heads read the residual stream.\n", "utf-8")
    home = tmp_path / "home"
    added = studyplan(home, "add", os.fsdecode(note), STUDYPLAN_INDEX=str(index))
    assert added.returncode == 0, added.stderr
    listed = studyplan(home, "docs", "--json", STUDYPLAN_INDEX=str(index))
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout)[0]["source_path"].endswith("caf?.md")
    found = studyplan(home, "search", "espresso notes residual stream", STUDYPLAN_INDEX=str(index))
    assert found.returncode == 0, found.stderr
    assert "Espresso notes" in found.stdout
