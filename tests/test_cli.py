"""The command line over the real shipped corpus: output, JSON contract, and bad input."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from rich.cells import cell_len

from studyplan.adapters.sqlite.store import DATABASE_NAME

Run = Callable[..., Result]
DAY = "2026-11-25"


def today_json(run: Run, *args: str) -> dict:
    result = run("today", "--date", DAY, "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_today_on_a_fresh_workspace(run: Run) -> None:
    plan = today_json(run)
    assert plan["date"] == DAY and plan["minutes_budget"] == 60
    assert 0 < plan["minutes_planned"] <= 60
    assert {item["kind"] for item in plan["items"]} == {"new"}
    for item in plan["items"]:
        assert set(item) >= {"card_id", "kind", "track", "prompt", "minutes", "due"}
    assert plan["deferred"] == []


def test_today_table_names_the_day_and_the_plan(run: Run) -> None:
    result = run("today", "--date", DAY)
    assert result.exit_code == 0
    assert "Wednesday 25 November 2026" in result.output
    assert "studyplan review" in result.output


LONG_QUESTION = (
    "Why does a sliding window over a string of length n with a frequency table of its "
    "characters run in linear time, and when does it stop being linear?"
)


def test_today_lists_each_card_in_two_lines_within_80_columns(
    run: Run, isolated_home: Path
) -> None:
    """Number, kind, track, minutes and the card id in full (on a line of its own when it does
    not fit beside them), then the prompt cut to one line."""
    own = isolated_home / "cards"
    own.mkdir(parents=True)
    (own / "long.md").write_text(
        "track: coding\ntopic: strings\npriority: core\n\n"
        f"Q: {LONG_QUESTION}\nA: Each character enters and leaves the window once.\n",
        encoding="utf-8",
    )
    items = today_json(run)["items"]
    output = run("today", "--date", DAY).output
    lines = output.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    for number, item in enumerate(items, 1):
        heading = re.compile(
            rf"{number:>{len(str(len(items)))}}  {item['kind']} +{item['track']} +"
            rf"{item['minutes']} min(  {re.escape(item['card_id'])})?"
        )
        at = next(n for n, line in enumerate(lines) if heading.fullmatch(line))
        if not lines[at].endswith(item["card_id"]):
            at += 1
            assert lines[at].strip() == item["card_id"]
        prompt = " ".join(item["prompt"].split())
        shown = lines[at + 1].strip()
        assert shown == prompt or (shown.endswith("…") and prompt.startswith(shown[:-1].rstrip()))
    long_id = next(item["card_id"] for item in items if item["prompt"] == LONG_QUESTION)
    assert len(long_id) > 40
    assert f"\n   {long_id}\n   Why does a sliding window" in output
    assert lines[lines.index(f"   {long_id}") + 1].endswith("…")


def test_grade_then_today_shows_the_review_when_due(run: Run) -> None:
    card_id = today_json(run)["items"][0]["card_id"]
    graded = run("grade", card_id, "good", "--date", DAY, "--json")
    assert graded.exit_code == 0
    assert json.loads(graded.output) == {
        "card_id": card_id,
        "quality": 4,
        "kind": "sm2",
        "repetitions": 1,
        "interval": 1,
        "easiness": 2.5,
        "due": "2026-11-26",
        "sm2_due": "2026-11-26",
        "comes_on": "2026-11-26",
        "moved_before_interview": False,
        "lapses": 0,
    }
    tomorrow = json.loads(run("today", "--date", "2026-11-26", "--json").output)
    assert tomorrow["items"][0] == {**tomorrow["items"][0], "card_id": card_id, "kind": "review"}


def test_failed_grade_brings_the_card_back_today(run: Run) -> None:
    card_id = today_json(run)["items"][0]["card_id"]
    run("grade", card_id, "1", "--date", DAY)
    relearn = [i for i in today_json(run)["items"] if i["kind"] == "relearn"]
    assert [i["card_id"] for i in relearn] == [card_id]
    result = run("grade", card_id, "4", "--date", DAY)
    assert "re-drill" in result.output
    assert card_id not in {i["card_id"] for i in today_json(run)["items"]}


def test_config_round_trip_and_effect(run: Run) -> None:
    assert run("config", "minutes-per-day", "20").exit_code == 0
    assert run("config", "companies", "Apple, nvidia").exit_code == 0
    shown = run("config").output
    assert "minutes-per-day = 20" in shown and "companies = apple,nvidia" in shown
    assert today_json(run)["minutes_budget"] == 20
    assert run("config", "companies", "--unset").exit_code == 0
    assert "companies (not set)" in run("config", "companies").output


def test_interview_date_is_in_the_plan_and_no_impossible_pace_is_demanded(run: Run) -> None:
    assert run("config", "interview-date", "2026-12-20", "--date", DAY).exit_code == 0
    plan = today_json(run, "--minutes", "600")
    new = [i for i in plan["items"] if i["kind"] == "new"]
    assert 0 < len(new) <= 12  # new-per-day holds: scope, not a forced pace
    assert plan["deferred"] == []
    assert plan["interview_date"] == "2026-12-20"


def test_cards_filters_and_json(run: Run) -> None:
    cards = json.loads(run("cards", "--company", "apple", "--json").output)
    assert cards and all("apple" in c["companies"] for c in cards)
    assert set(cards[0]) >= {
        "id",
        "track",
        "topic",
        "companies",
        "difficulty",
        "minutes",
        "prompt",
        "answer",
    }
    coding = json.loads(run("cards", "--track", "coding", "--json").output)
    assert coding and {c["track"] for c in coding} == {"coding"}


def test_review_session_saves_each_grade_and_can_quit(run: Run, isolated_home: Path) -> None:
    plan = today_json(run, "--minutes", "15")
    first, second = plan["items"][0]["card_id"], plan["items"][1]["card_id"]
    # Reveal, grade 2 (comes back later), reveal, grade good, then quit.
    result = run("review", "--date", DAY, "--minutes", "15", input="\n2\n\ngood\nq\n")
    assert result.exit_code == 0, result.output
    assert f"1 of {len(plan['items'])}" in result.output
    assert "Graded 2 card(s)" in result.output
    db = sqlite3.connect(isolated_home / DATABASE_NAME)
    assert db.execute("SELECT card_id, quality FROM review_log ORDER BY id").fetchall() == [
        (first, 2),
        (second, 4),
    ]


def test_review_with_closed_input_keeps_grades(run: Run, isolated_home: Path) -> None:
    result = run("review", "--date", DAY, input="\n5\n")
    assert result.exit_code == 0
    assert "Graded 1 card(s)" in result.output
    db = sqlite3.connect(isolated_home / DATABASE_NAME)
    assert db.execute("SELECT count(*) FROM review_log").fetchone()[0] == 1


def test_review_rejects_a_bad_grade_and_asks_again(run: Run) -> None:
    result = run("review", "--date", DAY, input="\ngreat\n4\nq\n")
    assert "'great' is not a grade" in result.output
    assert "Graded 1 card(s)" in result.output


def test_check_passes_on_the_shipped_corpus(run: Run) -> None:
    result = run("check")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: ")


def test_check_reports_every_problem_with_file_and_line(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "cards").mkdir(parents=True)
    (corpus / "cards" / "bad.toml").write_text(
        'track = "coding"\n\n'
        '[[card]]\nid = "one"\ntopic = "t"\ndifficulty = "easy"\npriority = "core"\nminutes = 5\nprompt = "p"\nanswer = "a"\n\n'
        '[[card]]\nid = "one"\ntopic = "t"\ndifficulty = "easy"\npriority = "deep"\nminutes = 5\nprompt = "p2"\nanswer = "a"\n\n'
        '[[card]]\nid = "two"\ntrack = "cooking"\ntopic = "t"\ndifficulty = "trivial"\nminutes = -1\nprompt = "p"\n'
        '[[card]]\nid = "three"\ntopic = "t"\ndifficulty = "easy"\npriority = "urgent"\nminutes = 5\nprompt = "p"\nanswer = "a"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("STUDYPLAN_CORPUS", str(corpus))
    result = run("check")
    assert result.exit_code == 1
    bad = corpus / "cards" / "bad.toml"
    lines = result.output.splitlines()
    assert f"{bad}:12: duplicate id 'one' (first at {bad}:3)" in lines
    assert f"{bad}:21: card two: missing field 'answer'" in lines
    assert f"{bad}:21: card two: missing field 'priority' (core, common or deep)" in lines
    assert any(line.startswith(f"{bad}:28: card three: bad priority 'urgent'") for line in lines)
    assert any(line.startswith(f"{bad}:21: card two: unknown track 'cooking'") for line in lines)
    assert any(line.startswith(f"{bad}:21: card two: bad difficulty 'trivial'") for line in lines)
    assert any(line.startswith(f"{bad}:21: card two: bad minutes -1") for line in lines)
    assert lines[-1] == "Error: 7 problem(s) in the corpus"


def test_malformed_card_file_is_one_line_error(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "broken.toml").write_text('[[card]]\nid = "x\n', encoding="utf-8")
    monkeypatch.setenv("STUDYPLAN_CORPUS", str(tmp_path))
    result = run("today")
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1
    assert "broken.toml:2: not valid TOML" in result.output


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ("grade", "no-such-card", "4"),
            1,
            "Error: no card with id 'no-such-card' — `studyplan cards` lists them",
        ),
        (
            ("grade", "coding-two-sum", "6"),
            2,
            "'6' is not a grade: use 0-5 or again|hard|good|easy",
        ),
        (("grade", "coding-two-sum", "great"), 2, "'great' is not a grade"),
        (("today", "--date", "2026-13-40"), 2, "'2026-13-40' is not a date: use YYYY-MM-DD"),
        (("today", "--minutes", "-5"), 2, "-5 is not in the range 0<=x<=1440"),
        (
            ("config", "interview-date", "2020-01-01", "--date", DAY),
            1,
            "Error: interview date 2020-01-01 is in the past (today is 2026-11-25)",
        ),
        (("config", "interview-date", "soon"), 1, "Error: 'soon' is not a date: use YYYY-MM-DD"),
        (
            ("config", "minutes-per-day", "-3"),
            1,
            "Error: minutes-per-day must be from 0 to 1440, got -3",
        ),
        (("config", "companies", "initech"), 1, "Error: unknown company 'initech'"),
        (
            ("config", "track-weights", "coding=x"),
            1,
            "Error: weight of coding must be a whole number, got 'x'",
        ),
        (("config", "colour", "blue"), 2, "'colour' is not one of"),
        (("cards", "--company", "initech"), 2, "'initech' is not one of"),
        (
            ("grade", "coding-two-sum", "4", "--date", "2026-11-01"),
            1,
            "Error: coding-two-sum was last reviewed on 2026-11-25; a grade cannot be dated 2026-11-01, before that",
        ),
    ],
)
def test_bad_input_is_a_clear_error_and_saves_nothing(
    run: Run, isolated_home: Path, args: tuple[str, ...], code: int, message: str
) -> None:
    assert run("grade", "coding-two-sum", "4", "--date", DAY).exit_code == 0
    db_path = isolated_home / DATABASE_NAME
    before = sqlite3.connect(db_path).execute("SELECT * FROM card_state").fetchall()
    result = run(*args)
    assert result.exit_code == code
    assert message in result.output
    assert "Traceback" not in result.output
    if code == 1:
        assert len(result.output.strip().splitlines()) == 1
    assert sqlite3.connect(db_path).execute("SELECT * FROM card_state").fetchall() == before


def test_newer_database_is_refused_without_change(run: Run, isolated_home: Path) -> None:
    run("grade", "coding-two-sum", "4", "--date", DAY)
    db = sqlite3.connect(isolated_home / DATABASE_NAME)
    db.execute("PRAGMA user_version = 99")
    db.close()
    before = (isolated_home / DATABASE_NAME).read_bytes()
    result = run("today")
    assert result.exit_code == 1
    assert "written by a newer studyplan (schema 99" in result.output
    assert (isolated_home / DATABASE_NAME).read_bytes() == before


def test_corrupt_database_is_a_one_line_error(run: Run, isolated_home: Path) -> None:
    isolated_home.mkdir(parents=True)
    (isolated_home / DATABASE_NAME).write_bytes(b"\x00garbage" * 512)
    result = run("grade", "coding-two-sum", "4")
    assert result.exit_code == 1
    assert "is not an SQLite database" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_topic_drill_brings_learned_cards_not_yet_due(run: Run) -> None:
    cards = json.loads(run("cards", "--track", "coding", "--json").output)
    topic = cards[0]["topic"]
    weak, strong = [c["id"] for c in cards if c["topic"] == topic][:2]
    for card_id, quality in ((weak, 3), (strong, 5)):
        run("grade", card_id, str(quality), "--date", "2026-11-20")
        run("grade", card_id, str(quality), "--date", "2026-11-21")  # interval 6: due 2026-11-27
    run("grade", weak, "4", "--date", "2026-11-21")  # its same-day re-drill, done
    due_today = {i["card_id"] for i in today_json(run)["items"]}
    assert weak not in due_today and strong not in due_today
    result = run("review", "--date", DAY, "--topic", topic, input="\n5\n" * 6)
    assert result.exit_code == 0
    rules = [line for line in result.output.splitlines() if re.search(r" \d+ of \d+ · ", line)]
    # Today's new cards of the topic (how many depends on the corpus), then its learned cards,
    # weakest first.
    learned = [line for line in rules if " · review · " in line]
    assert rules[-2:] == learned and len(rules) > 2
    assert [weak in learned[0], strong in learned[1]] == [True, True]


def test_unknown_topic_is_a_one_line_error(run: Run) -> None:
    result = run("review", "--topic", "underwater basket weaving")
    assert result.exit_code == 1
    assert (
        result.output
        == "Error: no cards with topic 'underwater basket weaving' — `studyplan cards` lists topics\n"
    )
