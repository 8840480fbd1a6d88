"""Where a user's things live: the workspace folder, the shipped corpus, the database."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from studyplan.adapters.content.card_cache import load_cards_cached
from studyplan.adapters.folders import OWN_CARDS_FOLDER, STORIES_FOLDER
from studyplan.adapters.sqlite.store import Store
from studyplan.core.errors import CorpusMissing, UnknownCard
from studyplan.core.model import Card, Section
from studyplan.core.settings import Settings, settings_from_text

HOME_ENV = "STUDYPLAN_HOME"
CORPUS_ENV = "STUDYPLAN_CORPUS"
INDEX_ENV = "STUDYPLAN_INDEX"  # where the shipped corpus's shared search index lives
OWN_INDEX_FOLDER = "index"  # inside a workspace: the index of what is the user's own


def default_home() -> Path:
    configured = os.environ.get(HOME_ENV)
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("studyplan", appauthor=False))


def default_index_dir() -> Path:
    """Where the search index of the shipped corpus lives, shared read-only by every workspace:
    $STUDYPLAN_INDEX, else a source checkout's indexes/ folder (what `make run` builds), else
    the user cache folder. A workspace's own index is `Workspace.own_index`."""
    configured = os.environ.get(INDEX_ENV)
    if configured:
        return Path(configured).expanduser()
    checkout = Path(__file__).resolve().parents[3] / "indexes"
    if checkout.is_dir():
        return checkout
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("studyplan", appauthor=False)) / "index"


def default_corpus() -> Path:
    """$STUDYPLAN_CORPUS; in a checkout, its top-level corpus/; else the copy the wheel maps
    into the package (pyproject.toml's force-include)."""
    configured = os.environ.get(CORPUS_ENV)
    if configured:
        return Path(configured).expanduser()
    checkout = Path(__file__).resolve().parents[3] / "corpus"
    if (checkout / "cards").is_dir():
        return checkout
    from importlib.resources import files  # it loads tempfile and shutil: only when needed

    shipped = files("studyplan").joinpath("corpus")
    if not isinstance(shipped, Path):  # a zip import: the cards are not files on disk
        raise CorpusMissing(f"the shipped corpus is not a folder on disk ({shipped})")
    return shipped


@dataclass
class Workspace:
    """A user's workspace folder, with the corpus it studies; opens the database on first use."""

    home: Path
    corpus: Path = field(default_factory=default_corpus)
    index_dir: Path | None = None
    _store: Store | None = field(default=None, init=False, repr=False)
    warnings: list[str] = field(default_factory=list, init=False, repr=False)

    def warn(self, message: str) -> None:
        """Note something skipped; the CLI prints each note once, on stderr."""
        if message not in self.warnings:
            self.warnings.append(message)

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store.open(self.home)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def card_files(self) -> list[Path]:
        return sorted((self.corpus / "cards").glob("*.toml"))

    def guide_files(self) -> list[Path]:
        return sorted((self.corpus / "guides").glob("*.md"))

    def story_files(self) -> list[Path]:
        return sorted((self.home / STORIES_FOLDER).glob("*.toml"))

    def document_files(self) -> list[Path]:
        """The stored documents the user added, one JSON file each."""
        from studyplan.adapters.content.documents import DOCUMENTS_FOLDER

        return sorted((self.home / DOCUMENTS_FOLDER).glob("*.json"))

    def own_card_files(self) -> list[Path]:
        """The card files the user keeps in the workspace: `cards/*.toml` and `cards/*.md`."""
        if not (self.home / OWN_CARDS_FOLDER).is_dir():
            return []  # without own cards, `today` does not load their code
        from studyplan.adapters.own_cards import own_card_files

        return own_card_files(self.home)

    @cached_property
    def shipped_cards(self) -> list[Card]:
        """The corpus's cards; no card file at all is an error, never an empty plan."""
        paths = self.card_files()
        if not paths:
            raise CorpusMissing(f"no card files in {self.corpus / 'cards'}")
        return load_cards_cached(paths, self.home / "cache" / "cards.json")

    @cached_property
    def own_cards(self) -> list[Card]:
        """The cards the user wrote or imported in this workspace: stories (a bad story file is
        skipped with a warning), then the cards of `cards/*.toml` and `cards/*.md` (a card
        that fails validation is left out with a warning; `studyplan check` lists them all)."""
        own: list[Card] = []
        paths = self.story_files()
        if paths:
            from studyplan.adapters.story_files import load_story_cards

            stories, skipped = load_story_cards(paths)
            for message in skipped:
                self.warn(message)
            own.extend(stories)
        card_paths = self.own_card_files()
        if card_paths:
            from studyplan.adapters.own_cards import CACHE_FILE, load_own_cards

            cards, problems = load_own_cards(card_paths, self.home / CACHE_FILE)
            if problems:
                more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
                self.warn(
                    f"left out an own card: {problems[0]}{more} — `studyplan check` lists them"
                )
            own.extend(cards)
        return own

    @cached_property
    def cards(self) -> list[Card]:
        """The user's own cards, then the shipped cards. Own cards come first so that, at
        equal priority, the plan brings them in first."""
        return self.own_cards + self.shipped_cards

    def card(self, card_id: str) -> Card:
        """The card with this id, shipped or own; UnknownCard when there is none."""
        for card in self.cards:
            if card.id == card_id:
                return card
        raise UnknownCard(card_id)

    @property
    def index(self) -> Path:
        """The shipped corpus's search index (shared by every workspace)."""
        return self.index_dir if self.index_dir is not None else default_index_dir()

    @property
    def own_index(self) -> Path:
        """This workspace's own search index: its documents and own cards, nothing shipped."""
        return self.home / OWN_INDEX_FOLDER

    def guide_sections(self) -> list[Section]:
        from studyplan.adapters.content.guides import load_sections

        return load_sections(self.guide_files())

    def document_sections(self) -> list[Section]:
        """The sections of the documents the user added (a damaged document is skipped)."""
        from studyplan.adapters.content.documents import load_documents

        documents, skipped = load_documents(self.home)
        for message in skipped:
            self.warn(message)
        return [section for document in documents for section in document.sections]

    def sections(self) -> list[Section]:
        """Guide sections, then the sections of the documents the user added."""
        return self.guide_sections() + self.document_sections()

    def settings(self) -> Settings:
        return settings_from_text(self.store.settings())
