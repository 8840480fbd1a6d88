"""The layers hold: `lint-imports` (run by `make lint`) keeps them, and a leak fails it.

Each check runs import-linter on a copy of the package with the project's contracts, so that
a deliberately added forbidden import can be seen to break the build, naming the import.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """The package and the contracts, copied where a test may break them."""
    shutil.copytree(ROOT / "src" / "studyplan", tmp_path / "src" / "studyplan")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def lint_imports(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(folder / "pyproject.toml"), "--no-cache"],
        cwd=folder,
        env={"PYTHONPATH": str(folder / "src"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def add_import(module: Path, line: str) -> None:
    text = module.read_text(encoding="utf-8")
    head, _, rest = text.partition("from __future__ import annotations\n")
    module.write_text(f"{head}from __future__ import annotations\n{line}\n{rest}", encoding="utf-8")


def test_the_package_keeps_every_contract(copy: Path) -> None:
    result = lint_imports(copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 5 kept, 0 broken." in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken", "named"),
    [
        (
            "core/progress/stats.py",
            "from studyplan.adapters.sqlite.store import Store",
            "Layers: cli | web -> app (use cases) -> adapters -> core",
            "studyplan.core.progress.stats -> studyplan.adapters.sqlite.store (l.",
        ),
        (
            "core/planner.py",
            "import rich",
            "The core does no I/O",
            "studyplan.core.planner -> rich (l.",
        ),
        (
            "adapters/search/query.py",
            "from studyplan.cli import render",
            "Layers: cli | web -> app (use cases) -> adapters -> core",
            "studyplan.adapters.search.query -> studyplan.cli.render (l.",
        ),
        (
            "web/study_pages.py",
            "from studyplan.cli import render",
            "Layers: cli | web -> app (use cases) -> adapters -> core",
            "studyplan.web.study_pages -> studyplan.cli.render (l.",
        ),
        (
            "cli/study_commands.py",
            "from studyplan.web import templating",
            "Layers: cli | web -> app (use cases) -> adapters -> core",
            "studyplan.cli.study_commands -> studyplan.web.templating (l.",
        ),
        (
            "app/study.py",
            "import starlette",
            "Only the web edge loads the web framework",
            "studyplan.app.study -> starlette (l.",
        ),
        (
            "web/charts.py",
            "import rich",
            "The web edge draws nothing with click or rich",
            "studyplan.web.charts -> rich (l.",
        ),
        (
            "core/srs/sm2.py",
            "from studyplan.core.srs import card_state",
            "No import cycles",
            ".sm2 -> .card_state",
        ),
    ],
)
def test_a_leak_fails_and_names_the_import(
    copy: Path, module: str, line: str, broken: str, named: str
) -> None:
    add_import(copy / "src" / "studyplan" / module, line)
    result = lint_imports(copy)
    assert result.returncode == 1, result.stdout
    assert "0 broken" not in result.stdout
    report = " ".join(result.stdout.split())  # the report wraps long lines
    assert f"{broken}" in report and "BROKEN" in report
    assert named in report, result.stdout
