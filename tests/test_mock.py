"""`studyplan mock`: card choice, the rubric and its grade, and a whole loop driven by piped input."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import Result

from studyplan.adapters.sqlite.store import DATABASE_NAME
from studyplan.cli import progress_commands
from studyplan.core.mock import (
    DESIGN,
    LOOPS,
    MockError,
    allot_minutes,
    choose_cards,
    key_points,
    loop_for,
    parse_ticks,
    plan_mock,
    quality_from_rubric,
)
from studyplan.core.model import COMPANIES, Card, Difficulty, Track

Run = Callable[..., Result]
DAY = date(2026, 11, 25)


@pytest.fixture
def stopwatch(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Make the mock's clock read the given times in turn: no test ever waits."""

    def set_times(*times: float) -> None:
        readings: Iterator[float] = iter(times)
        monkeypatch.setattr(progress_commands, "clock", lambda: next(readings))

    return set_times


def card(card_id: str, track: Track, *companies: str, minutes: int = 5) -> Card:
    return Card(card_id, track, "t", companies, Difficulty.EASY, minutes, "p", "- a\n- b")


def test_key_points_are_the_answer_bullets() -> None:
    answer = """
- **Clarify:** goals and scale.
- Model: a baseline first,
  then something stronger.
1. Numbered points count too
"""
    assert key_points(answer) == (
        "Clarify: goals and scale.",
        "Model: a baseline first, then something stronger.",
        "Numbered points count too",
    )
    assert key_points("One line.\nAnother line.") == ("One line.", "Another line.")


@pytest.mark.parametrize(
    ("covered", "total", "over_time", "quality"),
    [
        (4, 4, False, 5),
        (3, 4, False, 4),  # 3/4
        (4, 5, False, 4),
        (3, 5, False, 3),  # at least half: a pass
        (2, 4, False, 3),
        (2, 5, False, 2),  # at least a quarter
        (1, 4, False, 2),
        (1, 5, False, 1),
        (0, 5, False, 0),
        (4, 4, True, 4),  # over time costs a grade ...
        (3, 4, True, 3),
        (2, 4, True, 3),  # ... but never turns a pass into a failure
        (1, 4, True, 2),
    ],
)
def test_rubric_share_becomes_an_sm2_quality(
    covered: int, total: int, over_time: bool, quality: int
) -> None:
    assert quality_from_rubric(covered, total, over_time) == quality


def test_parse_ticks() -> None:
    assert parse_ticks("1 3 4", 5) == {1, 3, 4}
    assert parse_ticks("1,3-5", 5) == {1, 3, 4, 5}
    assert parse_ticks(" ALL ", 3) == {1, 2, 3}
    assert parse_ticks("none", 3) == frozenset()
    for text, message in (
        ("", "type the numbers of the points you covered, 'all' or 'none'"),
        ("6", "'6' is out of range: the points are numbered 1-5"),
        ("0", "'0' is out of range: the points are numbered 1-5"),
        ("4-2", "'4-2' is out of range: the points are numbered 1-5"),
        ("two", "'two' is not a point number: use 1-5, 'all' or 'none'"),
    ):
        with pytest.raises(ValueError) as caught:
            parse_ticks(text, 5)
        assert str(caught.value) == message


def test_minutes_are_shared_in_proportion() -> None:
    assert allot_minutes([10, 6, 20], None) == [10, 6, 20]
    assert allot_minutes([10, 6, 20], 36) == [10, 6, 20]
    assert allot_minutes([10, 6, 20], 18) == [5, 3, 10]
    assert sum(allot_minutes([7, 7, 7], 10)) == 10
    assert allot_minutes([30, 1, 1], 3) == [1, 1, 1]
    with pytest.raises(MockError, match="2 minute\\(s\\) cannot hold 3 questions"):
        allot_minutes([5, 5, 5], 2)


