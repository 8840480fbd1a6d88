"""The search page: the box, the filters, and the results as `studyplan search` ranks them."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from studyplan.app import library
from studyplan.core.errors import StudyplanError
from studyplan.core.model import COMPANIES, Track
from studyplan.core.text_safety import one_line
from studyplan.web.context import Site
from studyplan.web.templating import page

RESULTS = 10  # as `studyplan search` without -k
LONGEST_QUERY = 500
TRACKS = (*(t.value for t in Track), "career")  # `career`: the guides on the job itself
KINDS = ("section", "card")


@dataclass(frozen=True, slots=True)
class Result:
    """One hit as the page lists it: the snippet in pieces, the matched words marked."""

    rank: int
    id: str
    kind: str
    title: str
    pieces: tuple[tuple[str, bool], ...]
    where: str
    score: float
    own: bool
    also: tuple[str, ...]


def pieces(snippet: str, highlights: Sequence[tuple[int, int]]) -> tuple[tuple[str, bool], ...]:
    """The snippet cut at its highlighted spans: (text, highlighted) in order."""
    parts: list[tuple[str, bool]] = []
    done = 0
    for begin, end in sorted(highlights):
        if begin < done:
            continue
        parts += [(snippet[done:begin], False), (snippet[begin:end], True)]
        done = end
    parts.append((snippet[done:], False))
    return tuple(part for part in parts if part[0])


def _choice(request: Request, name: str, choices: Sequence[str]) -> str | None:
    value = request.query_params.get(name, "")
    return value if value in choices else None


async def search(request: Request) -> Response:
    site: Site = request.app.state.site
    query = request.query_params.get("q", "")[:LONGEST_QUERY]
    track = _choice(request, "track", TRACKS)
    company = _choice(request, "company", COMPANIES)
    kind = _choice(request, "kind", KINDS)
    results: list[Result] = []
    error = ""
    spent = 0.0
    if query.strip():
        began = time.perf_counter()
        try:
            workspace = site.workspaces.searchable()
            wanted = library.SearchRequest(query, RESULTS, "hybrid", track, company, kind)
            hits = library.search(workspace, wanted)
        except StudyplanError as exc:
            error = one_line(str(exc))
        else:
            results = [
                Result(
                    rank,
                    hit.id,
                    hit.kind,
                    hit.title,
                    pieces(hit.snippet, hit.highlights),
                    " / ".join(filter(None, [hit.track, ", ".join(hit.companies)])),
                    hit.score,
                    hit.own,
                    hit.also,
                )
                for rank, hit in enumerate(hits, 1)
            ]
        spent = time.perf_counter() - began
    response = page(
        request,
        "search.html",
        title=f"Search: {query}" if query.strip() else "Search",
        query=query,
        track=track,
        company=company,
        kind=kind,
        tracks=TRACKS,
        companies=COMPANIES,
        kinds=KINDS,
        results=results,
        searched=bool(query.strip()),
        error=error,
    )
    response.headers["server-timing"] = f"search;dur={spent * 1000:.1f}"
    return response
