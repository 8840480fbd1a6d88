"""Calendar export: parsed back with icalendar, and imported into calcurse, a real client."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from click.testing import Result

Run = Callable[..., Result]
START = "2026-11-25"
TRICKY = (
    'Design "search", fast; cheap — or not? A back\\\\slash, 🚀 and naïve café '
    + "réseau ünïcode " * 12
)


@pytest.fixture
def tricky_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A corpus whose prompts carry every character iCalendar must escape or fold."""
    cards = tmp_path / "corpus" / "cards"
    cards.mkdir(parents=True)
    entries = ['track = "coding"', ""]
    for i in range(12):
        entries += [
            "[[card]]",
            f'id = "tricky-{i}"',
            'topic = "escaping"',
            'difficulty = "easy"',
            f"minutes = {5 + i}",
            f"prompt = {json.dumps(f'{TRICKY} #{i}', ensure_ascii=False)}",
            'answer = "Fine."',
            "",
        ]
    (cards / "tricky.toml").write_text("\n".join(entries), encoding="utf-8")
    monkeypatch.setenv("STUDYPLAN_CORPUS", str(tmp_path / "corpus"))
    return tmp_path / "corpus"


def export(run: Run, path: Path, *extra: str) -> Result:
    result = run(
        "export",
        "ics",
        "-o",
        str(path),
        "--date",
        START,
        "--tz",
        "Europe/Paris",
        "--at",
        "07:30",
        *extra,
    )
    assert result.exit_code == 0, result.output
    return result


def week(run: Run, start: str = START) -> list[dict]:
    days = json.loads(run("week", "--date", start, "--json").output)["days"]
    return [d for d in days if d["items"]]


def prompt(i: int) -> str:
    return f"{TRICKY} #{i}"


# The week the planner gives the tricky corpus from START (60 min/day, 12 new/day): per study
# day the block (cards + minutes kept for re-drills), the summary, the re-drill minutes and
# the cards in order.
EXPECTED_EVENTS = [
    (
        "2026-11-25",
        49,
        "Study 49 min: 0 reviews, 6 new — coding",
        4,
        [(f"tricky-{i}", "new", 5 + i) for i in range(6)],
    ),
    (
        "2026-11-26",
        56,
        "Study 56 min: 6 reviews, 3 new — coding",
        6,
        [
            ("tricky-0", "review", 2),
            ("tricky-1", "review", 2),
            ("tricky-2", "review", 2),
            ("tricky-3", "review", 2),
            ("tricky-4", "review", 3),
            ("tricky-5", "review", 3),
            ("tricky-6", "new", 11),
            ("tricky-7", "new", 12),
            ("tricky-8", "new", 13),
        ],
    ),
    (
        "2026-11-27",
        45,
        "Study 45 min: 3 reviews, 2 new — coding",
        5,
        [
            ("tricky-6", "review", 3),
            ("tricky-7", "review", 4),
            ("tricky-8", "review", 4),
            ("tricky-9", "new", 14),
            ("tricky-10", "new", 15),
        ],
    ),
    (
        "2026-11-28",
        27,
        "Study 27 min: 2 reviews, 1 new — coding",
        3,
        [("tricky-10", "review", 4), ("tricky-9", "review", 4), ("tricky-11", "new", 16)],
    ),
    ("2026-11-29", 6, "Study 6 min: 1 review, 0 new — coding", 1, [("tricky-11", "review", 5)]),
]


