"""The documents a user added: one JSON file per document in the workspace's documents/ folder.

Adding a file again replaces its entry (its id comes from where the file is), so a changed
file is updated in place; removing one deletes its entry, and the next index refresh drops
its sections from the search index.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from studyplan.adapters.files import FileWriteError, write_atomic
from studyplan.adapters.structured import parse_json
from studyplan.core.errors import ImportFailed, StudyplanError
from studyplan.core.model import Section

DOCUMENTS_FOLDER = "documents"


class UnknownDocument(StudyplanError):
    def __init__(self, doc_id: str, detail: str) -> None:
        super().__init__(f"{detail} {doc_id!r} — `studyplan docs` lists the documents")


@dataclass(frozen=True, slots=True)
class ImportedDocument:
    """A document read into sections, as it is stored."""

    doc_id: str
    title: str
    source_path: str
    sections: tuple[Section, ...]


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """A document as `studyplan docs` lists it."""

    doc_id: str
    title: str
    source_path: str
    sections: int
    added: str  # ISO date of the last add (an update counts)


def save_document(home: Path, document: ImportedDocument, day: date | None = None) -> bool:
    """Store (or replace) a document; returns True when it was already there."""
    folder = home / DOCUMENTS_FOLDER
    target = folder / f"{document.doc_id}.json"
    payload = {
        "doc_id": document.doc_id,
        "title": document.title,
        "source_path": document.source_path,
        "sections": [asdict(section) for section in document.sections],
    }
    if day is not None:
        payload["added"] = day.isoformat()
    data = json.dumps(payload, indent=1).encode("ascii")  # any file name, escaped
    try:
        folder.mkdir(parents=True, exist_ok=True)
        existed = target.exists()
        write_atomic(target, data)
    except OSError as exc:
        raise ImportFailed(f"cannot save into {folder}: {exc.strerror}") from None
    except FileWriteError as exc:
        raise ImportFailed(f"cannot save into {folder}: {exc.reason}") from None
    return existed


def load_documents(home: Path) -> tuple[list[ImportedDocument], list[str]]:
    """The stored documents, and a warning for each damaged one, which is skipped."""
    documents: list[ImportedDocument] = []
    skipped: list[str] = []
    for path, payload in _payloads(home, skipped):
        try:
            documents.append(_document(payload))
        except (ValueError, KeyError, TypeError, AttributeError):
            skipped.append(_damaged(path))
    return documents, skipped


def list_documents(home: Path) -> tuple[list[StoredDocument], list[str]]:
    """What `studyplan docs` shows, in title order, and a warning for each damaged entry."""
    listed: list[StoredDocument] = []
    skipped: list[str] = []
    for path, payload in _payloads(home, skipped):
        try:
            document = _document(payload)
            added = payload.get("added", "")
            listed.append(
                StoredDocument(
                    document.doc_id,
                    document.title,
                    document.source_path,
                    len(document.sections),
                    added if isinstance(added, str) else "",
                )
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            skipped.append(_damaged(path))
    return sorted(listed, key=lambda d: (d.title.lower(), d.doc_id)), skipped


def remove_document(home: Path, doc_id: str) -> str:
    """Delete the stored document `doc_id` (or the one whose id starts with it); its id."""
    folder = home / DOCUMENTS_FOLDER
    names = sorted(p.stem for p in folder.glob("*.json")) if folder.is_dir() else []
    matches = [name for name in names if name == doc_id] or [
        name for name in names if doc_id and name.startswith(doc_id)
    ]
    if not matches:
        raise UnknownDocument(doc_id, "no document with id")
    if len(matches) > 1:
        raise UnknownDocument(doc_id, f"{len(matches)} documents have ids starting with")
    try:
        (folder / f"{matches[0]}.json").unlink()
    except OSError as exc:
        raise ImportFailed(f"cannot remove from {folder}: {exc.strerror}") from None
    return matches[0]


def _payloads(home: Path, skipped: list[str]) -> list[tuple[Path, dict[str, object]]]:
    found = []
    for path in sorted((home / DOCUMENTS_FOLDER).glob("*.json")):
        try:
            payload = parse_json(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            skipped.append(_damaged(path))
            continue
        if isinstance(payload, dict):
            found.append((path, payload))
        else:
            skipped.append(_damaged(path))
    return found


def _document(payload: dict[str, object]) -> ImportedDocument:
    raw_sections = payload["sections"]
    if not isinstance(raw_sections, list):
        raise TypeError("sections must be a list")
    sections = tuple(
        Section(**{**raw, "companies": tuple(raw.get("companies", ()))}) for raw in raw_sections
    )
    return ImportedDocument(
        str(payload["doc_id"]), str(payload["title"]), str(payload["source_path"]), sections
    )


def _damaged(path: Path) -> str:
    return f"skipped {path}: it is damaged — add its document again to rebuild it"
