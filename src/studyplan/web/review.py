"""A review in the page: today's session as `studyplan review` runs it, one request at a time.

The queue is the CLI's (`app.study.review_queue`): the same cards in the same order, a card
graded below 4 coming back at the end as a re-drill, what can wait put off once the day's
minutes are spent. The time a card took runs from the page showing it to its grade.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from studyplan.core.plan import PlanItem
from studyplan.core.review_session import Grader, ReviewQueue, review_seconds
from studyplan.core.settings import Settings
from studyplan.core.srs.card_state import CardState, GradeKind
from studyplan.core.study_words import grade_sentence


@dataclass(frozen=True, slots=True)
class GradeNote:
    """The grade just given, as the page reports it."""

    card_id: str
    quality: int
    state: CardState
    kind: GradeKind
    settings: Settings | None = None

    def sentence(self) -> str:
        return grade_sentence(self.card_id, self.quality, self.state, self.kind, self.settings)


class ReviewRun:
    def __init__(
        self,
        queue: ReviewQueue,
        day: date,
        clock: Callable[[], float] = time.monotonic,
        settings: Settings | None = None,
    ) -> None:
        self.queue = queue
        self.day = day
        self.settings = settings
        self._clock = clock
        self._shown: PlanItem | None = None
        self._shown_at = 0.0
        self.last: GradeNote | None = None

    def current(self) -> PlanItem | None:
        """The card to show; its clock starts the first time it is shown."""
        item = self.queue.current()
        if item is not None and item is not self._shown:
            self._shown, self._shown_at = item, self._clock()
        return item

    def grade(self, card_id: str, quality: int, grader: Grader) -> GradeNote | None:
        """Grade the card on show, saved at once by `grader`; None when the page that sent
        the grade showed another card (sent twice, or from an old tab)."""
        item = self.queue.current()
        if item is None or item is not self._shown or item.card_id != card_id:
            return None
        seconds = review_seconds(self._shown_at, self._clock())
        state, kind = grader(card_id, quality, self.day, seconds)
        self.queue.record(quality, None if seconds is None else seconds / 60)
        self.last = GradeNote(card_id, quality, state, kind, self.settings)
        return self.last
