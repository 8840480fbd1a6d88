"""`import anki` on a 10,000-note deck in Anki's current format (zstd), with review history.

The deck is built with the official `anki` library (a dev dependency): 8,000 Basic notes
with HTML and 2,000 Cloze notes of two clozes (12,000 cards), half of them in review with a
schedule and three reviews each. Reports the first import (`--with-history`), importing the
same package again, and `today` afterwards (own cards come from the cache then).

    .venv/bin/python bench/bench_anki_import.py [--notes N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from anki.collection import AddNoteRequest, Collection, DeckIdLimit, ExportAnkiPackageOptions

LIMIT_SECONDS = 30.0


def build(folder: Path, notes: int) -> Path:
    col = Collection(str(folder / "collection.anki2"))
    deck = col.decks.id("Bench::Deep learning")
    basic, cloze = col.models.by_name("Basic"), col.models.by_name("Cloze")
    requests = []
    for number in range(notes):
        if number % 5 == 4:
            note = col.new_note(cloze)
            note["Text"] = (
                f"{{{{c1::Layer {number}}}}} normalises {{{{c2::activations}}}} &amp; more"
            )
        else:
            note = col.new_note(basic)
            note["Front"] = f"<b>Question {number}</b>: why does <i>batch norm</i> help?"
            note["Back"] = (
                f"<div>It keeps activations scaled.</div><div>Note {number}&nbsp;ok</div>"
            )
        note.tags = ["ml", "google"] if number % 2 else ["misc"]
        requests.append(AddNoteRequest(note=note, deck_id=deck))
    col.add_notes(requests)
    today = col.sched.today
    card_ids = col.db.list("select id from cards order by id")
    reviewed = card_ids[::2]
    col.db.execute(
        "update cards set type=2, queue=2, ivl=12, factor=2500, due=? where id in "
        + "(" + ",".join(map(str, reviewed)) + ")",
        today + 5,
    )  # fmt: skip
    stamp = int(time.time() * 1000) - 30 * 86_400_000
    rows = [
        (stamp + n * 3 + k, cid, -1, (1, 3, 3)[k], 12, 1, 2500, 8000, 1)
        for n, cid in enumerate(reviewed)
        for k in range(3)
    ]
    col.db.executemany("insert into revlog values (?,?,?,?,?,?,?,?,?)", rows)
    out = folder / "bench.apkg"
    options = ExportAnkiPackageOptions(with_scheduling=True, with_media=False, legacy=False)
    col.export_anki_package(out_path=str(out), options=options, limit=DeckIdLimit(deck))
    col.close()
    return out


def run(home: Path, *args: str) -> tuple[float, str]:
    env = {**os.environ, "STUDYPLAN_HOME": str(home)}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "studyplan", *args],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    return time.perf_counter() - started, done.stdout.strip().splitlines()[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=10_000)
    notes = parser.parse_args().notes
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        started = time.perf_counter()
        package = build(folder, notes)
        print(f"built {notes} notes in {time.perf_counter() - started:.1f} s: "
              f"{package.stat().st_size / 1e6:.1f} MB")  # fmt: skip
        home = folder / "home"
        first, said = run(home, "import", "anki", str(package), "--with-history")
        print(f"first import, --with-history: {first:.1f} s — {said}")
        again, said = run(home, "import", "anki", str(package), "--with-history")
        print(f"same package again:            {again:.1f} s — {said}")
        run(home, "today")  # fills the own-cards cache
        today, _ = run(home, "today")
        print(f"`today` with them:             {today:.2f} s")
        verdict = "ok" if max(first, again) < LIMIT_SECONDS else "TOO SLOW"
        print(f"{verdict}: limit {LIMIT_SECONDS:.0f} s")


if __name__ == "__main__":
    main()
