"""User settings: their defaults, and parsing the text `studyplan config KEY VALUE` gives."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from studyplan.core.dates import LATEST_DATE, parse_date
from studyplan.core.errors import ConfigError
from studyplan.core.model import COMPANIES, Track
from studyplan.core.study_days import (
    MINUTES_IN_A_DAY,
    DaysOff,
    format_days_off,
    format_weekday_minutes,
    parse_days_off,
    parse_weekday_minutes,
)

INTERVIEW_YEARS_AHEAD = 5  # an interview date is at most this many years after today
DEFAULT_WEIGHTS: Mapping[Track, int] = {
    Track.CODING: 3,
    Track.ML: 3,
    Track.SYSTEM_DESIGN: 2,
    Track.BEHAVIORAL: 1,
    Track.COMPANY: 1,
}


@dataclass(frozen=True, slots=True)
class Settings:
    """The user's settings, each a default until set with `studyplan config`."""

    interview_date: date | None = None
    companies: tuple[str, ...] = ()
    minutes_per_day: int = 60
    new_per_day: int = 12
    track_weights: Mapping[Track, int] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    days_off: DaysOff = field(default_factory=DaysOff)
    weekday_minutes: Mapping[int, int] = field(default_factory=dict)  # date.weekday() -> minutes

    def is_day_off(self, day: date) -> bool:
        """A day set off, or a weekday set to 0 minutes."""
        return day in self.days_off or self.weekday_minutes.get(day.weekday()) == 0

    def minutes_on(self, day: date) -> int:
        """The day's budget: 0 on a day off, else its weekday's minutes or minutes-per-day."""
        if self.is_day_off(day):
            return 0
        return self.weekday_minutes.get(day.weekday(), self.minutes_per_day)

    def next_study_day(self, day: date) -> date | None:
        """The first day from `day` on that is not a day off (None: there is none)."""
        if sum(1 for minutes in self.weekday_minutes.values() if minutes == 0) == 7:
            return None
        while day < LATEST_DATE:
            span = self.days_off.span_of(day)
            if span is not None:
                day = span[1]
            elif self.weekday_minutes.get(day.weekday()) != 0:
                return day
            day += timedelta(days=1)
        return None

    def study_days(self, first: date, last: date) -> int:
        """How many days from `first` to `last`, both included, are not days off."""
        if last < first:
            return 0
        total = (last - first).days + 1
        if not self.days_off and 0 not in self.weekday_minutes.values():
            return total
        if 0 not in self.weekday_minutes.values():
            return total - sum(
                (min(end, last) - max(start, first)).days + 1
                for start, end in self.days_off.spans
                if start <= last and end >= first
            )
        return sum(1 for n in range(total) if not self.is_day_off(first + timedelta(days=n)))


def latest_interview(today: date) -> date:
    """INTERVIEW_YEARS_AHEAD years after `today` (29 February gives 28 February)."""
    year = today.year + INTERVIEW_YEARS_AHEAD
    try:
        return today.replace(year=year)
    except ValueError:
        return today.replace(year=year, day=28)


