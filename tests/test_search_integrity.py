"""Bit rot in an index is found by the sha256 its manifest records, and repaired.

Each damage keeps the file's size and modification time, as a flipped bit on disk would.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from studyplan.adapters.search.errors import IndexCorrupt
from studyplan.adapters.search.index import refresh_index
from studyplan.adapters.search.items import Item
from studyplan.adapters.search.manifest import read_manifest
from studyplan.adapters.search.query import search
from studyplan.adapters.search.storage import VERDICT

pytestmark = pytest.mark.model  # every test here needs the embedding model

Run = Callable[..., Result]
SMALL = 40


@pytest.fixture
def small(
    shipped_items: list[Item], copy_real_index: Callable[[Path], Path], tmp_path: Path
) -> tuple[Path, list[Item]]:
    folder = copy_real_index(tmp_path / "index")
    items = shipped_items[:: len(shipped_items) // SMALL][:SMALL]
    refresh_index(folder, items)
    return folder, items


def flip(path: Path, at: float = 0.5) -> None:
    """Invert one byte in place, then put the size and modification time back."""
    info = path.stat()
    data = bytearray(path.read_bytes())
    data[int(len(data) * at)] ^= 0xFF
    path.write_bytes(bytes(data))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


def file_of(folder: Path, role: str) -> Path:
    return folder / read_manifest(folder).files[role].name


@pytest.mark.parametrize("role", ["dense.faiss", "items.jsonl", "lexical/data.csc.index.npy"])
def test_a_flipped_byte_is_named_not_searched(small: tuple[Path, list[Item]], role: str) -> None:
    folder, _ = small
    damaged = file_of(folder, role)
    flip(damaged)
    with pytest.raises(IndexCorrupt) as caught:
        search(folder, "linked list")
    name = damaged.relative_to(folder).as_posix()
    assert caught.value.detail == f"{name} does not match its recorded sha256"


def test_verifying_refresh_repairs_instead_of_saying_up_to_date(
    small: tuple[Path, list[Item]],
) -> None:
    folder, items = small
    damaged = file_of(folder, "items.jsonl")
    flip(damaged)
    assert refresh_index(folder, items).damaged == ()  # the quick check trusts sizes and times
    report = refresh_index(folder, items, verify=True)
    assert report.damaged == (damaged.name,)
    assert report.embedded == 0  # the intact vectors were reused
    assert len(search(folder, "linked list")) == 10
    assert refresh_index(folder, items, verify=True).damaged == ()


def test_the_encoder_is_verified_once_per_file(small: tuple[Path, list[Item]]) -> None:
    folder, _ = small
    assert len(search(folder, "linked list", mode="semantic")) == 10
    encoder = folder / read_manifest(folder).encoder.name
    verdict = json.loads((folder / VERDICT).read_bytes())
    info = encoder.stat()
    assert verdict["files"][0]["stat"] == [info.st_size, info.st_mtime_ns, info.st_ino]
    weights = read_manifest(folder).encoder_weights
    assert weights is not None and verdict["files"][1]["name"] == weights.name
    data = bytearray(encoder.read_bytes())
    data[len(data) // 2] ^= 0xFF
    encoder.write_bytes(bytes(data))  # a new modification time: verified again
    from studyplan.adapters.search import reader

    reader._open.clear()
    with pytest.raises(IndexCorrupt, match="does not match its recorded sha256"):
        search(folder, "linked list", mode="semantic")


def test_a_damaged_vocabulary_file_is_named_then_repaired(small: tuple[Path, list[Item]]) -> None:
    folder, items = small
    record = read_manifest(folder).encoder_vocabulary
    assert record is not None
    vocabulary = folder / record.name
    vocabulary.write_bytes(vocabulary.read_bytes().replace(b"\ninterview\n", b"\ninterveiw\n"))
    from studyplan.adapters.search import reader

    reader._open.clear()
    with pytest.raises(IndexCorrupt, match=f"{record.name} does not match its recorded sha256"):
        search(folder, "how does Apple interview", mode="semantic")
    report = refresh_index(folder, items, verify=True)
    assert record.name in report.damaged and report.embedded == 0
    reader._open.clear()
    assert len(search(folder, "how does Apple interview", mode="semantic")) == 10


def test_a_programming_error_is_not_taken_for_damage(
    small: tuple[Path, list[Item]], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, _ = small
    from studyplan.adapters.search import reader

    def broken(folder: Path) -> None:
        raise AttributeError("a bug, not a damaged file")

    monkeypatch.setattr(reader.LexicalIndex, "load", broken)
    reader._open.clear()
    with pytest.raises(AttributeError, match="a bug"):
        search(folder, "linked list")


@pytest.fixture
def workspace_index(
    isolated_home: Path, copy_real_index: Callable[[Path], Path], shipped_index: Path
) -> tuple[Path, Path]:
    isolated_home.mkdir(parents=True, exist_ok=True)
    return isolated_home, copy_real_index(shipped_index)


def test_search_repairs_a_damaged_index_and_says_so(
    run: Run, workspace_index: tuple[Path, Path]
) -> None:
    _, folder = workspace_index
    damaged = file_of(folder, "items.jsonl")  # the vectors are intact: nothing to embed again
    flip(damaged, 0.9)
    result = run("search", "reverse a linked list", "--json", "-k", "5")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"{damaged.name} does not match its recorded sha256: rebuilding the search index\n"
    )
    hits = json.loads(result.stdout)
    assert all(hit["score"] <= 1.0 for hit in hits)
    assert "coding-reverse-linked-list" in [hit["id"] for hit in hits]


def test_index_never_says_up_to_date_over_damaged_files(
    run: Run, workspace_index: tuple[Path, Path]
) -> None:
    _, folder = workspace_index
    damaged = file_of(folder, "items.jsonl")
    flip(damaged)
    result = run("index")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        f"Index repaired: {damaged.name} did not match the recorded sha256 and were written again;"
        " embedded 0 item(s)"
    )
    assert run("index").output.startswith("Index up to date: ")


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: data[:10] + bytes([data[10] ^ 0xFF]) + data[11:],  # a flipped byte
        lambda data: b"[" * 5000 + b"]" * 5000,  # nested past the parser's depth
    ],
    ids=["cut-short", "bit-flip", "deep"],
)
def test_a_damaged_sources_record_only_costs_a_fresh_look_at_the_sources(
    run: Run, workspace_index: tuple[Path, Path], damage: Callable[[bytes], bytes]
) -> None:
    _, folder = workspace_index
    assert run("search", "reverse a linked list", "--json").exit_code == 0  # records sources
    sources = folder / "sources.json"
    sources.write_bytes(damage(sources.read_bytes()))
    for _ in range(2):
        result = run("search", "reverse a linked list", "--json", "-k", "5")
        assert result.exit_code == 0, result.output
        assert "coding-reverse-linked-list" in [hit["id"] for hit in json.loads(result.stdout)]
    assert json.loads(sources.read_bytes())["sources"]  # written anew


def test_search_says_so_when_it_repairs_a_truncated_file(
    run: Run, workspace_index: tuple[Path, Path]
) -> None:
    _, folder = workspace_index
    damaged = file_of(folder, "items.jsonl")
    damaged.write_bytes(damaged.read_bytes()[:100])
    result = run("search", "reverse a linked list", "--json", "-k", "5")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"Index repaired: {damaged.name} did not match")
    assert "coding-reverse-linked-list" in [hit["id"] for hit in json.loads(result.stdout)]


def flip_high_bytes(path: Path, count: int = 64) -> None:
    """Invert the sign-and-exponent byte of `count` float32 values spread over the file, then
    put the size and modification time back (the inode never changes: written in place)."""
    info = path.stat()
    with path.open("r+b") as handle:
        for k in range(count):
            at = (info.st_size * k // count) // 4 * 4 + 3
            handle.seek(at)
            byte = handle.read(1)
            handle.seek(at)
            handle.write(bytes([byte[0] ^ 0x7F]))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


def test_damaged_encoder_weights_with_size_and_time_kept_are_seen_and_repaired(
    run: Run, workspace_index: tuple[Path, Path]
) -> None:
    _, folder = workspace_index
    assert run("search", "reverse a linked list", "--json").exit_code == 0  # verdict written
    weights = read_manifest(folder).encoder_weights
    assert weights is not None
    flip_high_bytes(folder / weights.name)
    from studyplan.adapters.search import reader

    reader._open.clear()
    result = run("search", "reverse a linked list", "--json", "-k", "5")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"{read_manifest(folder).encoder.name} embeds a probe text")
    assert "rebuilding the search index" in result.stderr
    assert "coding-reverse-linked-list" in [hit["id"] for hit in json.loads(result.stdout)]
    assert read_manifest(folder).encoder_weights.content_matches(folder)  # type: ignore[union-attr]


def test_the_encoder_is_hashed_in_full_again_after_a_week(small: tuple[Path, list[Item]]) -> None:
    from studyplan.adapters.search.reader import FULL_CHECK_EVERY_S, verify_encoder

    folder, _ = small
    records = read_manifest(folder).encoder_records()
    verify_encoder(folder, records, now=1_000_000.0)
    weights = read_manifest(folder).encoder_weights
    assert weights is not None
    flip(folder / weights.name, 0.25)  # a byte an unused token's row may hold: no probe sees it
    verify_encoder(folder, records, now=1_000_000.0 + FULL_CHECK_EVERY_S - 1)  # trusted
    with pytest.raises(IndexCorrupt, match="does not match its recorded sha256"):
        verify_encoder(folder, records, now=1_000_000.0 + FULL_CHECK_EVERY_S + 1)
