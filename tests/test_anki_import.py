"""`import anki`: real packages from genanki and from the `anki` library, legacy and current
formats, read into own cards with their text and, with history, SM-2 state."""

from __future__ import annotations

import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path

import genanki
import pytest
from click.testing import Result

import anki_support as ak
from studyplan.adapters.anki.mapping import card_id_for
from studyplan.app.workspace import Workspace

Run = Callable[..., Result]


def cards_of(home: Path) -> dict[str, object]:
    return {card.id: card for card in Workspace(home).own_cards}


def build_deck(folder: Path) -> tuple[ak.Collection, dict[str, object]]:
    """A collection with a Basic (HTML, entities, an image), a Basic-and-reversed (a sound)
    and a Cloze note (two clozes, one with a hint)."""
    folder.mkdir(parents=True, exist_ok=True)
    col = ak.Collection(str(folder / "collection.anki2"))
    col.media.write_data("clip.png", b"\x89PNG\r\n\x1a\n")
    col.media.write_data("softmax.mp3", b"ID3")
    notes = {
        "basic": ak.add_note(
            col,
            "Basic",
            "ML::Optimisation",
            {
                "Front": "<b>Gradient</b> clipping &amp; <i>why</i>?<br>Explain&nbsp;it",
                "Back": '<div>Caps the norm</div><div>of the gradient &lt;vector&gt;</div><img src="clip.png">',
            },
            ["google", "company::facebook", "Exam_2026", "marked"],
        ),
        "reversed": ak.add_note(
            col,
            "Basic (and reversed card)",
            "ML::Optimisation",
            {"Front": "softmax", "Back": "normalised exponentials [sound:softmax.mp3]"},
            ["coding"],
        ),
        "cloze": ak.add_note(
            col,
            "Cloze",
            "ML::Optimisation",
            {
                "Text": "{{c1::Adam}} keeps {{c2::two moment::how many}} estimates",
                "Back Extra": "Kingma &amp; Ba, 2015",
            },
            ["topic::optimisers"],
        ),
    }
    return col, notes


def test_current_and_legacy_packages_from_anki_read_the_same(
    run: Run, isolated_home: Path, tmp_path: Path
) -> None:
    col, notes = build_deck(tmp_path / "anki")
    try:
        current = ak.export_deck(col, "ML::Optimisation", tmp_path / "current.apkg")
        legacy = ak.export_deck(col, "ML::Optimisation", tmp_path / "legacy.apkg", legacy=True)
    finally:
        col.close()
    assert "collection.anki21b" in zipfile.ZipFile(current).namelist()
    assert "collection.anki21" in zipfile.ZipFile(legacy).namelist()

    result = run("import", "anki", str(current))
    assert result.exit_code == 0, result.output
    assert "5 new card(s), 0 updated, 0 unchanged, from 3 note(s)" in result.output
    assert f"Media: 2 file(s) copied to {isolated_home / 'media'}." in result.output
    assert (isolated_home / "media" / "clip.png").read_bytes() == b"\x89PNG\r\n\x1a\n"
    assert (isolated_home / "media" / "softmax.mp3").read_bytes() == b"ID3"
    cards = cards_of(isolated_home)
    basic = cards[card_id_for(notes["basic"].guid, 0)]
    assert basic.prompt == "Gradient clipping & why?\nExplain it"
    assert basic.answer == "Caps the norm\nof the gradient <vector>\n[image: clip.png]"
    assert basic.media_files() == ("clip.png",)
    assert basic.deck == "ML::Optimisation"
    assert basic.track.value == "ml"  # from the deck name
    assert basic.topic == "Optimisation"
    assert basic.companies == ("google", "meta")
    assert basic.tags == ("Exam_2026", "marked")
    forward = cards[card_id_for(notes["reversed"].guid, 0)]
    backward = cards[card_id_for(notes["reversed"].guid, 1)]
    sound = "normalised exponentials [sound: softmax.mp3]"
    assert (forward.prompt, forward.answer) == ("softmax", sound)
    assert (backward.prompt, backward.answer) == (sound, "softmax")
    assert forward.media == backward.media == ("softmax.mp3",)
    assert forward.track.value == "coding"  # the tag wins over the deck name
    first = cards[card_id_for(notes["cloze"].guid, 0)]
    second = cards[card_id_for(notes["cloze"].guid, 1)]
    assert first.prompt == "[...] keeps two moment estimates"
    assert second.prompt == "Adam keeps [how many] estimates"
    assert first.answer == second.answer == "Adam keeps two moment estimates\nKingma & Ba, 2015"
    assert first.topic == "optimisers"
    assert run("check").exit_code == 0

    again = run("import", "anki", str(legacy))
    assert again.exit_code == 0, again.output
    assert "0 new card(s), 0 updated, 5 unchanged" in again.output
    assert "Media: 0 file(s) copied to" in again.output and "2 already there" in again.output
    assert cards_of(isolated_home) == cards
    assert sorted(p.name for p in (isolated_home / "media").iterdir()) == [
        "clip.png",
        "softmax.mp3",
    ]


