"""What the search commands do: keep the two index layers in step with the content, query
them, add and remove documents.

The shipped corpus (guides and shipped cards) is indexed once per installation, in
`Workspace.index`, and shared by every workspace; each workspace indexes only what is its own
(`Workspace.own_index`: the documents it added and `Workspace.own_cards`). A query searches both.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from studyplan.adapters.content.documents import (
    ImportedDocument,
    StoredDocument,
    list_documents,
    remove_document,
    save_document,
)
from studyplan.adapters.search.items import Item, items_from_content
from studyplan.app.workspace import Workspace
from studyplan.core.errors import IndexMissing, StudyplanError, UnknownSection
from studyplan.core.model import Section

if TYPE_CHECKING:
    from studyplan.adapters.search.index import ProgressCallback, RefreshReport
    from studyplan.adapters.search.query import Hit


SECTION_PREFIXES = ("guide:", "doc:")  # a guide's section, a section of a document added


def is_section_id(text: str) -> bool:
    return text.startswith(SECTION_PREFIXES)


def section(workspace: Workspace, section_id: str) -> Section:
    """The guide or document section `section_id` names: its full id as search prints it, or
    a unique start of it (a narrow terminal may cut an id short with "…")."""
    wanted = section_id.strip().removesuffix("…")
    sections = (
        workspace.guide_sections() if wanted.startswith("guide:") else workspace.document_sections()
    )
    exact = [s for s in sections if s.id == wanted]
    if exact:
        return exact[0]
    starting = [s for s in sections if wanted and s.id.startswith(wanted)]
    if len(starting) == 1:
        return starting[0]
    if starting:
        raise UnknownSection(section_id, f"{len(starting)} sections have ids starting with")
    raise UnknownSection(section_id)


def shipped_items(workspace: Workspace) -> list[Item]:
    return items_from_content(workspace.shipped_cards, workspace.guide_sections())


def own_items(workspace: Workspace) -> list[Item]:
    """Whatever is the user's own: their cards of every kind, then their documents."""
    return items_from_content(workspace.own_cards, workspace.document_sections())


def search_items(workspace: Workspace) -> list[Item]:
    return shipped_items(workspace) + own_items(workspace)


def shipped_index_ready(workspace: Workspace) -> bool:
    """Whether the shared index of the shipped corpus has been built (a file check only)."""
    from studyplan.adapters.search.storage import MANIFEST

    return (workspace.index / MANIFEST).is_file()


@dataclass
class LayeredReport:
    shipped: RefreshReport
    own: RefreshReport | None  # None: the workspace has nothing of its own to index


Notify = Callable[[str], None]  # hears what a command is doing that the user should know


def refresh(
    workspace: Workspace,
    rebuild: bool = False,
    progress: ProgressCallback | None = None,
    verify: bool = False,
    notify: Notify | None = None,
) -> LayeredReport:
    """Bring both layers up to date; the own layer embeds with the shipped layer's encoder.
    `notify` hears when the shipped layer is built for the first time."""
    if notify is not None and not shipped_index_ready(workspace):
        from studyplan.adapters.search.model_files import model_dir

        model_dir()  # without the model nothing can be built, and that is all there is to say
        notify(
            "Building the search index of the shipped guides and cards, once for every "
            f"workspace ({workspace.index})"
        )
    from studyplan.adapters.search import index as indexes
    from studyplan.adapters.search.index import RefreshReport, SharedEncoder, refresh_index
    from studyplan.adapters.search.manifest import read_manifest
    from studyplan.adapters.search.storage import MANIFEST

    sources = indexes.source_stats([*workspace.card_files(), *workspace.guide_files()])
    quick = None if rebuild or verify else indexes.unchanged_sources(workspace.index, sources)
    if quick is not None:
        shipped = quick  # the corpus files are as they were: no card or guide is read
    else:
        shipped = refresh_index(
            workspace.index,
            shipped_items(workspace),
            rebuild=rebuild,
            progress=progress,
            verify=verify,
        )
        if not shipped.read_only:
            indexes.record_sources(workspace.index, sources)
    items = own_items(workspace)
    if not items and not (workspace.own_index / MANIFEST).exists():
        return LayeredReport(shipped, None)
    encoder = SharedEncoder(workspace.index, read_manifest(workspace.index).encoder)
    try:
        own = refresh_index(
            workspace.own_index,
            items,
            rebuild=rebuild,
            progress=progress,
            verify=verify,
            encoder=encoder,
        )
    except IndexMissing:
        # A read-only workspace never indexed: search the shipped layer alone.
        own = RefreshReport(len(items), 0, 0, 0, 0, 0.0, False, read_only=True)
    return LayeredReport(shipped, own)


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """A query and its options, as `studyplan search` takes them."""

    query: str
    k: int
    mode: str
    track: str | None = None
    company: str | None = None
    kind: str | None = None


