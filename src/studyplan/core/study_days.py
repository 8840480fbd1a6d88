"""Which days the candidate studies, and for how long: days off (single days and ranges) and
minutes per weekday, as `studyplan config days-off` and `config weekday-minutes` take them."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from studyplan.core.dates import parse_date
from studyplan.core.errors import ConfigError

MINUTES_IN_A_DAY = 1440  # the most a daily budget can be
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # date.weekday() order
_WEEKDAY_NAMES = {
    **{name: number for number, name in enumerate(WEEKDAYS)},
    **{
        name: number
        for number, name in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    },
}


@dataclass(frozen=True, slots=True)
class DaysOff:
    """Inclusive spans of days off, sorted, neither overlapping nor touching."""

    spans: tuple[tuple[date, date], ...] = ()

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, date):
            return False
        at = bisect_right(self.spans, (day, date.max)) - 1
        return at >= 0 and self.spans[at][0] <= day <= self.spans[at][1]

    def __len__(self) -> int:
        return len(self.spans)

    def span_of(self, day: date) -> tuple[date, date] | None:
        at = bisect_right(self.spans, (day, date.max)) - 1
        if at >= 0 and self.spans[at][0] <= day <= self.spans[at][1]:
            return self.spans[at]
        return None


def merged(spans: list[tuple[date, date]]) -> DaysOff:
    """The spans joined where they overlap or touch."""
    joined: list[tuple[date, date]] = []
    for first, last in sorted(spans):
        if joined and first <= joined[-1][1] + timedelta(days=1):
            joined[-1] = (joined[-1][0], max(joined[-1][1], last))
        else:
            joined.append((first, last))
    return DaysOff(tuple(joined))


def parse_days_off(text: str) -> DaysOff:
    """'2026-12-20..2026-12-29,2027-01-01': days and inclusive ranges, comma-separated."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts:
        raise ConfigError(
            "days-off needs days: YYYY-MM-DD or FIRST..LAST, comma-separated "
            "(`studyplan config days-off --unset` clears them)"
        )
    spans = []
    for part in parts:
        first_text, dots, last_text = part.partition("..")
        if dots and not (first_text.strip() and last_text.strip()):
            raise ConfigError(
                f"{part!r} is not a range of days: use FIRST..LAST, as in 2026-12-20..2026-12-29"
            )
        first = parse_date(first_text)
        last = parse_date(last_text) if dots else first
        if last < first:
            raise ConfigError(f"days off {part!r} end before they start: use FIRST..LAST")
        spans.append((first, last))
    return merged(spans)


def format_days_off(days_off: DaysOff) -> str:
    return ",".join(
        str(first) if first == last else f"{first}..{last}" for first, last in days_off.spans
    )


def parse_weekday_minutes(text: str) -> dict[int, int]:
    """'sat=30,sun=0': those weekdays' minutes (0: a day off); the others keep minutes-per-day."""
    minutes: dict[int, int] = {}
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts:
        raise ConfigError(
            "weekday-minutes needs days, as in sat=30,sun=0 "
            "(`studyplan config weekday-minutes --unset` clears them)"
        )
    for part in parts:
        name, sep, value = part.partition("=")
        weekday = _WEEKDAY_NAMES.get(name.strip().lower())
        if weekday is None:
            raise ConfigError(f"unknown weekday {name.strip()!r}: use {', '.join(WEEKDAYS)}")
        if not sep:
            raise ConfigError(
                f"weekday minutes {part!r} need a value, as in {WEEKDAYS[weekday]}=30"
            )
        try:
            minutes[weekday] = int(value.strip())
        except ValueError:
            raise ConfigError(
                f"minutes for {WEEKDAYS[weekday]} must be a whole number, got {value.strip()!r}"
            ) from None
        if not 0 <= minutes[weekday] <= MINUTES_IN_A_DAY:
            raise ConfigError(
                f"minutes for {WEEKDAYS[weekday]} must be from 0 to {MINUTES_IN_A_DAY}, "
                f"got {minutes[weekday]}"
            )
    return dict(sorted(minutes.items()))


def format_weekday_minutes(minutes: Mapping[int, int]) -> str:
    return ",".join(f"{WEEKDAYS[day]}={minutes[day]}" for day in sorted(minutes))
