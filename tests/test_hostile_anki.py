"""Hostile Anki packages: every value taken from a package is range-checked and bounded before
anything is written, text processing stays linear, memory stays bounded by what is kept.

Each package is crafted here with genanki, sqlite3 and zipfile, imported by a real process on a
workspace holding an earlier grade, timed and measured (`resource.getrusage`), and must end in
a correct import or one line and exit 1; afterwards the earlier grade is still there and `today`
and `stats` still work.
"""

from __future__ import annotations

import fcntl
import itertools
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import genanki
import pytest
import zstandard
from click.testing import CliRunner

from studyplan.adapters.anki import limits
from studyplan.adapters.anki.mapping import card_id_for
from studyplan.adapters.folders import CARD_FILES_LOCK
from studyplan.app.workspace import Workspace
from studyplan.cli import main

SRC = Path(__file__).resolve().parents[1] / "src"
TS = 1_767_225_600  # 2026-01-01 00:00 UTC: when the crafted decks were made
CREATED = date(2014, 9, 19)  # genanki's collections: crt 1411124400 (UTC)
EARLIER = "2026-01-05"  # the earlier grade every workspace holds
DAY = "2026-03-02"  # the import day
SECONDS_LIMIT = 10
MEGABYTES_LIMIT = 500
BASIC = genanki.Model(
    1_607_392_401,
    "Basic",
    fields=[{"name": "Front"}, {"name": "Back"}],
    templates=[
        {"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{FrontSide}}<hr id=answer>{{Back}}"}
    ],
)
CLOZE = genanki.Model(
    1_607_392_402,
    "Cloze",
    fields=[{"name": "Text"}, {"name": "Extra"}],
    templates=[{"name": "Cloze", "qfmt": "{{cloze:Text}}", "afmt": "{{cloze:Text}}<br>{{Extra}}"}],
    model_type=genanki.Model.CLOZE,
)
# A small launcher runs the command and reports its child's peak memory: measured from a fresh
# process, so that the figure is not the forking test process's size (Linux carries a parent's
# resident size into a child's ru_maxrss across fork and exec).
MEASURED = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run([sys.executable, '-m', 'studyplan', *sys.argv[1:]])\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "sys.stderr.write(f'\\npeak-kib {peak}\\n')\n"
    "sys.exit(done.returncode)\n"
)


# Crafting packages ---------------------------------------------------------------------------


def notes(count: int, prefix: str = "Q") -> list[genanki.Note]:
    return [
        genanki.Note(model=BASIC, fields=[f"{prefix}{n}?", f"A{n}"], guid=f"{prefix}-guid-{n}")
        for n in range(count)
    ]


def collection(folder: Path, deck_notes: Iterable[genanki.Note], deck: str = "ML") -> Path:
    """An Anki collection (schema 11, as genanki writes it) holding `deck_notes` in `deck`."""
    folder.mkdir(parents=True, exist_ok=True)
    anki_deck = genanki.Deck(2_059_400_300, deck)
    for note in deck_notes:
        anki_deck.add_note(note)
    path = folder / "collection.anki2"
    db = sqlite3.connect(path)
    genanki.Package(anki_deck).write_to_db(db.cursor(), TS, itertools.count(TS * 1000))
    db.commit()
    db.close()
    return path


def edit(db_path: Path, *statements: str | tuple[str, tuple[object, ...]]) -> Path:
    db = sqlite3.connect(db_path)
    for statement in statements:
        sql, args = statement if isinstance(statement, tuple) else (statement, ())
        db.execute(sql, args)
    db.commit()
    db.close()
    return db_path


def edit_json(db_path: Path, column: str, change: Callable[[dict[str, object]], object]) -> Path:
    db = sqlite3.connect(db_path)
    value = json.loads(db.execute(f"SELECT {column} FROM col").fetchone()[0])
    db.execute(f"UPDATE col SET {column} = ?", (json.dumps(change(value)),))
    db.commit()
    db.close()
    return db_path


