"""Daily study commands: today, review, grade, undo, show, cards, config, check."""

from __future__ import annotations

import time
from dataclasses import asdict
from datetime import date

import click
from rich.console import Console

from studyplan.app import study
from studyplan.app.workspace import Workspace
from studyplan.cli import render, render_study
from studyplan.cli.app import (
    QualityType,
    ask,
    ask_quality,
    date_option,
    json_option,
    main,
    minutes_option,
    new_console,
    today_or,
)
from studyplan.core.model import COMPANIES, Track
from studyplan.core.plan import ItemKind, PlanItem
from studyplan.core.records import MAX_SECONDS
from studyplan.core.settings import KEYS
from studyplan.core.srs.card_state import CardState, GradeKind
from studyplan.core.study_words import day_off_sentence
from studyplan.core.text_safety import one_line


@main.command()
@date_option
@minutes_option
@json_option
@click.pass_obj
def today(workspace: Workspace, day: date | None, minutes: int | None, as_json: bool) -> None:
    """Today's plan: due reviews, re-drills and new cards within the daily minutes."""
    plan, outlook = study.today_with_forecast(workspace, today_or(day), minutes)
    if as_json:
        click.echo(render.to_json(render_study.plan_json(plan, outlook)))
    else:
        render_study.print_plan(new_console(), plan, outlook)


@main.command()
@click.argument("card_id")
@click.argument("quality", type=QualityType())
@date_option
@click.option(
    "--seconds",
    type=click.IntRange(0, MAX_SECONDS),
    help="How long the card took, from seeing it to grading it; teaches review times.",
)
@json_option
@click.pass_obj
def grade(
    workspace: Workspace,
    card_id: str,
    quality: int,
    day: date | None,
    seconds: int | None,
    as_json: bool,
) -> None:
    """Grade one card: QUALITY is 0-5 (SM-2) or again|hard|good|easy."""
    state, kind = study.grade_card(workspace, card_id, quality, today_or(day), seconds)
    if as_json:
        click.echo(
            render.to_json(
                render_study.grade_json(card_id, quality, state, kind, workspace.settings())
            )
        )
    else:
        settings = workspace.settings()
        render_study.print_grade(new_console(), card_id, quality, state, kind, settings)


