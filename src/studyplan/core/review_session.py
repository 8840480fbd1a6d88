"""An interactive review session, apart from the terminal: the order of the cards (failed
ones come back), the time each card takes from showing it to its grade, every grade saved
the moment it is given.

The terminal side passes in how to show things and ask for input, and the clock, so a
session runs the same under test with scripted answers and a fake clock.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date

from studyplan.core.plan import ItemKind, PlanItem
from studyplan.core.review_time import LONGEST_REVIEW_SECONDS
from studyplan.core.srs.card_state import CardState, GradeKind, needs_drill

OVERRUN_GRACE = 0.1  # a session may run this share past the day's minutes to finish its cards
NEW_CARD_SPREAD = 0.25  # a new card starts only with this share of its minutes to spare
MAX_REFILLS = 20  # a session asks the plan for more cards at most this often


def fits_in_session(minutes_before: float, minutes: float, room: float) -> bool:
    """Whether a card that can wait still starts after `minutes_before` of the session's
    `room`: with room for it to run long, inside the grace past the day's minutes."""
    return minutes_before + minutes * (1 + NEW_CARD_SPREAD) <= room * (1 + OVERRUN_GRACE)


class ReviewQueue:
    """`redrill_minutes` tells what a failed card costs when it comes back (its re-drill time).

    With `minutes_room` (the minutes the day has left on `day`), a card that is not due (a
    new card, or an extra review of a card due later) is put off for another day once the
    time the session has taken, the card (with room for it to run long) and the due
    reviews still waiting would not fit: a slow day does not run long on cards that can
    wait. So is the re-drill of a card failed in the session once the session has run past
    the day's minutes: it comes first on the next study day (the plan sees the failed grade
    as the day's last). Due reviews are always offered.

    With `refill` (today's plan made again from what is saved), a session whose cards are
    all done goes on with what the plan holds next, the day's minutes not yet spent: a
    quick day uses its time. Cards put off are not offered again."""

    def __init__(
        self,
        items: Iterable[PlanItem],
        redrill_minutes: Callable[[PlanItem], int] = lambda item: item.minutes,
        minutes_room: float | None = None,
        day: date | None = None,
        refill: Callable[[], Iterable[PlanItem]] | None = None,
    ) -> None:
        self._pending: deque[PlanItem] = deque(items)
        self._redrill_minutes = redrill_minutes
        self._room = minutes_room
        self._day = day
        self._refill = refill
        self._refills = 0
        self._failed_here: set[str] = set()  # re-drills this session queued
        self.graded = 0
        self.minutes_spent = 0.0
        self.put_off: list[PlanItem] = []

    def current(self) -> PlanItem | None:
        while True:
            while self._pending and self._no_time_for(self._pending[0]):
                self.put_off.append(self._pending.popleft())
            if self._pending or not self._refill_once():
                return self._pending[0] if self._pending else None

    def _refill_once(self) -> bool:
        if self._refill is None or self._refills >= MAX_REFILLS:
            return False
        self._refills += 1
        put_off = {item.card_id for item in self.put_off}
        self._pending.extend(item for item in self._refill() if item.card_id not in put_off)
        if not self._pending:
            self._refill = None
        return bool(self._pending)

    def _not_due(self, item: PlanItem) -> bool:
        """A new card, or an extra review of a card due later."""
        if item.kind is ItemKind.NEW:
            return True
        return item.kind is ItemKind.REVIEW and self._day is not None and item.due > self._day

    def _no_time_for(self, item: PlanItem) -> bool:
        if self._room is None:
            return False
        if item.kind is ItemKind.RELEARN and item.card_id in self._failed_here:
            limit = self._room * (1 + OVERRUN_GRACE)
            return self.minutes_spent + item.minutes > limit  # it comes first next time
        if not self._not_due(item):
            return False
        waiting = sum(i.minutes for i in self._pending if not self._not_due(i))
        return not fits_in_session(self.minutes_spent + waiting, item.minutes, self._room)

    @property
    def total(self) -> int:
        return self.graded + len(self._pending)

    @property
    def minutes_left(self) -> int:
        return sum(item.minutes for item in self._pending)

    def record(self, quality: int, minutes: float | None = None) -> None:
        """The current card was graded after `minutes` (its estimate when not timed); below
        4 it returns at the end as a re-drill."""
        item = self._pending.popleft()
        self.graded += 1
        self.minutes_spent += item.minutes if minutes is None else minutes
        if needs_drill(quality):
            again = replace(item, kind=ItemKind.RELEARN, minutes=self._redrill_minutes(item))
            self._pending.append(again)
            self._failed_here.add(item.card_id)


@dataclass(frozen=True, slots=True)
class SessionIO:
    """What a session needs from its surroundings.

    `show_card(item, queue)` shows the prompt; `reveal(item)` asks to see the answer and
    returns False to stop; `ask_grade()` returns a quality or None to stop; `graded(...)`
    reports a saved grade; `clock()` is seconds on a monotonic clock."""

    show_card: Callable[[PlanItem, ReviewQueue], None]
    reveal: Callable[[PlanItem], bool]
    ask_grade: Callable[[], int | None]
    graded: Callable[[PlanItem, int, CardState, GradeKind], None]
    clock: Callable[[], float]


def review_seconds(shown_at: float, graded_at: float) -> int | None:
    """How long a card took, from showing it to its grade (clock readings in seconds); None
    past LONGEST_REVIEW_SECONDS, when the card sat through a break."""
    elapsed = round(graded_at - shown_at)
    return elapsed if 0 <= elapsed <= LONGEST_REVIEW_SECONDS else None


Grader = Callable[[str, int, date, int | None], tuple[CardState, GradeKind]]


def run_session(queue: ReviewQueue, day: date, grade: Grader, io: SessionIO) -> int:
    """Review the queue until it is empty or the user stops; the number of grades given."""
    while (item := queue.current()) is not None:
        io.show_card(item, queue)
        shown_at = io.clock()
        if not io.reveal(item):
            break
        quality = io.ask_grade()
        if quality is None:
            break
        seconds = review_seconds(shown_at, io.clock())
        state, kind = grade(item.card_id, quality, day, seconds)
        io.graded(item, quality, state, kind)
        queue.record(quality, None if seconds is None else seconds / 60)
    return queue.graded
