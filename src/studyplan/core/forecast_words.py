"""The forecast in words, as the terminal and the web page both say it."""

from __future__ import annotations

from studyplan.core.forecast import Forecast, Group

REALISTIC_MINUTES = 240  # a daily budget above this is advice nobody can take


def forecast_lines(outlook: Forecast) -> list[str]:
    """The forecast in words: what fits, by when, and what each group needs."""
    budget, until = outlook.minutes_per_day, f"{outlook.interview_date:%-d %b}"
    lines = [
        f"At {budget} min/day until {until} you can learn about {outlook.learnable} more of the "
        f"{outlook.matter} cards that matter ({outlook.known} learned so far)."
    ]
    done, short = [], []
    for g in outlook.groups:
        name = (
            f"all {g.cards} of your companies' cards"
            if g.group is Group.COMPANIES
            else f"all {g.cards} {g.group.value} cards"
        )
        if g.done_on is not None:
            done.append(f"{name} by {g.done_on:%-d %b}")
        elif g.minutes_needed is None:
            short.append(f"{name} need more than 10 hours a day")
        else:
            short.append(f"{name} need {g.minutes_needed} min/day")
    if done:
        lines.append("On this budget: " + "; ".join(done) + ".")
    if short:
        lines.append("Beyond it: " + "; ".join(short[:2]) + ".")
    first_short = next((g for g in outlook.groups if g.done_on is None), None)
    if first_short is not None and first_short.group in (Group.COMPANIES, Group.CORE):
        needed = first_short.minutes_needed
        if needed is not None and needed <= REALISTIC_MINUTES:
            lines.append(
                f"To cover them, set `studyplan config minutes-per-day {needed}`; otherwise the "
                "plan keeps to the most important cards and the rest wait."
            )
        else:
            lines.append(
                "No realistic budget covers them all: the plan keeps to the most important "
                "cards first; lower the weight of a track you need less "
                "(`studyplan config track-weights`) to narrow it."
            )
    return lines