def package(
    db_path: Path,
    out: Path,
    media: bytes = b"{}",
    members: dict[str, bytes] | None = None,
    current_format: bool = False,
) -> Path:
    """A package of the collection: format 1 (`collection.anki2`, JSON media list), or with
    `current_format` format 3 (`meta`, zstd-compressed `collection.anki21b` and media list)."""
    data = db_path.read_bytes()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if current_format:
            archive.writestr("meta", bytes([0x08, 0x03]))
            archive.writestr("collection.anki21b", zstandard.compress(data))
            archive.writestr("collection.anki2", b"please upgrade")
        else:
            archive.writestr("collection.anki2", data)
        archive.writestr("media", media)
        for name, content in (members or {}).items():
            archive.writestr(name, content)
    return out


def day_number(day: date) -> int:
    """A review card's due, as Anki counts it: days since the collection was created."""
    return (day - CREATED).days


def millis(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, 12, tzinfo=UTC).timestamp() * 1000)


def studied(
    db_path: Path,
    note: int = 0,
    ivl: object = 10,
    due: object = None,
    factor: object = 2500,
    lapses: object = 0,
) -> Path:
    """Make the card of the `note`-th note a review card with the given values."""
    due = day_number(date(2026, 3, 10)) if due is None else due
    return edit(
        db_path,
        (
            "UPDATE cards SET type=2, queue=2, ivl=?, due=?, factor=?, lapses=? WHERE nid = "
            "(SELECT id FROM notes ORDER BY id LIMIT 1 OFFSET ?)",
            (ivl, due, factor, lapses, note),
        ),
    )


def reviewed(db_path: Path, *when: int, note: int = 0, ease: int = 3) -> Path:
    """Add reviews (revlog ids: milliseconds) to the card of the `note`-th note."""
    db = sqlite3.connect(db_path)
    (card,) = db.execute(
        "SELECT id FROM cards WHERE nid = (SELECT id FROM notes ORDER BY id LIMIT 1 OFFSET ?)",
        (note,),
    ).fetchone()
    for stamp in when:
        db.execute(
            "INSERT INTO revlog VALUES (?, ?, -1, ?, 10, 1, 2500, 8000, 1)", (stamp, card, ease)
        )
    db.commit()
    db.close()
    return db_path


def with_card(db_path: Path, guid: str, ord_: int) -> Path:
    """Add a card of number `ord_` to the note `guid`, a copy of its first card."""
    return edit(
        db_path,
        (
            "INSERT INTO cards SELECT id + 1000 + ?, nid, did, ?, mod, usn, type, queue, due,"
            " ivl, factor, reps, lapses, left, odue, odid, flags, data FROM cards"
            " WHERE nid = (SELECT id FROM notes WHERE guid = ?) AND ord = 0",
            (ord_, ord_, guid),
        ),
    )


def guid_of(db_path: Path, note: int = 0) -> str:
    db = sqlite3.connect(db_path)
    (guid,) = db.execute("SELECT guid FROM notes ORDER BY id LIMIT 1 OFFSET ?", (note,)).fetchone()
    db.close()
    return str(guid)


def protobuf_media(entries: int) -> bytes:
    """A format-3 media list (MediaEntries) of `entries` entries named `f.png`."""
    entry = b"\x0a\x05f.png\x10\x01"  # name, size
    one = b"\x0a" + bytes([len(entry)]) + entry
    return one * entries


# Running the import in a real process, timed and measured ------------------------------------


@dataclass
class Run:
    code: int
    out: str
    err: str
    seconds: float
    megabytes: float

    @property
    def lines(self) -> list[str]:
        return [line for line in (self.out + self.err).splitlines() if line.strip()]


def import_process(home: Path, package_path: Path, *extra: str, src: Path = SRC) -> Run:
    env = {**os.environ, "STUDYPLAN_HOME": str(home), "PYTHONPATH": str(src), "TZ": "UTC"}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", MEASURED, "import", "anki", str(package_path), *extra],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    seconds = time.perf_counter() - start
    err, _, peak = done.stderr.rstrip().rpartition("\npeak-kib ")
    return Run(done.returncode, done.stdout, err.strip(), seconds, int(peak) / 1024)


