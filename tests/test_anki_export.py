"""`export anki`, judged by the `anki` library: what it imports, what a second export updates,
and the round trip back from reviews made with Anki's scheduler."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from click.testing import Result

import anki_support as ak
from studyplan.adapters.anki.html_text import html_to_text
from studyplan.app.workspace import Workspace

Run = Callable[..., Result]


def add_own(run: Run, prompt: str, answer: str) -> str:
    result = run("card", "add", "--prompt", prompt, "--answer", answer, "--company", "google")
    assert result.exit_code == 0, result.output
    return result.output.split()[1]


def test_export_imports_into_anki_with_equal_fields_and_tags(
    run: Run, isolated_home: Path, tmp_path: Path
) -> None:
    first = add_own(run, "Why <normalise> inputs?", "Faster & stabler training")
    second = add_own(run, "What is label smoothing?", "Soft targets")
    add_own(run, "Two lines?", "One\n<two>")
    deck = tmp_path / "google.apkg"
    result = run("export", "anki", "-o", str(deck), "--company", "google")
    assert result.exit_code == 0, result.output
    cards = {c.id: c for c in Workspace(isolated_home).cards if "google" in c.companies}
    assert f"Wrote {len(cards)} note(s)" in result.output

    with ak.collection(tmp_path / "anki") as col:
        log = ak.import_package(col, deck)
        assert (len(log.new), len(log.updated)) == (len(cards), 0)
        note_ids = col.find_notes("")
        assert len(note_ids) == len(cards)
        for note_id in note_ids:
            note = col.get_note(note_id)
            card = cards[note["StudyplanID"]]
            assert html_to_text(note["Prompt"]) == card.prompt
            assert html_to_text(note["Answer"]) == card.answer
            assert (note["Track"], note["Companies"]) == (
                card.track.value,
                ", ".join(card.companies),
            )
            assert html_to_text(note["Topic"]) == card.topic
            assert {f"track::{card.track.value}", "company::google"} <= set(note.tags)
            assert "topic::" + "_".join(card.topic.split()) in note.tags
        assert col.decks.by_name("studyplan::ml") is not None

        for card_id, answer in ((first, "Edited answer one"), (second, "Edited answer two")):
            path = isolated_home / "cards" / f"{card_id}.toml"
            text = path.read_text(encoding="utf-8")
            replaced = text.replace(cards[card_id].answer, answer)
            assert replaced != text
            path.write_text(replaced, encoding="utf-8")
        again = run("export", "anki", "-o", str(deck), "--company", "google", "--force")
        assert again.exit_code == 0, again.output
        log = ak.import_package(col, deck)
        assert (len(log.new), len(log.updated)) == (0, 2)
        assert len(col.find_notes("")) == len(cards)
        edited = col.get_note(col.find_notes(f"StudyplanID:{first}")[0])
        assert edited["Answer"] == "Edited answer one"


def test_export_refuses_to_replace_without_force_and_filters_must_match(
    run: Run, tmp_path: Path
) -> None:
    deck = tmp_path / "d.apkg"
    deck.write_text("mine")
    result = run("export", "anki", "-o", str(deck), "--track", "behavioral")
    assert result.exit_code == 1
    assert result.output == f"Error: {deck} already exists — pass --force to replace it\n"
    assert deck.read_text() == "mine"
    none = run(
        "export",
        "anki",
        "-o",
        str(tmp_path / "e.apkg"),
        "--company",
        "ibm",
        "--track",
        "coding",
        "--priority",
        "deep",
    )
    assert none.exit_code == 1 and "no cards match" in none.output


def test_round_trip_reviews_from_anki_are_logged_once(
    run: Run, isolated_home: Path, tmp_path: Path
) -> None:
    own = add_own(run, "What does dropout do at test time?", "Nothing: weights are scaled")
    deck = tmp_path / "google.apkg"
    assert run("export", "anki", "-o", str(deck), "--company", "google").exit_code == 0
    with ak.collection(tmp_path / "anki") as col:
        ak.import_package(col, deck)
        today = ak.anki_today(col)
        # Graded in studyplan after the day Anki's reviews fall on: those stay history only.
        later = (today + timedelta(days=3)).isoformat()
        assert run("grade", own, "good", "--date", later).exit_code == 0
        reviewed = ak.review_all(col, "studyplan::company", [3, 1, 4, 3, 2, 3, 3, 3, 1, 3, 4])
        reviewed += ak.review_all(col, "studyplan::ml", [3, 3, 1, 3])
        assert reviewed == 15
        by_id = {}
        for cid, ease in col.db.all("select cid, ease from revlog where ease > 0"):
            card_id = col.get_note(col.get_card(cid).nid)["StudyplanID"]
            by_id.setdefault(card_id, []).append(ease)
        package = ak.export_colpkg(col, tmp_path / "phone.colpkg")

    store = Workspace(isolated_home).store
    before_own = store.state(own)
    args = ("import", "anki", str(package), "--reviews-only", "--date", today.isoformat())
    result = run(*args)
    assert result.exit_code == 0, result.output
    total = sum(len(eases) for eases in by_id.values())
    assert f"Reviews: {total} logged from Anki" in result.output
    store = Workspace(isolated_home).store
    for card_id, eases in by_id.items():
        imported = [g for g in store.history(card_id) if g.origin == "anki"]
        assert [g.quality for g in imported] == [{1: 1, 2: 3, 3: 4, 4: 5}[e] for e in eases]
        if card_id != own:
            assert imported[0].kind.value == "sm2" and store.state(card_id) is not None
    assert store.state(own) == before_own  # Anki's reviews are older than its last grade
    assert {g.kind.value for g in store.history(own) if g.origin == "anki"} == {"drill"}
    assert run("check").exit_code == 0

    again = run(*args)
    assert again.exit_code == 0, again.output
    assert f"Reviews: 0 logged from Anki; {total} already in the log" in again.output
    store = Workspace(isolated_home).store
    assert sum(len([g for g in store.history(c) if g.origin]) for c in by_id) == total


def test_undo_stops_at_an_imported_review(run: Run, isolated_home: Path, tmp_path: Path) -> None:
    own = add_own(run, "Bias or variance first?", "Bias")
    deck = tmp_path / "d.apkg"
    assert run("export", "anki", "-o", str(deck), "--company", "google").exit_code == 0
    with ak.collection(tmp_path / "anki") as col:
        ak.import_package(col, deck)
        ak.review_all(col, "studyplan::company", [3])
        today = ak.anki_today(col)
        package = ak.export_colpkg(col, tmp_path / "phone.colpkg")
    assert run("import", "anki", str(package), "--reviews-only").exit_code == 0
    assert (
        run("grade", own, "good", "--date", (today + timedelta(days=1)).isoformat()).exit_code == 0
    )
    assert run("undo").exit_code == 0
    refused = run("undo")
    assert refused.exit_code == 1
    assert (
        "was imported from Anki; undo takes back grades given in studyplan only" in refused.output
    )


PROBE = """
import sys
from studyplan.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
finally:
    loaded = sorted(m for m in ("genanki", "zstandard", "studyplan.adapters.anki") if m in sys.modules)
    print("LOADED:" + ",".join(loaded), file=sys.stderr)