def test_genanki_package_of_the_oldest_format(
    run: Run, isolated_home: Path, tmp_path: Path
) -> None:
    deck = genanki.Deck(2_059_400_110, "Interview")
    basic = genanki.Note(
        model=genanki.BASIC_MODEL,
        fields=["What is <code>O(log n)</code>?", "Halving"],
        tags=["coding"],
    )
    both = genanki.Note(model=genanki.BASIC_AND_REVERSED_CARD_MODEL, fields=["KL", "divergence"])
    cloze = genanki.Note(
        model=genanki.CLOZE_MODEL, fields=["{{c1::L2}} shrinks {{c2::weights}}", ""]
    )
    for note in (basic, both, cloze):
        deck.add_note(note)
    package = tmp_path / "genanki.apkg"
    genanki.Package(deck).write_to_file(str(package))
    assert "meta" not in zipfile.ZipFile(package).namelist()

    result = run("import", "anki", str(package), "--track", "system-design", "--minutes", "4")
    assert result.exit_code == 0, result.output
    cards = cards_of(isolated_home)
    assert len(cards) == 5
    first = cards[card_id_for(basic.guid, 0)]
    assert (first.prompt, first.answer, first.track.value) == (
        "What is O(log n)?",
        "Halving",
        "coding",
    )
    assert cards[card_id_for(both.guid, 1)].prompt == "divergence"
    assert cards[card_id_for(cloze.guid, 1)].prompt == "L2 shrinks [...]"
    assert cards[card_id_for(cloze.guid, 0)].track.value == "system-design"  # --track
    assert {card.minutes for card in cards.values()} == {4}


