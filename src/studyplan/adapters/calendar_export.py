"""The study plan as an iCalendar file (RFC 5545), built with the icalendar library.

One event per study day, with a UID derived from the day, so importing a fresh export
updates the events a calendar already holds instead of duplicating them.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Alarm, Calendar, Event

from studyplan.adapters.files import FileExists, FileWriteError, write_atomic
from studyplan.core.errors import StudyplanError
from studyplan.core.plan import ItemKind, Plan, tracks_of
from studyplan.core.text_safety import printable

PRODUCT_ID = "-//studyplan//study plan export//EN"
UID_DOMAIN = "studyplan.local"
TRACK_LABELS = {
    "coding": "coding",
    "ml": "ML",
    "system-design": "system design",
    "behavioral": "behavioral",
    "company": "company",
}


class ExportError(StudyplanError):
    """The calendar cannot be written as asked."""


def find_zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a path
        raise ExportError(
            f"unknown time zone {name!r}: use an IANA name such as Europe/Paris"
        ) from None


def system_zone_name() -> str:
    """The machine's IANA zone: $TZ, /etc/timezone, or the /etc/localtime link; UTC otherwise."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        target = str(localtime.resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    for name in candidates:
        if name:
            try:
                ZoneInfo(name)
                return name
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return "UTC"


def block_minutes(plan: Plan) -> int:
    """The study block a day needs: its cards and the time kept for their re-drills."""
    return plan.minutes_planned + plan.minutes_redrill


def event_title(plan: Plan) -> str:
    reviews = plan.count(ItemKind.REVIEW) + plan.count(ItemKind.RELEARN)
    new = plan.count(ItemKind.NEW)
    tracks = ", ".join(TRACK_LABELS.get(t, t) for t in tracks_of(plan.items))
    return f"Study {block_minutes(plan)} min: {reviews} review{'s' if reviews != 1 else ''}, {new} new — {tracks}"


def event_description(plan: Plan) -> str:
    lines = [
        printable(f"{item.card_id} ({item.kind.value}, {item.minutes} min): {item.prompt}")
        for item in plan.items
    ]
    if plan.minutes_redrill:
        lines.append(f"+ {plan.minutes_redrill} min kept for re-drills of cards graded below 4.")
    if plan.deferred:
        lines.append(
            f"Backlog: {len(plan.deferred)} due card(s), {plan.minutes_deferred} min, over the "
            f"{plan.minutes_budget}-minute budget: they move to the next day."
        )
    return "\n".join(lines)


def build_calendar(
    plans: Sequence[Plan],
    start_at: time,
    zone: ZoneInfo,
    stamp: datetime,
    interview: date | None = None,
    alarm_minutes: int | None = None,
) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "studyplan")
    for plan in plans:
        if not plan.items:
            continue
        begins = datetime.combine(plan.date, start_at, tzinfo=zone)
        event = Event()
        event.add("uid", f"study-{plan.date.isoformat()}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", begins)
        event.add("dtend", begins + timedelta(minutes=block_minutes(plan)))
        event.add("summary", event_title(plan))
        event.add("description", event_description(plan))
        event.add("categories", ["studyplan"])
        if alarm_minutes is not None:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", event_title(plan))
            alarm.add("trigger", timedelta(minutes=-alarm_minutes))
            event.add_component(alarm)
        calendar.add_component(event)
    if interview is not None:
        event = Event()
        event.add("uid", f"interview-{interview.isoformat()}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", interview)
        event.add("dtend", interview + timedelta(days=1))
        event.add("summary", "Interview day")
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    first = min((p.date for p in plans), default=stamp.date())
    calendar.add_missing_timezones(
        first_date=first - timedelta(days=1), last_date=first + timedelta(days=400)
    )
    return calendar


def write_calendar(calendar: Calendar, path: Path, overwrite: bool) -> None:
    """Write atomically (see `studyplan.adapters.files`): only a regular file is ever replaced, and a
    symbolic link is written through, so the file it points to gets the new calendar."""
    data = calendar.to_ical()
    try:
        write_atomic(path, data, replace=overwrite)
    except FileExists:
        raise ExportError(f"{path} already exists — pass --force to replace it") from None
    except FileWriteError as exc:
        raise ExportError(str(exc)) from None
