"""Reviews from another program merged into a card's SM-2 history: the rules for order."""

from __future__ import annotations

from datetime import date, timedelta

from studyplan.adapters.sqlite.store import Store
from studyplan.core.srs.card_state import CardState, GradeKind, apply_grade
from studyplan.core.srs.outside_reviews import OutsideReview, merge_card
from studyplan.core.srs.sm2 import Sm2State

DAY = date(2026, 11, 25)


def review(offset: int, quality: int, key: str) -> OutsideReview:
    return OutsideReview("own-x", key, DAY + timedelta(days=offset), quality)


def test_new_reviews_replay_sm2_in_date_order_whatever_their_order() -> None:
    merged = merge_card(None, [review(6, 5, "c"), review(0, 4, "a"), review(1, 4, "b")])
    expected, _ = apply_grade(None, "own-x", 4, DAY)
    expected, _ = apply_grade(expected, "own-x", 4, DAY + timedelta(days=1))
    expected, _ = apply_grade(expected, "own-x", 5, DAY + timedelta(days=6))
    assert merged.state == expected
    assert [e.review.origin_id for e in merged.entries] == ["a", "b", "c"]
    assert merged.older == 0


def test_a_second_review_the_same_day_is_a_drill() -> None:
    merged = merge_card(None, [review(0, 1, "a"), review(0, 4, "b")])
    assert [e.kind for e in merged.entries] == [GradeKind.SM2, GradeKind.DRILL]
    assert merged.state is not None and merged.state.repetitions == 0


def test_reviews_older_than_the_last_grade_are_logged_without_moving_the_state() -> None:
    state, _ = apply_grade(None, "own-x", 4, DAY + timedelta(days=3))
    merged = merge_card(state, [review(1, 1, "old"), review(5, 5, "new")])
    assert [(e.review.origin_id, e.kind) for e in merged.entries] == [
        ("old", GradeKind.DRILL),
        ("new", GradeKind.SM2),
    ]
    assert merged.older == 1
    assert merged.state == apply_grade(state, "own-x", 5, DAY + timedelta(days=5))[0]


def test_a_given_schedule_wins_when_newer_and_is_what_the_log_restores() -> None:
    given = CardState(
        "own-x", Sm2State(4, 40, 236), DAY + timedelta(days=41), DAY, DAY + timedelta(days=1), 2
    )
    merged = merge_card(
        None, [review(0, 4, "a"), review(1, 4, "b"), review(1, 5, "c")], given=given
    )
    assert merged.state == given
    assert merged.entries[1].after == given  # the last SM-2 step records the given state
    assert merged.entries[2].before == merged.entries[2].after == given
    older = CardState("own-x", Sm2State(1, 1, 250), DAY, DAY, DAY, 0)
    kept = merge_card(older, [], given=older)
    assert kept.state == older and kept.entries == ()


def test_store_logs_each_review_once_and_undo_restores_the_given_state(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(tmp_path)
    given = CardState(
        "own-x", Sm2State(3, 20, 240), DAY + timedelta(days=21), DAY, DAY + timedelta(days=1), 1
    )
    reviews = [review(0, 4, "a"), review(1, 4, "b")]
    first = store.merge_outside_reviews("anki", reviews, given={"own-x": given})
    assert (first.logged, first.known, first.cards) == (2, 0, 1)
    second = store.merge_outside_reviews("anki", reviews, given={"own-x": given})
    assert (second.logged, second.known, second.cards) == (0, 2, 0)
    assert store.state("own-x") == given
    store.record_grade("own-x", 5, DAY + timedelta(days=21))
    store.undo_last(DAY + timedelta(days=21))
    assert store.state("own-x") == given
    store.close()
