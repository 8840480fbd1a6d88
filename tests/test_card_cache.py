"""The parsed-card cache: used when nothing changed, ignored when stale or damaged."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from studyplan.adapters.content.card_cache import FIELDS, load_cards_cached
from studyplan.adapters.content.cards import load_cards
from studyplan.core.errors import CorpusError

CARD = 'track = "coding"\n\n[[card]]\nid = "{id}"\ntopic = "t"\ndifficulty = "easy"\nminutes = 5\nprompt = "{prompt}"\nanswer = "a"\n'


def write(path: Path, card_id: str, prompt: str) -> None:
    path.write_text(CARD.format(id=card_id, prompt=prompt), encoding="utf-8")


def test_cache_is_used_then_refreshed_when_a_file_changes(tmp_path: Path) -> None:
    source, cache = tmp_path / "cards.toml", tmp_path / "cache" / "cards.json"
    write(source, "one", "first")
    assert [c.prompt for c in load_cards_cached([source], cache)] == ["first"]
    assert cache.exists()
    written = cache.stat().st_mtime_ns
    assert [c.prompt for c in load_cards_cached([source], cache)] == ["first"]
    assert cache.stat().st_mtime_ns == written  # a hit rewrites nothing
    write(source, "one", "second, longer")
    assert [c.prompt for c in load_cards_cached([source], cache)] == ["second, longer"]


def test_same_size_edit_with_new_mtime_is_noticed(tmp_path: Path) -> None:
    source, cache = tmp_path / "cards.toml", tmp_path / "cards.json"
    write(source, "one", "aaaa")
    load_cards_cached([source], cache)
    write(source, "one", "bbbb")
    stat = source.stat()
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert [c.prompt for c in load_cards_cached([source], cache)] == ["bbbb"]


def test_damaged_cache_is_ignored_and_rewritten(tmp_path: Path) -> None:
    source, cache = tmp_path / "cards.toml", tmp_path / "cards.json"
    write(source, "one", "first")
    cache.write_bytes(b"not json \xff")
    assert [c.id for c in load_cards_cached([source], cache)] == ["one"]
    assert load_cards_cached([source], cache)[0].id == "one"


def test_invalid_cards_are_reported_not_cached(tmp_path: Path) -> None:
    source, cache = tmp_path / "cards.toml", tmp_path / "cards.json"
    source.write_text('[[card]]\nid = "x"\n', encoding="utf-8")
    with pytest.raises(CorpusError):
        load_cards_cached([source], cache)
    assert not cache.exists()


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"[]",
        b'{"key": 1}',
        # A pickle, as earlier versions wrote: never unpickled, just replaced.
        b"\x80\x04\x95\x10\x00\x00\x00\x00\x00\x00\x00\x8c\x08builtins\x94.",
    ],
)
def test_any_unreadable_cache_is_rebuilt(tmp_path: Path, damage: bytes) -> None:
    source, cache = tmp_path / "cards.toml", tmp_path / "cards.json"
    write(source, "one", "first")
    cache.write_bytes(damage)
    assert [c.id for c in load_cards_cached([source], cache)] == ["one"]
    assert json.loads(cache.read_bytes())["cards"][0][0] == "one"


def test_a_cache_of_other_fields_or_bad_values_is_rebuilt(tmp_path: Path) -> None:
    """What a moved or changed Card class leaves behind: rows that no longer fit."""
    source, cache = tmp_path / "cards.toml", tmp_path / "cards.json"
    write(source, "one", "first")
    load_cards_cached([source], cache)
    stored = json.loads(cache.read_bytes())
    stored["key"][1] = [*stored["key"][1], "priority"]
    cache.write_text(json.dumps(stored), encoding="utf-8")
    assert [c.prompt for c in load_cards_cached([source], cache)] == ["first"]
    stored = json.loads(cache.read_bytes())
    stored["cards"][0][1] = "juggling"  # not a track
    cache.write_text(json.dumps(stored), encoding="utf-8")
    assert [c.track.value for c in load_cards_cached([source], cache)] == ["coding"]
    stored = json.loads(cache.read_bytes())
    stored["cards"][0][5] = "5"  # minutes as text
    cache.write_text(json.dumps(stored), encoding="utf-8")
    assert [c.minutes for c in load_cards_cached([source], cache)] == [5]


def write_three(path: Path) -> None:
    cards = [
        CARD.format(id=f"card-{n}", prompt=f"prompt {n}").split("\n\n", 1)[1] for n in range(3)
    ]
    path.write_text('track = "coding"\n\n' + "\n".join(cards), encoding="utf-8")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("track", "juggling"),
        ("difficulty", ["easy"]),
        ("minutes", True),  # a flag is no number of minutes
        ("prompt", None),
        ("companies", "google"),  # text, not a list
        ("related", [["card-0"]]),
        ("tags", [7]),
        ("source", 12),
    ],
)
def test_a_bad_value_in_any_cached_card_rebuilds_the_cache(
    tmp_path: Path, field: str, value: object
) -> None:
    source, cache = tmp_path / "cards.toml", tmp_path / "cards.json"
    write_three(source)
    parsed = load_cards([source])
    assert load_cards_cached([source], cache) == parsed
    stored = json.loads(cache.read_bytes())
    good = stored["cards"][2][FIELDS.index(field)]
    stored["cards"][2][FIELDS.index(field)] = value
    cache.write_text(json.dumps(stored), encoding="utf-8")
    assert load_cards_cached([source], cache) == parsed
    assert json.loads(cache.read_bytes())["cards"][2][FIELDS.index(field)] == good


def test_a_cached_card_with_a_value_missing_rebuilds_the_cache(tmp_path: Path) -> None:
    source, cache = tmp_path / "cards.toml", tmp_path / "cards.json"
    write_three(source)
    parsed = load_cards([source])
    load_cards_cached([source], cache)
    stored = json.loads(cache.read_bytes())
    stored["cards"][1].pop()
    cache.write_text(json.dumps(stored), encoding="utf-8")
    assert load_cards_cached([source], cache) == parsed
    assert len(json.loads(cache.read_bytes())["cards"][1]) == len(FIELDS)
