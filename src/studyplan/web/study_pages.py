"""The study pages: today, the review, one card, undo. Each handler calls the use case the
matching command calls (`app.study`) and renders its result."""

from __future__ import annotations

import time
from functools import partial
from urllib.parse import quote

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from studyplan.app import practice, study
from studyplan.app.workspace import Workspace
from studyplan.core.errors import StudyplanError
from studyplan.core.forecast_words import forecast_lines
from studyplan.core.plan import ItemKind, tracks_of
from studyplan.core.practice import is_code_card
from studyplan.core.review_session import review_seconds
from studyplan.core.srs.card_state import CardState, GradeKind
from studyplan.core.study_words import grade_sentence, stage_sentences, undone_sentence
from studyplan.core.text_safety import one_line
from studyplan.web.context import Site
from studyplan.web.review import ReviewRun
from studyplan.web.templating import form_fields, page

DAYS_AHEAD = 6
GRADE_WORDS = {0: "blackout", 1: "again", 2: "wrong", 3: "hard", 4: "good", 5: "easy"}


def _site(request: Request) -> Site:
    site: Site = request.app.state.site
    return site


def _back(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def _quality(fields: dict[str, str]) -> int | None:
    text = fields.get("quality", "")
    return int(text) if text in {"0", "1", "2", "3", "4", "5"} else None


async def today(request: Request) -> Response:
    site = _site(request)
    day = site.day()
    workspace = site.workspaces.current()
    plan, outlook, ahead = site.remembered(
        "today", lambda: study.today_and_ahead(workspace, day, DAYS_AHEAD)
    )
    return page(
        request,
        "today.html",
        title="Today",
        plan=plan,
        items=list(enumerate(plan.items, 1)),
        counts={kind.value: plan.count(kind) for kind in ItemKind},
        tracks=tracks_of(plan.items),
        stage=plan.stage.value,
        stage_lines=stage_sentences(plan),
        forecast=forecast_lines(outlook) if outlook is not None else [],
        ahead=ahead,
        kinds=ItemKind,
        notice=request.query_params.get("notice", ""),
    )


def _run(site: Site, workspace: Workspace) -> ReviewRun:
    day = site.day()
    if site.review is None or site.review.day != day:
        queue = study.review_queue(workspace, day, None, None, None)
        site.review = ReviewRun(queue, day, settings=workspace.settings())
    return site.review


async def review(request: Request) -> Response:
    site = _site(request)
    workspace = site.workspaces.current()
    run = _run(site, workspace)
    item = run.current()
    card = study.find_card(workspace, item.card_id) if item is not None else None
    put_off_new = sum(1 for i in run.queue.put_off if i.kind is ItemKind.NEW)
    return page(
        request,
        "review.html",
        title="Review",
        item=item,
        card=card,
        queue=run.queue,
        last=run.last.sentence() if run.last is not None else "",
        last_failed=run.last is not None and run.last.quality < 4,
        stale=request.query_params.get("stale") == "1",
        put_off_new=put_off_new,
        put_off_early=len(run.queue.put_off) - put_off_new,
    )


async def review_grade(request: Request) -> Response:
    site = _site(request)
    fields = await form_fields(request)
    quality = _quality(fields)
    workspace = site.workspaces.current()
    run = _run(site, workspace)
    if quality is None:
        return _back("/review")

    def grader(
        card_id: str, given: int, day: object, seconds: int | None
    ) -> tuple[CardState, GradeKind]:
        return study.grade_card(workspace, card_id, given, run.day, seconds)

    note = run.grade(fields.get("card_id", ""), quality, grader)
    return _back("/review" if note is not None else "/review?stale=1")


async def review_restart(request: Request) -> Response:
    _site(request).review = None
    return _back("/review")


async def undo(request: Request) -> Response:
    """`studyplan undo`: the last grade taken back; a review in progress starts afresh from
    the plan, which now holds that card again."""
    site = _site(request)
    fields = await form_fields(request)
    workspace = site.workspaces.current()
    try:
        undone = study.undo_last_grade(workspace, site.day())
    except StudyplanError as exc:
        site.notices.append(str(exc))
    else:
        site.notices.append(undone_sentence(undone))
        site.review = None
    return _back("/review" if fields.get("next") == "/review" else "/")


async def card(request: Request) -> Response:
    site = _site(request)
    card_id = request.path_params["card_id"]
    site.practice_started.setdefault(card_id, time.monotonic())
    return _card_page(request, card_id)


def _card_page(
    request: Request,
    card_id: str,
    *,
    code: str | None = None,
    answer: str = "",
    code_result: practice.CodeResult | None = None,
    answer_result: practice.AnswerResult | None = None,
    practice_error: str = "",
) -> Response:
    """The card in full, its schedule and grades, and a way to practise it: a code editor
    and its tests for a coding card, a box for a typed answer otherwise."""
    site = _site(request)
    workspace = site.workspaces.current()
    view = study.card_view(workspace, card_id, site.day())
    code_card = is_code_card(view.card)
    if code_card and code is None:
        try:
            code = practice.saved_code(workspace, card_id)
        except StudyplanError as exc:  # the practice file is unreadable: start afresh
            code, practice_error = practice.starter_code(workspace, card_id), one_line(str(exc))
    result = code_result or answer_result
    return page(
        request,
        "card.html",
        title=view.card.id,
        view=view,
        card=view.card,
        code_card=code_card,
        code=code or "",
        answer=answer,
        code_result=code_result,
        answer_result=answer_result,
        practice_error=practice_error,
        suggested=result.suggested_grade if result is not None else None,
        grade_words=GRADE_WORDS,
    )


async def card_run(request: Request) -> Response:
    """Run the code in the editor against the card's tests (the runner of `check --run`, in
    a limited child process, on a worker thread); the result suggests a grade."""
    site = _site(request)
    card_id = request.path_params["card_id"]
    code = (await form_fields(request)).get("code", "")
    if len(code.encode("utf-8")) > practice.MAX_CODE_BYTES:
        return _card_page(
            request, card_id, code=code, practice_error="The code is over 256 KiB: not run."
        )
    workspace = site.workspaces.current()
    started = site.practice_started.get(card_id)
    attempt = time.monotonic() - started if started is not None else None
    try:
        practice.save_code(workspace, card_id, code)
        not_saved = ""
    except StudyplanError as exc:
        not_saved = one_line(str(exc))
    result = await anyio.to_thread.run_sync(
        partial(practice.run_code, workspace, card_id, code, attempt_seconds=attempt)
    )
    return _card_page(request, card_id, code=code, code_result=result, practice_error=not_saved)


async def card_check(request: Request) -> Response:
    """Compare a typed answer with the card's key points (on a worker thread: the first
    check loads the embedding model)."""
    site = _site(request)
    card_id = request.path_params["card_id"]
    answer = (await form_fields(request)).get("answer", "")
    if len(answer.encode("utf-8")) > practice.MAX_ANSWER_BYTES:
        return _card_page(
            request, card_id, answer=answer, practice_error="The answer is over 64 KiB."
        )
    workspace = site.workspaces.current()
    try:
        result = await anyio.to_thread.run_sync(practice.check_answer, workspace, card_id, answer)
    except StudyplanError as exc:
        return _card_page(request, card_id, answer=answer, practice_error=one_line(str(exc)))
    return _card_page(request, card_id, answer=answer, answer_result=result)


async def card_grade(request: Request) -> Response:
    """A grade given on the card's page (after practising it, say): saved at once, as
    `studyplan grade` saves it; a review in progress starts afresh from the plan."""
    site = _site(request)
    fields = await form_fields(request)
    quality = _quality(fields)
    card_id = request.path_params["card_id"]
    if quality is not None:
        workspace = site.workspaces.current()
        started = site.practice_started.pop(card_id, None)
        seconds = review_seconds(started, time.monotonic()) if started is not None else None
        state, kind = practice.save_grade(workspace, card_id, quality, site.day(), seconds)
        site.notices.append(grade_sentence(card_id, quality, state, kind, workspace.settings()))
        site.review = None
    return _back(card_path(card_id))


def card_path(card_id: str) -> str:
    return "/card/" + quote(card_id, safe="")
