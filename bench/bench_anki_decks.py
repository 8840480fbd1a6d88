"""`import anki` on real decks made by Anki users (../shared/testdocs/anki/, or --decks DIR...)
and on a deck of image answers built with genanki: what is kept, what is dropped, and how
faithful the kept text is to what Anki shows.

- Every deck: the package's cards, the cards imported, the cards dropped, media copied.
- Every card of a real deck: whether each line of its imported question and answer, with its
  indentation, equals the line Anki shows (dm-coding.apkg's answers hold indented Python). The
  reference is Anki's own rendering of the card laid out by Chromium (tests/anki_rendering.py).
- Every deck with suspended cards: how many of them today's plan holds (600 minutes), and how
  many the planner may choose from at all.

    .venv/bin/python bench/bench_anki_decks.py [--decks DIR ...] [--date 2026-04-01]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DECKS = next(
    (p / "shared" / "testdocs" / "anki" for p in ROOT.parents if (p / "shared").is_dir()),
    ROOT.parent / "shared" / "testdocs" / "anki",
)
sys.path.insert(0, str(ROOT / "tests"))
from anki_rendering import anki_sides, browser_texts, shown_lines  # noqa: E402

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def image_deck(folder: Path) -> Path:
    """A genanki deck of 40 notes whose answer is only an image, 10 with text and an image,
    5 with a remote image: the files are in the package."""
    import genanki

    model = genanki.Model(
        1_607_392_319,
        "Basic",
        fields=[{"name": "Front"}, {"name": "Back"}],
        templates=[
            {"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{FrontSide}}<hr id=answer>{{Back}}"}
        ],
    )
    deck = genanki.Deck(2_059_400_110, "MLOps diagrams")
    files = []
    for number in range(40):
        name = f"diagram {number}.png"
        (folder / name).write_bytes(PNG + bytes([number]))
        files.append(str(folder / name))
        deck.add_note(
            genanki.Note(
                model=model,
                fields=[f"DevOps concept {number} translated to MLOps?", f'<img src="{name}">'],
            )
        )
    for number in range(10):
        name = f"data_{number}.png"
        (folder / name).write_bytes(PNG + bytes([100 + number]))
        files.append(str(folder / name))
        deck.add_note(
            genanki.Note(
                model=model,
                fields=[
                    f'Apply the convolution to the following data:<br><img src="{name}">',
                    f"Answer {number}",
                ],
            )
        )
    for number in range(5):
        deck.add_note(
            genanki.Note(
                model=model,
                fields=[
                    f"Remote figure {number}?",
                    f'<img src="https://example.org/fig{number}.png">',
                ],
            )
        )
    package = genanki.Package(deck)
    package.media_files = files
    out = folder / "image-answers.apkg"
    package.write_to_file(str(out))
    return out


def studyplan(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "STUDYPLAN_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "studyplan", "--home", str(home), *args],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip


def package_cards(path: Path) -> list[tuple[str, int, int]]:
    """(note GUID, card ord, queue) of every card, read with Anki's own library."""
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    with tempfile.TemporaryDirectory() as scratch:
        col = Collection(str(Path(scratch) / "c.anki2"))
        try:
            col.import_anki_package(
                ImportAnkiPackageRequest(
                    package_path=str(path), options=ImportAnkiPackageOptions(with_scheduling=True)
                )
            )
            return [
                (str(g), int(o), int(q))
                for g, o, q in col.db.all(
                    "select n.guid, c.ord, c.queue from cards c join notes n on n.id = c.nid"
                )
            ]
        finally:
            col.close()


def own_cards(home: Path) -> dict[str, object]:
    sys.path.insert(0, str(ROOT / "src"))
    from studyplan.app.workspace import Workspace

    return {card.id: card for card in Workspace(home).own_cards}