# The workspace: an earlier grade, then the import, then today and stats ----------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("hostile-anki") / "home"
    result = CliRunner().invoke(
        main, ["--home", str(home), "grade", "coding-two-sum", "good", "--date", EARLIER]
    )
    assert result.exit_code == 0, result.output
    return home


@pytest.fixture
def home(template: Path, isolated_home: Path) -> Path:
    shutil.copytree(template, isolated_home)
    return isolated_home


def still_works(home: Path) -> None:
    """The earlier grade is still there; `today` and `stats` still run."""
    workspace = Workspace(home)
    try:
        grades = workspace.store.history("coding-two-sum")
    finally:
        workspace.close()
    assert [(g.day.isoformat(), g.quality) for g in grades if g.origin is None] == [(EARLIER, 4)]
    for args in (["today", "--date", DAY], ["stats", "--date", DAY]):
        result = CliRunner().invoke(main, ["--home", str(home), *args])
        assert result.exit_code == 0, result.output
        assert "Traceback" not in result.output


def imported(home: Path, package_path: Path, *extra: str) -> Run:
    """Import with history on DAY; within the time and memory limits, never a traceback."""
    run = import_process(home, package_path, "--with-history", "--date", DAY, *extra)
    assert "Traceback" not in run.out + run.err, run.err
    assert run.seconds < SECONDS_LIMIT, run
    assert run.megabytes < MEGABYTES_LIMIT, run
    still_works(home)
    return run


def refused(run: Run, message: str) -> None:
    assert run.code == 1, run
    assert len(run.lines) == 1, run.lines
    assert run.lines[0].startswith("Error: ") and message in run.lines[0], run.lines


def accepted(run: Run, *lines: str) -> None:
    assert run.code == 0, run
    for line in lines:
        assert line in run.lines, (line, run.lines)


def states(home: Path) -> dict[str, tuple[int, int, int, str, str]]:
    """card id -> (easiness, interval, lapses, due, last review) of the imported cards."""
    workspace = Workspace(home)
    try:
        found = workspace.store.states()
    finally:
        workspace.close()
    return {
        key: (s.easiness, s.interval, s.lapses, s.due.isoformat(), s.last_review.isoformat())
        for key, s in found.items()
        if key.startswith("own-anki-")
    }


def own_cards(home: Path) -> dict[str, tuple[str, str]]:
    workspace = Workspace(home)
    return {card.id: (card.prompt, card.answer) for card in workspace.own_cards}


# 1, 3, 4, 17: values out of range, clamped with a note or left out with a reason ------------


def test_negative_lapses_are_clamped_and_the_workspace_keeps_working(
    home: Path, tmp_path: Path
) -> None:
    db = studied(collection(tmp_path, notes(5)), lapses=-3)
    run = imported(home, package(db, tmp_path / "lapses.apkg"))
    accepted(
        run,
        "Imported "
        + str(tmp_path / "lapses.apkg")
        + ": 5 new card(s), 0 updated, 0 unchanged, from 5 note(s).",
        "1 card(s) with lapses outside 0-100000: clamped into that range.",
    )
    card = card_id_for(guid_of(db), 0)
    assert states(home)[card] == (250, 10, 0, "2026-03-10", "2026-02-28")
    result = CliRunner().invoke(main, ["--home", str(home), "grade", card, "good", "--date", DAY])
    assert result.exit_code == 0, result.output


SCHEDULES = [  # the values of one review card each; its state once imported
    ({"ivl": float("inf")}, (250, 36500, 0, "2026-03-10", "1970-01-01")),  # 9e999
    ({"ivl": -5}, (250, 1, 0, "2026-03-10", DAY)),
    ({"factor": 9e18}, (1000, 10, 0, "2026-03-10", "2026-02-28")),
    ({"factor": 200}, (130, 10, 0, "2026-03-10", "2026-02-28")),
    ({"due": 10**15}, (250, 10, 0, "2200-12-31", DAY)),
    ({"due": day_number(date(3000, 1, 1))}, (250, 10, 0, "2200-12-31", DAY)),
    ({"due": -(10**12)}, (250, 10, 0, "1970-01-01", "1970-01-01")),
    ({"lapses": 2**62}, (250, 10, 100000, "2026-03-10", "2026-02-28")),
]


