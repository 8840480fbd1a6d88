"""Turning results into terminal tables and JSON. The only core-side module that knows rich."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from studyplan.content.model import Card
from studyplan.planner import ItemKind, Plan, PlanItem, tracks_of
from studyplan.srs.card_state import CardState, GradeKind
from studyplan.text_safety import CONTROL_CHARACTERS, printable

if TYPE_CHECKING:
    from studyplan.search.index import RefreshReport
    from studyplan.search.query import Hit

KIND_STYLE = {ItemKind.REVIEW: "cyan", ItemKind.RELEARN: "yellow", ItemKind.NEW: "green"}
# json.dumps escapes C0 controls itself; these others would reach the terminal raw.
_JSON_ESCAPES = str.maketrans({c: f"\\u{ord(c):04x}" for c in CONTROL_CHARACTERS if c >= " "})


def literal(text: str, style: str = "") -> Text:
    """Card, document or user text as rich shows it: never markup, no control characters."""
    return Text(printable(text), style=style)


def to_json(value: Any) -> str:
    """JSON with every string exactly as stored; control characters appear only as escapes."""

    def default(obj: Any) -> Any:
        if isinstance(obj, date):
            return obj.isoformat()
        raise TypeError(f"cannot serialise {type(obj).__name__}")

    text = json.dumps(value, indent=2, ensure_ascii=False, default=default)
    return text.translate(_JSON_ESCAPES)


def plan_json(plan: Plan) -> dict[str, Any]:
    return {
        "date": plan.date,
        "minutes_budget": plan.minutes_budget,
        "minutes_done": plan.minutes_done,
        "minutes_planned": plan.minutes_planned,
        "minutes_deferred": plan.minutes_deferred,
        "interview_date": plan.interview_date,
        "items": [asdict(item) for item in plan.items],
        "deferred": [asdict(item) for item in plan.deferred],
    }


def _clip(text: str, width: int) -> str:
    line = " ".join(printable(text).split())
    return line if len(line) <= width else line[: width - 1] + "…"


def _items_table(items: Sequence[PlanItem], title: str, width: int) -> Table:
    table = Table(title=title, title_justify="left", expand=False)
    table.add_column("#", justify="right", style="dim", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("track", no_wrap=True)
    table.add_column("min", justify="right", no_wrap=True)
    table.add_column("card")
    prompt_width = max(40, 2 * (width - 40))  # about two lines of the card column
    for number, item in enumerate(items, 1):
        cell = literal(item.card_id, style="bold")
        cell.append("\n" + _clip(item.prompt, prompt_width))
        table.add_row(
            str(number),
            Text(item.kind.value, style=KIND_STYLE[item.kind]),
            item.track,
            str(item.minutes),
            cell,
        )
    return table


def print_plan(console: Console, plan: Plan) -> None:
    reviews = plan.count(ItemKind.REVIEW)
    relearn = plan.count(ItemKind.RELEARN)
    new = plan.count(ItemKind.NEW)
    headline = f"[bold]{plan.date:%A %d %B %Y}[/bold] — {plan.minutes_planned} of {plan.minutes_budget} min planned"
    if plan.minutes_done:
        headline += f" ({plan.minutes_done} min already done today)"
    console.print(headline)
    if plan.interview_date is not None and plan.interview_date >= plan.date:
        days = (plan.interview_date - plan.date).days
        when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
        console.print(f"Interview {when} ({plan.interview_date}).")
    if not plan.items:
        console.print(
            "Nothing left to study today." if not plan.deferred else "Nothing fits today's budget."
        )
    else:
        parts = [f"{reviews} review{'s' if reviews != 1 else ''}", f"{new} new"]
        if relearn:
            parts.insert(1, f"{relearn} to re-drill")
        tracks = ", ".join(tracks_of(plan.items))
        console.print(_items_table(plan.items, f"{', '.join(parts)} — {tracks}", console.width))
    due = [item for item in plan.deferred if item.kind is not ItemKind.NEW]
    new_cards = [item for item in plan.deferred if item.kind is ItemKind.NEW]
    if due:
        console.print(
            f"[yellow]Deferred:[/yellow] {len(due)} review(s), {sum(i.minutes for i in due)} min "
            "did not fit; the most at-risk come first on the next days."
        )
    if new_cards:
        console.print(
            f"[yellow]Behind pace:[/yellow] {len(new_cards)} new card(s), "
            f"{sum(i.minutes for i in new_cards)} min, are needed today to introduce every target "
            "card a week before the interview — raise minutes-per-day or lower some track-weights."
        )
    if plan.items:
        console.print("Start with [bold]studyplan review[/bold].")


def grade_json(card_id: str, quality: int, state: CardState, kind: GradeKind) -> dict[str, Any]:
    return {
        "card_id": card_id,
        "quality": quality,
        "kind": kind.value,
        "repetitions": state.repetitions,
        "interval": state.interval,
        "easiness": state.easiness / 100,
        "due": state.due,
        "lapses": state.lapses,
    }


def print_grade(
    console: Console, card_id: str, quality: int, state: CardState, kind: GradeKind
) -> None:
    if kind is GradeKind.DRILL:
        note = "re-drill: already reviewed today, schedule unchanged"
        if quality < 4:
            note += "; it comes back until you grade it 4 or more"
        console.print(
            f"{printable(card_id)}: graded {quality} ({note}). Next review {state.due}.",
            markup=False,
        )
        return
    again = " Below 4: it comes back later today." if quality < 4 else ""
    console.print(
        f"{printable(card_id)}: graded {quality}. Next review {state.due} (in {state.interval} "
        f"day{'s' if state.interval != 1 else ''}), easiness {state.easiness / 100:.2f}, "
        f"repetitions {state.repetitions}.{again}",
        markup=False,
    )


def cards_json(cards: Sequence[Card]) -> list[dict[str, Any]]:
    return [
        {
            "id": c.id,
            "track": c.track.value,
            "topic": c.topic,
            "companies": list(c.companies),
            "difficulty": c.difficulty.value,
            "minutes": c.minutes,
            "prompt": c.prompt,
            "answer": c.answer,
        }
        for c in cards
    ]


def print_cards(console: Console, cards: Sequence[Card], states: Mapping[str, CardState]) -> None:
    table = Table(title=f"{len(cards)} card(s)", title_justify="left")
    table.add_column("id")
    table.add_column("track")
    table.add_column("topic")
    table.add_column("level")
    table.add_column("min", justify="right")
    table.add_column("companies")
    table.add_column("next review")
    for card in cards:
        state = states.get(card.id)
        table.add_row(
            literal(card.id),
            card.track.value,
            literal(card.topic),
            card.difficulty.value,
            str(card.minutes),
            literal(", ".join(card.companies)),
            state.due.isoformat() if state else "new",
        )
    console.print(table)


WEEK_ASSUMPTION = "each planned card graded good (4) on its day"


def week_json(plans: Sequence[Plan]) -> dict[str, Any]:
    return {
        "start": plans[0].date if plans else None,
        "assumes": WEEK_ASSUMPTION,
        "days": [
            {
                "date": plan.date,
                "reviews": plan.count(ItemKind.REVIEW) + plan.count(ItemKind.RELEARN),
                "new": plan.count(ItemKind.NEW),
                "minutes": plan.minutes_planned,
                "budget": plan.minutes_budget,
                "load": plan.minutes_planned + plan.minutes_deferred,
                "over_budget": bool(plan.deferred),
                "deferred": len(plan.deferred),
                "interview": plan.interview_date == plan.date,
                "tracks": tracks_of(plan.items),
                "items": [asdict(item) for item in plan.items],
            }
            for plan in plans
        ],
    }


def print_week(console: Console, plans: Sequence[Plan]) -> None:
    table = Table(title=f"The week from {plans[0].date:%a %d %b}", title_justify="left")
    table.add_column("day", no_wrap=True)
    table.add_column("reviews", justify="right")
    table.add_column("new", justify="right")
    table.add_column("minutes", justify="right", no_wrap=True)
    table.add_column("tracks")
    for plan in plans:
        reviews = plan.count(ItemKind.REVIEW) + plan.count(ItemKind.RELEARN)
        load = plan.minutes_planned + plan.minutes_deferred
        minutes = Text(f"{plan.minutes_planned}/{plan.minutes_budget}")
        if plan.deferred:
            minutes = Text(f"{load}/{plan.minutes_budget} over", style="bold red")
        day = Text(f"{plan.date:%a %d %b}")
        if plan.interview_date == plan.date:
            day.append(" ★ interview", style="bold magenta")
        table.add_row(
            day,
            str(reviews),
            str(plan.count(ItemKind.NEW)),
            minutes,
            ", ".join(tracks_of(plan.items)),
        )
    console.print(table)
    console.print(f"Assumes {WEEK_ASSUMPTION}; days marked over carry cards to the next day.")


def refresh_summary(report: RefreshReport, index_dir: Path) -> str:
    if report.damaged:
        names = ", ".join(report.damaged)
        return (
            f"Index repaired: {names} did not match the recorded sha256 and were written again; "
            f"embedded {report.embedded} item(s) in {report.seconds:.1f} s ({index_dir})."
        )
    if report.read_only:
        return (
            f"Index out of date, and its folder is read-only: left as it is, {report.unchanged} "
            f"items ({index_dir})."
        )
    if not (report.embedded or report.removed or report.rebuilt):
        return f"Index up to date: {report.unchanged} items ({index_dir})."
    parts = [f"{report.added} new", f"{report.changed} changed", f"{report.removed} removed"]
    return (
        f"Index {'rebuilt' if report.rebuilt else 'refreshed'}: {', '.join(parts)}; embedded "
        f"{report.embedded} item(s) in {report.seconds:.1f} s ({index_dir})."
    )


def hits_json(hits: Sequence[Hit]) -> list[dict[str, Any]]:
    return [
        {
            "id": hit.id,
            "kind": hit.kind,
            "title": hit.title,
            "text": hit.text,
            "score": round(hit.score, 6),
            "source": hit.source,
            "track": hit.track,
            "companies": list(hit.companies),
            "snippet": hit.snippet,
        }
        for hit in hits
    ]


def print_hits(console: Console, query: str, hits: Sequence[Hit]) -> None:
    if not hits:
        console.print(literal(f"Nothing matches {query!r}. Try other words, or drop a filter."))
        return
    table = Table(title=literal(f"Results for {query!r}"), title_justify="left", show_lines=True)
    table.add_column("#", justify="right", style="dim")
    table.add_column("kind", no_wrap=True)
    table.add_column("title and passage", ratio=1)
    table.add_column("track / company")
    table.add_column("score", justify="right")
    for rank, hit in enumerate(hits, 1):
        passage = literal(hit.title, style="bold")
        passage.append("\n")
        passage.append_text(_highlighted(hit.snippet, hit.highlights))
        passage.append(f"\n{printable(hit.id)}", style="dim")
        where = " / ".join(filter(None, [hit.track, ", ".join(hit.companies)]))
        table.add_row(str(rank), hit.kind, passage, literal(where), f"{hit.score:.3f}")
    console.print(table)


def _highlighted(snippet: str, highlights: Sequence[tuple[int, int]]) -> Text:
    """The snippet with its highlighted spans in bold yellow. Each piece is cleaned on its
    own, so the spans (offsets into the raw snippet) still mark the right words."""
    text = Text()
    done = 0
    for begin, end in sorted(highlights):
        if begin < done:
            continue
        text.append(printable(snippet[done:begin]))
        text.append(printable(snippet[begin:end]), style="bold yellow")
        done = end
    text.append(printable(snippet[done:]))
    return text
