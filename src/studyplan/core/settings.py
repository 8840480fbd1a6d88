"""User settings: their defaults, and parsing the text `studyplan config KEY VALUE` gives."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from studyplan.core.errors import ConfigError
from studyplan.core.model import COMPANIES, Track

# Every date studyplan takes (options, settings) lies in this range, so date arithmetic on
# plans, calendars and reports never leaves what the calendar types can hold.
EARLIEST_DATE = date(1970, 1, 1)
LATEST_DATE = date(2200, 12, 31)
INTERVIEW_YEARS_AHEAD = 5  # an interview date is at most this many years after today

MINUTES_IN_A_DAY = 1440  # the most a daily budget can be
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
        shown[name] = "" if value is None or value == () else key.show(value)
    return shown