def test_schedule_values_out_of_range_are_clamped_with_a_note(home: Path, tmp_path: Path) -> None:
    db = collection(tmp_path, notes(len(SCHEDULES)))
    for number, (values, _) in enumerate(SCHEDULES):
        studied(db, note=number, **values)  # type: ignore[arg-type]
    run = imported(home, package(db, tmp_path / "values.apkg"))
    accepted(
        run,
        "2 card(s) with an ease outside 130%-1000%: clamped into that range.",
        "2 card(s) with an interval outside 1-36500 days: clamped into that range.",
        "3 card(s) due outside 1970-01-01 to 2200-12-31: due date clamped into that range.",
        "1 card(s) with lapses outside 0-100000: clamped into that range.",
    )
    found = states(home)
    for number, (_, expected) in enumerate(SCHEDULES):
        card = card_id_for(guid_of(db, number), 0)
        assert found[card] == expected, (number, found[card])
        graded = CliRunner().invoke(
            main, ["--home", str(home), "grade", card, "good", "--date", DAY]
        )
        assert graded.exit_code == 0, graded.output


def test_reviews_dated_outside_the_calendar_or_after_today_are_left_out(
    home: Path, tmp_path: Path
) -> None:
    db = collection(tmp_path, notes(5))
    studied(db, due=day_number(date(3000, 1, 1)))
    reviewed(db, millis(date(2026, 2, 20)), millis(date(3000, 1, 1)), 2**63 - 1)
    reviewed(db, millis(date(2100, 6, 1)))
    reviewed(db, millis(date(2026, 2, 21)), note=1, ease=9)
    run = imported(home, package(db, tmp_path / "dates.apkg"))
    accepted(
        run,
        "2 review(s) left out: not dated from 1970-01-01 to 2200-12-31.",
        f"1 review(s) left out: dated after today ({DAY}).",
        "1 review(s) left out: they hold values Anki does not write.",
        "Reviews: 1 logged from Anki; 0 already in the log; 1 card schedule(s) updated.",
    )
    card = card_id_for(guid_of(db), 0)
    assert states(home)[card] == (250, 10, 0, "2200-12-31", "2026-02-20")
    result = CliRunner().invoke(main, ["--home", str(home), "grade", card, "good", "--date", DAY])
    assert result.exit_code == 0, result.output


def test_a_creation_time_out_of_range_is_refused_only_when_due_days_need_it(
    home: Path, tmp_path: Path
) -> None:
    db = studied(edit(collection(tmp_path, notes(5)), "UPDATE col SET crt = 9223372036854775807"))
    path = package(db, tmp_path / "crt.apkg")
    refused(
        imported(home, path),
        "its creation time (crt) is not a time from 1970-01-01 to 2200-12-31",
    )
    assert not (home / "cards").exists()
    for extra in (("--reviews-only",), ()):
        run = import_process(home, path, "--date", DAY, *extra)
        assert run.code == 0, run
    assert len(own_cards(home)) == 5
    still_works(home)