"""


def test_export_ics_does_not_load_the_anki_code(tmp_path: Path) -> None:
    env = {**os.environ, "STUDYPLAN_HOME": str(tmp_path / "home")}
    args = ["export", "ics", "-o", str(tmp_path / "w.ics"), "--tz", "UTC", "--start", "2026-11-25"]
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "LOADED:\n" in done.stderr


def test_export_with_schedule_arrives_in_anki_as_review_cards(
    run: Run, isolated_home: Path, tmp_path: Path
) -> None:
    with ak.collection(tmp_path / "probe") as col:
        today = ak.anki_today(col)  # the day Anki counts now in, as the import will
    days = [today - timedelta(days=n) for n in (9, 8, 2)]
    for day, grade in zip(days, ("good", "good", "again"), strict=True):
        assert run("grade", "coding-two-sum", grade, "--date", day.isoformat()).exit_code == 0
    for day in days[:2]:
        assert (
            run("grade", "coding-valid-anagram", "easy", "--date", day.isoformat()).exit_code == 0
        )
    code = "Use a heap:\n\nimport heapq\ndef top(xs, k):\n    return heapq.nlargest(k, xs)"
    own = add_own(run, "Top k of a stream?", code)
    assert run("card", "suspend", own).exit_code == 0
    store = Workspace(isolated_home).store
    states = {cid: store.state(cid) for cid in ("coding-two-sum", "coding-valid-anagram")}

    deck = tmp_path / "scheduled.apkg"
    result = run("export", "anki", "-o", str(deck), "--with-schedule")
    assert result.exit_code == 0, result.output
    assert "2 card(s) studied here arrive as review cards with their interval and due date" in (
        result.output
    )
    plain = tmp_path / "plain.apkg"
    assert run("export", "anki", "-o", str(plain)).exit_code == 0

    with ak.collection(tmp_path / "anki") as col:
        ak.import_package(col, deck)
        cards = {
            col.get_note(nid)["StudyplanID"]: col.get_card(cid)
            for cid, nid in col.db.all("select id, nid from cards")
        }
        for card_id, state in states.items():
            assert state is not None
            card = cards[card_id]
            assert (card.type, card.queue, card.ivl, card.factor, card.lapses) == (
                2,
                2,
                state.interval,
                state.easiness * 10,
                state.lapses,
            )
            assert ak.due_date(col, card.due) == state.due
        assert (cards["coding-group-anagrams"].type, cards["coding-group-anagrams"].queue) == (0, 0)
        assert cards[own].queue == -1  # suspended here, suspended there
        answer = cards[own].note()["Answer"]
        assert "<pre><code>import heapq\ndef top(xs, k):\n    return" in answer
        assert html_to_text(answer) == code.replace("\n\n", "\n")
    with ak.collection(tmp_path / "anki-plain") as col:
        ak.import_package(col, plain)
        assert col.db.scalar("select count() from cards where type != 0") == 0
