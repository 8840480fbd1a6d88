"""What a day's plan is made of: its items, the plan itself, and the minutes it has left
while it is being filled."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from studyplan.core.model import Card


class ItemKind(StrEnum):
    REVIEW = "review"
    RELEARN = "relearn"
    NEW = "new"


class Stage(StrEnum):
    """Where the day stands against the interview date."""

    STUDY = "study"  # no interview date, or more than a week before it
    FINAL_WEEK = "final-week"  # no new cards; weakest cards first
    INTERVIEW_DAY = "interview-day"  # a short warm-up of the weakest cards only
    AFTER_INTERVIEW = "after-interview"  # nothing planned until a new date is set
    DAY_OFF = "day-off"  # a day set off before the interview: nothing planned


@dataclass(frozen=True, slots=True)
class PlanItem:
    """One card in a day's plan, with the minutes booked for it."""

    card_id: str
    kind: ItemKind
    track: str
    topic: str
    prompt: str
    minutes: int
    due: date


@dataclass(frozen=True, slots=True)
class Plan:
    """A day's plan: the items that fit the budget, in order, and the reviews deferred."""

    date: date
    minutes_budget: int
    minutes_done: int
    minutes_planned: int
    items: tuple[PlanItem, ...]
    deferred: tuple[PlanItem, ...]
    interview_date: dt.date | None = None  # `date` is a field name here
    minutes_redrill: int = 0  # kept free for the re-drills the planned cards will likely need
    stage: Stage = Stage.STUDY
    resumes: dt.date | None = None  # on a day off: the next day with study (None: none set)

    @property
    def minutes_deferred(self) -> int:
        return sum(item.minutes for item in self.deferred)

    def count(self, kind: ItemKind) -> int:
        return sum(1 for item in self.items if item.kind is kind)


@dataclass(frozen=True, slots=True)
class GradeToday:
    """A grade already given on the planned day, oldest first."""

    card_id: str
    quality: int
    seconds: int | None = None


@dataclass
class DayBudget:
    """Minutes left today; each item also books the re-drill it will likely bring."""

    left: float
    items: list[PlanItem] = field(default_factory=list)
    deferred: list[PlanItem] = field(default_factory=list)
    redrill: float = 0.0

    def fits(self, minutes: float, redrill: float = 0.0) -> bool:
        return minutes + redrill <= self.left + 1e-9

    def offer(self, item: PlanItem, redrill: float = 0.0, defer: bool = True) -> bool:
        if self.fits(item.minutes, redrill):
            self.take(item, redrill)
            return True
        if defer:
            self.deferred.append(item)
        return False

    def take(self, item: PlanItem, redrill: float = 0.0) -> None:
        """Plan `item` whether it fits or not (a failed card's re-drill is never put off)."""
        self.items.append(item)
        self.left -= item.minutes + redrill
        self.redrill += redrill


def plan_item(card: Card, kind: ItemKind, minutes: int, due: date) -> PlanItem:
    return PlanItem(card.id, kind, card.track.value, card.topic, card.prompt, minutes, due)


def tracks_of(items: Iterable[PlanItem]) -> list[str]:
    """The tracks a list of items covers, most minutes first."""
    minutes: dict[str, int] = {}
    for item in items:
        minutes[item.track] = minutes.get(item.track, 0) + item.minutes
    return sorted(minutes, key=lambda track: (-minutes[track], track))
