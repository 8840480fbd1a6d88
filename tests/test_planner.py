"""The day's plan: order, budget, deferral, pacing to the interview, track balance."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from studyplan.content.model import Card, Difficulty, Track
from studyplan.planner import (
    GradeToday,
    ItemKind,
    Plan,
    new_card_order,
    plan_day,
    simulate_days,
)
from studyplan.settings import Settings
from studyplan.srs.card_state import CardState, apply_grade
from studyplan.srs.sm2 import Sm2State

DAY = date(2026, 11, 25)


def card(
    card_id: str,
    track: Track = Track.CODING,
    minutes: int = 5,
    companies: tuple[str, ...] = (),
    difficulty: Difficulty = Difficulty.MEDIUM,
) -> Card:
    return Card(
        card_id, track, "topic", companies, difficulty, minutes, f"Prompt {card_id}?", "Answer."
    )


def state(
    card_id: str, due: date, interval: int, easiness: int = 250, lapses: int = 0
) -> CardState:
    return CardState(
        card_id,
        Sm2State(repetitions=3, interval=interval, easiness=easiness),
        due=due,
        introduced=due - timedelta(days=30),
        last_review=due - timedelta(days=interval),
        lapses=lapses,
    )


def ids(plan: Plan, kind: ItemKind | None = None) -> list[str]:
    return [i.card_id for i in plan.items if kind is None or i.kind is kind]


def test_empty_workspace_gets_new_cards_within_defaults() -> None:
    cards = [card(f"c{i}", minutes=5) for i in range(30)]
    plan = plan_day(cards, {}, [], Settings(), DAY)
    assert plan.minutes_budget == 60
    assert len(plan.items) == Settings().new_per_day
    assert all(item.kind is ItemKind.NEW for item in plan.items)
    assert plan.minutes_planned == 5 * len(plan.items) <= 60
    assert plan.deferred == ()


def test_reviews_come_first_most_overdue_relative_to_interval() -> None:
    cards = [card("a"), card("b"), card("c"), card("new")]
    states = {
        "a": state("a", DAY - timedelta(days=2), interval=20),  # 10% overdue
        "b": state("b", DAY - timedelta(days=2), interval=2),  # 100% overdue
        "c": state("c", DAY, interval=6),  # due today
    }
    plan = plan_day(cards, states, [], Settings(), DAY)
    assert ids(plan) == ["b", "a", "c", "new"]
    assert [i.kind for i in plan.items][:3] == [ItemKind.REVIEW] * 3


def test_cards_not_yet_due_are_left_alone() -> None:
    cards = [card("later")]
    states = {"later": state("later", DAY + timedelta(days=3), interval=6)}
    assert ids(plan_day(cards, states, [], Settings(new_per_day=0), DAY)) == []


def test_failed_card_returns_as_relearn_until_graded_four() -> None:
    cards = [card("x", minutes=8)]
    graded, _ = apply_grade(None, "x", 2, DAY)
    plan = plan_day(cards, {"x": graded}, [GradeToday("x", 2)], Settings(), DAY)
    assert [(i.card_id, i.kind, i.minutes) for i in plan.items] == [("x", ItemKind.RELEARN, 4)]
    # Graded 3 on the re-drill: still below 4, still comes back.
    plan = plan_day(cards, {"x": graded}, [GradeToday("x", 2), GradeToday("x", 3)], Settings(), DAY)
    assert ids(plan, ItemKind.RELEARN) == ["x"]
    # Graded 4: done for the day.
    done = [GradeToday("x", 2), GradeToday("x", 4)]
    assert ids(plan_day(cards, {"x": graded}, done, Settings(), DAY)) == []


def test_budget_defers_what_does_not_fit_and_counts_work_done() -> None:
    cards = [card(f"r{i}", minutes=10) for i in range(5)]
    states = {c.id: state(c.id, DAY - timedelta(days=1), interval=3) for c in cards}
    plan = plan_day(cards, states, [], Settings(minutes_per_day=30), DAY)
    assert len(plan.items) == 3 and len(plan.deferred) == 2
    assert plan.minutes_planned == 30 and plan.minutes_deferred == 20
    # Having studied one 10-minute card already leaves room for two more.
    reviewed, _ = apply_grade(states["r0"], "r0", 4, DAY)
    after = plan_day(
        cards, {**states, "r0": reviewed}, [GradeToday("r0", 4)], Settings(minutes_per_day=30), DAY
    )
    assert after.minutes_done == 10 and len(after.items) == 2 and len(after.deferred) == 2


def test_zero_minutes_defers_due_work_and_drops_nothing() -> None:
    cards = [card("a"), card("b")]
    states = {"a": state("a", DAY, interval=1)}
    plan = plan_day(cards, states, [], Settings(), DAY, minutes=0)
    assert plan.items == ()
    # The due review is deferred; the optional new card simply waits for a roomier day.
    assert [i.card_id for i in plan.deferred] == ["a"]


def test_new_cards_the_interview_pace_needs_are_deferred_when_they_do_not_fit() -> None:
    cards = [card(f"c{i}", minutes=10) for i in range(30)]
    settings_ = Settings(interview_date=DAY + timedelta(days=10), new_per_day=2, minutes_per_day=30)
    plan = plan_day(cards, {}, [], settings_, DAY)
    # Introduction deadline DAY + 3: four days for 30 cards, 8 a day; three fit in 30 minutes.
    assert len(plan.items) == 3
    assert len(plan.deferred) == 5
    assert all(i.kind is ItemKind.NEW for i in plan.deferred)


def test_backlog_after_missed_days_is_spread_over_the_following_days() -> None:
    cards = [card(f"c{i:02}", minutes=5) for i in range(40)]
    # Two weeks away: every card went overdue.
    states = {
        c.id: state(c.id, DAY - timedelta(days=14 - i % 10), interval=5 + i)
        for i, c in enumerate(cards)
    }
    plans = simulate_days(cards, states, [], Settings(minutes_per_day=50, new_per_day=0), DAY, 7)
    per_day = [len(p.items) for p in plans]
    assert per_day[:4] == [10, 10, 10, 10]  # 10 x 5 min fill each 50-minute day
    assert all(p.minutes_planned <= 50 for p in plans)
    reviewed = Counter(i.card_id for p in plans[:4] for i in p.items)
    assert set(reviewed) == {c.id for c in cards}  # everyone is worked off within four days
    first_day_ratio = [(DAY - states[i].due).days / states[i].interval for i in ids(plans[0])]
    rest = [
        (DAY - s.due).days / s.interval for cid, s in states.items() if cid not in ids(plans[0])
    ]
    assert min(first_day_ratio) >= max(rest)  # most at-risk first


def test_new_cards_interleave_tracks_by_weight() -> None:
    cards = [card(f"{t.value}-{i}", track=t) for t in Track for i in range(20)]
    weights = {
        Track.CODING: 3,
        Track.ML: 2,
        Track.SYSTEM_DESIGN: 1,
        Track.BEHAVIORAL: 0,
        Track.COMPANY: 0,
    }
    order = new_card_order(cards, {}, Settings(track_weights=weights), limit=12)
    counts = Counter(c.track for c in order)
    assert counts == {Track.CODING: 6, Track.ML: 4, Track.SYSTEM_DESIGN: 2}
    # Interleaved, not blocked: the first six already hold all three tracks.
    assert {c.track for c in order[:6]} == {Track.CODING, Track.ML, Track.SYSTEM_DESIGN}


def test_target_company_cards_first_among_equals() -> None:
    cards = [
        card("plain-1"),
        card("plain-2"),
        card("apple-q", companies=("apple",)),
        card("meta-q", companies=("meta",)),
    ]
    order = new_card_order(cards, {}, Settings(companies=("apple",)), limit=4)
    assert [c.id for c in order][:1] == ["apple-q"]
    assert [c.id for c in new_card_order(cards, {}, Settings(), limit=4)] == [
        "plain-1",
        "plain-2",
        "apple-q",
        "meta-q",
    ]


def test_other_companies_guides_are_not_introduced() -> None:
    cards = [
        card("co-apple", Track.COMPANY, companies=("apple",)),
        card("co-meta", Track.COMPANY, companies=("meta",)),
    ]
    plan = plan_day(cards, {}, [], Settings(companies=("apple",)), DAY)
    assert ids(plan) == ["co-apple"]


def test_easy_cards_are_introduced_before_hard_ones() -> None:
    cards = [card("hard", difficulty=Difficulty.HARD), card("easy", difficulty=Difficulty.EASY)]
    assert [c.id for c in new_card_order(cards, {}, Settings(), limit=2)] == ["easy", "hard"]


def test_no_review_lands_after_the_interview() -> None:
    interview = DAY + timedelta(days=10)
    graded, _ = apply_grade(state("x", DAY, interval=30), "x", 5, DAY, interview)
    assert graded.interval > 10  # SM-2's interval is kept...
    assert graded.due == interview - timedelta(
        days=1
    )  # ...but the review moves before the interview
    # A due date stored before the interview date was set is capped when planning.
    later = state("y", DAY + timedelta(days=40), interval=40)
    settings_ = Settings(interview_date=interview, new_per_day=0)
    plans = simulate_days([card("y")], {"y": later}, [], settings_, DAY, 10)
    assert [p.date for p in plans if ids(p)] == [interview - timedelta(days=1)]


def test_new_cards_are_paced_to_finish_a_week_before_the_interview() -> None:
    cards = [card(f"c{i:03}", minutes=1) for i in range(100)]
    interview = DAY + timedelta(days=17)  # introduction deadline: 10 days from today, inclusive
    settings_ = Settings(interview_date=interview, new_per_day=2, minutes_per_day=500)
    plans = simulate_days(cards, {}, [], settings_, DAY, 17)
    introduced = {}
    for plan in plans:
        for item in plan.items:
            if item.kind is ItemKind.NEW:
                introduced[item.card_id] = plan.date
    assert len(introduced) == 100
    assert max(introduced.values()) <= interview - timedelta(days=7)
    assert len(ids(plans[0], ItemKind.NEW)) == 10  # ceil(100 / 10 days), above new-per-day


def test_final_week_puts_weakest_cards_first() -> None:
    interview = DAY + timedelta(days=5)
    cards = [card("strong"), card("weak"), card("weakest"), card("extra")]
    states = {
        "strong": state("strong", DAY, interval=10, easiness=280),
        "weak": state("weak", DAY, interval=10, easiness=180, lapses=1),
        "weakest": state("weakest", DAY, interval=10, easiness=140, lapses=3),
        "extra": state("extra", DAY + timedelta(days=2), interval=10, easiness=150, lapses=2),
    }
    plan = plan_day(cards, states, [], Settings(interview_date=interview, new_per_day=0), DAY)
    # Due cards weakest first, then spare minutes go to a weak card not yet due.
    assert ids(plan) == ["weakest", "weak", "strong", "extra"]


@settings(max_examples=60, deadline=None)
@given(
    minutes=st.lists(st.integers(1, 30), min_size=1, max_size=40),
    overdue=st.lists(st.integers(0, 60), min_size=40, max_size=40),
    budget=st.integers(0, 240),
)
def test_plan_never_exceeds_budget_nor_loses_a_due_card(
    minutes: list[int], overdue: list[int], budget: int
) -> None:
    cards = [card(f"c{i}", minutes=m) for i, m in enumerate(minutes)]
    states = {
        c.id: state(c.id, DAY - timedelta(days=overdue[i]), interval=1 + i)
        for i, c in enumerate(cards)
    }
    plan = plan_day(cards, states, [], Settings(new_per_day=0), DAY, minutes=budget)
    assert plan.minutes_planned <= budget
    shown = ids(plan) + [i.card_id for i in plan.deferred]
    assert sorted(shown) == sorted(states)  # each due card is planned or deferred, never dropped
    assert len(set(shown)) == len(shown)


def test_week_simulation_uses_the_same_planner_as_today() -> None:
    cards = [card(f"c{i}") for i in range(20)]
    plans = simulate_days(cards, {}, [], Settings(), DAY, 7)
    assert plans[0] == plan_day(cards, {}, [], Settings(), DAY)
    # Cards learned on day one come back as reviews the next day (interval 1).
    assert set(ids(plans[1], ItemKind.REVIEW)) == set(ids(plans[0], ItemKind.NEW))
