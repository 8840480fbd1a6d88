from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from studyplan.cli import main
from studyplan.search.items import Item


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own workspace; nothing touches the real user data folder."""
    home = tmp_path / "home"
    monkeypatch.setenv("STUDYPLAN_HOME", str(home))
    # The shipped corpus's shared index: never the checkout's indexes/ folder in tests.
    monkeypatch.setenv("STUDYPLAN_INDEX", str(tmp_path / "shipped-index"))
    monkeypatch.delenv("STUDYPLAN_CORPUS", raising=False)
    return home


@pytest.fixture
def run() -> Callable[..., Result]:
    """Run the CLI in-process: run("today", "--json") -> click Result."""

    def invoke(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)

    return invoke


# The real model over the real corpus, built once per session by whichever test asks first.


@pytest.fixture(scope="session")
def real(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    import test_search_support as support

    return support.real_index(tmp_path_factory)


@pytest.fixture(scope="session")
def index_dir(real: tuple[Path, object]) -> Path:
    return real[0]


@pytest.fixture(scope="session")
def corpus() -> dict[str, Item]:
    import test_search_support as support

    return {item.id: item for item in support.corpus_items()}
