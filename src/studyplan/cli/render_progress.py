"""Terminal and JSON output of `stats`, `mock` and `story`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from studyplan.cli.render import literal
from studyplan.cli.render_forecast import forecast_json
from studyplan.core.forecast import ASSUMPTION, Readiness
from studyplan.core.forecast_words import READINESS_ASSUMPTION, forecast_lines, readiness_lines
from studyplan.core.mock import MockOutcome, MockQuestion, MockSummary, loop_for
from studyplan.core.model import company_name
from studyplan.core.numbers import easiness, percent
from studyplan.core.progress.heatmap import Heatmap
from studyplan.core.progress.report import StatsReport
from studyplan.core.progress.stats import RETENTION_COUNTS, RETENTION_DAYS, GroupProgress
from studyplan.core.review_time import ReviewTimes
from studyplan.core.srs.card_state import MATURE_INTERVAL
from studyplan.core.stories import THEMES, Story, StoryOverview
from studyplan.core.text_safety import printable

HEAT_CHARS = "·░▒▓█"
HEAT_STYLES = ("grey42", "green4", "green3", "green1", "bold bright_green")


def _clock(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


# stats --------------------------------------------------------------------------------------


def stats_json(report: StatsReport) -> dict[str, Any]:
    heat = report.heatmap
    return {
        "date": report.date,
        "retention_days": RETENTION_DAYS,
        "retention_counts": RETENTION_COUNTS,
        "mature_interval": MATURE_INTERVAL,
        "overall": asdict(report.overall),
        "tracks": [asdict(g) for g in report.tracks],
        "companies": [asdict(g) for g in report.companies],
        "companies_are_targets": report.companies_are_targets,
        "weakest_topics": [asdict(w) for w in report.weakest],
        "pace": asdict(report.pace),
        "readiness": None
        if report.readiness is None
        else {
            **asdict(report.readiness),
            "projected_share": round(report.readiness.projected_share, 4),
            "assumes": ASSUMPTION,
        },
        "forecast": forecast_json(report.forecast),
        "review_times": review_times_json(report.review_times),
        "heatmap": {
            "start": heat.start,
            "end": heat.end,
            "total": heat.total,
            "active_days": heat.active_days,
            "busiest": heat.busiest,
            "days": [
                {"date": cell.day, "count": cell.count, "level": cell.level} for cell in heat.cells
            ],
        },
        "streak": asdict(report.streak),
    }


def _groups_table(
    title: str,
    groups: Sequence[GroupProgress],
    total: GroupProgress | None,
    name_of: Callable[[str], str] = str,
) -> Table:
    table = Table(title=title, title_justify="left")
    for name, justify in (
        ("", "left"),
        ("introduced", "right"),
        ("mature", "right"),
        (f"recalled {RETENTION_DAYS}d", "right"),
        ("easiness", "right"),
        ("lapses", "right"),
    ):
        table.add_column(name, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    rows = [*groups, total] if total is not None else list(groups)
    for index, g in enumerate(rows):
        retention = percent(g.retention)
        if g.reviews:
            retention += f" ({g.recalled}/{g.reviews}, {g.hard} hard)"
        table.add_row(
            literal(name_of(g.name)),
            f"{g.introduced}/{g.total}",
            str(g.mature),
            retention,
            easiness(g.average_easiness),
            str(g.lapses),
            end_section=total is not None and index == len(groups) - 1,
            style="bold" if total is not None and g is total else None,
        )
    return table


def print_stats(console: Console, report: StatsReport) -> None:
    overall = report.overall
    console.print(
        f"[bold]{report.date:%A %d %B %Y}[/bold] — {overall.introduced} of {overall.total} "
        f"cards introduced, {overall.mature} mature (interval ≥ {MATURE_INTERVAL} days)."
    )
    console.print(_groups_table("Tracks", report.tracks, overall))
    title = "Target companies" if report.companies_are_targets else "Companies"
    console.print(_groups_table(title, report.companies, None, company_name))
    console.print(f"Recalled counts {RETENTION_COUNTS}.", markup=False)
    if not report.companies_are_targets:
        console.print("Set your targets with [bold]studyplan config companies NAME,...[/bold]")
    _print_weakest(console, report)
    _print_readiness(console, report.readiness)
    if report.forecast is not None:
        for line in forecast_lines(report.forecast):
            console.print(line, markup=False)
    console.print(review_times_line(report.review_times), markup=False)
    print_heatmap(console, report.heatmap)
    streak = report.streak
    console.print(
        f"Streak: {streak.current} day{'s' if streak.current != 1 else ''} "
        f"(longest {streak.longest})."
        + ("" if streak.last_day else " Grade a card to start one: [bold]studyplan review[/bold].")
    )


def review_times_json(times: ReviewTimes) -> dict[str, Any]:
    return {
        "tracks": {
            track.value: {"share_of_first_minutes": round(e.share, 3), "timed_reviews": e.samples}
            for track, e in times.tracks.items()
        },
        "cards_with_own_time": len(times.card_minutes),
        "redrill_rate_new": round(times.new_redrill_rate, 3),
        "redrill_rate_review": round(times.review_redrill_rate, 3),
    }


def review_times_line(times: ReviewTimes) -> str:
    """How long reviews are planned to take, and where that comes from."""
    parts = []
    for track, estimate in times.tracks.items():
        source = f"average of {estimate.samples} timed" if estimate.samples else "default"
        parts.append(f"{track.value} {estimate.share:.0%} ({source})")
    own = len(times.card_minutes)
    return (
        "Review time, as a share of a card's first-time minutes: "
        + ", ".join(parts)
        + (f"; {own} card(s) use their own timings" if own else "")
        + f". Re-drills follow {times.new_redrill_rate:.0%} of new cards and "
        f"{times.review_redrill_rate:.0%} of reviews."
    )


def _print_weakest(console: Console, report: StatsReport) -> None:
    if not report.weakest:
        console.print(
            "Weakest topics: none yet — no introduced card has been failed or found hard."
        )
        return
    console.print("[bold]Weakest topics[/bold] (low recall, low easiness, many lapses):")
    for number, w in enumerate(report.weakest, 1):
        line = Text(f"{number}. ")
        line.append(printable(w.topic), style="bold")
        line.append(
            f" ({printable(w.track)}): recalled {percent(w.retention)}, easiness "
            f"{easiness(w.average_easiness)}, {w.lapses} lapse{'s' if w.lapses != 1 else ''}"
        )
        console.print(line)
        console.print(literal(f"   {w.command}", style="cyan"), soft_wrap=True)


def _print_readiness(console: Console, readiness: Readiness | None) -> None:
    if readiness is None:
        console.print(
            "Readiness: no interview date ahead — set one with "
            "[bold]studyplan config interview-date YYYY-MM-DD[/bold]."
        )
        return
    for line in readiness_lines(readiness):
        console.print(line, markup=False)
    console.print(READINESS_ASSUMPTION, style="dim", markup=False)


def heatmap_lines(heat: Heatmap) -> list[Text]:
    """Month labels, then Monday..Sunday rows, one character per day."""
    weeks = heat.weeks()
    months = Text("    ")
    label_end = 0
    for column, week in enumerate(weeks):
        first = week[0]
        if first is not None and (column == 0 or first.day.day <= 7) and column * 2 >= label_end:
            months.append(" " * (column * 2 - label_end) + f"{first.day:%b}")
            label_end = column * 2 + 3
    lines = [months]
    for row, name in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")):
        line = Text(f"{name} ")
        for week in weeks:
            cell = week[row]
            if cell is None:
                line.append("  ")
            else:
                line.append(HEAT_CHARS[cell.level], style=HEAT_STYLES[cell.level])
                line.append(" ")
        lines.append(line)
    return lines


def print_heatmap(console: Console, heat: Heatmap) -> None:
    console.print(
        f"Reviews, last {len(heat.weeks())} weeks: {heat.total} grade"
        f"{'s' if heat.total != 1 else ''} on {heat.active_days} of {heat.days} days"
        + (f" (busiest day {heat.busiest})" if heat.busiest else "")
    )
    for line in heatmap_lines(heat):
        console.print(line)
    legend = Text("    less ")
    for char, style in zip(HEAT_CHARS, HEAT_STYLES, strict=True):
        legend.append(char + " ", style=style)
    legend.append("more")
    console.print(legend)


# mock ---------------------------------------------------------------------------------------


def print_mock_intro(
    console: Console, company: str | None, questions: Sequence[MockQuestion]
) -> None:
    rounds = ", ".join(r.name for r in loop_for(company))
    total = sum(q.minutes for q in questions)
    who = company_name(company) if company else "a typical ML engineer loop"
    console.print(
        f"[bold]Mock interview[/bold] shaped like {who}: {rounds} — "
        f"{len(questions)} question{'s' if len(questions) != 1 else ''}, {total} min."
    )
    console.print(
        "Answer each out loud or on paper, then tick the key points you covered. "
        "Each grade is saved as you give it; q quits."
    )


def print_mock_question(console: Console, question: MockQuestion, count: int) -> None:
    source = "tagged for the company" if question.tagged else "from the track"
    console.rule(
        literal(f"{question.number} of {count} · {question.round} · {question.card.id} · {source}")
    )
    console.print(literal(question.card.prompt))
    console.print(f"Time allowed: {question.minutes} min.", style="bold")


def print_mock_answer(console: Console, question: MockQuestion, seconds: int) -> None:
    allowed = question.minutes * 60
    taken = f"Time taken: {_clock(seconds)} of {_clock(allowed)}"
    if seconds > allowed:
        console.print(f"{taken} — {_clock(seconds - allowed)} over.", style="yellow")
    else:
        console.print(f"{taken}.")
    from rich.table import Table

    from studyplan.cli.render_markdown import CardMarkdown

    console.print("Model answer, point by point:", style="bold")
    points = Table.grid(padding=(0, 1))
    points.add_column(justify="right", no_wrap=True)
    points.add_column()
    for number, point in enumerate(question.key_points, 1):
        points.add_row(f"  {number}.", CardMarkdown(point))
    console.print(points)


def print_mock_grade(console: Console, outcome: MockOutcome) -> None:
    total = len(outcome.question.key_points)
    late = ", over time" if outcome.over_time else ""
    console.print(
        f"Covered {len(outcome.covered)} of {total} points{late}: SM-2 grade {outcome.quality}."
    )


def print_mock_summary(console: Console, summary: MockSummary) -> None:
    console.rule("Summary")
    console.print(f"Graded {summary.graded} of {summary.asked} question(s); every grade is saved.")
    if summary.went_well:
        console.print("[bold]Went well:[/bold]")
        for o in summary.went_well:
            console.print(
                literal(
                    f"  {o.question.round}: {o.question.card.id} — {len(o.covered)} of "
                    f"{len(o.question.key_points)} points in {_clock(o.seconds)} (grade {o.quality})"
                )
            )
    if summary.to_drill:
        console.print("[bold]Drill next:[/bold]")
        for hint in summary.to_drill:
            console.print(
                literal(f"  {hint.topic} ({hint.card_id}, grade {hint.quality}): {hint.command}")
            )
            for point in hint.missed[:3]:
                console.print(literal(f"    missed: {point}", style="dim"))
    if summary.not_reached:
        ids = ", ".join(q.card.id for q in summary.not_reached)
        console.print(literal(f"Not reached: {ids}."))
    if summary.graded and not summary.to_drill:
        console.print("Nothing to drill from this mock. Try another company with --company.")


# story --------------------------------------------------------------------------------------


def print_story_added(console: Console, story: Story, path: Path) -> None:
    console.print(
        literal(
            f"Saved your story {story.title!r} as card {story.card_id} ({path}); "
            f"it answers: {', '.join(story.themes)}. SM-2 schedules it like any other card; to "
            f"start now, tell it out loud, then run `studyplan grade {story.card_id} good`."
        )
    )


def stories_json(overview: StoryOverview) -> dict[str, Any]:
    return {
        "stories": [
            {
                **asdict(story),
                "card_id": story.card_id,
                "due": state.due if state else None,
            }
            for story, state in overview.stories
        ],
        "themes": list(THEMES),
        "themes_without_story": list(overview.uncovered),
    }


def print_stories(console: Console, overview: StoryOverview) -> None:
    if not overview.stories:
        console.print("No stories yet — add one with [bold]studyplan story add[/bold].")
    else:
        table = Table(
            title=f"{len(overview.stories)} stor{'ies' if len(overview.stories) != 1 else 'y'}",
            title_justify="left",
        )
        table.add_column("story (card id)", ratio=3)
        table.add_column("themes", ratio=2)
        table.add_column("next review", no_wrap=True)
        for story, state in overview.stories:
            table.add_row(
                Text.assemble(printable(story.title), "\n", (printable(story.card_id), "dim")),
                ", ".join(story.themes),
                state.due.isoformat() if state else "new",
            )
        console.print(table)
    if overview.uncovered:
        console.print(f"Themes with no story yet: {', '.join(overview.uncovered)}.")
    else:
        console.print("Every common theme has at least one story.")