def import_deck(path: Path, day: str, scratch: Path) -> dict[str, object]:
    sys.path.insert(0, str(ROOT / "src"))
    from studyplan.adapters.anki.mapping import card_id_for

    home = Path(tempfile.mkdtemp(prefix="home-", dir=scratch))
    done = studyplan(home, "import", "anki", str(path), "--with-history", "--date", day)
    if done.returncode:
        raise SystemExit(f"import of {path} failed: {done.stderr}")
    cards = package_cards(path)
    kept = own_cards(home)
    ids = {card_id_for(guid, ord_): queue for guid, ord_, queue in cards}
    media = sorted(p.name for p in (home / "media").glob("*")) if (home / "media").is_dir() else []
    result: dict[str, object] = {
        "deck": path.name,
        "anki cards": len(cards),
        "kept": sum(1 for card_id in ids if card_id in kept),
        "dropped": sum(1 for card_id in ids if card_id not in kept),
        "media copied": len(media),
        "output": done.stdout.strip(),
    }
    suspended = {card_id for card_id, queue in ids.items() if queue == -1}
    if suspended:
        plan = studyplan(home, "today", "--json", "--minutes", "600", "--date", day)
        items = {item["card_id"] for item in json.loads(plan.stdout)["items"]}
        choosable = _planner_cards(home, day)
        result["suspended"] = len(suspended)
        result["suspended in today's plan (600 min)"] = len(suspended & items)
        result["suspended the planner may choose"] = len(suspended & choosable)
    result["home"] = home
    result["cards"] = kept
    return result


def _planner_cards(home: Path, day: str) -> set[str]:
    from studyplan.app.study import planning_inputs
    from studyplan.app.workspace import Workspace

    return {card.id for card in planning_inputs(Workspace(home), date.fromisoformat(day)).cards}


def fidelity(path: Path, cards: dict[str, object], side: str) -> tuple[int, int, int, list[str]]:
    """(cards compared, equal to Anki's rendering, indented lines, first differences) for
    one side ("prompt" or "answer")."""
    from studyplan.adapters.anki.mapping import card_id_for

    rendered = list(anki_sides(path, side))
    references = browser_texts([html for _, _, html in rendered])
    equal = code = 0
    compared = 0
    differences: list[str] = []
    for (guid, ord_, _), reference in zip(rendered, references, strict=True):
        card = cards.get(card_id_for(guid, ord_))
        expected = shown_lines(reference)
        code += sum(1 for line in expected if line.startswith(" "))
        compared += 1
        if card is None:
            differences.append(f"{guid}: not imported")
            continue
        got = shown_lines(getattr(card, side))
        if got == expected:
            equal += 1
        elif len(differences) < 3:
            first = next(
                (i for i, (a, b) in enumerate(zip(got, expected, strict=False)) if a != b),
                min(len(got), len(expected)),
            )
            differences.append(
                f"{guid}: line {first}: studyplan {got[first : first + 1]!r} / Anki {expected[first : first + 1]!r}"
            )
    return compared, equal, code, differences


def media_check(result: dict[str, object]) -> str:
    home = result["home"]
    assert isinstance(home, Path)
    cards = result["cards"]
    assert isinstance(cards, dict)
    with_placeholder = sum(1 for c in cards.values() if "[image: " in c.answer + c.prompt)
    files = list((home / "media").glob("*")) if (home / "media").is_dir() else []
    return f"{with_placeholder} card(s) show an [image: ...] placeholder; {len(files)} file(s) in media/"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decks", type=Path, nargs="+", default=[DECKS])
    parser.add_argument("--date", default="2026-04-01")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        built = image_deck(Path(scratch))
        found = sorted(path for folder in args.decks for path in folder.glob("*.apkg"))
        for path in [*found, built]:
            result = import_deck(path, args.date, Path(scratch))
            print(f"\n== {path.name}")
            for key, value in result.items():
                if key in ("home", "cards", "output"):
                    continue
                print(f"  {key}: {value}")
            print("  " + str(result["output"]).replace("\n", "\n  | "))
            for side in ("prompt", "answer") if path != built else ():
                compared, equal, code, differences = fidelity(path, result["cards"], side)  # type: ignore[arg-type]
                print(
                    f"  {side}s equal to Anki's rendering, indentation included: {equal} of"
                    f" {compared} ({code} indented lines in Anki's rendering)"
                )
                for line in differences:
                    print(f"    {line}")
            if path == built:
                print("  " + media_check(result))


if __name__ == "__main__":
    main()