@main.command()
@date_option
@minutes_option
@click.option("--track", type=click.Choice([t.value for t in Track]), help="Only this track.")
@click.option("--topic", help="Only cards of this topic (as `cards` lists it).")
@click.option(
    "--company",
    type=click.Choice(COMPANIES),
    help="Only cards tagged for this company, unseen ones included.",
)
@click.option(
    "--type",
    "typed",
    is_flag=True,
    help="Practise each card for real: code cards run your code against their tests, others "
    "check a typed answer; you confirm the suggested grade.",
)
@click.pass_obj
def review(
    workspace: Workspace,
    day: date | None,
    minutes: int | None,
    track: str | None,
    topic: str | None,
    company: str | None,
    typed: bool,
) -> None:
    """Study today's plan card by card, or a track, topic or company now (unseen cards of a
    track or company come as extra new ones). Every grade is saved as you give it, with the
    time the card took."""
    from studyplan.core.review_session import ReviewQueue, SessionIO, run_session

    today_ = today_or(day)
    queue = study.review_queue(workspace, today_, minutes, track, topic, company)
    console = new_console()
    if queue.current() is None:
        console.print(_nothing_to_review(workspace, today_), markup=False)
        return
    answers = {card.id: card.answer for card in workspace.cards}
    from studyplan.cli.render_markdown import answer_view  # rich.markdown: only for sessions

    def show_card(item: PlanItem, queue: ReviewQueue) -> None:
        where = (
            f"{queue.graded + 1} of {queue.total} · {queue.minutes_left} min left · "
            f"{item.kind.value} · {item.track}"
        )
        title = f"{where} · {item.card_id}"
        if len(title) + 6 <= console.width:
            console.rule(render.literal(title))
        else:  # the rule would cut the id short: it goes on a line of its own
            console.rule(render.literal(where))
            console.print(render.literal(item.card_id, style="bold"))
        console.print(render.literal(item.prompt))

    chosen: list[int | None] = [None]  # the grade a practised card was given

    def reveal(item: PlanItem) -> bool:
        if typed:
            chosen[0] = _practise(console, workspace, item.card_id)
            return chosen[0] is not None
        if ask("Enter shows the answer, q quits", console) == "q":
            return False
        console.print(answer_view(item.card_id, answers[item.card_id]))
        return True

    settings = workspace.settings()

    def ask_grade() -> int | None:
        return (
            chosen[0]
            if typed
            else ask_quality(console, "Grade 0-5 or again/hard/good/easy (q quits)")
        )

    def graded(item: PlanItem, quality: int, state: CardState, kind: GradeKind) -> None:
        render_study.print_grade(console, item.card_id, quality, state, kind, settings)

    def grade_now(
        card_id: str, quality: int, on: date, seconds: int | None
    ) -> tuple[CardState, GradeKind]:
        return study.grade_card(workspace, card_id, quality, on, seconds)

    io = SessionIO(show_card, reveal, ask_grade, graded, time.monotonic)
    count = run_session(queue, today_, grade_now, io)
    console.print(f"Graded {count} card(s); every grade is saved.")
    if queue.put_off:
        new = sum(1 for item in queue.put_off if item.kind is ItemKind.NEW)
        drills = sum(1 for item in queue.put_off if item.kind is ItemKind.RELEARN)
        early = len(queue.put_off) - new - drills
        parts = [f"{new} new card(s)"] if new else []
        parts += [f"{early} early review(s)"] if early else []
        if parts:
            console.print(f"Today's minutes are spent: {' and '.join(parts)} wait for another day.")
        if drills:
            console.print(
                f"Today's minutes are spent: {drills} re-drill(s) come first on your next study day."
            )


@main.command()
@date_option
@json_option
@click.pass_obj
def undo(workspace: Workspace, day: date | None, as_json: bool) -> None:
    """Take back the last grade or card mark (suspend, unsuspend, known, a placement answer),
    whichever came last: the card returns to exactly its state before it (the log keeps it
    and records the undo)."""
    undone = study.undo_last_grade(workspace, today_or(day))
    if as_json:
        click.echo(render.to_json(render_study.undone_json(undone)))
    else:
        render_study.print_undone(new_console(), undone)


@main.command()
@click.argument("card_id")
@date_option
@json_option
@click.pass_obj
def show(workspace: Workspace, card_id: str, day: date | None, as_json: bool) -> None:
    """One card in full: prompt, answer, schedule and every grade it has had; or a guide or
    document section search found (its id, "guide:..." or "doc:..."), in full."""
    from studyplan.app import library  # sections: only when one is asked for

    if library.is_section_id(card_id):
        section = library.section(workspace, card_id)
        if as_json:
            click.echo(render.to_json(render.section_json(section)))
        else:
            render.print_section(new_console(), section)
        return
    view = study.card_view(workspace, card_id, today_or(day))
    if as_json:
        click.echo(render.to_json(render_study.card_view_json(view)))
    else:
        render_study.print_card_view(new_console(), view)


def _nothing_to_review(workspace: Workspace, day: date) -> str:
    """Why the session is empty: on a day off, when study resumes."""
    settings = workspace.settings()
    if not settings.is_day_off(day):
        return "Nothing to review right now."
    resumes = day_off_sentence(settings.interview_date, settings.next_study_day(day))
    return (
        f"{day:%A %d %B} is a day off. {resumes} To study anyway, give the session its "
        "minutes: `studyplan review --minutes 30`."
    )


