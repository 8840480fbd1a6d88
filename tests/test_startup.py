"""Commands that need no model stay light: no torch, transformers, faiss in the process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = (
    "torch",
    "transformers",
    "sentence_transformers",
    "faiss",
    "onnxruntime",
    "sklearn",
    "bm25s",
    "numpy",
    # The web page's libraries: only `studyplan serve` loads them.
    "starlette",
    "uvicorn",
    "jinja2",
    "pygments",
)

PROBE = """
import sys
from studyplan.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
finally:
    heavy = sorted(m for m in {heavy!r} if m in sys.modules)
    print("HEAVY:" + ",".join(heavy), file=sys.stderr)
"""


@pytest.mark.parametrize(
    "args",
    [
        ["today", "--date", "2026-11-25"],
        ["grade", "coding-two-sum", "good"],
        ["cards"],
        ["--help"],
        ["stats", "--date", "2026-11-25"],
        ["mock", "--date", "2026-11-25"],
        ["story", "list"],
        ["info"],
        ["completion", "bash"],
        ["config", "--json"],
        ["week", "--date", "2026-11-25"],
        ["docs"],
    ],
)
def test_light_commands_import_nothing_heavy(args: list[str], tmp_path: Path) -> None:
    env = {**os.environ, "STUDYPLAN_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "HEAVY:\n" in done.stderr


def test_the_command_runs_with_the_garbage_collector_back_on(tmp_path: Path) -> None:
    # studyplan.launch pauses the collector while the code loads; the command itself, which
    # may run a long review session or an import, runs with it on.
    probe = (
        "import gc, sys\n"
        "from studyplan.cli.app import StudyplanGroup\n"
        "seen = []\n"
        "invoke = StudyplanGroup.invoke\n"
        "def spy(self, ctx):\n"
        "    ctx.call_on_close(lambda: seen.append(gc.isenabled()))\n"
        "    return invoke(self, ctx)\n"
        "StudyplanGroup.invoke = spy\n"
        "sys.argv = ['studyplan', 'today', '--date', '2026-11-25']\n"
        "from studyplan.launch import run\n"
        "try:\n"
        "    run()\n"
        "except SystemExit:\n"
        "    print('ENABLED:', seen, file=sys.stderr)\n"
    )
    env = {**os.environ, "STUDYPLAN_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "ENABLED: [True]" in done.stderr
