"""The last days before the interview and the interview day itself."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta

from click.testing import Result
from hypothesis import given, settings
from hypothesis import strategies as st

from studyplan.core.model import Card, Difficulty, Track
from studyplan.core.plan import GradeToday, Stage
from studyplan.core.planner import INTERVIEW_DAY_MINUTES, plan_day, simulate
from studyplan.core.review_time import ReviewTimes, TrackEstimate
from studyplan.core.settings import Settings
from studyplan.core.srs.card_state import (
    LAST_REVIEW_DAYS,
    CardState,
    apply_grade,
    moved_before_interview,
)
from studyplan.core.srs.sm2 import Sm2State

Run = Callable[..., Result]
DAY = date(2026, 12, 7)
INTERVIEW = DAY + timedelta(days=14)
FULL = ReviewTimes({t: TrackEstimate(1.0, 0) for t in Track}, {}, 0.0, 0.0)


def card(card_id: str, minutes: int = 3) -> Card:
    return Card(card_id, Track.ML, "t", (), Difficulty.EASY, minutes, f"{card_id}?", "A.")


# A card reviewed `ago` days before DAY with an interval that takes its next review past the
# interview, far enough into the interval that the review moves to the eve.
moved_cards = st.lists(
    st.tuples(st.integers(1, 6), st.integers(0, 3)), min_size=1, max_size=40
).map(lambda entries: {f"m{n}": (minutes, ago) for n, (minutes, ago) in enumerate(entries)})


def moved_state(card_id: str, ago: int) -> CardState:
    """Last reviewed `ago` days before DAY, next review by SM-2 a day after the interview:
    moved to the eve."""
    last = DAY - timedelta(days=ago)
    interval = (INTERVIEW - last).days + 1
    due = INTERVIEW - timedelta(days=1)
    state = CardState(card_id, Sm2State(3, interval, 250), due, last - timedelta(30), last)
    assert moved_before_interview(state)
    return state


@settings(max_examples=60, deadline=None)
@given(moved=moved_cards)
def test_reviews_moved_before_the_interview_come_once_each_spread_over_the_final_days(
    moved: dict[str, tuple[int, int]],
) -> None:
    cards = [card(card_id, minutes) for card_id, (minutes, _) in moved.items()]
    states = {card_id: moved_state(card_id, ago) for card_id, (_, ago) in moved.items()}
    plan_settings = Settings(interview_date=INTERVIEW, minutes_per_day=600, new_per_day=0)
    plans = simulate(cards, states, [], plan_settings, DAY, 15, FULL).plans
    final = [p for p in plans if 0 < (INTERVIEW - p.date).days <= LAST_REVIEW_DAYS]
    assert all(not p.items for p in plans if (INTERVIEW - p.date).days > LAST_REVIEW_DAYS)
    reviewed = Counter(item.card_id for p in final for item in p.items)
    assert reviewed == Counter(list(states))  # each once, before the interview
    minutes = {c.id: c.minutes for c in cards}
    share = sum(minutes.values()) / len(final)
    for plan in final:  # no day takes much more than its share: never all on the eve
        assert plan.minutes_planned <= share + max(minutes.values())


@settings(max_examples=80, deadline=None)
@given(
    seconds=st.lists(st.integers(0, 900), max_size=8),
    weak=st.integers(0, 30),
    budget=st.integers(0, 120),
)
def test_the_interview_day_plans_at_most_fifteen_minutes_with_what_was_done(
    seconds: list[int], weak: int, budget: int
) -> None:
    cards = [card(f"w{n}") for n in range(30)]
    states = {
        f"w{n}": CardState(
            f"w{n}", Sm2State(3, 10, 150), INTERVIEW + timedelta(5), DAY, DAY, lapses=1
        )
        for n in range(weak)
    }
    grades = [GradeToday(f"w{n}", 4, s) for n, s in enumerate(seconds)]
    plan_settings = Settings(interview_date=INTERVIEW, minutes_per_day=budget)
    plan = plan_day(cards, states, grades, plan_settings, INTERVIEW, times=FULL)
    assert plan.stage is Stage.INTERVIEW_DAY
    assert plan.minutes_done + plan.minutes_planned <= max(
        plan.minutes_done, min(budget, INTERVIEW_DAY_MINUTES)
    )
    if plan.minutes_done >= INTERVIEW_DAY_MINUTES:
        assert not plan.items


def test_last_three_days_keep_the_backlog_small_and_the_plans_within_the_budget() -> None:
    # Forty cards learned on different days before the final week, each reviewed "good" on
    # its day as planned: the last three days plan no more than the budget and defer nothing.
    cards = [card(f"c{n}", 4) for n in range(40)]
    states = {}
    for n, c in enumerate(cards):
        learned_on = DAY - timedelta(days=n % 12)
        states[c.id], _ = apply_grade(None, c.id, 4, learned_on, INTERVIEW)
    plan_settings = Settings(interview_date=INTERVIEW, minutes_per_day=30, new_per_day=0)
    plans = simulate(cards, states, [], plan_settings, DAY, 14).plans
    for plan in plans[-3:]:
        assert plan.minutes_planned + plan.minutes_redrill <= 1.15 * plan.minutes_budget
        assert plan.minutes_deferred <= 0.1 * plan.minutes_budget


def test_grade_messages_say_when_a_review_moved_before_the_interview(run: Run) -> None:
    run("config", "interview-date", "2027-01-12", "--date", "2026-12-01")
    for day in ("2026-12-01", "2026-12-02"):  # intervals 1 and 6
        run("grade", "coding-two-sum", "good", "--date", day)
    # Graded on 8 Dec: 15 days, to 23 Dec, before the interview: not moved.
    text = run("grade", "coding-two-sum", "good", "--date", "2026-12-08").output
    assert "Next review 2026-12-23 (in 15 days)" in " ".join(text.split())
    # Graded on 23 Dec: SM-2 gives 38 days; the interview, 20 days on, uses too little of
    # them: the review stays after it.
    text = " ".join(run("grade", "coding-two-sum", "good", "--date", "2026-12-23").output.split())
    assert "Next review 2027-01-30 (in 38 days), after the interview" in text
    # Learned 21 Dec: graded on 28 Dec, SM-2 gives 15 days, to the interview day itself,
    # 15 days on: the review moves to the eve, and the message says so.
    for day in ("2026-12-21", "2026-12-22"):
        run("grade", "coding-valid-anagram", "good", "--date", day)
    moved = json.loads(
        run("grade", "coding-valid-anagram", "good", "--date", "2026-12-28", "--json").output
    )
    assert moved["moved_before_interview"]
    assert (moved["due"], moved["sm2_due"]) == ("2027-01-11", "2027-01-12")
    run("undo", "--date", "2026-12-28")
    text = run("grade", "coding-valid-anagram", "good", "--date", "2026-12-28").output
    assert (
        "Next review by 2027-01-11, moved before the interview (SM-2 alone: in 15 days, "
        "2027-01-12)" in " ".join(text.split())
    )


def test_after_fifteen_minutes_the_interview_day_plans_nothing(run: Run) -> None:
    run("config", "interview-date", "2026-12-10", "--date", DAY.isoformat())
    for card_id in ("coding-two-sum", "coding-valid-anagram", "coding-contains-duplicate"):
        run("grade", card_id, "hard", "--date", DAY.isoformat())
        run("grade", card_id, "good", "--date", DAY.isoformat())
    for card_id in ("coding-two-sum", "coding-valid-anagram"):
        run("grade", card_id, "good", "--date", "2026-12-10", "--seconds", "600")
    plan = json.loads(run("today", "--date", "2026-12-10", "--json").output)
    assert plan["minutes_done"] == 20 and plan["items"] == []
    text = run("today", "--date", "2026-12-10").output
    assert "Interview today: the warm-up is done; nothing more to study. Good luck." in " ".join(
        text.split()
    )
