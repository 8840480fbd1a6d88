"""`studyplan info` (what a bug report needs) and `studyplan completion` (click's mechanism)."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from studyplan.adapters.search.items import Item
from studyplan.adapters.search.model_files import WEIGHTS_FILE, file_sha256, model_dir
from studyplan.cli import main

Run = Callable[..., Result]
DAY = "2026-11-25"


@pytest.mark.model
def test_info_json_names_paths_counts_and_versions(
    run: Run, isolated_home: Path, shipped_index: Path
) -> None:
    assert run("grade", "coding-two-sum", "good", "--date", DAY).exit_code == 0
    assert run("grade", "coding-valid-parentheses", "again", "--date", DAY).exit_code == 0
    assert run("undo", "--date", DAY).exit_code == 0
    result = run("info", "--json")
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    assert info["workspace"] == str(isolated_home)
    assert info["database"] == str(isolated_home / "studyplan.db")
    assert Path(info["corpus"], "cards").is_dir()
    assert info["counts"]["cards"] == len(json.loads(run("cards", "--json").output))
    assert info["counts"]["grades"] == 1  # the undone grade does not count
    assert info["counts"]["documents"] == info["counts"]["own_cards"] == 0
    not_built = {
        "built": False,
        "encoder": None,
        "encoder_sha256": None,
        "model_weights_sha256": None,
        "items": None,
    }
    assert info["index"] == {"path": str(shipped_index), **not_built}
    assert info["own_index"] == {"path": str(isolated_home / "index"), **not_built}
    assert info["model"]["weights_sha256"] == file_sha256(model_dir() / WEIGHTS_FILE)
    assert info["model"]["problem"] is None
    assert info["libraries"]["click"] and info["libraries"]["onnxruntime"]
    assert info["version"] and info["python"]


@pytest.mark.model
def test_info_reports_the_built_index(
    run: Run,
    isolated_home: Path,
    index_dir: Path,
    copy_real_index: Callable[[Path], Path],
    shipped_items: list[Item],
    shipped_index: Path,
) -> None:
    copy_real_index(shipped_index)
    manifest = json.loads((index_dir / "manifest.json").read_text(encoding="utf-8"))
    index = json.loads(run("info", "--json").output)["index"]
    assert index["built"] is True
    assert index["items"] == len(manifest["items"]) == len(shipped_items)
    assert index["encoder_sha256"] == file_sha256(index_dir / index["encoder"])
    text = run("info").output
    assert f"built, {index['items']} items" in text
    assert f"sha256 {index['encoder_sha256']}" in text


@pytest.mark.model
def test_info_text_keeps_each_value_on_one_line(run: Run, isolated_home: Path) -> None:
    lines = run("info").output.splitlines()
    assert f"workspace              {isolated_home}" in lines
    assert any(line.startswith("model weights          sha256 ") for line in lines)


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts_use_clicks_variable(run: Run, shell: str) -> None:
    result = run("completion", shell)
    assert result.exit_code == 0
    assert f"_STUDYPLAN_COMPLETE={shell}_complete" in result.output.replace("'", "")


def complete(words: str) -> list[str]:
    """What the shell gets back when it asks studyplan to complete `words` (bash protocol)."""
    env = {
        "_STUDYPLAN_COMPLETE": "bash_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
    }
    result = CliRunner().invoke(main, [], env=env, prog_name="studyplan")
    return [line.split(",", 1)[1] for line in result.output.splitlines()]


def test_completion_offers_lazily_loaded_commands_and_their_options() -> None:
    assert complete("studyplan we") == ["week"]
    assert "export" in complete("studyplan ")
    assert complete("studyplan week --d") == ["--date"]
    assert complete("studyplan export ") == ["anki", "ics"]  # anki loads lazily
    assert complete("studyplan completion f") == ["fish"]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_accepts_the_script(run: Run) -> None:
    script = run("completion", "bash").output
    done = subprocess.run(
        ["bash", "-c", f"{script}\ncomplete -p studyplan"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "_studyplan_completion" in done.stdout
