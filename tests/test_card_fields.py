"""The optional card fields: solution, tests, related and source."""

from __future__ import annotations

import json
from pathlib import Path

from studyplan.adapters.content.card_cache import load_cards_cached
from studyplan.adapters.content.cards import check_cards

HEAD = 'track = "coding"\n'


def card(card_id: str, extra: str = "") -> str:
    return (
        f'\n[[card]]\nid = "{card_id}"\ntopic = "t"\ndifficulty = "easy"\npriority = "core"\n'
        f'minutes = 5\nprompt = "What is {card_id}?"\nanswer = "a"\n{extra}'
    )


def write(tmp_path: Path, *cards: str, name: str = "cards.toml") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + "".join(cards), encoding="utf-8")
    return path


def test_the_fields_are_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        card(
            "one",
            'related = ["two"]\nsource = " https://example.org/list "\n'
            'solution = """\ndef f():\n    return 1\n"""\ntests = """\nassert f() == 1\n"""\n',
        ),
        card("two", 'related = ["one"]\n'),
    )
    cards, problems = check_cards([path])
    assert problems == []
    one, two = cards
    assert one.related == ("two",) and two.related == ("one",)
    assert one.citation == "https://example.org/list" and two.citation == ""
    assert one.solution == "def f():\n    return 1\n"
    assert one.tests == "assert f() == 1\n"
    assert two.solution == two.tests == ""


def test_related_must_exist_differ_from_itself_and_go_both_ways(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        card("one", 'related = ["two", "ghost"]\n'),
        card("two"),
        card("three", 'related = ["three"]\n'),
        card("four", 'related = ["one", "one"]\n'),
        card("five", "related = 5\n"),
    )
    _, problems = check_cards([path])
    assert f"{path}:3: card one: related card 'ghost' not found" in problems
    assert (
        f"{path}:3: card one: lists 'two' as related, but two ({path}:13) does not list 'one' back"
        in problems
    )
    assert f"{path}:22: card three: related lists the card itself" in problems
    assert f"{path}:32: card four: related lists an id twice" in problems
    assert f"{path}:42: card five: related must be a list of card ids" in problems


def test_related_links_across_files(tmp_path: Path) -> None:
    first = write(tmp_path, card("one", 'related = ["two"]\n'), name="a.toml")
    second = write(tmp_path, card("two", 'related = ["one"]\n'), name="b.toml")
    cards, problems = check_cards([first, second])
    assert problems == [] and [c.related for c in cards] == [("two",), ("one",)]


def test_solution_and_tests_come_together_as_valid_python(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        card("one", 'solution = "x = 1"\n'),
        card("two", 'solution = "def f(:"\ntests = "assert True"\n'),
        card("three", "tests = 3\nsolution = 'x = 1'\n"),
        card("four", 'source = ""\n'),
    )
    _, problems = check_cards([path])
    assert f"{path}:3: card one: 'solution' and 'tests' come together: give both or neither" in (
        problems
    )
    assert any(
        p.startswith(f"{path}:13: card two: 'solution' is not valid Python") for p in problems
    )
    assert f"{path}:24: card three: empty or non-text 'tests'" in problems
    assert f"{path}:35: card four: empty or non-text 'source'" in problems


def test_the_cache_keeps_the_new_fields(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        card("one", 'related = ["two"]\nsolution = "x = 1"\ntests = "assert x == 1"\n'),
        card("two", 'related = ["one"]\nsource = "a book"\n'),
    )
    cache = tmp_path / "cache.json"
    parsed = load_cards_cached([path], cache)
    cached = load_cards_cached([path], cache)  # the second read comes from the JSON cache
    assert json.loads(cache.read_bytes())["cards"][0]
    assert cached == parsed
    assert cached[0].related == ("two",) and isinstance(cached[0].related, tuple)
    assert cached[1].citation == "a book"
    assert cached[0].solution == "x = 1\n"
