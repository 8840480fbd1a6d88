"""The forecast of what fits before the interview, on cards small enough to work by hand."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from html import unescape
from pathlib import Path

from click.testing import Result
from hypothesis import given, settings
from hypothesis import strategies as st

from studyplan.core.forecast import MAX_ADVICE_MINUTES, Group, forecast
from studyplan.core.forecast_words import forecast_lines
from studyplan.core.model import Card, Difficulty, Priority, Track
from studyplan.core.planner import simulate
from studyplan.core.review_time import ReviewTimes
from studyplan.core.settings import Settings
from studyplan.core.srs.card_state import apply_grade
from studyplan.core.study_days import merged

Run = Callable[..., Result]

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


@settings(max_examples=40, deadline=None)
@given(
    spans=st.lists(st.tuples(st.integers(0, 20), st.integers(0, 6)), max_size=3),
    budget=st.integers(15, 120),
)
def test_days_off_never_add_to_what_can_be_learned(
    spans: list[tuple[int, int]], budget: int
) -> None:
    cards = [card(f"c{n}", Priority.CORE if n % 3 else Priority.COMMON) for n in range(40)]
    base = Settings(interview_date=DAY + timedelta(days=28), minutes_per_day=budget)
    away = replace(
        base,
        days_off=merged(
            [(DAY + timedelta(days=a), DAY + timedelta(days=a + length)) for a, length in spans]
        ),
    )
    free = forecast(cards, {}, base, DAY, ReviewTimes())
    off = forecast(cards, {}, away, DAY, ReviewTimes())
    assert free is not None and off is not None
    assert off.learnable <= free.learnable
    assert off.study_days == away.study_days(DAY, off.deadline) <= free.study_days
    for group in (*off.groups, *free.groups):  # never advice past four hours a day
        assert group.minutes_needed is None or group.minutes_needed <= MAX_ADVICE_MINUTES


def test_no_advice_above_four_hours_and_new_per_day_named_when_it_is_the_limit() -> None:
    # Thirty 10-minute cards in the 3 days before new cards stop: about 110 minutes a day
    # would do, but at most 5 new cards a day is 15, whatever the minutes.
    cards = [card(f"c{n}") for n in range(30)]
    tight = Settings(interview_date=DAY + timedelta(days=4), minutes_per_day=30, new_per_day=5)
    outlook = forecast(cards, {}, tight, DAY, ReviewTimes())
    assert outlook is not None
    [core] = outlook.groups
    assert (core.minutes_needed, core.new_per_day_bound) == (None, True)
    words = " ".join(forecast_lines(outlook))
    assert "do not fit by 27 Nov at 5 new cards a day, whatever the minutes" in words
    assert "studyplan config new-per-day" in words
    # Sixty 30-minute cards in 9 days: more than 240 minutes a day; said so, no figure.
    heavy = [
        Card(f"h{n}", Track.ML, "t", (), Difficulty.HARD, 30, "Q?", "A.", priority=Priority.CORE)
        for n in range(60)
    ]
    week = Settings(interview_date=DAY + timedelta(days=11), minutes_per_day=60, new_per_day=50)
    outlook = forecast(heavy, {}, week, DAY, ReviewTimes())
    assert outlook is not None
    [core] = outlook.groups
    assert (core.minutes_needed, core.new_per_day_bound) == (None, False)
    words = " ".join(forecast_lines(outlook))
    assert "all 60 core cards need more than 240 min/day" in words
    assert "No budget up to 240 min/day covers them all" in words


def test_today_stats_and_the_page_show_one_forecast(run: Run, tmp_path: Path) -> None:
    run("config", "interview-date", "2027-01-12", "--date", "2026-12-07")
    run("config", "companies", "openai")
    run("config", "days-off", "2026-12-20..2026-12-29")
    run("grade", "coding-two-sum", "good", "--date", "2026-12-06")
    today = json.loads(run("today", "--date", "2026-12-07", "--json").output)["forecast"]
    stats = json.loads(run("stats", "--date", "2026-12-07", "--json").output)
    assert today == stats["forecast"]
    assert stats["readiness"]["target_cards"] == today["cards_that_matter"]
    assert stats["readiness"]["mature_now"] == today["mature_now"]
    page = tmp_path / "page.html"
    run("stats", "--date", "2026-12-07", "--html", str(page))
    lines = forecast_lines_of(run("today", "--date", "2026-12-07").output)
    html = " ".join(unescape(page.read_text(encoding="utf-8")).split())
    assert lines and all(line in html for line in lines)


def forecast_lines_of(text: str) -> list[str]:
    """The forecast's sentences in `today`'s output, joined across the terminal's wrapping."""
    words = " ".join(text.split())
    start = words.index("At ")
    end = words.index("Start with")
    return [part.strip() + "." for part in words[start:end].split(". ") if part.strip(" .")]


def test_day_after_day_the_advice_stays_within_four_hours_and_says_why(
    shipped_cards: tuple[Card, ...],
) -> None:
    # A candidate follows the plan from 7 Dec (every card graded good): each day's forecast
    # names a budget of at most 240 min/day, or says plainly that more is needed or that
    # new-per-day is the limit; never "10 hours".
    cards = list(shipped_cards)
    plan_settings = Settings(
        interview_date=date(2027, 1, 12),
        companies=("openai",),
        minutes_per_day=90,
        days_off=merged([(date(2026, 12, 20), date(2026, 12, 29))]),
    )
    states = {}
    start = date(2026, 12, 7)
    for offset in range(0, 34, 3):
        day = start + timedelta(days=offset)
        outlook = forecast(cards, states, plan_settings, day, ReviewTimes())
        assert outlook is not None
        for group in outlook.groups:
            assert group.minutes_needed is None or group.minutes_needed <= MAX_ADVICE_MINUTES
        words = " ".join(forecast_lines(outlook))
        assert "hours" not in words
        assert all(int(n) <= MAX_ADVICE_MINUTES for n in re.findall(r"(\d+) min/day", words))
        states = simulate(cards, states, [], plan_settings, day, 3).states
