"""The geometry of the page's charts, drawn as SVG by the templates: every length an attribute
(no style attribute, so the Content-Security-Policy needs no inline style), every colour a
CSS class."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from studyplan.core.forecast import MAX_ADVICE_MINUTES, Forecast
from studyplan.core.numbers import percent
from studyplan.core.plan import Plan
from studyplan.core.progress.heatmap import Heatmap
from studyplan.core.progress.stats import GroupProgress

CELL, GAP, LEFT, TOP = 12, 3, 30, 16
BAR_LEFT, BAR_WIDTH, ROW = 130, 420, 24


@dataclass(frozen=True, slots=True)
class HeatCell:
    x: int
    y: int
    level: int
    title: str


@dataclass(frozen=True, slots=True)
class HeatmapChart:
    width: int
    height: int
    cells: tuple[HeatCell, ...]
    months: tuple[tuple[int, str], ...]  # (x, "Jan") where a month begins
    weekdays: tuple[tuple[int, str], ...]  # (y, "Mon")


def heatmap_chart(heat: Heatmap) -> HeatmapChart:
    """Weeks as columns, Monday at the top, like a contribution graph."""
    cells: list[HeatCell] = []
    months: list[tuple[int, str]] = []
    weeks = heat.weeks()
    for column, week in enumerate(weeks):
        x = LEFT + column * (CELL + GAP)
        first = week[0]
        if first is not None and (column == 0 or first.day.day <= 7):
            if months and x - months[-1][0] < 3 * (CELL + GAP):
                months.pop()  # too close to the next month's name: the first column's goes
            months.append((x, f"{first.day:%b}"))
        for row, day in enumerate(week):
            if day is None:
                continue
            grades = f"{day.count} grade{'s' if day.count != 1 else ''}"
            cells.append(HeatCell(x, TOP + row * (CELL + GAP), day.level, f"{day.day}: {grades}"))
    weekdays = tuple(
        (TOP + row * (CELL + GAP) + 10, name) for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri"))
    )
    return HeatmapChart(
        LEFT + len(weeks) * (CELL + GAP),
        TOP + 7 * (CELL + GAP),
        tuple(cells),
        tuple(months),
        weekdays,
    )


@dataclass(frozen=True, slots=True)
class GroupBar:
    """One row of a progress chart: all the group's cards, introduced ones, mature ones."""

    y: int
    name: str
    introduced: float  # widths in the chart's units
    mature: float
    caption: str


def progress_bars(groups: Sequence[GroupProgress]) -> tuple[GroupBar, ...]:
    bars = []
    for index, group in enumerate(groups):
        scale = BAR_WIDTH / group.total if group.total else 0.0
        caption = (
            f"{group.introduced}/{group.total} introduced, {group.mature} mature, "
            f"retention {percent(group.retention)}"
        )
        bars.append(
            GroupBar(
                index * ROW, group.name, group.introduced * scale, group.mature * scale, caption
            )
        )
    return tuple(bars)


@dataclass(frozen=True, slots=True)
class ForecastBar:
    y: int
    name: str
    learned: float  # the share of the group learned by the deadline at the budget, as a width
    caption: str


def forecast_bars(outlook: Forecast) -> tuple[ForecastBar, ...]:
    bars = []
    for index, group in enumerate(outlook.groups):
        share = group.learned / group.cards if group.cards else 1.0
        if group.done_on is not None:
            when = f"all by {group.done_on:%-d %b}"
        elif group.minutes_needed is not None:
            when = f"all need {group.minutes_needed} min/day"
        elif group.new_per_day_bound:
            when = f"not all at {outlook.new_per_day} new cards a day"
        else:
            when = f"all need more than {MAX_ADVICE_MINUTES} min/day"
        caption = f"{group.learned} of {group.cards} by {outlook.deadline:%-d %b}; {when}"
        bars.append(ForecastBar(index * ROW, group.group.value, share * BAR_WIDTH, caption))
    return tuple(bars)


@dataclass(frozen=True, slots=True)
class DayLoad:
    """A day of the week grid: its planned minutes against the budget."""

    plan: Plan
    minutes: int  # planned, re-drill time included
    share: float  # of the budget, 0..1 (the bar's filled part)
    over: bool  # due work did not fit: a backlog moves on
    interview: bool
    today: bool


def day_loads(plans: Sequence[Plan], today: date) -> tuple[DayLoad, ...]:
    loads = []
    for plan in plans:
        minutes = plan.minutes_planned + plan.minutes_redrill
        share = min(1.0, minutes / plan.minutes_budget) if plan.minutes_budget else 0.0
        loads.append(
            DayLoad(
                plan,
                minutes,
                share,
                bool(plan.deferred),
                plan.interview_date == plan.date,
                plan.date == today,
            )
        )
    return tuple(loads)