def test_collection_settings_out_of_range_are_noted(home: Path, tmp_path: Path) -> None:
    db = collection(tmp_path, notes(5))
    edit_json(db, "conf", lambda conf: {**conf, "creationOffset": 100000, "rollover": 99})
    run = imported(home, package(studied(db), tmp_path / "conf.apkg"))
    accepted(
        run,
        "The collection's creationOffset (100000 minutes) is not a time zone: the local one is "
        "used.",
        "The collection's rollover hour (99) is not 0-23: 4 is used.",
    )
    assert states(home)[card_id_for(guid_of(db), 0)][3] == "2026-03-10"


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("models", "[]", "its note types (models) are not what Anki writes"),
        ("decks", "[1, 2]", "its decks are not what Anki writes"),
        ("models", "[" * 5000 + "]" * 5000, "its note types (models) are not readable JSON"),
        ("conf", '{"a":' * 5000 + "1" + "}" * 5000, "its settings (conf) are not readable JSON"),
        ("models", '{"1": {"name": "x"}}', "its note types (models) are not what Anki writes"),
        ("conf", "[]", "its settings (conf) are not what Anki writes"),
    ],
)
def test_collection_json_Anki_never_writes_is_refused_in_one_line(
    home: Path, tmp_path: Path, column: str, value: str, message: str
) -> None:
    db = edit(collection(tmp_path, notes(5)), (f"UPDATE col SET {column} = ?", (value,)))
    refused(imported(home, package(db, tmp_path / "json.apkg")), message)
    assert not (home / "cards").exists()


def test_settings_that_are_null_read_as_none_set(home: Path, tmp_path: Path) -> None:
    db = edit(collection(tmp_path, notes(5)), "UPDATE col SET conf = 'null'")
    path = package(db, tmp_path / "null.apkg")
    accepted(
        imported(home, path),
        "Imported " + str(path) + ": 5 new card(s), 0 updated, 0 unchanged, from 5 note(s).",
    )


def damaged_member(tmp_path: Path, kind: str) -> Path:
    db = collection(tmp_path, notes(5))
    data = db.read_bytes()
    out = tmp_path / f"{kind}.apkg"
    if kind in ("empty", "cut-short"):
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("collection.anki2", b"" if kind == "empty" else data[: len(data) // 2])
        return out
    if kind == "lzma":
        with zipfile.ZipFile(out, "w", zipfile.ZIP_LZMA) as archive:
            archive.writestr("collection.anki2", data)
        raw = bytearray(out.read_bytes())
        start = raw.index(b"collection.anki2") + len("collection.anki2") + 40
        raw[start : start + 200] = bytes(200)
        out.write_bytes(bytes(raw))
        return out
    compressed = bytearray(zstandard.compress(data))
    compressed[30:230] = bytes(200)
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("meta", bytes([0x08, 0x03]))
        archive.writestr("collection.anki21b", bytes(compressed))
    return out


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("empty", "holds a database that is not an Anki collection"),
        ("cut-short", "is damaged or incomplete (its collection is not a readable database"),
        ("lzma", "is damaged or incomplete (collection.anki2 does not decompress"),
        ("zstd", "is damaged or incomplete (collection.anki21b does not decompress"),
    ],
)
def test_empty_cut_short_and_corrupt_collections_are_refused_in_one_line(
    home: Path, tmp_path: Path, kind: str, message: str
) -> None:
    refused(imported(home, damaged_member(tmp_path, kind)), message)
    assert not (home / "cards").exists()


def test_duplicate_and_blob_guids_are_left_out_with_a_reason(home: Path, tmp_path: Path) -> None:
    db = collection(tmp_path, notes(5))
    first = guid_of(db, 0)
    edit(
        db,
        ("UPDATE notes SET guid = ? WHERE guid = ?", (first, guid_of(db, 1))),
        ("UPDATE notes SET guid = ? WHERE guid = ?", (first.encode(), guid_of(db, 2))),
        ("UPDATE notes SET guid = ? WHERE guid = ?", (b"\xff\xfe", guid_of(db, 3))),
    )
    path = package(db, tmp_path / "guids.apkg")
    run = imported(home, path)
    accepted(
        run,
        "Imported " + str(path) + ": 2 new card(s), 0 updated, 0 unchanged, from 5 note(s).",
        "2 card(s) left out: their note has the same GUID as an earlier note (Anki would take "
        "the two as one).",
        "1 card(s) left out: their note's GUID is not text.",
    )
    assert own_cards(home)[card_id_for(first, 0)] == ("Q0?", "A0")