def search(
    workspace: Workspace,
    request: SearchRequest,
    progress: ProgressCallback | None = None,
    notify: Notify | None = None,
) -> list[Hit]:
    """The best `request.k` hits of both layers. When the index turns out damaged, it is
    repaired and searched again: damaged files are written again from what is intact;
    anything else, a full rebuild (`notify` hears why)."""
    from studyplan.adapters.search.errors import IndexCorrupt

    try:
        return _search_once(workspace, request)
    except IndexCorrupt as exc:
        if notify is not None:
            notify(f"{exc.detail}: rebuilding the search index")
    repaired = refresh(workspace, verify=True, progress=progress, notify=notify)
    if not (repaired.shipped.damaged or (repaired.own and repaired.own.damaged)):
        refresh(workspace, rebuild=True, progress=progress, notify=notify)
    return _search_once(workspace, request)


def _search_once(workspace: Workspace, request: SearchRequest) -> list[Hit]:
    from studyplan.adapters.search.query import group_related
    from studyplan.adapters.search.query import search as run_query

    # Room for the related cards that fold into a better hit, so k distinct results remain.
    hits = run_query(
        workspace.index,
        request.query,
        k=2 * request.k,
        mode=request.mode,
        track=request.track,
        company=request.company,
        kind=request.kind,
        own_dir=workspace.own_index,
    )
    # The index records each card's related cards, so no card file is read here.
    related = {hit.id: hit.related for hit in hits if hit.related}
    return group_related(hits, related, request.k)


@dataclass(frozen=True, slots=True)
class AddResult:
    document: ImportedDocument
    replaced: bool


@dataclass(frozen=True, slots=True)
class AddFailure:
    path: Path
    message: str


def add_documents(
    workspace: Workspace, paths: Sequence[Path], day: date | None = None
) -> tuple[list[AddResult], list[AddFailure]]:
    """Import each file (a folder: every Markdown or text file under it) into the workspace;
    one bad file does not stop the others."""
    # The importer (Markdown and plain-text readers) loads here, not with this module:
    # a search never needs it.
    from studyplan.adapters.content.importer import document_files, import_document, is_folder

    added: list[AddResult] = []
    failed: list[AddFailure] = []
    for folder in paths:
        if is_folder(folder) and not document_files([folder]):
            failed.append(AddFailure(folder, f"{folder} holds no .md, .markdown or .txt file"))
    for path in document_files(paths):
        try:
            document = import_document(path)
            added.append(AddResult(document, save_document(workspace.home, document, day)))
        except StudyplanError as exc:
            failed.append(AddFailure(path, str(exc)))
    return added, failed


def documents(workspace: Workspace) -> list[StoredDocument]:
    listed, skipped = list_documents(workspace.home)
    for message in skipped:
        workspace.warn(message)
    return listed


def remove(workspace: Workspace, doc_id: str) -> str:
    """Remove a stored document; the next refresh drops its sections from the index."""
    return remove_document(workspace.home, doc_id)
