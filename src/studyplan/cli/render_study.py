"""Showing the study side: today's plan, the week, grades, cards, undo.

rich.table is imported by the functions that draw a table: `today` prints a list, and
starting without it saves a few milliseconds on every plan.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from studyplan.app.study import CardView
from studyplan.cli.render import literal
from studyplan.cli.render_forecast import forecast_json
from studyplan.core.forecast import Forecast
from studyplan.core.forecast_words import forecast_lines
from studyplan.core.model import Card, company_name
from studyplan.core.numbers import easiness
from studyplan.core.plan import ItemKind, Plan, PlanItem, Stage, tracks_of
from studyplan.core.records import Marks, Undone, UndoneMark
from studyplan.core.settings import Settings
from studyplan.core.srs.card_state import CardState, GradeKind, moved_before_interview
from studyplan.core.study_words import grade_sentence, stage_sentences, undone_sentence
from studyplan.core.text_safety import printable

KIND_STYLE = {ItemKind.REVIEW: "cyan", ItemKind.RELEARN: "yellow", ItemKind.NEW: "green"}
WEEK_ASSUMPTION = "each planned card graded good (4) on its day"


def plan_json(plan: Plan, outlook: Forecast | None = None) -> dict[str, Any]:
    return {
        "date": plan.date,
        "stage": plan.stage.value,
        "day_off": plan.stage is Stage.DAY_OFF,
        "resumes_on": plan.resumes,
        "minutes_budget": plan.minutes_budget,
        "minutes_done": plan.minutes_done,
        "minutes_planned": plan.minutes_planned,
        "minutes_redrill": plan.minutes_redrill,
        "minutes_deferred": plan.minutes_deferred,
        "interview_date": plan.interview_date,
        "items": [asdict(item) for item in plan.items],
        "deferred": [asdict(item) for item in plan.deferred],
        "forecast": forecast_json(outlook),
    }


def _items_text(items: Sequence[PlanItem], width: int) -> Text:
    """The plan's items, two lines each: number, kind, track and minutes, then the card's id
    in full (what `show` and `grade` take); below them the prompt, cut to one line.

    One Text for the whole list, in columns of fixed width: rich lays it out in one pass
    (a table measured and wrapped each of its cells, most of what printing the plan cost)."""
    number_width = len(str(len(items)))
    kind_width = max(len(item.kind.value) for item in items)
    track_width = max(len(item.track) for item in items)
    minutes_width = max(len(str(item.minutes)) for item in items)
    indent = " " * (number_width + 2)
    room = max(10, width - len(indent))
    text = Text()
    for number, item in enumerate(items, 1):
        kind = f"{item.kind.value:<{kind_width}}"
        track_minutes = f"  {item.track:<{track_width}}  {item.minutes:>{minutes_width}} min"
        card_id = printable(item.card_id)
        fits = len(indent + kind + track_minutes) + 2 + cell_len(card_id) <= width
        text.append(f"{number:>{number_width}}  ", style="dim")
        text.append(kind, style=KIND_STYLE[item.kind]).append(track_minutes)
        text.append("  " if fits else f"\n{indent}").append(card_id, style="bold")
        prompt = Text(" ".join(printable(item.prompt).split()))
        prompt.truncate(room, overflow="ellipsis")
        text.append(f"\n{indent}").append_text(prompt).append("\n")
    text.rstrip()
    return text


def print_plan(console: Console, plan: Plan, outlook: Forecast | None = None) -> None:
    headline = Text(f"{plan.date:%A %d %B %Y}", style="bold")
    if plan.stage is Stage.DAY_OFF:
        headline.append(" — a day off")
    else:
        headline.append(f" — {plan.minutes_planned} of {plan.minutes_budget} min planned")
    if plan.minutes_redrill:
        headline.append(f", {plan.minutes_redrill} more kept for re-drills")
    if plan.minutes_done:
        headline.append(f" ({plan.minutes_done} min already done today)")
    console.print(headline)
    for line in stage_sentences(plan):
        console.print(line, markup=False)
    if plan.items:
        reviews, new = plan.count(ItemKind.REVIEW), plan.count(ItemKind.NEW)
        parts = [f"{reviews} review{'s' if reviews != 1 else ''}", f"{new} new"]
        if relearn := plan.count(ItemKind.RELEARN):
            parts.insert(1, f"{relearn} to re-drill")
        tracks = ", ".join(tracks_of(plan.items))
        console.print(f"{', '.join(parts)} — {tracks}", markup=False)
        console.print(_items_text(plan.items, console.width))
    elif plan.stage not in (Stage.AFTER_INTERVIEW, Stage.DAY_OFF, Stage.INTERVIEW_DAY):
        console.print(
            "Nothing fits today's budget." if plan.deferred else "Nothing left to study today."
        )
    if plan.deferred:
        minutes = sum(i.minutes for i in plan.deferred)
        console.print(
            Text("Backlog: ", style="yellow").append(
                f"{len(plan.deferred)} review(s), {minutes} min, did not fit; they come first on "
                "the next days, most at risk first, and no new cards come until they are done."
            )
        )
    if outlook is not None:
        for line in forecast_lines(outlook):
            console.print(line, markup=False)
    if plan.items:
        console.print(Text("Start with ").append("studyplan review", style="bold").append("."))


def grade_json(
    card_id: str, quality: int, state: CardState, kind: GradeKind, settings: Settings
) -> dict[str, Any]:
    """The grade as JSON; `comes_on` is the study day the card comes on (its due day, or the
    first study day after it when that is a day off; null when no study day is left)."""
    return {
        "card_id": card_id,
        "quality": quality,
        "kind": kind.value,
        "repetitions": state.repetitions,
        "interval": state.interval,
        "easiness": state.easiness / 100,
        "due": state.due,
        "sm2_due": state.sm2_due,
        "comes_on": settings.next_study_day(state.due),
        "moved_before_interview": moved_before_interview(state),
        "lapses": state.lapses,
    }


def print_grade(
    console: Console,
    card_id: str,
    quality: int,
    state: CardState,
    kind: GradeKind,
    settings: Settings | None = None,
) -> None:
    console.print(grade_sentence(card_id, quality, state, kind, settings), markup=False)


def state_json(state: CardState | None) -> dict[str, Any] | None:
    if state is None:
        return None
    return {
        "repetitions": state.repetitions,
        "interval": state.interval,
        "easiness": state.easiness / 100,
        "due": state.due,
        "introduced": state.introduced,
        "last_review": state.last_review,
        "lapses": state.lapses,
    }


def undone_json(undone: Undone | UndoneMark) -> dict[str, Any]:
    if isinstance(undone, UndoneMark):
        return {
            "undid": "mark",
            "card_id": undone.card_id,
            "day": undone.day,
            "mark": undone.mark.value,
            "state": state_json(undone.state),
        }
    return {
        "undid": "grade",
        "card_id": undone.card_id,
        "day": undone.day,
        "quality": undone.quality,
        "kind": undone.kind.value,
        "state": state_json(undone.state),
    }


def print_undone(console: Console, undone: Undone | UndoneMark) -> None:
    console.print(undone_sentence(undone), markup=False)


def card_view_json(view: CardView) -> dict[str, Any]:
    return {
        **cards_json([view.card], view.marks)[0],
        "review_minutes": view.review_minutes,
        "state": state_json(view.state),
        "history": [
            {
                "day": g.day,
                "quality": g.quality,
                "kind": g.kind.value,
                "seconds": g.seconds,
                "interval_after": g.interval_after,
                "due_after": g.due_after,
                "origin": g.origin or "studyplan",
            }
            for g in view.history
        ],
    }


def print_card_view(console: Console, view: CardView) -> None:
    card, state = view.card, view.state
    console.print(literal(card.id, style="bold"))
    tags = [card.track.value, card.topic, card.difficulty.value, card.priority.value]
    tags += [f"{card.minutes} min to learn", f"about {view.review_minutes} min to review"]
    if card.companies:
        tags.append(", ".join(company_name(c) for c in card.companies))
    console.print(literal(" · ".join(tags), style="dim"))
    console.print()
    console.print(literal(card.prompt))
    console.print()
    from studyplan.cli.render_markdown import answer_view  # rich.markdown: only for `show`

    console.print(answer_view(card.id, card.answer))
    console.print()
    if card.related:
        console.print(literal("Related: " + ", ".join(card.related), style="dim"))
    suspended = view.marks.suspended.get(card.id)
    if suspended is not None:
        console.print(
            f"Suspended since {suspended}: left out of every plan until "
            f"`studyplan card unsuspend {printable(card.id)}`.",
            markup=False,
        )
    known = view.marks.known.get(card.id)
    if known is not None:
        console.print(f"Marked known on {known}: it was never new here.", markup=False)
    if state is None:
        console.print("Not studied yet: it comes as a new card when the plan reaches it.")
    else:
        console.print(
            f"Next review {state.due} (interval {state.interval} d), easiness "
            f"{easiness(state.easiness / 100)}, repetitions {state.repetitions}, lapses {state.lapses}; "
            f"first studied {state.introduced}.",
            markup=False,
        )
    if view.history:
        from rich.table import Table

        table = Table(title="Grades", title_justify="left")
        for name in ("day", "grade", "kind", "time", "next interval"):
            table.add_column(name, justify="right" if name != "kind" else "left")
        for g in view.history:
            seconds = "" if g.seconds is None else f"{g.seconds // 60}:{g.seconds % 60:02d}"
            kind = g.kind.value + (f" ({g.origin})" if g.origin else "")
            table.add_row(str(g.day), str(g.quality), kind, seconds, f"{g.interval_after} d")
        console.print(table)


def cards_json(cards: Sequence[Card], marks: Marks | None = None) -> list[dict[str, Any]]:
    marks = Marks() if marks is None else marks
    return [
        {
            "id": c.id,
            "track": c.track.value,
            "topic": c.topic,
            "companies": list(c.companies),
            "difficulty": c.difficulty.value,
            "priority": c.priority.value,
            "related": list(c.related),
            "minutes": c.minutes,
            "prompt": c.prompt,
            "answer": c.answer,
            "tags": list(c.tags),
            "suspended": c.id in marks.suspended,
            "known": c.id in marks.known,
            "media": list(c.media_files()),
            "deck": c.deck,
        }
        for c in cards
    ]


def print_cards(
    console: Console,
    cards: Sequence[Card],
    states: Mapping[str, CardState],
    marks: Marks | None = None,
) -> None:
    """Ids in full (they are what `show`, `grade` and `review` take), the rest beside them;
    `next` is the next review, `new`, or `suspended`."""
    suspended = {} if marks is None else marks.suspended
    from rich.table import Table

    table = Table(title=f"{len(cards)} card(s)", title_justify="left", box=None, pad_edge=False)
    table.add_column("id", no_wrap=True, min_width=max((len(c.id) for c in cards), default=2))
    table.add_column("priority", no_wrap=True)
    table.add_column("min", justify="right", no_wrap=True)
    table.add_column("next", no_wrap=True)
    table.add_column("topic")
    for card in cards:
        state = states.get(card.id)
        table.add_row(
            literal(card.id),
            card.priority.value,
            str(card.minutes),
            "suspended" if card.id in suspended else state.due.isoformat() if state else "new",
            literal(card.topic),
        )
    console.print(table)


def week_json(plans: Sequence[Plan]) -> dict[str, Any]:
    return {
        "start": plans[0].date if plans else None,
        "assumes": WEEK_ASSUMPTION,
        "days": [
            {
                "date": plan.date,
                "stage": plan.stage.value,
                "day_off": plan.stage is Stage.DAY_OFF,
                "reviews": plan.count(ItemKind.REVIEW) + plan.count(ItemKind.RELEARN),
                "new": plan.count(ItemKind.NEW),
                "minutes": plan.minutes_planned,
                "minutes_redrill": plan.minutes_redrill,
                "budget": plan.minutes_budget,
                "deferred": len(plan.deferred),
                "minutes_deferred": plan.minutes_deferred,
                "load": plan.minutes_planned + plan.minutes_deferred,
                "over_budget": bool(plan.deferred),
                "interview": plan.interview_date == plan.date,
                "tracks": tracks_of(plan.items),
                "items": [asdict(item) for item in plan.items],
            }
            for plan in plans
        ],
    }


def print_week(console: Console, plans: Sequence[Plan]) -> None:
    from rich.table import Table

    table = Table(title=f"The week from {plans[0].date:%a %d %b}", title_justify="left")
    table.add_column("day", no_wrap=True)
    table.add_column("reviews", justify="right")
    table.add_column("new", justify="right")
    table.add_column("planned", justify="right", no_wrap=True)
    table.add_column("backlog", justify="right", no_wrap=True)
    table.add_column("tracks")
    for plan in plans:
        day = Text(f"{plan.date:%a %d %b}")
        if plan.interview_date == plan.date:
            day.append(" ★ interview", style="bold magenta")
        planned = f"{plan.minutes_planned + plan.minutes_redrill}/{plan.minutes_budget}"
        backlog = Text("")
        if plan.deferred:
            backlog = Text(
                f"{len(plan.deferred)} · {plan.minutes_deferred} min over", style="bold red"
            )
        if plan.stage is Stage.AFTER_INTERVIEW:
            table.add_row(day, "", "", "", "", Text("after the interview", style="dim"))
            continue
        if plan.stage is Stage.DAY_OFF and not plan.items:
            table.add_row(day, "", "", "", "", Text("day off", style="dim"))
            continue
        table.add_row(
            day,
            str(plan.count(ItemKind.REVIEW) + plan.count(ItemKind.RELEARN)),
            str(plan.count(ItemKind.NEW)),
            planned,
            backlog,
            ", ".join(tracks_of(plan.items)),
        )
    console.print(table)
    console.print(
        f"Assumes {WEEK_ASSUMPTION}. Planned minutes include the time kept for re-drills; "
        "the backlog is due work that did not fit and moves to the next day."
    )
