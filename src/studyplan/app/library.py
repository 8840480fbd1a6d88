"""What the search commands do: keep the index in step with the content, query it, add documents."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from studyplan.adapters.content.importer import ImportedDocument, import_document, save_document
from studyplan.adapters.search.items import Item, items_from_content
from studyplan.app.workspace import Workspace
from studyplan.core.errors import StudyplanError

if TYPE_CHECKING:
    from studyplan.adapters.search.index import ProgressCallback, RefreshReport
    from studyplan.adapters.search.query import Hit


def search_items(workspace: Workspace) -> list[Item]:
    return items_from_content(workspace.cards, workspace.sections())


def refresh(
    workspace: Workspace,
    rebuild: bool = False,
    progress: ProgressCallback | None = None,
    verify: bool = False,
) -> RefreshReport:
    from studyplan.adapters.search.index import refresh_index

    return refresh_index(
        workspace.index, search_items(workspace), rebuild=rebuild, progress=progress, verify=verify
    )


def search(
    workspace: Workspace,
    query: str,
    k: int,
    mode: str,
    track: str | None,
    company: str | None,
    kind: str | None,
) -> list[Hit]:
    from studyplan.adapters.search.query import group_related
    from studyplan.adapters.search.query import search as run_query

    # Room for the related cards that fold into a better hit, so k distinct results remain.
    hits = run_query(
        workspace.index, query, k=2 * k, mode=mode, track=track, company=company, kind=kind
    )
    related = {card.id: card.related for card in workspace.cards if card.related}
    return group_related(hits, related, k)


@dataclass(frozen=True, slots=True)
class AddResult:
    document: ImportedDocument
    replaced: bool


@dataclass(frozen=True, slots=True)
class AddFailure:
    path: Path
    message: str


def add_documents(
    workspace: Workspace, paths: Sequence[Path]
) -> tuple[list[AddResult], list[AddFailure]]:
    """Import each file into the workspace; one bad file does not stop the others."""
    added: list[AddResult] = []
    failed: list[AddFailure] = []
    for path in paths:
        try:
            document = import_document(path)
            added.append(AddResult(document, save_document(workspace.home, document)))
        except StudyplanError as exc:
            failed.append(AddFailure(path, str(exc)))
    return added, failed