def _parse_whole(name: str, low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise ConfigError(f"{name} must be a whole number, got {text!r}") from None
        if not low <= value <= high:
            raise ConfigError(f"{name} must be from {low} to {high}, got {value}")
        return value

    return parse


def parse_companies(text: str) -> tuple[str, ...]:
    names = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [name for name in names if name not in COMPANIES]
    if unknown:
        raise ConfigError(f"unknown company {unknown[0]!r}: choose from {', '.join(COMPANIES)}")
    return tuple(dict.fromkeys(names))


def parse_weights(text: str) -> dict[Track, int]:
    """'coding=3,ml=2' sets those tracks and leaves the others at their defaults."""
    weights = dict(DEFAULT_WEIGHTS)
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, value = part.partition("=")
        try:
            track = Track(name.strip().lower())
        except ValueError:
            tracks = ", ".join(t.value for t in Track)
            raise ConfigError(f"unknown track {name.strip()!r}: choose from {tracks}") from None
        if not sep:
            raise ConfigError(f"track weight {part!r} needs a value, as in {track.value}=2")
        weights[track] = _parse_whole(f"weight of {track.value}", 0, 100)(value)
    if not any(weights.values()):
        raise ConfigError("at least one track needs a weight above 0")
    return weights


def format_weights(weights: Mapping[Track, int]) -> str:
    return ",".join(f"{track.value}={weights.get(track, 0)}" for track in Track)


@dataclass(frozen=True, slots=True)
class Key:
    """A setting `studyplan config` knows: its help, and how its text is read and shown."""

    name: str
    help: str
    parse: Callable[[str], object]
    show: Callable[[object], str]


KEYS: Mapping[str, Key] = {
    key.name: key
    for key in (
        Key("interview-date", "the interview day, YYYY-MM-DD", parse_date, str),
        Key(
            "companies",
            f"target companies, comma-separated: {', '.join(COMPANIES)}",
            parse_companies,
            lambda v: ",".join(v),  # type: ignore[arg-type]
        ),
        Key(
            "minutes-per-day",
            "daily study budget in minutes",
            _parse_whole("minutes-per-day", 0, MINUTES_IN_A_DAY),
            str,
        ),
        Key(
            "new-per-day",
            "new cards to introduce per day",
            _parse_whole("new-per-day", 0, 500),
            str,
        ),
        Key(
            "track-weights",
            "share of new cards per track, e.g. coding=3,ml=3,system-design=2",
            parse_weights,
            lambda v: format_weights(v),  # type: ignore[arg-type]
        ),
        Key(
            "days-off",
            "days with no study: days and ranges, e.g. 2026-12-20..2026-12-29,2027-01-01",
            parse_days_off,
            lambda v: format_days_off(v),  # type: ignore[arg-type]
        ),
        Key(
            "weekday-minutes",
            "minutes on given weekdays, e.g. sat=30,sun=0 (the others: minutes-per-day)",
            parse_weekday_minutes,
            lambda v: format_weekday_minutes(v),  # type: ignore[arg-type]
        ),
    )
}


def _field(name: str) -> str:
    return name.replace("-", "_")


def config_key(name: str) -> Key:
    try:
        return KEYS[name]
    except KeyError:
        raise ConfigError(f"unknown setting {name!r}: one of {', '.join(KEYS)}") from None


def settings_from_text(stored: Mapping[str, str]) -> Settings:
    """Settings from the stored text values; unknown keys are ignored, bad ones reported."""
    values: dict[str, object] = {}
    for name, text in stored.items():
        if name in KEYS:
            try:
                values[_field(name)] = KEYS[name].parse(text)
            except ConfigError as exc:
                raise ConfigError(
                    f"stored setting {name} is invalid ({exc}) — set it again with `studyplan config {name} VALUE`"
                ) from None
    return Settings(**values)  # type: ignore[arg-type]


def validate_for_today(name: str, value: object, today: date) -> None:
    if name == "interview-date" and isinstance(value, date):
        if value < today:
            raise ConfigError(f"interview date {value} is in the past (today is {today})")
        if value > latest_interview(today):
            raise ConfigError(
                f"interview date {value} is more than {INTERVIEW_YEARS_AHEAD} years after today "
                f"({today}): give one up to {latest_interview(today)}"
            )


def check_stored_interview(settings: Settings, today: date) -> None:
    """A stored interview date too far after `today` to plan towards (set on another day)."""
    interview = settings.interview_date
    if interview is not None and interview > latest_interview(today):
        raise ConfigError(
            f"the interview date {interview} is more than {INTERVIEW_YEARS_AHEAD} years after "
            f"{today} — set it again with `studyplan config interview-date YYYY-MM-DD`"
        )


def settings_as_text(settings: Settings) -> dict[str, str]:
    """Each setting as `config` shows it; an unset one as an empty string."""
    shown: dict[str, str] = {}
    for name, key in KEYS.items():
        value = getattr(settings, _field(name))
        unset = value is None or (isinstance(value, tuple | dict | DaysOff) and not value)
        shown[name] = "" if unset else key.show(value)
    return shown