def test_colpkg_with_history_maps_each_card_to_sm2(
    run: Run, isolated_home: Path, tmp_path: Path
) -> None:
    col, notes = build_deck(tmp_path / "anki")
    try:
        assert ak.review_all(col, "ML::Optimisation", [3, 1, 3, 4, 3, 3, 3]) == 7
        basic_card = notes["basic"].cards()[0]
        col.db.execute(
            "update cards set type=2, queue=2, ivl=15, due=?, factor=2500, lapses=2 where id=?",
            col.sched.today + 10,
            basic_card.id,
        )
        hard_card = notes["reversed"].cards()[1]
        col.db.execute(
            "update cards set type=2, queue=2, ivl=3, due=?, factor=1250, lapses=0 where id=?",
            col.sched.today + 1,
            hard_card.id,
        )
        expected_basic_due = ak.due_date(col, col.sched.today + 10)
        expected_hard_due = ak.due_date(col, col.sched.today + 1)
        reviews = {
            cid: count
            for cid, count in col.db.all(
                "select cid, count(*) from revlog where ease > 0 group by cid"
            )
        }
        today = ak.anki_today(col)
        package = ak.export_colpkg(col, tmp_path / "all.colpkg")
    finally:
        col.close()

    args = ("import", "anki", str(package), "--with-history", "--date", today.isoformat())
    result = run(*args)
    assert result.exit_code == 0, result.output
    store = Workspace(isolated_home).store
    basic = store.state(card_id_for(notes["basic"].guid, 0))
    assert basic is not None
    assert (basic.easiness, basic.interval, basic.lapses) == (250, 15, 2)
    assert basic.due == expected_basic_due
    assert basic.repetitions >= 2  # an interval of 15 days: the next one is ceil(15 × 2.5)
    hard = store.state(card_id_for(notes["reversed"].guid, 1))
    assert hard is not None
    assert (hard.easiness, hard.interval, hard.due) == (130, 3, expected_hard_due)
    logged = {
        card_id: len(store.history(card_id))
        for card_id in (card_id_for(notes["basic"].guid, 0), card_id_for(notes["reversed"].guid, 1))
    }
    assert logged == {
        card_id_for(notes["basic"].guid, 0): reviews[basic_card.id],
        card_id_for(notes["reversed"].guid, 1): reviews[hard_card.id],
    }
    assert all(g.origin == "anki" for g in store.history(card_id_for(notes["basic"].guid, 0)))

    again = run(*args)
    assert again.exit_code == 0, again.output
    assert (
        f"Reviews: 0 logged from Anki; {sum(reviews.values())} already in the log" in again.output
    )
    assert Workspace(isolated_home).store.state(basic.card_id) == basic


def test_reimport_after_an_edit_in_anki_updates_the_card(
    run: Run, isolated_home: Path, tmp_path: Path
) -> None:
    col, notes = build_deck(tmp_path / "anki")
    try:
        ak.export_deck(col, "ML::Optimisation", tmp_path / "one.apkg")
        note = notes["reversed"]
        note["Back"] = "exp(x_i) / sum exp(x_j)"
        col.update_note(note)
        ak.export_deck(col, "ML::Optimisation", tmp_path / "two.apkg")
    finally:
        col.close()
    assert run("import", "anki", str(tmp_path / "one.apkg")).exit_code == 0
    result = run("import", "anki", str(tmp_path / "two.apkg"))
    assert "0 new card(s), 2 updated, 3 unchanged" in result.output
    cards = cards_of(isolated_home)
    assert len(cards) == 5
    assert cards[card_id_for(notes["reversed"].guid, 1)].prompt == "exp(x_i) / sum exp(x_j)"


def newer_package(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("meta", bytes([0x08, 0x04]))  # format 4
        archive.writestr("collection.anki21b", b"")
    return path


def empty_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "not a collection")
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda p: p.write_bytes(b"just text\n") and p,
            "is not an Anki package (not a zip archive)",
        ),
        (empty_zip, "holds no Anki collection"),
        (newer_package, "was written by a newer Anki (package format 4"),
        ("truncated", "is damaged or incomplete"),
    ],
)
def test_bad_files_are_refused_in_one_line_and_change_nothing(
    run: Run, isolated_home: Path, tmp_path: Path, make: object, message: str
) -> None:
    assert run("card", "add", "--prompt", "Kept?", "--answer", "Yes").exit_code == 0
    assert run("config", "minutes-per-day", "30").exit_code == 0
    before = sorted(p.name for p in (isolated_home / "cards").iterdir())
    path = tmp_path / "bad.apkg"
    if make == "truncated":
        col, _ = build_deck(tmp_path / "anki")
        try:
            whole = ak.export_deck(col, "ML::Optimisation", tmp_path / "whole.apkg").read_bytes()
        finally:
            col.close()
        path.write_bytes(whole[: len(whole) // 2])
    else:
        make(path)  # type: ignore[operator]
    result = run("import", "anki", str(path), "--with-history")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.output
    assert sorted(p.name for p in (isolated_home / "cards").iterdir()) == before
    db = sqlite3.connect(isolated_home / "studyplan.db")
    assert db.execute("select count(*) from review_log").fetchone() == (0,)
