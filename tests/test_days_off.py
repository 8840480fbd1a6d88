"""Days off and minutes per weekday: the settings, the plans, `today`, `week` and the calendar."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import icalendar
import pytest
from click.testing import Result
from hypothesis import given, settings
from hypothesis import strategies as st

from studyplan.core.errors import ConfigError
from studyplan.core.model import Card, Difficulty, Track
from studyplan.core.plan import Stage
from studyplan.core.planner import plan_day, simulate
from studyplan.core.settings import Settings
from studyplan.core.srs.card_state import CardState
from studyplan.core.srs.sm2 import Sm2State
from studyplan.core.study_days import (
    DaysOff,
    format_days_off,
    format_weekday_minutes,
    merged,
    parse_days_off,
    parse_weekday_minutes,
)

Run = Callable[..., Result]
DAY = date(2026, 12, 7)  # a Monday
HOLIDAY = "2026-12-20..2026-12-29"


def card(card_id: str, minutes: int = 5) -> Card:
    return Card(card_id, Track.CODING, "t", (), Difficulty.EASY, minutes, f"{card_id}?", "A.")


spans = st.lists(
    st.tuples(st.integers(0, 120), st.integers(0, 12)).map(
        lambda start_length: (
            DAY + timedelta(days=start_length[0]),
            DAY + timedelta(days=start_length[0] + start_length[1]),
        )
    ),
    max_size=6,
)
weekday_minutes = st.dictionaries(st.integers(0, 6), st.sampled_from([0, 20, 30, 45]), max_size=3)


# The settings ---------------------------------------------------------------------------------


def test_days_off_are_read_as_days_and_inclusive_ranges_and_joined() -> None:
    days_off = parse_days_off("2027-01-01, 2026-12-20..2026-12-29,2026-12-30")
    assert days_off.spans == ((date(2026, 12, 20), date(2026, 12, 30)), (date(2027, 1, 1),) * 2)
    assert format_days_off(days_off) == "2026-12-20..2026-12-30,2027-01-01"
    assert date(2026, 12, 25) in days_off and date(2026, 12, 31) not in days_off


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "days-off needs days: YYYY-MM-DD or FIRST..LAST"),
        ("2026-12-29..2026-12-20", "days off '2026-12-29..2026-12-20' end before they start"),
        ("..2026-12-20", "'..2026-12-20' is not a range of days: use FIRST..LAST"),
        ("2026-13-01", "'2026-13-01' is not a date: use YYYY-MM-DD"),
        ("1900-01-01", "1900-01-01 is outside the dates studyplan handles"),
    ],
)
def test_bad_days_off_are_named(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(".", r"\.")):
        parse_days_off(text)


def test_weekday_minutes_are_read_by_name() -> None:
    assert parse_weekday_minutes("Sunday=0, sat=30") == {5: 30, 6: 0}
    assert format_weekday_minutes({6: 0, 5: 30}) == "sat=30,sun=0"
    for text, message in (
        ("sab=30", "unknown weekday 'sab': use mon, tue, wed, thu, fri, sat, sun"),
        ("sat", "weekday minutes 'sat' need a value, as in sat=30"),
        ("sat=x", "minutes for sat must be a whole number, got 'x'"),
        ("sat=2000", "minutes for sat must be from 0 to 1440, got 2000"),
        (",", "weekday-minutes needs days, as in sat=30,sun=0"),
    ):
        with pytest.raises(ConfigError) as raised:
            parse_weekday_minutes(text)
        assert str(raised.value).startswith(message)


@settings(max_examples=80, deadline=None)
@given(spans=spans, own=weekday_minutes)
def test_days_off_and_weekday_minutes_against_counting_day_by_day(
    spans: list[tuple[date, date]], own: dict[int, int]
) -> None:
    days_off = merged(spans)
    assert parse_days_off(format_days_off(days_off)) == days_off if spans else True
    plan_settings = Settings(minutes_per_day=60, days_off=days_off, weekday_minutes=own)
    window = [DAY + timedelta(days=n) for n in range(150)]
    off = {
        day for day in window if any(a <= day <= b for a, b in spans) or own.get(day.weekday()) == 0
    }
    for day in window:
        assert plan_settings.is_day_off(day) is (day in off)
        assert plan_settings.minutes_on(day) == (0 if day in off else own.get(day.weekday(), 60))
    assert plan_settings.study_days(window[0], window[-1]) == len(window) - len(off)
    first_study = next((day for day in window if day not in off), None)
    if first_study is not None:
        assert plan_settings.next_study_day(window[0]) == first_study


def test_no_study_day_at_all_when_every_weekday_is_off() -> None:
    never = Settings(weekday_minutes=dict.fromkeys(range(7), 0))
    assert never.next_study_day(DAY) is None and never.study_days(DAY, DAY + timedelta(30)) == 0


# The plans --------------------------------------------------------------------------------------


def learned(card_id: str, due: date, interval: int = 3) -> CardState:
    return CardState(
        card_id, Sm2State(3, interval, 250), due, due - timedelta(30), due - timedelta(interval)
    )


@settings(max_examples=25, deadline=None)
@given(spans=spans, own=weekday_minutes, due=st.lists(st.integers(-5, 40), max_size=20))
def test_nothing_is_planned_on_a_day_off_and_due_work_waits_for_the_next_study_day(
    spans: list[tuple[date, date]], own: dict[int, int], due: list[int]
) -> None:
    cards = [card(f"c{n}") for n in range(40)]
    states = {f"c{n}": learned(f"c{n}", DAY + timedelta(days=d)) for n, d in enumerate(due)}
    plan_settings = Settings(minutes_per_day=45, days_off=merged(spans), weekday_minutes=own)
    plans = simulate(cards, states, [], plan_settings, DAY, 45).plans
    for plan in plans:
        if plan_settings.is_day_off(plan.date):
            assert plan.stage is Stage.DAY_OFF and not plan.items and not plan.deferred
            assert plan.resumes == plan_settings.next_study_day(plan.date)
        else:
            assert plan.minutes_budget == plan_settings.minutes_on(plan.date)
            assert plan.minutes_planned + plan.minutes_redrill <= plan.minutes_budget
    # Every card due before the last study day is reviewed by then: nothing is lost.
    study = [p.date for p in plans if not plan_settings.is_day_off(p.date)]
    reviewed = {item.card_id for p in plans for item in p.items}
    if study:
        assert {c for c, s in states.items() if s.due < study[-1] - timedelta(3)} <= reviewed


def test_minutes_override_plans_even_on_a_day_off() -> None:
    away = Settings(days_off=parse_days_off("2026-12-07"))
    plan = plan_day([card("a")], {}, [], away, DAY, minutes=30)
    assert plan.stage is Stage.STUDY and [i.card_id for i in plan.items] == ["a"]


# The command line ---------------------------------------------------------------------------


def test_config_days_off_and_weekday_minutes_round_trip(run: Run) -> None:
    assert run("config", "days-off", f"{HOLIDAY},2027-01-01").exit_code == 0
    assert run("config", "weekday-minutes", "sat=30,sun=0").exit_code == 0
    shown = run("config").output
    assert "days-off = 2026-12-20..2026-12-29,2027-01-01" in shown
    assert "weekday-minutes = sat=30,sun=0" in shown
    assert json.loads(run("config", "--json").output)["days-off"] == (
        "2026-12-20..2026-12-29,2027-01-01"
    )
    assert run("config", "days-off", "--unset").exit_code == 0
    assert "days-off (not set)" in run("config").output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("days-off", "2026-12-29..2026-12-20"), "Error: days off '2026-12-29..2026-12-20' end"),
        (("days-off", "christmas"), "Error: 'christmas' is not a date: use YYYY-MM-DD"),
        (("weekday-minutes", "sat=-1"), "Error: minutes for sat must be from 0 to 1440, got -1"),
    ],
)
def test_bad_values_are_one_line_errors_and_keep_what_was_saved(
    run: Run, args: tuple[str, str], message: str
) -> None:
    run("config", "days-off", HOLIDAY)
    result = run("config", *args)
    assert result.exit_code == 1
    assert result.output.startswith(message) and len(result.output.splitlines()) == 1
    assert f"days-off = {HOLIDAY}" in run("config").output


def test_today_on_a_day_off_plans_nothing_and_says_when_study_resumes(run: Run) -> None:
    run("config", "interview-date", "2027-01-12", "--date", DAY.isoformat())
    run("config", "days-off", HOLIDAY)
    plan = json.loads(run("today", "--date", "2026-12-24", "--json").output)
    assert (plan["stage"], plan["day_off"], plan["items"]) == ("day-off", True, [])
    assert plan["resumes_on"] == "2026-12-30"
    text = run("today", "--date", "2026-12-24").output
    assert text.splitlines()[0] == "Thursday 24 December 2026 — a day off"
    assert "study resumes on Wednesday 30 December" in " ".join(text.split())
    run("config", "weekday-minutes", "sat=30,sun=0")
    assert json.loads(run("today", "--date", "2026-12-12", "--json").output)["minutes_budget"] == 30
    sunday = json.loads(run("today", "--date", "2026-12-13", "--json").output)
    assert sunday["day_off"] and sunday["resumes_on"] == "2026-12-14"


def test_review_on_a_day_off_says_when_study_resumes_and_how_to_study_anyway(run: Run) -> None:
    run("config", "days-off", HOLIDAY)
    assert run("grade", "coding-two-sum", "1", "--date", "2026-12-19").exit_code == 0
    said = " ".join(run("review", "--date", "2026-12-24").output.split())
    assert said.startswith("Thursday 24 December is a day off.")
    assert "study resumes on Wednesday 30 December" in said
    assert "`studyplan review --minutes 30`" in said
    anyway = run("review", "--date", "2026-12-24", "--minutes", "30", input="q\n")
    assert "coding-two-sum" in anyway.output


def test_a_grade_whose_next_review_falls_on_a_day_off_says_when_it_comes(run: Run) -> None:
    run("config", "days-off", HOLIDAY)
    said = " ".join(run("grade", "coding-two-sum", "4", "--date", "2026-12-19").output.split())
    assert "Next review 2026-12-20 (in 1 day)" in said
    assert "2026-12-20 is a day off: it comes on Wednesday 30 December." in said
    graded = run("grade", "coding-lru-cache", "4", "--date", "2026-12-19", "--json")
    assert json.loads(graded.output)["comes_on"] == "2026-12-30"
    before = run("grade", "coding-valid-parentheses", "4", "--date", "2026-12-10", "--json")
    assert json.loads(before.output)["comes_on"] == json.loads(before.output)["due"]
    drill = " ".join(run("grade", "coding-two-sum", "2", "--date", "2026-12-19").output.split())
    assert "re-drill" in drill and "it comes on Wednesday 30 December" in drill


def test_week_and_the_calendar_hold_no_study_on_days_off(run: Run, tmp_path: Path) -> None:
    run("config", "interview-date", "2027-01-12", "--date", DAY.isoformat())
    run("config", "days-off", HOLIDAY)
    run("config", "weekday-minutes", "sun=0")
    week = json.loads(run("week", "--date", "2026-12-18", "--json").output)["days"]
    assert [d["day_off"] for d in week] == [False, False] + [True] * 5
    assert all(not d["items"] and d["minutes"] == 0 for d in week[2:])
    assert "day off" in run("week", "--date", "2026-12-18").output
    path = tmp_path / "plan.ics"
    result = run("export", "ics", "-o", str(path), "--date", "2026-12-14", "--weeks", "3")
    assert result.exit_code == 0, result.output
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    studied = {
        event.decoded("dtstart").date()
        for event in calendar.walk("VEVENT")
        if str(event["uid"]).startswith("study-")
    }
    expected = {
        DAY + timedelta(days=n)
        for n in range(7, 28)
        if not (date(2026, 12, 20) <= DAY + timedelta(days=n) <= date(2026, 12, 29))
        and (DAY + timedelta(days=n)).weekday() != 6
    }
    assert studied == expected
    assert f"Wrote {len(expected)} study block(s)" in result.output


def test_days_off_lower_what_the_forecast_says_can_be_learned(run: Run) -> None:
    run("config", "interview-date", "2027-01-12", "--date", DAY.isoformat())
    run("config", "minutes-per-day", "90")

    def forecast() -> dict:
        plan = json.loads(run("today", "--date", DAY.isoformat(), "--json").output)
        return plan["forecast"]

    before = forecast()
    run("config", "days-off", HOLIDAY)
    after = forecast()
    assert after["learnable"] < before["learnable"]
    assert after["study_days"] == before["study_days"] - 10
    assert "days off left out" in run("today", "--date", DAY.isoformat()).output


def test_an_empty_days_off_setting_is_no_day_off() -> None:
    assert not DaysOff() and Settings().next_study_day(DAY) == DAY
