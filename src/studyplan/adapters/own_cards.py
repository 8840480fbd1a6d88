"""The user's own question cards: files in the workspace's `cards/` folder.

`cards/*.toml` are card files in the shipped format; `cards/*.md` hold light Q:/A: Markdown
(`studyplan.adapters.content.qa_markdown`). Both are validated as the shipped cards are; every own
card's id starts with `own-`, so it can never take a shipped card's id (or a story's). A card
that fails validation is left out with a warning, the file's other cards still count.

Reviews belong to the id: editing a card keeps its history, removing it leaves its history
in the log. `card add` writes one file per card; Anki imports write `cards/anki-<deck>.toml`
(`studyplan.app.anki_import`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Protocol

from studyplan.adapters.content.card_cache import card_row, cards_from_rows
from studyplan.adapters.content.card_toml import card_table
from studyplan.adapters.content.cards import MARKDOWN_SUFFIX, check_cards, validate_entry
from studyplan.adapters.content.qa_markdown import OWN_PREFIX, derived_id, parse_qa_markdown
from studyplan.adapters.files import FileExists, FileWriteError, write_atomic
from studyplan.adapters.folders import OWN_CARDS_FOLDER
from studyplan.adapters.structured import parse_json
from studyplan.core.errors import StudyplanError, UnknownCard
from studyplan.core.model import Card, Priority


class CardFolder(Protocol):
    """What the own-card functions need of a workspace (`studyplan.app.workspace.Workspace`)."""

    @property
    def home(self) -> Path: ...
    @property
    def cards(self) -> list[Card]: ...
    @property
    def own_cards(self) -> list[Card]: ...
    @property
    def shipped_cards(self) -> list[Card]: ...


CACHE_FILE = Path("cache") / "own-cards.json"
CACHE_FORMAT = 1
NEW_CARD_HEADER = (
    "# Your card, written by `studyplan card add`. Edit it freely; keep the id to keep its\n"
    "# reviews. `studyplan check` validates it.\n"
)
_CARD_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*card[ \t]*\]\]")
_Q_LINE = re.compile(r"^Q:(?:[ \t]|$)")


class OwnCardError(StudyplanError):
    """An own card cannot be added, found, edited or removed as asked."""


def own_card_files(home: Path) -> list[Path]:
    folder = home / OWN_CARDS_FOLDER
    return sorted([*folder.glob("*.toml"), *folder.glob(f"*{MARKDOWN_SUFFIX}")])


def check_own_cards(paths: Sequence[Path]) -> tuple[list[Card], list[str]]:
    """The valid own cards of `paths`, and one message (file and line) per problem."""
    found, problems = check_cards(paths, default_priority=Priority.COMMON)
    cards: list[Card] = []
    for card in found:
        if card.id.startswith(OWN_PREFIX):
            cards.append(card)
        else:
            problems.append(
                f"{card.source}: card {card.id}: an own card's id starts with {OWN_PREFIX!r} "
                f"(for example {OWN_PREFIX}{card.id}), so it never takes a shipped card's id"
            )
    return cards, problems


def load_own_cards(paths: Sequence[Path], cache_file: Path) -> tuple[list[Card], list[str]]:
    """`check_own_cards`, from a cache while no file has changed (parsing thousands of
    imported cards from TOML takes a second; the cache, milliseconds)."""
    try:
        signature = [[str(p.resolve()), p.stat().st_size, p.stat().st_mtime_ns] for p in paths]
    except OSError:
        return check_own_cards(paths)
    key: list[Any] = [CACHE_FORMAT, [f.name for f in fields(Card)], signature]
    try:
        stored = parse_json(cache_file.read_bytes())
        if stored["key"] == key and all(type(p) is str for p in stored["problems"]):
            return cards_from_rows(stored["cards"]), list(stored["problems"])
    except (OSError, ValueError, TypeError, KeyError, IndexError):
        pass
    cards, problems = check_own_cards(paths)
    data = {"key": key, "cards": [card_row(card) for card in cards], "problems": problems}
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(cache_file, json.dumps(data).encode(), durable=False)  # ASCII: any path
    except (OSError, StudyplanError):
        pass  # a read-only workspace works without the cache
    return cards, problems


@dataclass(frozen=True, slots=True)
class NewCard:
    prompt: str
    answer: str
    track: str
    topic: str
    minutes: int
    companies: tuple[str, ...] = ()
    priority: str = Priority.COMMON.value
    difficulty: str = "medium"


def add_card(workspace: CardFolder, new: NewCard) -> tuple[Card, Path]:
    """Validate `new` as a card file's table would be, and write it to its own file."""
    prompt, answer = new.prompt.strip(), new.answer.strip()
    taken = {card.id for card in workspace.cards}
    base = derived_id(prompt)
    card_id, number = base, 2
    while card_id in taken or (workspace.home / OWN_CARDS_FOLDER / f"{card_id}.toml").exists():
        card_id, number = f"{base}-{number}", number + 1
    entry = {
        "id": card_id,
        "track": new.track,
        "topic": new.topic.strip(),
        "difficulty": new.difficulty,
        "minutes": new.minutes,
        "priority": new.priority,
        "companies": list(new.companies),
        "prompt": prompt,
        "answer": answer,
    }
    problems: list[str] = []
    card = validate_entry(entry, None, "the new card", problems, Priority.COMMON)
    if card is None:
        raise OwnCardError(problems[0] if problems else "the new card is not valid")
    folder = workspace.home / OWN_CARDS_FOLDER
    path = folder / f"{card_id}.toml"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(path, (NEW_CARD_HEADER + card_table(card)).encode("utf-8"), replace=False)
    except FileExists:
        raise OwnCardError(f"{path} already exists — run the command again") from None
    except OSError as exc:
        raise OwnCardError(f"cannot write {path}: {exc.strerror}") from None
    except FileWriteError as exc:
        raise OwnCardError(str(exc)) from None
    return card, path


