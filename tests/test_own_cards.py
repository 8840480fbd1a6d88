"""Own cards: `card add|edit|remove`, hand-written TOML and Q:/A: Markdown in `cards/`, checked,
planned, shown, their history kept by id."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from studyplan.adapters.content.qa_markdown import parse_qa_markdown
from studyplan.app.workspace import Workspace

Run = Callable[..., Result]
DAY = "2026-11-25"

MARKDOWN = """track: coding
topic: heaps

Q: What is a binary heap?
A: A complete binary tree,
each parent no larger than its children.

Q: Cost of heappush?
A: O(log n)
companies: google, facebook
minutes: 2
"""


def test_markdown_blocks_take_file_and_card_keys() -> None:
    parsed = parse_qa_markdown(MARKDOWN)
    assert parsed.problems == []
    first, second = (block.entry for block in parsed.blocks)
    assert first["id"] == "own-what-is-a-binary-heap"
    assert first["answer"] == "A complete binary tree,\neach parent no larger than its children."
    assert (first["track"], first["topic"]) == ("coding", "heaps")
    assert second["companies"] == ["google", "meta"] and second["minutes"] == 2
    assert parse_qa_markdown("A: stray\nQ: no answer\n").problems == [
        (1, "an 'A:' line before any 'Q:' line"),
        (2, "a 'Q:' block without an 'A:' line"),
    ]


def test_card_add_writes_a_card_file_that_is_planned_shown_and_checked(
    run: Run, isolated_home: Path
) -> None:
    result = run(
        "card", "add", "--prompt", "Why warm up the learning rate?", "--answer",
        "Adam's early moments are noisy.", "--track", "ml", "--topic", "optimisers",
        "--minutes", "4", "--company", "openai", "--priority", "core",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    card_id = "own-why-warm-up-the-learning-rate"
    assert result.output.startswith(f"Added {card_id} (")
    card = next(c for c in Workspace(isolated_home).cards if c.id == card_id)
    assert (card.topic, card.minutes, card.companies, card.priority.value) == (
        "optimisers", 4, ("openai",), "core",
    )  # fmt: skip
    shown = json.loads(run("show", card_id, "--json").output)
    assert shown["prompt"] == "Why warm up the learning rate?"
    plan = json.loads(run("today", "--date", DAY, "--json").output)
    assert card_id in [item["card_id"] for item in plan["items"]]
    check = run("check")
    assert check.exit_code == 0 and "; 1 own cards in 1 files" in check.output
    again = run("card", "add", "--prompt", "Why warm up the learning rate?", "--answer", "x")
    assert again.output.startswith(f"Added {card_id}-2 (")


def test_card_add_asks_for_what_is_missing(run: Run, isolated_home: Path) -> None:
    result = run("card", "add", input="What is KL?\nA divergence\nml\nprobability\n")
    assert result.exit_code == 0, result.output
    card = next(c for c in Workspace(isolated_home).own_cards)
    assert (card.prompt, card.answer, card.topic) == ("What is KL?", "A divergence", "probability")


def test_hand_written_files_are_validated_and_bad_cards_left_out(
    run: Run, isolated_home: Path
) -> None:
    folder = isolated_home / "cards"
    folder.mkdir(parents=True)
    (folder / "heaps.md").write_text(MARKDOWN, encoding="utf-8")
    (folder / "mine.toml").write_text(
        'track = "ml"\n[[card]]\nid = "no-prefix"\ntopic = "t"\ndifficulty = "easy"\n'
        'minutes = 3\nprompt = "p"\nanswer = "a"\n\n[[card]]\nid = "own-ok"\ntopic = "t"\n'
        'difficulty = "easy"\nminutes = 99\nprompt = "p"\nanswer = "a"\n',
        encoding="utf-8",
    )
    result = run("check")
    assert result.exit_code == 1
    errors = result.output.splitlines()
    assert any(
        line.startswith(f"{folder / 'mine.toml'}:2: card no-prefix: an own card's id starts")
        for line in errors
    )
    assert any(f"{folder / 'mine.toml'}:10: card own-ok: bad minutes 99" in line for line in errors)
    assert errors[-1] == "Error: 2 problem(s) in the corpus and your own cards", errors
    listed = run("cards", "--track", "coding", "--json")
    ids = [card["id"] for card in json.loads(listed.stdout)]
    assert ids[:2] == ["own-what-is-a-binary-heap", "own-cost-of-heappush"]
    assert "Warning: left out an own card:" in listed.stderr


def editor(tmp_path: Path, old: str, new: str) -> str:
    """An $EDITOR that replaces `old` by `new` in the file it is given."""
    script = tmp_path / "edit.py"
    script.write_text(
        "import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
        f"p.write_text(p.read_text().replace({old!r}, {new!r}))\n"
    )
    return f"{sys.executable} {script}"


def test_editing_a_markdown_question_keeps_its_reviews(
    run: Run, isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = isolated_home / "cards"
    folder.mkdir(parents=True)
    (folder / "heaps.md").write_text(MARKDOWN, encoding="utf-8")
    card_id = "own-cost-of-heappush"
    assert run("grade", card_id, "good", "--date", DAY).exit_code == 0
    monkeypatch.setenv("EDITOR", editor(tmp_path, "Cost of heappush?", "Cost of heapq.heappush?"))
    result = run("card", "edit", card_id)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Saved {card_id} (")
    text = (folder / "heaps.md").read_text(encoding="utf-8")
    assert (
        "Q: Cost of heapq.heappush?\nA: O(log n)\ncompanies: google, facebook\nminutes: 2\n" in text
    )
    assert f"id: {card_id}\n" in text
    shown = json.loads(run("show", card_id, "--json", "--date", DAY).output)
    assert shown["prompt"] == "Cost of heapq.heappush?"
    assert [g["quality"] for g in shown["history"]] == [4]


def test_an_edit_that_breaks_a_good_file_is_undone_and_kept_aside(
    run: Run, isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("card", "add", "--prompt", "Q1", "--answer", "A1").exit_code == 0
    (path,) = (isolated_home / "cards").glob("*.toml")
    original = path.read_bytes()
    monkeypatch.setenv("EDITOR", editor(tmp_path, "minutes = 3", "minutes = 0"))
    result = run("card", "edit", "own-q1")
    assert result.exit_code == 1
    assert "card own-q1: bad minutes 0" in result.output
    assert "is restored as it was; your edit is in" in result.output
    assert path.read_bytes() == original
    aside = path.with_name(path.name + ".rejected")
    assert b"minutes = 0" in aside.read_bytes()
    listed = run("cards", "--json")
    assert "own-q1" in [card["id"] for card in json.loads(listed.stdout)]
    assert "Warning" not in listed.output  # nothing left out: the file is whole


@pytest.mark.parametrize(
    "script",
    [
        "import sys; open(sys.argv[1], 'w').write('\\x00garbage [[[\\n'); sys.exit(1)",
        "import sys; open(sys.argv[1], 'w').close()",  # truncates, exits 0
    ],
    ids=["garbage-and-exit-1", "truncated"],
)
def test_an_editor_that_fails_or_truncates_leaves_the_file_as_it_was(
    run: Run, isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str
) -> None:
    assert run("card", "add", "--prompt", "Q1", "--answer", "A1").exit_code == 0
    assert run("grade", "own-q1", "good", "--date", DAY).exit_code == 0
    (path,) = (isolated_home / "cards").glob("*.toml")
    original = path.read_bytes()
    (tmp_path / "bad_editor.py").write_text(script, encoding="utf-8")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {tmp_path / 'bad_editor.py'}")
    result = run("card", "edit", "own-q1")
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "is restored as it was" in result.output
    assert path.read_bytes() == original
    shown = json.loads(run("show", "own-q1", "--json", "--date", DAY).stdout)
    assert [g["quality"] for g in shown["history"]] == [4]


def test_remove_takes_the_card_out_and_keeps_its_history(run: Run, isolated_home: Path) -> None:
    folder = isolated_home / "cards"
    folder.mkdir(parents=True)
    (folder / "heaps.md").write_text(MARKDOWN, encoding="utf-8")
    assert run("grade", "own-what-is-a-binary-heap", "again", "--date", DAY).exit_code == 0
    result = run("card", "remove", "own-what-is-a-binary-heap")
    assert result.exit_code == 0, result.output
    assert result.output.endswith("its 1 review(s) stay in the log.\n")
    left = (folder / "heaps.md").read_text(encoding="utf-8")
    assert left.startswith("track: coding\ntopic: heaps\n\nQ: Cost of heappush?")
    assert [c.id for c in Workspace(isolated_home).own_cards] == ["own-cost-of-heappush"]
    assert Workspace(isolated_home).store.history("own-what-is-a-binary-heap")[0].quality == 1
    assert run("card", "remove", "own-cost-of-heappush").exit_code == 0
    assert not (folder / "heaps.md").exists()


def test_shipped_cards_and_unknown_ids_are_refused(run: Run) -> None:
    shipped = run("card", "remove", "coding-two-sum")
    assert shipped.exit_code == 1
    assert "coding-two-sum is a shipped card, which stays as it is" in shipped.output
    unknown = run("card", "edit", "own-nothing")
    assert unknown.output == "Error: no card with id 'own-nothing' — `studyplan cards` lists them\n"
