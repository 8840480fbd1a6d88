"""What studyplan remembers about each card, and how one grade on one day changes it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from studyplan.core.errors import GradeOutOfOrder
from studyplan.core.srs.sm2 import INITIAL_EASINESS, PASSING, Sm2State, review

DRILL_UNTIL = 4  # SM-2 step 7: same-day repeats until the card scores at least this
MATURE_INTERVAL = 21  # days: a card reviewed this far apart is mature
# A review this many days or fewer before the interview carries the card to it: its next
# review stays where SM-2 puts it, even after the interview.
LAST_REVIEW_DAYS = 6
# A review SM-2 would give on or after the interview moves to the day before it when the
# interview falls at least this far into the card's interval; before that SM-2 counts on
# the card holding, and the review stays where SM-2 puts it.
REFRESH_SHARE = 0.9
# Intervals stop growing at 100 years. SM-2 itself has no ceiling: a card graded "easy" every
# day, ahead of its due date, would pass any date a calendar holds within a month.
MAX_INTERVAL = 36_500


class GradeKind(StrEnum):
    SM2 = "sm2"  # the day's first grade: moves the SM-2 state
    DRILL = "drill"  # a same-day repeat: logged, state untouched


@dataclass(slots=True)  # not frozen: built by the thousand on every start
class CardState:
    """A studied card: its SM-2 state, due day, first and latest study days, and lapses."""

    card_id: str
    sm2: Sm2State
    due: date
    introduced: date
    last_review: date
    lapses: int = 0

    @property
    def repetitions(self) -> int:
        return self.sm2.repetitions

    @property
    def interval(self) -> int:
        return self.sm2.interval

    @property
    def easiness(self) -> int:
        return self.sm2.easiness

    @property
    def sm2_due(self) -> date:
        """The day SM-2 itself schedules the next review (`due` may be earlier: the interview)."""
        return self.last_review + timedelta(days=self.interval)


def cap_before_interview(due: date, today: date, interview: date | None) -> date:
    """The due date of a review given `today`: a review SM-2 puts on or after the interview
    moves to the day before it when the interview uses up REFRESH_SHARE of the interval or
    more, unless `today` is already among the interview's final days (LAST_REVIEW_DAYS):
    then this review carries the card to the interview."""
    if interview is None or due < interview or (interview - today).days <= LAST_REVIEW_DAYS:
        return due
    if needs_refresh(today, (due - today).days, interview):
        return interview - timedelta(days=1)
    return due


def needs_refresh(last_review: date, interval: int, interview: date) -> bool:
    """The interview falls far enough into an interval begun on `last_review` that SM-2 would
    want the card reviewed again before it (REFRESH_SHARE)."""
    return (interview - last_review).days >= REFRESH_SHARE * interval


def falls_after_interview(state: CardState, interview: date) -> bool:
    """SM-2 would review the card next on or after the interview (its due date may have been
    moved to the day before it)."""
    return state.due >= interview or state.sm2_due >= interview


def waits_for_final_days(state: CardState, interview: date) -> bool:
    """Not a due review before the interview: SM-2 puts the card's next review on or after
    it, and where that review was moved before it from a review given before the final days,
    the final days bring it forward (`final_days`). A card marked known in the final days
    keeps its review on the eve."""
    if state.due >= interview:
        return True
    final_start = interview - timedelta(days=LAST_REVIEW_DAYS)
    return moved_before_interview(state) and state.last_review < final_start


def moved_before_interview(state: CardState) -> bool:
    """The card's next review comes before the day SM-2 gives it: moved before the interview."""
    return state.due < state.sm2_due


# A card marked known (learned before studyplan) starts where two "good" grades leave a new
# card: SM-2's second interval, so its first review comes in about a week.
KNOWN_SM2 = (2, 6, INITIAL_EASINESS)  # repetitions, interval, easiness


def known_state(card_id: str, day: date, interview: date | None = None) -> CardState:
    """The state of a card marked known on `day`: no longer new, first review six days on
    (never after the interview)."""
    repetitions, interval, easiness = KNOWN_SM2
    due = day + timedelta(days=interval)
    if interview is not None and day < interview <= due:  # never reviewed here yet: before it
        due = max(day, interview - timedelta(days=1))
    return CardState(card_id, Sm2State(repetitions, interval, easiness), due, day, day)


def apply_grade(
    state: CardState | None,
    card_id: str,
    quality: int,
    day: date,
    interview: date | None = None,
) -> tuple[CardState, GradeKind]:
    """The state after grading `card_id` on `day`, and whether that was an SM-2 step or a drill.

    The first grade of a day is the SM-2 review; later grades the same day re-drill the card
    (SM-2 step 7) and leave its state as it was.
    """
    if state is not None and day < state.last_review:
        raise GradeOutOfOrder(card_id, state.last_review, day)
    if state is not None and state.last_review == day:
        return state, GradeKind.DRILL
    before = state.sm2 if state is not None else Sm2State()
    after = review(before, quality)
    lapsed = state is not None and quality < PASSING and before.repetitions > 0
    if after.interval > MAX_INTERVAL:
        after = replace(after, interval=MAX_INTERVAL)
    due = cap_before_interview(day + timedelta(days=after.interval), day, interview)
    new_state = CardState(
        card_id=card_id,
        sm2=after,
        due=due,
        introduced=state.introduced if state is not None else day,
        last_review=day,
        lapses=(state.lapses if state is not None else 0) + int(lapsed),
    )
    return new_state, GradeKind.SM2


def needs_drill(latest_quality_today: int) -> bool:
    return latest_quality_today < DRILL_UNTIL
