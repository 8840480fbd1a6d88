"""Own-card files of the wrong shape and JSON or TOML nested past the parser's depth, in every
file studyplan reads back: a card is left out with a warning, a cache is rebuilt, and no
command ends in a traceback."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from studyplan.adapters.structured import parse_json, parse_toml

Run = Callable[..., Result]
DAY = "2026-01-05"
DEEP_JSON = "[" * 5000 + "]" * 5000
DEEP_TOML = "x = " + "[" * 2000 + "]" * 2000 + "\n"
READERS = (("today", "--date", DAY), ("cards",), ("stats", "--date", DAY), ("week", "--date", DAY))


def test_nesting_too_deep_is_a_decode_error() -> None:
    with pytest.raises(json.JSONDecodeError, match="nested too deeply"):
        parse_json(DEEP_JSON)
    with pytest.raises(ValueError, match="nested too deeply"):
        parse_toml(DEEP_TOML)
    assert parse_json('{"a": [1]}') == {"a": [1]}


@pytest.fixture
def graded(run: Run) -> None:
    assert run("grade", "coding-two-sum", "good", "--date", DAY).exit_code == 0


def assert_still_works(run: Run) -> None:
    for args in READERS:
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)
    shown = json.loads(run("show", "coding-two-sum", "--json", "--date", DAY).stdout)
    assert [g["quality"] for g in shown["history"]] == [4]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('card = [1, "x", [2]]\n', "a card must be a [[card]] table, not int"),
        (DEEP_TOML, "not valid TOML: arrays or tables nested too deeply"),
        ('[[card]]\nid = "own-x"\nprompt = "p"\nanswer = "a"\ntopic = {a = 1}\n', "'topic'"),
    ],
)
def test_an_own_card_file_of_the_wrong_shape_is_left_out_with_a_warning(
    run: Run, graded: None, isolated_home: Path, content: str, problem: str
) -> None:
    (isolated_home / "cards").mkdir(parents=True, exist_ok=True)
    (isolated_home / "cards" / "mine.toml").write_text(content, encoding="utf-8")
    for args in READERS:
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)
        assert "Warning: left out an own card" in result.output
    checked = run("check")
    assert checked.exit_code == 1 and problem in checked.output
    assert "Traceback" not in checked.output
    assert_still_works(run)


def test_deeply_nested_json_in_the_workspace_is_read_as_damaged(
    run: Run, graded: None, isolated_home: Path
) -> None:
    assert run("cards").exit_code == 0  # writes the card cache
    caches = list((isolated_home / "cache").glob("*.json"))
    assert caches
    for cache in caches:
        cache.write_text(DEEP_JSON, encoding="utf-8")
    (isolated_home / "documents").mkdir(exist_ok=True)
    (isolated_home / "documents" / "notes.json").write_text(DEEP_JSON, encoding="utf-8")
    assert_still_works(run)
    listed = run("docs")
    assert listed.exit_code == 0 and "Traceback" not in listed.output