def _practise(console: Console, workspace: Workspace, card_id: str) -> int | None:
    """`review --type` on one card: code against its tests, or a typed answer checked."""
    from studyplan.cli import practice_commands
    from studyplan.core.practice import is_code_card

    card = study.find_card(workspace, card_id)
    if is_code_card(card):
        return practice_commands.practise_code(
            console, workspace, card, None, practice_commands.clock()
        )
    return practice_commands.practise_answer(console, workspace, card, None)


@main.command()
@click.option("--track", type=click.Choice([t.value for t in Track]), help="Only this track.")
@click.option("--company", type=click.Choice(COMPANIES), help="Only cards tagged for this company.")
@json_option
@click.pass_obj
def cards(workspace: Workspace, track: str | None, company: str | None, as_json: bool) -> None:
    """List the question cards."""
    chosen = [
        card
        for card in workspace.cards
        if (track is None or card.track.value == track)
        and (company is None or company in card.companies)
    ]
    marks = workspace.store.marks()
    if as_json:
        click.echo(render.to_json(render_study.cards_json(chosen, marks)))
    else:
        render_study.print_cards(new_console(), chosen, workspace.store.states(), marks)


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("key", required=False, type=click.Choice(list(KEYS)))
@click.argument("value", required=False)
@click.option("--unset", is_flag=True, help="Forget KEY's value and use the default.")
@date_option
@json_option
@click.pass_obj
def config(
    workspace: Workspace,
    key: str | None,
    value: str | None,
    unset: bool,
    day: date | None,
    as_json: bool,
) -> None:
    """Show or change settings: interview-date, companies, minutes-per-day, new-per-day,
    track-weights, days-off, weekday-minutes."""
    if key is not None and (value is not None or unset):
        study.set_setting(workspace, key, None if unset else value, today_or(day))
    shown = {
        name: text
        for name, text in study.show_settings(workspace).items()
        if key is None or name == key
    }
    if as_json:
        click.echo(render.to_json({name: text or None for name, text in shown.items()}))
        return
    for name, text in shown.items():
        click.echo(f"{name} = {text}" if text else f"{name} (not set)")


@main.command()
@click.option(
    "--run",
    "run_solutions",
    is_flag=True,
    help="Also run every card's reference solution against its tests (a subprocess each).",
)
@date_option
@json_option
@click.pass_obj
@click.pass_context
def check(
    ctx: click.Context,
    workspace: Workspace,
    run_solutions: bool,
    day: date | None,
    as_json: bool,
) -> None:
    """Validate the shipped corpus and your own cards: every problem with its file and line."""
    from studyplan.app.check import check_corpus

    if run_solutions:
        own_code = [card.id for card in workspace.own_cards if card.solution and card.tests]
        if own_code:
            click.echo(
                f"Running the code of {len(own_code)} of your own card(s) as your user, each in"
                f" its own Python process with the shipped cards' limits: {', '.join(own_code)}",
                err=True,
            )
    report = check_corpus(
        workspace.card_files(),
        workspace.guide_files(),
        today=today_or(day),
        run_solutions=run_solutions,
        own_files=workspace.own_card_files(),
    )
    if as_json:  # the report as it is; exit 1 when it has problems, as without --json
        click.echo(render.to_json(asdict(report)))
        ctx.exit(1 if report.problems else 0)
    for warning in report.warnings:
        click.echo(one_line(f"warning: {warning}"), err=True)
    for problem in report.problems:
        click.echo(one_line(problem), err=True)
    if report.problems:
        mine = " and your own cards" if report.own_files else ""
        raise click.ClickException(f"{len(report.problems)} problem(s) in the corpus{mine}")
    ran = (
        f"; {report.solutions_run} solutions pass their tests ({report.solutions_seconds:.1f} s)"
        if run_solutions
        else ""
    )
    click.echo(
        f"ok: {report.cards} cards in {report.card_files} files, "
        f"{report.sections} guide sections in {report.guide_files} guides{ran}"
        + (
            f"; {report.own_cards} own cards in {report.own_files} files"
            if report.own_files
            else ""
        )
    )
