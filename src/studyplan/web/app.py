"""The web page's application: its routes, each a thin handler over the same use cases as the
command line (`studyplan.app`), behind the guard."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import date
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from studyplan.adapters.content.markdown import code_css
from studyplan.app.workspace import Workspace
from studyplan.core.errors import StudyplanError, UnknownCard
from studyplan.core.text_safety import one_line
from studyplan.web import finding, progress_pages, study_pages
from studyplan.web.context import Site, Workspaces
from studyplan.web.guard import Guard
from studyplan.web.templating import page

STATIC = Path(__file__).with_name("static")


def code_styles(_request: Request) -> Response:
    return Response(
        code_css(".md pre, .code"),
        media_type="text/css",
        headers={"cache-control": "private, max-age=3600"},
    )


async def studyplan_error(request: Request, exc: Exception) -> HTMLResponse:
    status = 404 if isinstance(exc, UnknownCard) else 400
    return page(request, "error.html", status=status, title="Error", message=one_line(str(exc)))


def _closing(site: Site) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            site.workspaces.close()

    return lifespan


def create_app(site: Site) -> Starlette:
    routes = [
        Route("/", study_pages.today),
        Route("/review", study_pages.review),
        Route("/review/grade", study_pages.review_grade, methods=["POST"]),
        Route("/review/restart", study_pages.review_restart, methods=["POST"]),
        Route("/undo", study_pages.undo, methods=["POST"]),
        Route("/card/{card_id}", study_pages.card),
        Route("/card/{card_id}/grade", study_pages.card_grade, methods=["POST"]),
        Route("/card/{card_id}/run", study_pages.card_run, methods=["POST"]),
        Route("/card/{card_id}/check", study_pages.card_check, methods=["POST"]),
        Route("/search", finding.search),
        Route("/week", progress_pages.week),
        Route("/stats", progress_pages.stats),
        Route("/stats/readiness", progress_pages.readiness),
        Route("/code.css", code_styles),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(Guard, port=site.port, token=site.token)],
        exception_handlers={StudyplanError: studyplan_error},
        lifespan=_closing(site),
    )
    app.state.site = site
    return app


def site_for(workspace: Workspace, port: int, token: str, fixed_day: date | None = None) -> Site:
    """A site over the workspace's folder, corpus and index (opened afresh when its files
    change)."""
    home, corpus, index_dir = workspace.home, workspace.corpus, workspace.index_dir
    workspaces = Workspaces(lambda: Workspace(home, corpus, index_dir))
    return Site(workspaces, token, port, fixed_day)
