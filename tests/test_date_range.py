"""Dates stay within 1970-01-01..2200-12-31, interviews within five years: no overflow, no hang."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import Result

from studyplan.adapters.sqlite.store import DATABASE_NAME
from studyplan.core.settings import latest_interview
from studyplan.core.srs.card_state import MAX_INTERVAL, apply_grade
from studyplan.core.srs.sm2 import Quality

Run = Callable[..., Result]
RANGE = "use one from 1970-01-01 to 2200-12-31"


@pytest.mark.parametrize(
    ("args", "option", "value"),
    [
        (("today", "--date"), "--date", "9999-12-31"),
        (("today", "--date"), "--date", "1969-12-31"),
        (("week", "--date"), "--date", "9999-12-28"),
        (("stats", "--date"), "--date", "0001-01-01"),
        (("grade", "coding-two-sum", "good", "--date"), "--date", "2201-01-01"),
        (("export", "ics", "-o", "out.ics", "--date"), "--date", "0001-01-01"),
    ],
)
def test_dates_outside_the_range_are_usage_errors(
    run: Run, args: tuple[str, ...], option: str, value: str
) -> None:
    result = run(*args, value)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        f"Error: Invalid value for '{option}': {value} is outside the dates studyplan handles: "
        f"{RANGE}"
    )
    assert "Traceback" not in result.output


def test_the_ends_of_the_range_work(run: Run, tmp_path: Path) -> None:
    assert run("today", "--date", "1970-01-01").exit_code == 0
    assert run("stats", "--date", "1970-01-01").exit_code == 0
    week = run("week", "--date", "2200-12-28", "--json")
    assert week.exit_code == 0, week.output
    assert json.loads(week.output)["days"][-1]["date"] == "2201-01-03"
    target = tmp_path / "late.ics"
    late = run(
        "export", "ics", "-o", str(target), "--date", "2200-12-31", "--weeks", "52", "--tz", "UTC"
    )
    assert late.exit_code == 0, late.output
    assert re.match(r"Wrote [1-9][0-9]* study block\(s\) over 52 week\(s\)", late.output)
    assert b"DTSTART:22011229T180000Z" in target.read_bytes()
    assert run("grade", "coding-two-sum", "good", "--date", "2200-12-31").exit_code == 0


def test_interview_date_must_be_in_range_and_within_five_years(run: Run) -> None:
    far = run("config", "interview-date", "9999-12-31", "--date", "2026-01-05")
    assert far.exit_code == 1
    assert far.output == f"Error: 9999-12-31 is outside the dates studyplan handles: {RANGE}\n"
    later = run("config", "interview-date", "2031-01-06", "--date", "2026-01-05")
    assert later.exit_code == 1
    assert later.output == (
        "Error: interview date 2031-01-06 is more than 5 years after today (2026-01-05): "
        "give one up to 2031-01-05\n"
    )
    ok = run("config", "interview-date", "2031-01-05", "--date", "2026-01-05")
    assert ok.exit_code == 0 and ok.output == "interview-date = 2031-01-05\n"


def test_latest_interview_on_29_february() -> None:
    assert latest_interview(date(2028, 2, 29)) == date(2033, 2, 28)


def _store_setting(home: Path, value: str) -> None:
    db = sqlite3.connect(home / DATABASE_NAME)
    try:
        db.execute("UPDATE settings SET value = ? WHERE key = 'interview-date'", (value,))
        db.commit()
    finally:
        db.close()


def test_a_stored_interview_date_out_of_range_is_one_line(run: Run, isolated_home: Path) -> None:
    assert run("config", "interview-date", "2027-01-01", "--date", "2026-01-05").exit_code == 0
    _store_setting(isolated_home, "9999-12-31")
    for args in (("stats", "--date", "2026-01-05"), ("today",), ("export", "ics", "-o", "x.ics")):
        result = run(*args)
        assert result.exit_code == 1
        assert result.output == (
            "Error: stored setting interview-date is invalid (9999-12-31 is outside the dates "
            f"studyplan handles: {RANGE}) — set it again with "
            "`studyplan config interview-date VALUE`\n"
        )
    assert run("config", "interview-date", "--unset").exit_code == 0


def test_stats_refuses_an_interview_set_from_another_day_far_ahead(run: Run) -> None:
    assert run("config", "interview-date", "2100-12-31", "--date", "2099-01-01").exit_code == 0
    result = run("stats", "--date", "2026-01-05")
    assert result.exit_code == 1
    assert result.output == (
        "Error: the interview date 2100-12-31 is more than 5 years after 2026-01-05 — set it "
        "again with `studyplan config interview-date YYYY-MM-DD`\n"
    )


def test_intervals_stop_at_a_hundred_years_so_due_dates_never_overflow(
    run: Run, isolated_home: Path
) -> None:
    state, day = None, date(2026, 1, 1)
    for _ in range(60):  # "easy" every day, long before the card is due
        state, _ = apply_grade(state, "coding-two-sum", Quality.EASY, day)
        day += timedelta(days=1)
    assert state is not None and state.interval == MAX_INTERVAL
    assert state.due == state.last_review + timedelta(days=MAX_INTERVAL)
    for offset in range(40):
        when = (date(2026, 1, 1) + timedelta(days=offset)).isoformat()
        result = run("grade", "coding-two-sum", "easy", "--date", when)
        assert result.exit_code == 0, result.output
    assert "(in 36500 days)" in result.output