def test_choice_prefers_company_cards_then_fresh_ones_and_is_seeded_by_the_day() -> None:
    cards = [
        card("c-amazon", Track.CODING, "amazon"),
        card("c-recent-amazon", Track.CODING, "amazon"),
        card("c-1", Track.CODING),
        card("c-2", Track.CODING),
        card("s-1", Track.SYSTEM_DESIGN),
        card("b-1", Track.BEHAVIORAL),
    ]
    recent = {"c-recent-amazon": date(2026, 11, 20), "c-amazon": date(2026, 11, 1)}
    chosen = choose_cards(cards, recent, "amazon", DAY)
    # The only fresh amazon coding card wins; the recently reviewed one is passed over.
    assert [(r.name, c.id, tagged) for r, c, tagged in chosen] == [
        ("coding", "c-amazon", True),
        ("ML system design", "s-1", False),
        ("behavioral", "b-1", False),
    ]
    # Without a company: any fresh coding card, the same one for the same day.
    picks = {choose_cards(cards, recent, None, DAY)[0][1].id for _ in range(5)}
    assert len(picks) == 1 and picks <= {"c-amazon", "c-1", "c-2"}
    # Other days draw other fresh cards; c-recent-amazon stays out until 11-27.
    week = {choose_cards(cards, recent, None, date(2026, 11, d))[0][1].id for d in range(20, 27)}
    assert week == {"c-amazon", "c-1", "c-2"}
    # When every card was seen recently, recent ones are used rather than none.
    all_recent = {c.id: DAY for c in cards}
    assert choose_cards(cards, all_recent, "amazon", DAY)[0][1].companies == ("amazon",)


def test_every_company_loop_follows_its_own_cards(shipped_cards: tuple[Card, ...]) -> None:
    for company in COMPANIES:
        own = " ".join(
            " ".join(c.answer.split())
            for c in shipped_cards
            if c.track is Track.COMPANY and company in c.companies
        )
        for round_, words in LOOPS[company]:
            assert words in own, (company, round_.name, words)
        rounds = loop_for(company)
        assert len(set(rounds)) == len(rounds) >= 3
        if "system design" in own:  # OpenAI's: "coding, system design, a deep dive ..."
            assert any(r.track is Track.SYSTEM_DESIGN for r in rounds), company
    assert DESIGN in loop_for("openai")


def test_mock_intro_spells_company_names_as_the_companies_do(run: Run) -> None:
    for company, name in (("openai", "OpenAI"), ("nvidia", "NVIDIA"), ("ibm", "IBM")):
        result = run("mock", "--company", company, "--date", "2026-12-07", input="q\n")
        intro = " ".join(result.output.split())
        assert intro.startswith(f"Mock interview shaped like {name}: coding, ")
        assert company.capitalize() not in result.output
    openai = run("mock", "--company", "openai", "--date", "2026-12-07", input="q\n").output
    assert "OpenAI: coding, ML system design, deep dive into past work, ML research depth" in (
        " ".join(openai.split())
    )


def test_company_loops_follow_the_guides() -> None:
    cards = [card("c", Track.CODING), card("m1", Track.ML), card("m2", Track.ML)]
    cards += [card("s", Track.SYSTEM_DESIGN), card("b", Track.BEHAVIORAL)]
    rounds = [q.round for q in plan_mock(cards, {}, "deepmind", None, DAY)]
    assert rounds == ["coding", "ML knowledge", "ML research depth", "behavioral"]
    rounds = [q.round for q in plan_mock(cards, {}, "meta", None, DAY)]
    assert rounds == ["coding", "ML system design", "behavioral"]
    # A round whose track has no card left is skipped; no card at all is an error.
    assert [q.card.id for q in plan_mock(cards[:1], {}, None, None, DAY)] == ["c"]
    with pytest.raises(MockError, match="no cards for a mock"):
        plan_mock([card("x", Track.COMPANY)], {}, None, None, DAY)


# The command line ---------------------------------------------------------------------------


def flat(output: str) -> str:
    """The output with rich's line wrapping undone."""
    return " ".join(output.split())


def logged(home: Path) -> list[tuple[str, int]]:
    db = sqlite3.connect(home / DATABASE_NAME)
    return db.execute("SELECT card_id, quality FROM review_log ORDER BY id").fetchall()


