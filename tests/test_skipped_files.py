"""One damaged file of the user's does not stop the rest: it is skipped and named on stderr."""

from __future__ import annotations

from pathlib import Path

from studyplan.adapters.content.documents import DOCUMENTS_FOLDER, save_document
from studyplan.adapters.content.importer import import_document
from studyplan.app.workspace import Workspace


def test_a_damaged_document_is_skipped_and_named(tmp_path: Path) -> None:
    home = tmp_path / "home"
    source = tmp_path / "notes.md"
    source.write_text("# Notes\n\n## One\n" + "words worth finding " * 10, encoding="utf-8")
    save_document(home, import_document(source))
    damaged = home / DOCUMENTS_FOLDER / "zz-damaged.json"
    damaged.write_bytes(b'{"doc_id": "zz", "sections": [1, 2]}')
    workspace = Workspace(home)
    sections = workspace.sections()
    assert [s.title for s in sections if s.source == "notes.md"] == ["Notes: One"]
    assert workspace.warnings == [
        f"skipped {damaged}: it is damaged — add its document again to rebuild it"
    ]


def test_a_story_file_repeating_another_ones_id_is_skipped(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "stories").mkdir(parents=True)
    card = (
        'track = "behavioral"\n\n[[card]]\nid = "story-same"\ntopic = "my stories"\n'
        'difficulty = "medium"\nminutes = 5\nprompt = "Tell me."\nanswer = "- It went well."\n'
    )
    for name in ("a.toml", "b.toml"):
        (home / "stories" / name).write_text(card, encoding="utf-8")
    workspace = Workspace(home)
    assert [c.id for c in workspace.cards if c.id.startswith("story-")] == ["story-same"]
    second = home / "stories" / "b.toml"
    assert workspace.warnings == [
        f"skipped the story file {second}: card id 'story-same' is also in another story file"
        " — fix or delete it"
    ]