def own_card_location(workspace: CardFolder, card_id: str) -> tuple[Card, Path, int]:
    """The own card `card_id`, its file and the line its table or Q: block starts on."""
    for card in workspace.own_cards:
        if card.id == card_id:
            where, _, line = card.source.rpartition(":")
            path = Path(where)
            if path.parent.resolve() == (workspace.home / OWN_CARDS_FOLDER).resolve():
                return card, path, int(line)
            raise OwnCardError(
                f"{card_id} is one of your stories ({path}): edit or delete that file"
            )
    if any(card.id == card_id for card in workspace.shipped_cards):
        raise OwnCardError(
            f"{card_id} is a shipped card, which stays as it is — `studyplan card add` writes "
            "your own version"
        )
    raise UnknownCard(card_id)


def remove_card(workspace: CardFolder, card_id: str) -> Path:
    """Take the card out of its file (the file goes when it holds no other card). Its reviews
    stay in the log; a card with the same id later picks them up again."""
    _, path, line = own_card_location(workspace, card_id)
    lines = _read_lines(path)
    first, last = _card_span(lines, line, path.suffix == MARKDOWN_SUFFIX)
    rest = lines[: first - 1] + lines[last:]
    starts = _Q_LINE if path.suffix == MARKDOWN_SUFFIX else _CARD_HEADER
    try:
        if any(starts.match(text) for text in rest):
            write_atomic(path, "".join(rest).encode("utf-8"))
        else:
            path.unlink()
    except OSError as exc:
        raise OwnCardError(f"cannot change {path}: {exc.strerror}") from None
    except FileWriteError as exc:
        raise OwnCardError(str(exc)) from None
    return path


def prepare_edit(workspace: CardFolder, card_id: str) -> Path:
    """The file to open for editing `card_id`. A Markdown card named after its question first
    gets an `id:` line, so that editing the question keeps the card's reviews."""
    _, path, line = own_card_location(workspace, card_id)
    if path.suffix != MARKDOWN_SUFFIX:
        return path
    lines = _read_lines(path)
    parsed = parse_qa_markdown("".join(lines))
    block = next((b for b in parsed.blocks if b.line == line), None)
    if block is not None and not block.has_id:
        lines.insert(block.last_line, f"id: {card_id}\n")
        if block.last_line > 0 and not lines[block.last_line - 1].endswith("\n"):
            lines[block.last_line - 1] += "\n"
        try:
            write_atomic(path, "".join(lines).encode("utf-8"))
        except FileWriteError as exc:
            raise OwnCardError(str(exc)) from None
    return path


@dataclass(frozen=True, slots=True)
class EditResult:
    path: Path
    card_id: str
    kept: bool  # the file still holds a valid card with this id
    problems: list[str]


def check_edit(path: Path, card_id: str) -> EditResult:
    cards, problems = check_own_cards([path]) if path.exists() else ([], [])
    return EditResult(path, card_id, any(card.id == card_id for card in cards), problems)


REJECTED_SUFFIX = ".rejected"  # not a card file's suffix: never loaded as cards


@dataclass(frozen=True, slots=True)
class EditSnapshot:
    """A card file as it was before an editor opened it."""

    path: Path
    data: bytes
    valid: bool  # it had no problems then

    @classmethod
    def take(cls, path: Path) -> EditSnapshot:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise OwnCardError(f"cannot read {path}: {exc.strerror}") from None
        return cls(path, data, not check_own_cards([path])[1])

    def restore(self) -> Path | None:
        """Put the file back as it was; the edited text, if any, is kept beside it under
        `REJECTED_SUFFIX` (returned), so nothing typed is lost."""
        kept: Path | None = None
        try:
            edited = self.path.read_bytes() if self.path.exists() else b""
            if edited and edited != self.data:
                kept = self.path.with_name(self.path.name + REJECTED_SUFFIX)
                write_atomic(kept, edited)
            write_atomic(self.path, self.data)
        except (OSError, FileWriteError) as exc:
            raise OwnCardError(f"cannot restore {self.path}: {exc}") from None
        return kept


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines(keepends=True)
    except (OSError, UnicodeDecodeError) as exc:
        raise OwnCardError(f"cannot read {path}: {exc}") from None


def _card_span(lines: list[str], line: int, markdown: bool) -> tuple[int, int]:
    """First and last line (1-based) of the card starting on `line`: up to the next card's
    first line, or the end of the file."""
    starts = _Q_LINE if markdown else _CARD_HEADER
    last = len(lines)
    for number in range(line + 1, len(lines) + 1):
        if starts.match(lines[number - 1]):
            last = number - 1
            break
    return line, last
