"""The forecast and readiness in words, as the terminal, the HTML report and the web page say them."""

from __future__ import annotations

from studyplan.core.forecast import (
    ASSUMPTION,
    GOAL_SHARE,
    MAX_ADVICE_MINUTES,
    Forecast,
    Group,
    GroupForecast,
    Readiness,
)


def forecast_lines(outlook: Forecast) -> list[str]:
    """What fits, by when, and what each group that does not fit would need."""
    budget, until = outlook.minutes_per_day, f"{outlook.interview_date:%-d %b}"
    calendar_days = (outlook.deadline - outlook.first_day).days + 1
    days = (
        f" ({outlook.study_days} study days for new cards, days off left out)"
        if outlook.study_days < calendar_days
        else ""
    )
    lines = [
        f"At {budget} min/day until {until}{days} you can learn about {outlook.learnable} more "
        f"of the {outlook.matter} cards that matter ({outlook.known} learned so far)."
    ]
    done, short = [], []
    for g in outlook.groups:
        if g.done_on is not None:
            done.append(f"{_name(g)} by {g.done_on:%-d %b}")
        else:
            short.append(_short(g, outlook))
    if done:
        lines.append("On this budget: " + "; ".join(done) + ".")
    if short:
        lines.append("Beyond it: " + "; ".join(short[:2]) + ".")
    first_short = next((g for g in outlook.groups if g.done_on is None), None)
    if first_short is not None and first_short.group in (Group.COMPANIES, Group.CORE):
        lines.append(_advice(first_short))
    return lines


def _name(g: GroupForecast) -> str:
    if g.group is Group.COMPANIES:
        return f"all {g.cards} of your companies' cards"
    return f"all {g.cards} {g.group.value} cards"


def _short(g: GroupForecast, outlook: Forecast) -> str:
    if g.new_per_day_bound:
        return (
            f"{_name(g)} do not fit by {outlook.deadline:%-d %b} at {outlook.new_per_day} new "
            "cards a day, whatever the minutes"
        )
    if g.minutes_needed is None:
        return f"{_name(g)} need more than {MAX_ADVICE_MINUTES} min/day"
    return f"{_name(g)} need {g.minutes_needed} min/day"


def _advice(g: GroupForecast) -> str:
    if g.minutes_needed is not None:
        return (
            f"To cover them, set `studyplan config minutes-per-day {g.minutes_needed}`; "
            "otherwise the plan keeps to the most important cards and the rest wait."
        )
    if g.new_per_day_bound:
        return (
            "More new cards a day would cover more (`studyplan config new-per-day`); otherwise "
            "the plan keeps to the most important cards and the rest wait."
        )
    return (
        f"No budget up to {MAX_ADVICE_MINUTES} min/day covers them all: the plan keeps to the "
        "most important cards first; lower the weight of a track you need less "
        "(`studyplan config track-weights`) to narrow it."
    )


def readiness_lines(r: Readiness) -> list[str]:
    """Cards mature on the interview day at the pace, at most, and what reaches the goal."""
    share, whole = GOAL_SHARE
    lines = [
        f"Readiness for {r.interview_date} (in {r.days_left} day{'s' if r.days_left != 1 else ''}"
        f"): {r.mature_now} of {r.target_cards} target cards mature now. At your pace of "
        f"{r.pace_minutes} min/day, {r.projected_mature} ({r.projected_share:.0%}) will be by "
        f"then, of the {r.reachable_mature} that can mature in the time left at most."
    ]
    goal = f"{r.goal_mature}, {share * 100 // whole}% of that most"
    if r.minutes_needed is None:
        lines.append(f"Reaching {goal}, would take more than {MAX_ADVICE_MINUTES} min/day.")
    elif r.projected_mature < r.goal_mature:
        lines.append(f"{r.minutes_needed} min/day would make it {goal}.")
    return lines


READINESS_ASSUMPTION = f"Assumes {ASSUMPTION}."
