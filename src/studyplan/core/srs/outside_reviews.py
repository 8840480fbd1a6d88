"""Reviews given in another program (Anki), merged into a card's SM-2 history.

The rules, per card, taking the reviews not yet in the log in date order:

- A review dated on or after the card's last review is graded as if given in studyplan on
  that day: the day's first review is an SM-2 step, later ones that day re-drills.
- A review dated before the card's last review cannot move the state without rewriting the
  grades that came after it. It is logged as a drill (kept in the history and the stats,
  the state untouched).
- With a state given for the card (Anki's own schedule, mapped to SM-2), that state replaces
  the replayed one when its last review is newer than the card's last review in studyplan;
  the last SM-2 entry logged for the card records it, so an undo later restores it exactly.

Pure: no I/O, no clock. The store applies the result in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from studyplan.core.srs.card_state import CardState, GradeKind, apply_grade


@dataclass(frozen=True, slots=True)
class OutsideReview:
    card_id: str
    origin_id: str  # the review's id in the other program, unique there
    day: date
    quality: int  # 0-5, SM-2's scale
    seconds: int | None = None


@dataclass(frozen=True, slots=True)
class MergedEntry:
    review: OutsideReview
    kind: GradeKind
    before: CardState | None
    after: CardState


@dataclass(frozen=True, slots=True)
class CardMerge:
    entries: tuple[MergedEntry, ...]
    state: CardState | None  # the card's state afterwards (None: still new)
    older: int  # reviews dated before the card's last review: logged, state untouched


def merge_card(
    state: CardState | None,
    reviews: Sequence[OutsideReview],
    interview: date | None = None,
    given: CardState | None = None,
) -> CardMerge:
    """The log entries and final state for one card's new `reviews` (any order)."""
    before_merge = state
    entries: list[MergedEntry] = []
    older = 0
    for review in sorted(reviews, key=lambda r: (r.day, r.origin_id)):
        if state is not None and review.day < state.last_review:
            entries.append(MergedEntry(review, GradeKind.DRILL, state, state))
            older += 1
            continue
        after, kind = apply_grade(state, review.card_id, review.quality, review.day, interview)
        entries.append(MergedEntry(review, kind, state, after))
        state = after
    if given is not None and (before_merge is None or given.last_review > before_merge.last_review):
        state = given
        for at in range(len(entries) - 1, -1, -1):
            if entries[at].kind is GradeKind.SM2:
                entries[at] = replace(entries[at], after=given)
                day = entries[at].review.day
                for later in range(at + 1, len(entries)):  # that day's re-drills
                    if entries[later].review.day == day:
                        entries[later] = replace(entries[later], before=given, after=given)
                break
    return CardMerge(tuple(entries), state, older)
