"""A review session apart from the terminal: order, timing by an injected clock, saving."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from studyplan.adapters.sqlite.store import Store
from studyplan.core.plan import ItemKind, PlanItem
from studyplan.core.review_session import ReviewQueue, SessionIO, run_session
from studyplan.core.srs.card_state import CardState, GradeKind

DAY = date(2026, 11, 25)


def item(card_id: str, minutes: int = 10) -> PlanItem:
    return PlanItem(card_id, ItemKind.NEW, "coding", "t", f"{card_id}?", minutes, DAY)


class Script:
    """Answers and a clock that moves by the given seconds at each answer."""

    def __init__(self, answers: list[tuple[int | None, float]]) -> None:
        self._answers: Iterator[tuple[int | None, float]] = iter(answers)
        self.now = 1000.0
        self.shown: list[str] = []

    def io(self) -> SessionIO:
        return SessionIO(
            show_card=lambda item, queue: self.shown.append(item.card_id),
            reveal=lambda item: True,
            ask_grade=self._grade,
            graded=lambda item, quality, state, kind: None,
            clock=lambda: self.now,
        )

    def _grade(self) -> int | None:
        quality, seconds = next(self._answers)
        self.now += seconds
        return quality


def test_each_grade_is_saved_with_the_seconds_it_took(tmp_path: Path) -> None:
    store = Store.open(tmp_path)

    def grade(
        card_id: str, quality: int, day: date, seconds: int | None
    ) -> tuple[CardState, GradeKind]:
        return store.record_grade(card_id, quality, day, seconds=seconds)

    # a failed (comes back at its 3-minute review time), b passed, a passed on the re-drill.
    script = Script([(2, 95.4), (4, 42.0), (5, 20.6)])
    queue = ReviewQueue([item("a"), item("b")], redrill_minutes=lambda item: 3)
    assert run_session(queue, DAY, grade, script.io()) == 3
    assert script.shown == ["a", "b", "a"]
    logged = [(g.card_id, g.quality, g.kind, g.seconds) for g in store.grades_on(DAY)]
    assert logged == [
        ("a", 2, GradeKind.SM2, 95),
        ("b", 4, GradeKind.SM2, 42),
        ("a", 5, GradeKind.DRILL, 21),
    ]
    store.close()


def test_a_card_left_on_screen_through_a_break_is_saved_untimed(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    script = Script([(4, 2 * 3600), (None, 0)])

    def grade(
        card_id: str, quality: int, day: date, seconds: int | None
    ) -> tuple[CardState, GradeKind]:
        return store.record_grade(card_id, quality, day, seconds=seconds)

    assert run_session(ReviewQueue([item("a"), item("b")]), DAY, grade, script.io()) == 1
    assert [(g.card_id, g.seconds) for g in store.grades_on(DAY)] == [("a", None)]
    store.close()


def test_the_queue_counts_minutes_left_with_the_redrill_at_its_review_time() -> None:
    queue = ReviewQueue([item("a", 10), item("b", 6)], redrill_minutes=lambda item: 3)
    assert queue.minutes_left == 16
    queue.record(1)
    assert (queue.total, queue.minutes_left) == (3, 9)
    relearn = [queue.current()]
    queue.record(4)
    relearn.append(queue.current())
    assert relearn[-1] is not None and relearn[-1].kind is ItemKind.RELEARN
    assert relearn[-1].minutes == 3


def test_a_slow_session_puts_off_its_last_new_cards_but_never_a_review(tmp_path: Path) -> None:
    store = Store.open(tmp_path)

    def grade(
        card_id: str, quality: int, day: date, seconds: int | None
    ) -> tuple[CardState, GradeKind]:
        return store.record_grade(card_id, quality, day, seconds=seconds)

    review = PlanItem("r", ItemKind.REVIEW, "coding", "t", "r?", 5, DAY)
    # 40 minutes to spend: the review runs to 15 and fails (its 5-minute re-drill waits), the
    # 10-minute card fits (15 + 12.5 + 5 <= 44), the 12-minute one does not (25 + 15 + 5 > 44).
    queue = ReviewQueue([review, item("n1"), item("n2", minutes=12)], lambda i: 5, 40)
    script = Script([(2, 15 * 60), (4, 10 * 60), (4, 5 * 60)])
    assert run_session(queue, DAY, grade, script.io()) == 3
    assert script.shown == ["r", "n1", "r"]
    assert [i.card_id for i in queue.put_off] == ["n2"]
    assert queue.minutes_spent == 30


def test_a_slow_day_puts_off_extra_reviews_of_cards_not_yet_due_but_never_due_ones() -> None:
    def review(card_id: str, due: date) -> PlanItem:
        return PlanItem(card_id, ItemKind.REVIEW, "coding", "t", f"{card_id}?", 10, due)

    early, late = review("early", DAY), review("late", DAY - timedelta(days=2))
    extra = review("extra", DAY + timedelta(days=3))  # the final week's weakest cards
    queue = ReviewQueue([early, extra, late], lambda i: 5, 30, DAY)
    queue.record(4, minutes=20)  # the first review ran long: 20 + 12.5 + 10 > 33
    assert queue.current() == late and queue.put_off == [extra]
    queue.record(4, minutes=20)  # past the day's minutes, still offered
    assert queue.current() is None


def test_without_a_time_limit_every_card_is_offered() -> None:
    queue = ReviewQueue([item("a", 30), item("b", 30)])
    queue.record(4, minutes=90)
    assert queue.current() == item("b", 30) and not queue.put_off


def test_a_quick_session_goes_on_with_what_the_plan_holds_next() -> None:
    # The plan is asked again once the queue is empty: it brings c, then nothing more; b,
    # put off, is not offered again even though the plan still lists it.
    answers = iter([["b", "c"], ["b"]])
    asked: list[int] = []

    def refill() -> list[PlanItem]:
        asked.append(1)
        return [item(card_id, 5) for card_id in next(answers)]

    queue = ReviewQueue([item("a", 5), item("b", 30)], minutes_room=20, day=DAY, refill=refill)
    seen = []
    while (current := queue.current()) is not None:
        seen.append(current.card_id)
        queue.record(4, 5)
    assert seen == ["a", "c"]  # b (30 minutes) put off; c came with the plan asked again
    assert [i.card_id for i in queue.put_off] == ["b"]
    assert len(asked) == 2


def test_the_review_command_goes_on_while_the_days_minutes_last(run, small_corpus) -> None:  # type: ignore[no-untyped-def]
    run("config", "minutes-per-day", "30")
    # Answers are instant: the first plan's cards take no time, so the session asks the plan
    # again and goes on until the plan has nothing left.
    result = run("review", "--date", "2026-11-25", input="\n5\n" * 10)
    assert result.exit_code == 0, result.output
    graded = int(result.output.split("Graded ")[1].split(" ")[0])
    assert graded == 5  # all five cards of the small corpus


def test_past_the_days_minutes_a_failed_cards_re_drill_waits_for_the_next_study_day() -> None:
    due = [PlanItem(card_id, ItemKind.REVIEW, "coding", "t", "?", 5, DAY) for card_id in "abc"]
    queue = ReviewQueue(due, redrill_minutes=lambda item: 3, minutes_room=12, day=DAY)
    seen = []
    for quality, minutes in ((2, 6), (4, 6), (4, 2)):  # a fails; 14 minutes by the end
        current = queue.current()
        assert current is not None
        seen.append(current.card_id)
        queue.record(quality, minutes)
    assert seen == ["a", "b", "c"]  # due reviews all offered, past the minutes too
    assert queue.current() is None  # a's re-drill (3 more) would pass 13.2: it waits
    assert [(i.card_id, i.kind) for i in queue.put_off] == [("a", ItemKind.RELEARN)]
    # With time to spare the re-drill comes the same day.
    roomy = ReviewQueue(due[:1], redrill_minutes=lambda item: 3, minutes_room=30, day=DAY)
    roomy.record(2, 5)
    again = roomy.current()
    assert again is not None and again.kind is ItemKind.RELEARN