def test_cards_without_a_note_type_or_template_are_left_out_with_a_reason(
    home: Path, tmp_path: Path
) -> None:
    many = genanki.Note(model=CLOZE, fields=["{{c1::a}} {{c600::b}}", ""], guid="many")
    db = collection(tmp_path, [*notes(5), many])  # a card for c600: Anki stops at 500
    edit(
        db,
        "UPDATE cards SET ord = -1 WHERE nid = (SELECT id FROM notes ORDER BY id LIMIT 1)",
        "UPDATE cards SET ord = 7 WHERE nid = (SELECT id FROM notes ORDER BY id LIMIT 1 OFFSET 1)",
        "UPDATE notes SET mid = 42 WHERE id IN (SELECT id FROM notes ORDER BY id LIMIT 3 OFFSET 2)",
    )
    path = package(db, tmp_path / "ords.apkg")
    accepted(
        imported(home, path),
        "Imported " + str(path) + ": 1 new card(s), 0 updated, 0 unchanged, from 6 note(s).",
        "3 card(s) left out: their note type is not in the package.",
        "3 card(s) left out: their note type has no card template for them.",
    )


def test_an_import_keeping_too_much_text_is_refused(
    isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_IMPORT_TEXT", 100)
    path = package(collection(tmp_path, notes(50)), tmp_path / "many.apkg")
    result = CliRunner().invoke(main, ["import", "anki", str(path)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {path} holds more card text than one import takes (0 MiB) — export its decks "
        "one at a time; nothing was imported\n"
    )
    assert not (isolated_home / "cards").exists()


def test_values_that_are_not_whole_numbers_leave_their_card_out(home: Path, tmp_path: Path) -> None:
    db = collection(tmp_path, notes(5))
    edit(
        db,
        "UPDATE cards SET type = 'review' WHERE nid = (SELECT id FROM notes ORDER BY id LIMIT 1)",
        "UPDATE cards SET queue = 9 WHERE nid = (SELECT id FROM notes ORDER BY id LIMIT 1 OFFSET 1)",
        "UPDATE cards SET nid = 1.5 WHERE nid = (SELECT id FROM notes ORDER BY id LIMIT 1 OFFSET 2)",
    )
    path = package(db, tmp_path / "types.apkg")
    accepted(
        imported(home, path),
        "Imported " + str(path) + ": 2 new card(s), 0 updated, 0 unchanged, from 5 note(s).",
        "3 card(s) left out: they hold values Anki does not write.",
    )


# 10: text processing stays linear --------------------------------------------------------------


def test_cloze_text_reads_as_Anki_reads_it(home: Path, tmp_path: Path) -> None:
    texts = [
        "{{c1::unclosed and {{c2::two}}",
        "{{c1::a::h1}} {{c2::b}} {{c1::one}} {{c3::open",
        "{{c1::x {{c2::y::yh}} z::outer}}",
    ]
    cloze_notes = [
        genanki.Note(model=CLOZE, fields=[text, ""], guid=f"cloze-{n}")
        for n, text in enumerate(texts)
    ]
    db = with_card(with_card(collection(tmp_path, cloze_notes), "cloze-0", 1), "cloze-2", 1)
    path = package(db, tmp_path / "cloze.apkg")
    run = imported(home, path)
    accepted(
        run,
        "2 card(s) left out: their cloze is not in their note's text (Anki shows an error "
        "instead of the card).",
    )
    cards = own_cards(home)
    assert card_id_for("cloze-0", 0) not in cards and card_id_for("cloze-0", 1) not in cards
    assert cards[card_id_for("cloze-1", 0)] == ("[h1] b [...]", "a b one")
    assert cards[card_id_for("cloze-1", 1)] == ("a [...] one", "a b one")
    assert cards[card_id_for("cloze-2", 0)] == ("[outer]", "x y z")
    assert cards[card_id_for("cloze-2", 1)] == ("x [yh] z", "x y z")


HOSTILE_FIELDS = [  # a note's first field, and whether its card has text to keep
    ("{{c1::" * 2000, False),  # 12 KB: cloze openings, none closed
    ("{{c1::x}} " * 20000, True),
    ("<!--" * 100_000, False),  # 400 KB: a comment to the end
    ("[sound:" * 20_000, True),
    ("<a b='" * 20_000, False),  # a tag to the end
    ("<x " * 50_000, False),
    ("<![" * 20_000, False),  # a comment to the end
    ("</" * 50_000 + "x", False),
    ("{{" * 100_000, True),
    ("<b> </b>" * 50_000 + "x", True),
]


def test_hostile_field_text_imports_in_linear_time(home: Path, tmp_path: Path) -> None:
    hostile = [
        genanki.Note(
            model=CLOZE if front.startswith("{{c") else BASIC,
            fields=["{{c1::x}}" if front.startswith("{{c") else "x", "answer"],
            guid=f"hostile-{number}",
        )
        for number, (front, _) in enumerate(HOSTILE_FIELDS)
    ]
    db = collection(tmp_path, hostile)
    for number, (front, _) in enumerate(HOSTILE_FIELDS):
        edit(
            db,
            (
                "UPDATE notes SET flds = ? WHERE guid = ?",
                (front + "\x1fanswer", f"hostile-{number}"),
            ),
        )
    run = imported(home, package(db, tmp_path / "hostile.apkg"))
    assert run.code == 0, run
    cards = own_cards(home)
    kept = [card_id_for(f"hostile-{number}", 0) in cards for number in range(len(HOSTILE_FIELDS))]
    assert kept == [keep for _, keep in HOSTILE_FIELDS]
    assert cards[card_id_for("hostile-1", 0)][0] == " ".join(["[...]"] * 20000)


def test_a_broken_template_leaves_its_cards_out_quickly(home: Path, tmp_path: Path) -> None:
    db = collection(tmp_path, notes(10))

    def broken(models: dict[str, object]) -> dict[str, object]:
        for model in models.values():
            model["tmpls"][0]["qfmt"] = "{{#Front}}" * 20000 + "{{Front}}"  # type: ignore[index]
        return models

    path = package(edit_json(db, "models", broken), tmp_path / "template.apkg")
    accepted(
        imported(home, path),
        "10 card(s) left out: their card template has an error (Anki shows the error instead "
        "of the card).",
    )


def test_a_template_repeating_a_field_is_bounded(home: Path, tmp_path: Path) -> None:
    note = genanki.Note(model=BASIC, fields=["x" * 500_000, "answer"], guid="big")
    db = collection(tmp_path, [note, *notes(2)])
    edit_json(
        db,
        "models",
        lambda models: {
            key: {**model, "tmpls": [{**model["tmpls"][0], "qfmt": "{{Front}}" * 20000}]}  # type: ignore[index]
            for key, model in models.items()
        },
    )
    accepted(
        imported(home, package(db, tmp_path / "repeat.apkg")),
        "1 card(s) left out: their text is over 2 MiB.",
    )


# 12, 13: memory bounded by what is kept --------------------------------------------------------


def image_notes() -> list[genanki.Note]:
    return [
        genanki.Note(model=BASIC, fields=["Which figure?", '<img src="f.png">'], guid="img"),
        *notes(2),
    ]


def test_a_huge_protobuf_media_list_is_refused(home: Path, tmp_path: Path) -> None:
    db = collection(tmp_path, image_notes())
    listed = zstandard.compress(protobuf_media(8_000_000), 3)  # 72 MiB declared
    path = package(db, tmp_path / "bomb.colpkg", media=listed, current_format=True)
    refused(imported(home, path), "its media list is over 32 MiB")
    assert not (home / "cards").exists()


@pytest.mark.parametrize(
    ("listed", "message"),
    [
        (b"[" + b"0," * 10_000_000 + b"0]", "its media list is not readable"),
        (
            b'{"0":"f.png",' + b'"1":"g.png",' * 3_000_000 + b'"2":"h.png"}',
            "its media list is over 32 MiB",
        ),
    ],
)
def test_a_huge_json_media_list_is_refused(
    home: Path, tmp_path: Path, listed: bytes, message: str
) -> None:
    db = collection(tmp_path, image_notes())
    refused(imported(home, package(db, tmp_path / "bomb.apkg", media=listed)), message)
    assert not (home / "cards").exists()


def test_a_media_list_is_read_for_the_files_the_cards_show(home: Path, tmp_path: Path) -> None:
    db = collection(tmp_path, image_notes())
    listed = json.dumps({str(n): f"other-{n}.png" for n in range(50_000)} | {"7": "f.png"})
    path = package(db, tmp_path / "listed.apkg", media=listed.encode(), members={"7": b"PNG"})
    accepted(imported(home, path), f"Media: 1 file(s) copied to {home / 'media'}.")
    assert (home / "media" / "f.png").read_bytes() == b"PNG"


def test_a_field_over_2_mib_is_left_out_and_memory_stays_bounded(
    home: Path, tmp_path: Path
) -> None:
    db = collection(tmp_path, notes(3))
    big = guid_of(db, 0)
    edit(db, ("UPDATE notes SET flds = ? WHERE guid = ?", ("Big?\x1f" + "x" * 50_000_000, big)))
    path = package(db, tmp_path / "big.apkg")
    run = imported(home, path)
    accepted(
        run,
        "Imported " + str(path) + ": 2 new card(s), 0 updated, 0 unchanged, from 3 note(s).",
        "1 card(s) left out: their text is over 2 MiB.",
    )
    assert card_id_for(big, 0) not in own_cards(home)
    assert run.megabytes < 100, run


def test_a_large_collection_is_read_from_disk_not_memory(home: Path, tmp_path: Path) -> None:
    db = collection(tmp_path, notes(3))
    out = tmp_path / "large.apkg"
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("collection.anki2", "w", force_zip64=True) as member,
    ):
        member.write(db.read_bytes())
        for _ in range(300):  # 300 MiB past the database's last page, which SQLite ignores
            member.write(bytes(1024 * 1024))
    run = imported(home, out)
    accepted(
        run, "Imported " + str(out) + ": 3 new card(s), 0 updated, 0 unchanged, from 3 note(s)."
    )
    assert run.megabytes < 150, run


# 2: two imports into the same card file at once ------------------------------------------------


def deck_package(tmp_path: Path, name: str, deck: str) -> Path:
    db = collection(tmp_path / name, notes(300, prefix=name), deck=deck)
    return package(db, tmp_path / f"{name}.apkg")


def test_two_decks_imported_at_once_into_one_file_are_both_kept(home: Path, tmp_path: Path) -> None:
    first, second = deck_package(tmp_path, "A", "ML::A"), deck_package(tmp_path, "B", "ML::B")
    env = {**os.environ, "STUDYPLAN_HOME": str(home), "PYTHONPATH": str(SRC), "TZ": "UTC"}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "studyplan", "import", "anki", str(path), "--date", DAY],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for path in (first, second)
    ]
    for process in runs:
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        assert "300 new card(s)" in out
    cards = Workspace(home).own_cards
    assert sorted({card.deck for card in cards}) == ["ML::A", "ML::B"]
    assert len(cards) == 600
    assert {Path(card.source).name.partition(":")[0] for card in cards} == {"anki-ml.toml"}
    still_works(home)


def test_an_import_waits_for_the_one_writing_and_says_so(home: Path, tmp_path: Path) -> None:
    path = deck_package(tmp_path, "A", "ML::A")
    env = {**os.environ, "STUDYPLAN_HOME": str(home), "PYTHONPATH": str(SRC), "TZ": "UTC"}
    with (home / CARD_FILES_LOCK).open("a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        process = subprocess.Popen(
            [sys.executable, "-m", "studyplan", "import", "anki", str(path), "--date", DAY],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert process.stderr is not None
        waiting = process.stderr.readline()
        assert waiting.startswith("Another studyplan command is changing the cards in ")
        assert "waiting" in waiting
        assert process.poll() is None
        assert not (home / "cards" / "anki-ml.toml").exists()
    out, _ = process.communicate(timeout=60)
    assert process.returncode == 0
    assert "300 new card(s)" in out
    assert len(Workspace(home).own_cards) == 300
