from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from studyplan.cli import main


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own workspace; nothing touches the real user data folder."""
    home = tmp_path / "home"
    monkeypatch.setenv("STUDYPLAN_HOME", str(home))
    monkeypatch.delenv("STUDYPLAN_CORPUS", raising=False)
    return home


@pytest.fixture
def run() -> Callable[..., Result]:
    """Run the CLI in-process: run("today", "--json") -> click Result."""

    def invoke(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)

    return invoke
