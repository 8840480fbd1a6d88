"""Index lifecycle: incremental refresh, crash safety, damaged files, manifest mismatches.

Each test works on a private copy of the session's real-corpus index, refreshed down to a small
collection whose items it already holds embeddings for, so only edited items are embedded.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from studyplan.adapters.search import reader, writer
from studyplan.adapters.search.dense import load_index, stored_vectors
from studyplan.adapters.search.errors import IndexCorrupt, IndexOutdated
from studyplan.adapters.search.index import (
    DuplicateItems,
    RefreshReport,
    record_sources,
    refresh_index,
    source_stats,
    unchanged_sources,
)
from studyplan.adapters.search.items import Item
from studyplan.adapters.search.manifest import FORMAT_VERSION, read_manifest
from studyplan.adapters.search.query import search
from studyplan.adapters.search.storage import MANIFEST
from studyplan.core.errors import IndexMissing

pytestmark = pytest.mark.model  # every test here needs the embedding model

SMALL = 40


@pytest.fixture
def small(
    copy_real_index: Callable[[Path], Path], shipped_items: list[Item], tmp_path: Path
) -> tuple[Path, list[Item]]:
    """A copy of the real index refreshed down to SMALL items (all embeddings reused)."""
    folder = copy_real_index(tmp_path / "index")
    items = shipped_items[:: len(shipped_items) // SMALL][:SMALL]
    report = refresh_index(folder, items)
    assert (report.removed, report.embedded, report.rebuilt) == (
        len(shipped_items) - SMALL,
        0,
        False,
    )
    return folder, items


def ids(folder: Path, query: str, **options: object) -> list[str]:
    return [hit.id for hit in search(folder, query, **options)]  # type: ignore[arg-type]


def test_first_build_embeds_everything(
    real: tuple[Path, RefreshReport], shipped_items: list[Item]
) -> None:
    report = real[1]
    assert report.rebuilt and report.added == report.embedded == len(shipped_items)
    manifest = read_manifest(real[0])
    assert manifest.model.weights_sha256 == (
        "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
    )
    assert manifest.model.dimension == 384 and manifest.model.max_tokens == 256
    assert manifest.items == [[item.id, item.digest] for item in shipped_items]
    assert manifest.versions["faiss-cpu"] and manifest.versions["bm25s"]


def test_unchanged_collection_is_a_manifest_check_without_heavy_imports(
    real: tuple[Path, RefreshReport], shipped_items: list[Item]
) -> None:
    report = refresh_index(real[0], shipped_items)
    assert (report.embedded, report.unchanged, report.rebuilt) == (0, len(shipped_items), False)
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from studyplan.adapters.content.cards import check_cards\n"
        "from studyplan.adapters.content.guides import load_sections\n"
        "from studyplan.adapters.search.index import refresh_index\n"
        "from studyplan.adapters.search.items import items_from_content\n"
        "from studyplan.app.workspace import default_corpus\n"
        "corpus = default_corpus()\n"
        "cards, _ = check_cards(sorted((corpus / 'cards').glob('*.toml')))\n"
        "items = items_from_content(cards, load_sections(sorted((corpus / 'guides').glob('*.md'))))\n"
        f"report = refresh_index(Path({str(real[0])!r}), items)\n"
        "heavy = {'torch', 'sentence_transformers', 'transformers', 'onnxruntime', 'faiss',"
        " 'bm25s', 'tokenizers'} & set(sys.modules)\n"
        "print(report.embedded, sorted(heavy))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent,
    ).stdout.split()
    assert out == ["0", "[]"]  # nothing embedded, no model or index library even imported


def test_editing_adding_and_removing_items(small: tuple[Path, list[Item]]) -> None:
    folder, items = small
    edited = replace(items[0], text=items[0].text + "\nMnemonic: zorblax the quokka.", digest="")
    new = Item(
        id="user:notes#flamingo",
        kind="section",
        title="My notes: flamingos",
        text="Flamingos balance on one leg to conserve body heat.",
        source="notes.md:1",
        track="",
        companies=(),
    )
    changed = [edited, *items[1:-1], new]
    report = refresh_index(folder, changed)
    assert (report.added, report.changed, report.removed) == (1, 1, 1)
    assert (report.unchanged, report.embedded, report.rebuilt) == (SMALL - 2, 2, False)
    assert ids(folder, "zorblax quokka", mode="lexical")[0] == edited.id
    assert (
        ids(folder, "why do pink wading birds stand on a single leg", mode="semantic")[0] == new.id
    )
    assert items[-1].id not in ids(folder, items[-1].title, k=SMALL)
    again = refresh_index(folder, changed)
    assert (again.embedded, again.unchanged) == (0, SMALL)


def test_stored_embeddings_equal_fresh_ones(small: tuple[Path, list[Item]]) -> None:
    folder, items = small
    manifest = read_manifest(folder)
    stored = stored_vectors(load_index(folder / manifest.files["dense.faiss"].name))
    rebuilt = refresh_index(folder, items, rebuild=True)
    assert rebuilt.rebuilt and rebuilt.embedded == SMALL
    fresh = stored_vectors(load_index(folder / read_manifest(folder).files["dense.faiss"].name))
    np.testing.assert_allclose((stored * fresh).sum(axis=1), 1.0, atol=1e-5)


def test_metadata_change_rewrites_without_embedding(small: tuple[Path, list[Item]]) -> None:
    folder, items = small
    moved = [replace(item, source=f"{item.source}#moved") for item in items]
    report = refresh_index(folder, moved)
    assert (report.embedded, report.changed, report.unchanged) == (0, 0, SMALL)
    hit = search(folder, items[3].title, k=1)[0]
    assert hit.source.endswith("#moved")


def test_identical_texts_share_one_embedding(small: tuple[Path, list[Item]]) -> None:
    folder, items = small
    twins = [
        Item(
            id=f"user:twin#{n}",
            kind="section",
            title="Twins",
            text="Quokkas smile a lot.",
            source="t.md:1",
            track="",
            companies=(),
        )
        for n in range(3)
    ]
    report = refresh_index(folder, [*items, *twins])
    assert (report.added, report.embedded) == (3, 1)


def test_files_are_replaced_atomically_and_old_generations_cleaned(
    small: tuple[Path, list[Item]],
) -> None:
    folder, items = small
    first = read_manifest(folder).generation
    refresh_index(folder, items[:-1])
    second = read_manifest(folder).generation
    refresh_index(folder, items[:-2])
    names = {path.name for path in folder.iterdir()}
    assert not any(".tmp-" in name for name in names)
    assert not any(name.startswith(f"g{first}-") for name in names)
    assert any(name.startswith(f"g{second}-") for name in names)  # kept for readers mid-switch


def test_crash_mid_build_leaves_the_old_index_working(
    small: tuple[Path, list[Item]], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, items = small
    before = (folder / MANIFEST).read_bytes()
    expected = ids(folder, items[5].title)

    def crash(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt  # the user pressing Ctrl-C while BM25 is being written

    monkeypatch.setattr(writer.lexical, "build_lexical", crash)
    with pytest.raises(KeyboardInterrupt):
        refresh_index(folder, items[:-3])
    assert (folder / MANIFEST).read_bytes() == before
    assert ids(folder, items[5].title) == expected
    monkeypatch.undo()
    report = refresh_index(folder, items[:-3])
    assert report.removed == 3 and report.embedded == 0
    assert not any(".tmp-" in path.name for path in folder.iterdir())


@pytest.mark.parametrize(
    "role",
    ["dense.faiss", "items.jsonl", "meta.npz", "lexical/data.csc.index.npy", "lexical/query.json"],
)
def test_damaged_file_is_a_named_error_then_refresh_repairs(
    small: tuple[Path, list[Item]], role: str
) -> None:
    folder, items = small
    target = folder / read_manifest(folder).files[role].name
    target.write_bytes(b"\x00garbage" * 10)
    with pytest.raises(IndexCorrupt, match=r"damaged .* run `studyplan index --rebuild`"):
        search(folder, "linked list")
    report = refresh_index(folder, items)
    assert report.unchanged == SMALL
    assert len(search(folder, "linked list")) == 10


def test_damaged_manifest_triggers_a_full_rebuild(small: tuple[Path, list[Item]]) -> None:
    folder, items = small
    (folder / MANIFEST).write_text("{ not json", encoding="utf-8")
    with pytest.raises(IndexCorrupt, match=r"manifest\.json is not valid JSON"):
        search(folder, "linked list")
    report = refresh_index(folder, items)
    assert report.rebuilt and report.embedded == SMALL
    assert len(search(folder, "linked list")) == 10


def test_damaged_encoder_is_noticed_and_re_exported(small: tuple[Path, list[Item]]) -> None:
    folder, items = small
    encoder = folder / read_manifest(folder).encoder.name
    data = bytearray(encoder.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 64] = b"\xff" * 64  # same size, new mtime
    encoder.write_bytes(bytes(data))
    report = refresh_index(folder, items)
    assert report.embedded == 0  # the stored embeddings were intact; only the export is redone
    assert read_manifest(folder).encoder.content_matches(folder)
    assert len(search(folder, "linked list", mode="semantic")) == 10


def as_format_1(folder: Path) -> None:
    """Make `folder` look as the previous version wrote it: format 1, no vocabulary file."""
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    (folder / manifest.pop("encoder_vocabulary")["name"]).unlink()
    manifest["format"] = 1
    (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    reader._open.clear()


def test_a_format_1_index_is_searched_then_upgraded_in_place(
    small: tuple[Path, list[Item]],
) -> None:
    folder, items = small
    expected = ids(folder, "how does Apple interview")
    as_format_1(folder)
    assert ids(folder, "how does Apple interview") == expected  # the library tokenises
    generation = read_manifest(folder).generation
    report = refresh_index(folder, items)
    assert (report.embedded, report.rebuilt) == (0, False)
    manifest = read_manifest(folder)
    assert (manifest.format, manifest.generation) == (FORMAT_VERSION, generation)
    assert manifest.encoder_vocabulary is not None
    assert manifest.encoder_vocabulary.content_matches(folder)
    reader._open.clear()
    assert ids(folder, "how does Apple interview") == expected


def test_sources_unchanged_still_upgrade_a_format_1_index(
    small: tuple[Path, list[Item]], tmp_path: Path
) -> None:
    folder, _ = small
    source = tmp_path / "cards.toml"
    source.write_text("", encoding="utf-8")
    stats = source_stats([source])
    record_sources(folder, stats)
    assert unchanged_sources(folder, stats) is not None
    as_format_1(folder)
    assert unchanged_sources(folder, stats) is None  # so the refresh that upgrades runs


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("format", 0, IndexOutdated),
        ("model", {"name": "some/other-model"}, IndexOutdated),
    ],
)
def test_manifest_for_another_format_or_model_means_rebuild(
    small: tuple[Path, list[Item]], field: str, value: object, error: type[Exception]
) -> None:
    folder, items = small
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    manifest[field] = value
    (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(error, match="out of date"):
        search(folder, "linked list")
    report = refresh_index(folder, items)
    assert report.rebuilt and report.embedded == SMALL


def test_other_weights_hash_means_rebuild(small: tuple[Path, list[Item]]) -> None:
    folder, items = small
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    manifest["model"]["weights_sha256"] = "0" * 64
    manifest["model"]["weights_stat"] = [0, 0]
    (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    report = refresh_index(folder, items)
    assert report.rebuilt and report.embedded == SMALL


def test_touched_files_are_rehashed_not_rebuilt(small: tuple[Path, list[Item]]) -> None:
    folder, items = small
    for path in folder.rglob("g*"):
        path.touch()
    report = refresh_index(folder, items)
    assert (report.embedded, report.unchanged, report.rebuilt) == (0, SMALL, False)
    # A second check finds nothing to do either.
    again = refresh_index(folder, items)
    assert (again.embedded, again.unchanged, again.rebuilt) == (0, SMALL, False)


def test_missing_index(tmp_path: Path) -> None:
    with pytest.raises(IndexMissing, match=r"no search index .* run `studyplan index`"):
        search(tmp_path / "nowhere", "anything")


def test_empty_collection(small: tuple[Path, list[Item]]) -> None:
    folder, _ = small
    report = refresh_index(folder, [])
    assert report.removed == SMALL
    assert search(folder, "linked list") == []
    assert search(folder, "linked list", mode="lexical") == []


def test_duplicate_ids_are_refused(tmp_path: Path, shipped_items: list[Item]) -> None:
    with pytest.raises(DuplicateItems, match="repeated: 'coding-two-sum'"):
        refresh_index(
            tmp_path,
            [shipped_items[0], *[i for i in shipped_items if i.id == "coding-two-sum"] * 2],
        )
