"""The forecast of what fits before the interview, on cards small enough to work by hand."""

from __future__ import annotations

from datetime import date, timedelta

from studyplan.core.forecast import Group, forecast
from studyplan.core.model import Card, Difficulty, Priority, Track
from studyplan.core.review_time import ReviewTimes
from studyplan.core.settings import Settings
from studyplan.core.srs.card_state import apply_grade

DAY = date(2026, 11, 25)


def card(card_id: str, priority: Priority = Priority.CORE, companies: tuple[str, ...] = ()) -> Card:
    return Card(
        card_id, Track.CODING, "t", companies, Difficulty.EASY, 10, "Q?", "A.", priority=priority
    )


def test_three_cards_at_twenty_minutes_a_day() -> None:
    # A 10-minute card books 10.75 (a quarter of a 3-minute re-drill); each review of it
    # 3.75. Day 0: card a (9.25 left, b does not fit). Day 1: a's review, then b. Day 2: c.
    cards = [card("a"), card("b"), card("c")]
    settings = Settings(interview_date=DAY + timedelta(days=14), minutes_per_day=20)
    outlook = forecast(cards, {}, settings, DAY, ReviewTimes())
    assert outlook is not None
    assert (outlook.matter, outlook.known, outlook.learnable) == (3, 0, 3)
    assert outlook.deadline == DAY + timedelta(days=12)  # new cards stop two days before
    [core] = outlook.groups
    assert (core.group, core.cards, core.learned) == (Group.CORE, 3, 3)
    assert core.done_on == DAY + timedelta(days=2)
    assert core.minutes_needed == 20


def test_a_budget_too_small_names_the_smallest_that_is_enough() -> None:
    # At 10 min a day no 10.75-minute card fits; at 15: a on day 0, b on day 1 (15 - 3.75
    # for a's review leaves 11.25), c on day 2.
    cards = [card("a"), card("b"), card("c")]
    settings = Settings(interview_date=DAY + timedelta(days=14), minutes_per_day=10)
    outlook = forecast(cards, {}, settings, DAY, ReviewTimes())
    assert outlook is not None
    assert outlook.learnable == 0
    [core] = outlook.groups
    assert (core.learned, core.done_on, core.minutes_needed) == (0, None, 15)


def test_groups_in_order_companies_core_common_deep() -> None:
    cards = [
        card("deep", Priority.DEEP),
        card("common", Priority.COMMON),
        card("apple", Priority.DEEP, companies=("apple",)),
        card("core", Priority.CORE),
    ]
    settings = Settings(
        interview_date=DAY + timedelta(days=30), minutes_per_day=11, companies=("apple",)
    )
    outlook = forecast(cards, {}, settings, DAY, ReviewTimes())
    assert outlook is not None
    groups = [(g.group, g.done_on) for g in outlook.groups]
    # One new card a day at most (11 minutes), in the planner's order; reviews then crowd
    # some days out, but all four fit before the deadline.
    assert [g for g, _ in groups] == [Group.COMPANIES, Group.CORE, Group.COMMON, Group.DEEP]
    days = [d for _, d in groups]
    assert all(d is not None for d in days) and days == sorted(days)  # type: ignore[type-var]
    assert days[0] == DAY


def test_learned_cards_count_as_known_and_bring_their_reviews() -> None:
    cards = [card("a"), card("b")]
    learned, _ = apply_grade(None, "a", 4, DAY - timedelta(days=1))  # due today
    settings = Settings(interview_date=DAY + timedelta(days=10), minutes_per_day=14)
    outlook = forecast(cards, {"a": learned}, settings, DAY, ReviewTimes())
    assert outlook is not None
    assert (outlook.known, outlook.learnable) == (1, 1)
    # Today: a's review (3.75) leaves 10.25, under b's 10.75; tomorrow b fits.
    assert outlook.groups[0].done_on == DAY + timedelta(days=1)


def test_no_forecast_without_an_interview_or_once_new_cards_have_stopped() -> None:
    assert forecast([card("a")], {}, Settings(), DAY, ReviewTimes()) is None
    last_day = Settings(interview_date=DAY + timedelta(days=2))
    assert forecast([card("a")], {}, last_day, DAY, ReviewTimes()) is not None
    eve = Settings(interview_date=DAY + timedelta(days=1))
    assert forecast([card("a")], {}, eve, DAY, ReviewTimes()) is None