def test_a_whole_mock_loop_with_piped_input(
    run: Run, small_corpus: Path, isolated_home: Path, stopwatch: Callable[..., None]
) -> None:
    # google's loop: coding, ML knowledge, ML system design (no such card here: skipped),
    # behavioral. 5:00 on the 10-minute coding card, 7:00 on the 6-minute ML card.
    stopwatch(0, 300, 1000, 1420, 2000, 2100)
    answers = [
        "",  # answered c-google
        "all",  # 4 of 4 points -> 5
        "",  # answered m-one
        "1 2 3",  # 3 of 4 -> 4, over time -> 3
        "",  # answered the behavioral card (3 points)
        "7",  # out of range: asked again
        "none",  # 0 of 3 -> 0
    ]
    result = run("mock", "--company", "google", "--date", "2026-11-25", input="\n".join(answers))
    assert result.exit_code == 0, result.output
    out = flat(result.output)
    assert (
        "Mock interview shaped like Google: coding, ML knowledge, ML system design, behavioral"
        in out
    )
    assert "3 questions, 21 min." in out
    assert "1 of 3 · coding · c-google · tagged for the company" in out
    assert "Time allowed: 10 min." in out and "Time taken: 5:00 of 10:00." in out
    assert "Time taken: 7:00 of 6:00 — 1:00 over." in out
    assert "1. point 1 of c-google" in out and "4. point 4 of c-google" in out
    assert "Covered 4 of 4 points: SM-2 grade 5." in out
    assert "Covered 3 of 4 points, over time: SM-2 grade 3." in out
    assert "'7' is out of range: the points are numbered 1-3" in out
    assert "Covered 0 of 3 points: SM-2 grade 0." in out
    assert "Graded 3 of 3 question(s); every grade is saved." in out
    assert "coding: c-google — 4 of 4 points in 5:00 (grade 5)" in out
    assert "losses (m-one, grade 3): studyplan review --topic losses" in out
    assert "missed: point 4 of m-one" in out
    assert logged(isolated_home) == [("c-google", 5), ("m-one", 3), ("b-one", 0)]
    # A second mock prefers what was not just reviewed: the other coding and behavioral
    # cards; m-one is the only ML card, so it comes back.
    stopwatch(0, 1)
    again = flat(run("mock", "--company", "google", "--date", "2026-11-25", input="q\n").output)
    assert "1 of 3 · coding · c-plain · from the track" in again
    assert "Not reached: c-plain, m-one, b-two." in again


def test_quitting_midway_keeps_what_was_graded(
    run: Run, small_corpus: Path, isolated_home: Path, stopwatch: Callable[..., None]
) -> None:
    stopwatch(0, 60, 100, 160)
    result = run("mock", "--date", "2026-11-25", input="\n1\n\nq\n")
    assert result.exit_code == 0, result.output
    assert "Graded 1 of 2 question(s); every grade is saved." in result.output
    assert "Not reached: " in result.output
    assert len(logged(isolated_home)) == 1
    # End of input (no q) also stops cleanly.
    stopwatch(0, 60)
    closed = run("mock", "--date", "2026-11-26", input="\n")
    assert closed.exit_code == 0
    assert "Graded 0 of 2 question(s)" in closed.output
    assert "Traceback" not in closed.output


def test_minutes_are_shared_on_the_command_line(
    run: Run, small_corpus: Path, stopwatch: Callable[..., None]
) -> None:
    stopwatch(0, 1)
    result = run(
        "mock", "--company", "google", "--minutes", "42", "--date", "2026-11-25", input="q\n"
    )
    # 10 + 6 + 5 card minutes stretched to 42: 20 + 12 + 10.
    assert "3 questions, 42 min." in result.output
    assert "Time allowed: 20 min." in result.output


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--minutes", "0"), 2, "0 leaves no time to answer: give 1 or more"),
        (("--minutes", "-4"), 2, "-4 leaves no time to answer"),
        (("--company", "initech"), 2, "'initech' is not one of"),
        (("--date", "someday"), 2, "'someday' is not a date"),
        (
            ("--minutes", "2"),
            1,
            "Error: 2 minute(s) cannot hold 3 questions: give --minutes 3 or more",
        ),
    ],
)
def test_bad_mock_input_is_a_clear_error(
    run: Run, isolated_home: Path, args: tuple[str, ...], code: int, message: str
) -> None:
    result = run("mock", *args, input="")
    assert result.exit_code == code
    assert message in result.output
    assert "Traceback" not in result.output
    if code == 1:
        assert len(result.output.strip().splitlines()) == 1
    assert not (isolated_home / DATABASE_NAME).exists() or logged(isolated_home) == []


def test_a_corpus_without_interview_tracks_is_a_one_line_error(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "co.toml").write_text(
        'track = "company"\n[[card]]\nid = "x"\ntopic = "t"\ndifficulty = "easy"\n'
        'minutes = 5\nprompt = "p"\nanswer = "- a"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("STUDYPLAN_CORPUS", str(tmp_path))
    result = run("mock")
    assert result.exit_code == 1
    assert result.output == (
        "Error: no cards for a mock: the corpus has no coding, system-design, behavioral cards\n"
    )
