"""The dates studyplan takes, and reading one from text."""

from __future__ import annotations

from datetime import date

from studyplan.core.errors import ConfigError

# Every date studyplan takes (options, settings) lies in this range, so date arithmetic on
# plans, calendars and reports never leaves what the calendar types can hold.
EARLIEST_DATE = date(1970, 1, 1)
LATEST_DATE = date(2200, 12, 31)


def check_date_range(day: date) -> date:
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ConfigError(
            f"{day} is outside the dates studyplan handles: use one from {EARLIEST_DATE} "
            f"to {LATEST_DATE}"
        )
    return day


def parse_date(text: str) -> date:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise ConfigError(f"{text!r} is not a date: use YYYY-MM-DD") from None
    return check_date_range(day)