def test_events_match_the_plan(run: Run, tmp_path: Path, tricky_corpus: Path) -> None:
    out = tmp_path / "plan.ics"
    export(run, out, "--alarm", "15")
    calendar = icalendar.Calendar.from_ical(out.read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == len(EXPECTED_EVENTS) == len(week(run))
    paris = ZoneInfo("Europe/Paris")
    for event, (day, block, summary, redrill, items) in zip(events, EXPECTED_EVENTS, strict=True):
        starts = event.decoded("dtstart")
        assert starts == datetime.combine(date.fromisoformat(day), time(7, 30), tzinfo=paris)
        assert str(starts.tzinfo) == "Europe/Paris"
        assert event.decoded("dtend") - starts == timedelta(minutes=block)
        assert str(event["summary"]) == summary
        description = str(event["description"]).splitlines()
        assert description.pop() == f"+ {redrill} min kept for re-drills of cards graded below 4."
        assert description == [
            f"{card} ({kind}, {minutes} min): {prompt(int(card.split('-')[1]))}"
            for card, kind, minutes in items
        ]
        (alarm,) = event.walk("VALARM")
        assert alarm.decoded("trigger") == timedelta(minutes=-15)
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_file_follows_rfc5545_line_rules(run: Run, tmp_path: Path, tricky_corpus: Path) -> None:
    out = tmp_path / "plan.ics"
    export(run, out)
    raw = out.read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n")  # every line ends in CRLF
    lines = raw.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")  # folding never splits a multi-byte character
    assert b"DTSTAMP:" in raw
    assert b"\\, " in raw and b"\\;" in raw and b"\\\\" in raw  # TEXT escaping
    assert TRICKY.encode() not in raw  # long prompts are folded...
    parsed = icalendar.Calendar.from_ical(raw)
    description = str(next(iter(parsed.walk("VEVENT")))["description"])
    assert TRICKY in description  # ...and come back unchanged


def test_same_plan_exports_same_uids(run: Run, tmp_path: Path, tricky_corpus: Path) -> None:
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    export(run, first)
    export(run, second)
    uids = [
        [str(e["uid"]) for e in icalendar.Calendar.from_ical(p.read_bytes()).walk("VEVENT")]
        for p in (first, second)
    ]
    assert uids[0] == uids[1]
    assert len(set(uids[0])) == len(uids[0])


def test_interview_is_an_all_day_event(run: Run, tmp_path: Path) -> None:
    assert run("config", "interview-date", "2026-11-28", "--date", START).exit_code == 0
    out = tmp_path / "plan.ics"
    export(run, out)
    events = icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    interview = [e for e in events if str(e["summary"]) == "Interview day"]
    assert len(interview) == 1
    assert interview[0].decoded("dtstart") == date(2026, 11, 28)
    assert interview[0].decoded("dtend") == date(2026, 11, 29)
    week_days = json.loads(run("week", "--date", START, "--json").output)["days"]
    assert [d["date"] for d in week_days if d["interview"]] == ["2026-11-28"]
    assert "★ interview" in run("week", "--date", START).output


def test_no_study_block_after_the_interview_and_a_light_one_on_the_day(
    run: Run, tmp_path: Path
) -> None:
    assert run("config", "interview-date", "2026-12-05", "--date", START).exit_code == 0
    run("grade", "coding-two-sum", "1", "--date", START)  # a weak card to warm up with
    out = tmp_path / "plan.ics"
    export(run, out, "--weeks", "3")
    events = icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    study = {e.decoded("dtstart").date(): e for e in events if str(e["uid"]).startswith("study-")}
    assert max(study) == date(2026, 12, 5)
    day_of = study[date(2026, 12, 5)]
    assert day_of.decoded("dtend") - day_of.decoded("dtstart") <= timedelta(minutes=15)
    assert " 0 new" in str(day_of["summary"])


def test_several_weeks(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "plan.ics"
    export(run, out, "--weeks", "3")
    dates = [
        e.decoded("dtstart").date()
        for e in icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    ]
    assert min(dates) == date(2026, 11, 25) and max(dates) <= date(2026, 12, 15)
    assert len(dates) == 21  # a study day every day on a fresh workspace


@pytest.mark.skipif(
    shutil.which("calcurse") is None, reason="calcurse not installed (.ci/run installs it)"
)
def test_calcurse_imports_the_plan(run: Run, tmp_path: Path, tricky_corpus: Path) -> None:
    out = tmp_path / "plan.ics"
    export(run, out)
    data = tmp_path / "calcurse"
    data.mkdir()
    # calcurse reads times as local: run it in the zone the export was made for.
    env = {**os.environ, "TZ": "Europe/Paris", "HOME": str(tmp_path)}
    imported = subprocess.run(
        ["calcurse", "-D", str(data), "-i", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
        check=False,
    )
    assert imported.returncode == 0, imported.stderr
    listed = subprocess.run(
        [
            "calcurse",
            "-D",
            str(data),
            "-Q",
            "--from",
            "11/25/2026",
            "--days",
            "7",
            "--format-apt",
            "%(start:%Y-%m-%d %H:%M)|%(end:%Y-%m-%d %H:%M)|%m|%N\n",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
        check=True,
    ).stdout
    records = [line for line in listed.split("\n") if line[:4] == "2026"]
    assert [record.split("|", 3)[:3] for record in records] == [
        ["2026-11-25 07:30", "2026-11-25 08:19", "Study 49 min: 0 reviews, 6 new — coding"],
        ["2026-11-26 07:30", "2026-11-26 08:26", "Study 56 min: 6 reviews, 3 new — coding"],
        ["2026-11-27 07:30", "2026-11-27 08:15", "Study 45 min: 3 reviews, 2 new — coding"],
        ["2026-11-28 07:30", "2026-11-28 07:57", "Study 27 min: 2 reviews, 1 new — coding"],
        ["2026-11-29 07:30", "2026-11-29 07:36", "Study 6 min: 1 review, 0 new — coding"],
    ]
    # Notes keep every prompt exactly: commas, semicolons, quotes, backslashes, emoji.
    for i in range(6):
        assert f"tricky-{i} (new, {5 + i} min): {prompt(i)}" in listed


@pytest.mark.parametrize(
    ("extra", "code", "message"),
    [
        (("--weeks", "0"), 2, "0 is not in the range 1<=x<=52"),
        (("--weeks", "100"), 2, "100 is not in the range 1<=x<=52"),
        (("--at", "25:00"), 2, "'25:00' is not a time of day: use HH:MM"),
        (("--tz", "Mars/Olympus"), 1, "Error: unknown time zone 'Mars/Olympus'"),
    ],
)
def test_bad_export_options(
    run: Run, tmp_path: Path, extra: tuple[str, ...], code: int, message: str
) -> None:
    out = tmp_path / "plan.ics"
    result = run("export", "ics", "-o", str(out), *extra)
    assert result.exit_code == code
    assert message in result.output
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_existing_file_needs_force(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "plan.ics"
    out.write_text("my calendar", encoding="utf-8")
    result = run("export", "ics", "-o", str(out))
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {out} already exists — pass --force to replace it"
    assert out.read_text(encoding="utf-8") == "my calendar"
    assert run("export", "ics", "-o", str(out), "--force").exit_code == 0
    assert out.read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_unwritable_path_is_a_clear_error(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "no-such-folder" / "plan.ics"
    result = run("export", "ics", "-o", str(out))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: cannot write {out}")
    assert not out.parent.exists()
