"""`studyplan export anki`: studyplan's cards as an Anki deck (.apkg), written with genanki.

One note per card, of a note type with the fields Prompt, Answer, Track, Topic, Companies
and StudyplanID; tags `track::ml`, `company::google`, `topic::dynamic_programming` and the
card's own tags; a subdeck per track under `studyplan`. Each note's GUID comes from the
card id (`mapping.note_guid`), so a second export updates the same notes in Anki; its
modification time changes only when its fields or tags do (`Store.anki_note_stamps`), so
Anki updates exactly the notes that changed and keeps the others, with any edits made there.

Text becomes HTML that Anki shows as studyplan does: lines joined by `<br>`, and code (a
```-fenced block, or a paragraph with indented lines) in `<pre>`, which keeps its indentation.

With the schedule, a card studied in studyplan arrives as a review card: its interval, its
due day, its easiness as the ease factor (2.50 -> 2500), its lapses. The collection's day 0
is 04:00 local time on the export day, Anki's default start of a day, so Anki reads each due
day on the date studyplan gives it. A card suspended here arrives suspended. (Anki takes a schedule
for the cards new to its collection; the ones it has keep theirs.)

Cards imported from Anki (`own-anki-...`) are left out: they are in the user's collection
already, under their own notes.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import sqlite3
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import IO, Any, Protocol

from studyplan.adapters.anki.mapping import ANKI_PREFIX, note_guid
from studyplan.adapters.files import FileExists, write_atomic
from studyplan.adapters.sqlite.store import Store
from studyplan.core.errors import StudyplanError
from studyplan.core.model import Card
from studyplan.core.srs.card_state import CardState

MODEL_ID = 1_764_000_001  # the note type's id: fixed, so exports share one note type
MODEL_NAME = "studyplan card"
ROLLOVER_HOUR = 4  # Anki's default start of a day
FIELDS = ("Prompt", "Answer", "Track", "Topic", "Companies", "StudyplanID")
DECK = "studyplan"
CSS = """.card { font-family: sans-serif; font-size: 18px; text-align: left; }
.meta { color: #888; font-size: 13px; margin-top: 1em; }"""
QUESTION = '{{Prompt}}<div class="meta">{{Track}} · {{Topic}}</div>'
ANSWER = '{{FrontSide}}<hr id="answer">{{Answer}}'


class AnkiExportError(StudyplanError):
    """The deck cannot be written as asked."""


@dataclass(frozen=True, slots=True)
class ExportReport:
    path: Path
    notes: int
    by_track: dict[str, int]
    left_out: int  # cards that came from Anki
    scheduled: int = 0  # with the schedule: cards that arrive as review cards


def field_html(text: str) -> str:
    """Text as an Anki field: paragraphs as lines joined by `<br>`, code in `<pre>`."""
    blocks: list[tuple[bool, list[str]]] = []  # (is code, lines)
    paragraph: list[str] = []

    def end_paragraph() -> None:
        if paragraph:
            indented = any(line[:1] in (" ", "\t") for line in paragraph)
            blocks.append((indented, paragraph.copy()))
            paragraph.clear()

    fenced: list[str] | None = None
    for line in text.split("\n"):
        if line.strip().startswith("```"):
            if fenced is None:
                end_paragraph()
                fenced = []
            else:
                blocks.append((True, fenced))
                fenced = None
        elif fenced is not None:
            fenced.append(line)
        elif line.strip():
            paragraph.append(line)
        else:
            end_paragraph()
    end_paragraph()
    if fenced is not None:  # a fence never closed: its lines are code all the same
        blocks.append((True, fenced))
    out = ""
    for index, (code, lines) in enumerate(blocks):
        if code:
            out += "<pre><code>" + html.escape("\n".join(lines)) + "</code></pre>"
        else:
            follows_text = index > 0 and not blocks[index - 1][0]
            out += ("<br><br>" if follows_text else "") + "<br>".join(map(html.escape, lines))
    return out


def note_fields(card: Card) -> list[str]:
    return [
        field_html(card.prompt),
        field_html(card.answer),
        card.track.value,
        html.escape(card.topic),
        ", ".join(card.companies),
        card.id,
    ]


def note_tags(card: Card) -> list[str]:
    tags = [f"track::{card.track.value}"]
    tags += [f"company::{name}" for name in card.companies]
    tags.append("topic::" + "_".join(card.topic.split()))
    tags += [tag for tag in card.tags if tag not in tags]
    return tags


class CardSource(Protocol):
    """What an export needs of a workspace (`studyplan.app.workspace.Workspace`)."""

    @property
    def cards(self) -> list[Card]: ...
    @property
    def store(self) -> Store: ...


def export_anki(
    workspace: CardSource,
    output: Path,
    now: int,
    track: str | None = None,
    company: str | None = None,
    priority: str | None = None,
    overwrite: bool = False,
    with_schedule: bool = False,
) -> ExportReport:
    """Write the chosen cards to `output`; `now` (seconds) stamps notes whose fields changed,
    and with the schedule, the cards studied."""
    if output.exists() and not overwrite:
        raise AnkiExportError(f"{output} already exists — pass --force to replace it")
    chosen = [
        card
        for card in workspace.cards
        if (track is None or card.track.value == track)
        and (company is None or company in card.companies)
        and (priority is None or card.priority.value == priority)
    ]
    cards = [card for card in chosen if not card.id.startswith(ANKI_PREFIX)]
    if not cards:
        raise AnkiExportError("no cards match those filters — `studyplan cards` lists them")
    contents = {card.id: (note_fields(card), note_tags(card)) for card in cards}
    digests = {
        card_id: hashlib.sha256(json.dumps(content).encode("utf-8")).hexdigest()
        for card_id, content in contents.items()
    }
    stamps = workspace.store.anki_note_stamps(digests, now)

    import genanki

    model = genanki.Model(
        MODEL_ID,
        MODEL_NAME,
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Card 1", "qfmt": QUESTION, "afmt": ANSWER}],
        css=CSS,
    )
    decks: dict[str, Any] = {}
    note_class = _stamped_note_class(genanki)
    for card in cards:
        name = f"{DECK}::{card.track.value}"
        if name not in decks:
            decks[name] = genanki.Deck(_deck_id(name), name)
        fields, tags = contents[card.id]
        note = note_class(
            model=model, fields=fields, tags=tags, guid=note_guid(card.id), sort_field=fields[0]
        )
        note.mtime = stamps[card.id]
        decks[name].add_note(note)
    package = genanki.Package(list(decks.values()))
    states = workspace.store.states() if with_schedule else {}
    schedule = {note_guid(c.id): states[c.id] for c in cards if c.id in states}
    marked = workspace.store.marks().suspended
    suspended = [note_guid(card.id) for card in cards if card.id in marked]

    def write(handle: IO[bytes]) -> None:
        _write_package(package, now, handle, lambda db: _schedule(db, now, schedule, suspended))

    try:
        write_atomic(output, write, replace=overwrite)
    except FileExists:
        raise AnkiExportError(f"{output} already exists — pass --force to replace it") from None
    counts = Counter(card.track.value for card in cards)
    return ExportReport(
        output, len(cards), dict(counts), len(chosen) - len(cards), scheduled=len(schedule)
    )


def anki_day_zero(now: int) -> datetime:
    """The collection's creation time for an export at `now`: 04:00 local time on the day
    Anki counts `now` in (its day starts at 04:00), so its day numbers fall on local dates."""
    moment = datetime.fromtimestamp(now) - timedelta(hours=ROLLOVER_HOUR)
    return datetime.combine(moment.date(), time(ROLLOVER_HOUR))


def _schedule(
    db: sqlite3.Connection, now: int, states: dict[str, CardState], suspended: list[str]
) -> None:
    """Cards studied in studyplan as Anki review cards, suspended ones as suspended."""
    day_zero = anki_day_zero(now)
    db.execute("UPDATE col SET crt = ?", (int(day_zero.timestamp()),))
    for guid, state in states.items():
        db.execute(
            "UPDATE cards SET type = 2, queue = 2, ivl = ?, due = ?, factor = ?, reps = ?,"
            " lapses = ?, left = 0, mod = ? WHERE nid = (SELECT id FROM notes WHERE guid = ?)",
            (
                max(1, state.interval),
                (state.due - day_zero.date()).days,
                state.sm2.easiness * 10,
                state.repetitions + state.lapses,
                state.lapses,
                now,
                guid,
            ),
        )
    for guid in suspended:
        db.execute(
            "UPDATE cards SET queue = -1 WHERE nid = (SELECT id FROM notes WHERE guid = ?)",
            (guid,),
        )


def _deck_id(name: str) -> int:
    return (1 << 40) | int(hashlib.sha1(name.encode("utf-8")).hexdigest()[:8], 16)


def _stamped_note_class(genanki: Any) -> Any:
    """genanki's note, carrying its own modification time (`mtime`) rather than the package's."""

    class StampedNote(genanki.Note):  # type: ignore[misc]
        mtime = 0

        def write_to_db(self, cursor: Any, timestamp: float, deck_id: int, id_gen: Any) -> None:
            super().write_to_db(cursor, self.mtime, deck_id, id_gen)

    return StampedNote


def _write_package(
    package: Any, now: int, handle: IO[bytes], adjust: Callable[[sqlite3.Connection], None]
) -> None:
    """The package's collection, built in a scratch folder (`adjust`ed once genanki has
    written it), zipped into `handle`."""
    with tempfile.TemporaryDirectory(prefix="studyplan-anki-") as scratch:
        database = Path(scratch) / "collection.anki2"
        connection = sqlite3.connect(database)
        try:
            package.write_to_db(connection.cursor(), now, itertools.count(now * 1000))
            adjust(connection)
            connection.commit()
        finally:
            connection.close()
        with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(database, "collection.anki2")
            archive.writestr("media", "{}")
