"""Hostile input to every command that reads some: no traceback, no hang, one clear line.

Each case runs a command on a workspace holding a grade and a setting, and checks the exit
code, the message (or the output), that no control character reaches the terminal, and,
where the command fails or only reads, that the saved data is exactly as before.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from studyplan.adapters.sqlite.store import DATABASE_NAME
from studyplan.cli import main

Run = Callable[..., Result]
SRC = Path(__file__).resolve().parents[1] / "src"
DAY = "2026-01-05"
RANGE = "use one from 1970-01-01 to 2200-12-31"
NOT_A_DATE = "is not a date: use YYYY-MM-DD"
CONTROLS = ("\x1b", "\x07", "\x9b", "\x00", "\u202e")
LONG = "x" * 100_000


@dataclass(frozen=True)
class Case:
    args: tuple[str, ...]
    code: int
    expect: str  # the last line of output, or with `contains`, a part of the output
    input: str | None = None
    contains: bool = False
    changes_data: bool = False
    files: dict[str, bytes] = field(default_factory=dict)  # written into the case's folder


def _error(message: str) -> str:
    return f"Error: {message}"


def _invalid(option: str, message: str) -> str:
    return f"Error: Invalid value for '{option}': {message}"


CASES: dict[str, Case] = {
    # today -------------------------------------------------------------------------------
    "today-empty-date": Case(("today", "--date", ""), 2, _invalid("--date", f"'' {NOT_A_DATE}")),
    "today-year-9999": Case(
        ("today", "--date", "9999-12-31"),
        2,
        _invalid("--date", f"9999-12-31 is outside the dates studyplan handles: {RANGE}"),
    ),
    "today-year-0": Case(
        ("today", "--date", "0000-01-01"), 2, _invalid("--date", f"'0000-01-01' {NOT_A_DATE}")
    ),
    "today-31-february": Case(
        ("today", "--date", "2026-02-31"), 2, _invalid("--date", f"'2026-02-31' {NOT_A_DATE}")
    ),
    "today-markup-date": Case(
        ("today", "--date", "[/b]"), 2, _invalid("--date", f"'[/b]' {NOT_A_DATE}")
    ),
    "today-escape-date": Case(
        ("today", "--date", "\x1b[2J2026-01-05"),
        2,
        _invalid("--date", f"'\\x1b[2J2026-01-05' {NOT_A_DATE}"),
    ),
    "today-negative-minutes": Case(
        ("today", "--minutes", "-1"),
        2,
        _invalid("--minutes", "-1 is not in the range 0<=x<=1440."),
    ),
    "today-word-minutes": Case(
        ("today", "--minutes", "lots"),
        2,
        _invalid("--minutes", "'lots' is not a valid integer range."),
    ),
    "today-huge-minutes": Case(
        ("today", "--date", DAY, "--minutes", "9" * 30),
        2,
        _invalid("--minutes", f"{'9' * 30} is not in the range 0<=x<=1440."),
    ),
    "today-whole-day": Case(
        ("today", "--date", DAY, "--minutes", "1440"), 0, "of 1440 min planned", contains=True
    ),
    # grade -------------------------------------------------------------------------------
    "grade-markup-id": Case(
        ("grade", "[/b]", "good"),
        1,
        _error("no card with id '[/b]' — `studyplan cards` lists them"),
    ),
    "grade-escape-id": Case(
        ("grade", "coding-two-sum\x1b]8;;http://x\x07", "good"),
        1,
        _error(
            "no card with id 'coding-two-sum\\x1b]8;;http://x\\x07' — `studyplan cards` lists them"
        ),
    ),
    "grade-empty-id": Case(
        ("grade", "", "good"), 1, _error("no card with id '' — `studyplan cards` lists them")
    ),
    "grade-long-id": Case(
        ("grade", LONG, "good"),
        1,
        _error(f"no card with id '{LONG}' — `studyplan cards` lists them"),
    ),
    "grade-six": Case(
        ("grade", "coding-two-sum", "6"),
        2,
        _invalid("QUALITY", "'6' is not a grade: use 0-5 or again|hard|good|easy"),
    ),
    "grade-huge": Case(
        ("grade", "coding-two-sum", "9" * 40),
        2,
        _invalid("QUALITY", f"'{'9' * 40}' is not a grade: use 0-5 or again|hard|good|easy"),
    ),
    "grade-superscript-two": Case(
        ("grade", "coding-two-sum", "²"),
        2,
        _invalid("QUALITY", "'²' is not a grade: use 0-5 or again|hard|good|easy"),
    ),
    "grade-fullwidth-five": Case(
        ("grade", "coding-two-sum", "５"),
        2,
        _invalid("QUALITY", "'５' is not a grade: use 0-5 or again|hard|good|easy"),
    ),
    "grade-nul": Case(
        ("grade", "coding-two-sum", "\x00"),
        2,
        _invalid("QUALITY", "'\\x00' is not a grade: use 0-5 or again|hard|good|easy"),
    ),
    "grade-negative": Case(("grade", "coding-two-sum", "-1"), 2, "Error: No such option '-1'."),
    "grade-before-last-review": Case(
        ("grade", "coding-two-sum", "good", "--date", "2026-01-04"),
        1,
        _error(
            "coding-two-sum was last reviewed on 2026-01-05; a grade cannot be dated "
            "2026-01-04, before that"
        ),
    ),
    "grade-after-range": Case(
        ("grade", "coding-two-sum", "good", "--date", "2201-01-01"),
        2,
        _invalid("--date", f"2201-01-01 is outside the dates studyplan handles: {RANGE}"),
    ),
    # cards -------------------------------------------------------------------------------
    "cards-markup-track": Case(
        ("cards", "--track", "[/b]"),
        2,
        "Error: Invalid value for '--track': '[/b]' is not one of",
        contains=True,
    ),
    "cards-escape-company": Case(
        ("cards", "--company", "\x1b[2J"),
        2,
        "Error: Invalid value for '--company': '\\x1b[2J' is not one of",
        contains=True,
    ),
    # config ------------------------------------------------------------------------------
    "config-date-9999": Case(
        ("config", "interview-date", "9999-12-31"),
        1,
        _error(f"9999-12-31 is outside the dates studyplan handles: {RANGE}"),
    ),
    "config-markup-date": Case(
        ("config", "interview-date", "[/b]"), 1, _error(f"'[/b]' {NOT_A_DATE}")
    ),
    "config-past-date": Case(
        ("config", "interview-date", "2025-12-31", "--date", DAY),
        1,
        _error("interview date 2025-12-31 is in the past (today is 2026-01-05)"),
    ),
    "config-far-date": Case(
        ("config", "interview-date", "2040-01-01", "--date", DAY),
        1,
        _error(
            "interview date 2040-01-01 is more than 5 years after today (2026-01-05): "
            "give one up to 2031-01-05"
        ),
    ),
    "config-negative-minutes": Case(
        ("config", "minutes-per-day", "-5"),
        1,
        _error("minutes-per-day must be from 0 to 1440, got -5"),
    ),
    "config-huge-minutes": Case(
        ("config", "minutes-per-day", "9" * 30),
        1,
        _error(f"minutes-per-day must be from 0 to 1440, got {'9' * 30}"),
    ),
    "config-float-minutes": Case(
        ("config", "minutes-per-day", "1e3"),
        1,
        _error("minutes-per-day must be a whole number, got '1e3'"),
    ),
    "config-nul-new-per-day": Case(
        ("config", "new-per-day", "\x00"),
        1,
        _error("new-per-day must be a whole number, got '\\x00'"),
    ),
    "config-markup-company": Case(
        ("config", "companies", "google,[/b]"),
        1,
        "Error: unknown company '[/b]': choose from google,",
        contains=True,
    ),
    "config-fullwidth-company": Case(
        ("config", "companies", "ｇｏｏｇｌｅ"),
        1,
        "Error: unknown company 'ｇｏｏｇｌｅ': choose from",
        contains=True,
    ),
    "config-huge-weight": Case(
        ("config", "track-weights", "coding=" + "9" * 30),
        1,
        _error(f"weight of coding must be from 0 to 100, got {'9' * 30}"),
    ),
    "config-empty-weights": Case(
        ("config", "track-weights", "=,=,="),
        1,
        "Error: unknown track '': choose from coding,",
        contains=True,
    ),
    "config-markup-key": Case(
        ("config", "[/b]"),
        2,
        "'[/b]' is not one of 'interview-date', 'companies'",
        contains=True,
    ),
    "config-escape-value": Case(
        ("config", "interview-date", "\x1b]0;pwned\x07"),
        1,
        _error(f"'\\x1b]0;pwned\\x07' {NOT_A_DATE}"),
    ),
    # stats -------------------------------------------------------------------------------
    "stats-year-1": Case(
        ("stats", "--date", "0001-01-01"),
        2,
        _invalid("--date", f"0001-01-01 is outside the dates studyplan handles: {RANGE}"),
    ),
    "stats-html-into-missing-folder": Case(
        ("stats", "--date", DAY, "--html", "missing/report.html"),
        1,
        _error("cannot write missing/report.html: No such file or directory"),
    ),
    "stats-html-escape-name": Case(
        ("stats", "--date", DAY, "--html", "re\x1b[2Jport\n.html"),
        0,
        "Wrote the report to re[2Jport .html.",
    ),
    # mock --------------------------------------------------------------------------------
    "mock-zero-minutes": Case(
        ("mock", "--minutes", "0"),
        2,
        _invalid(
            "--minutes",
            "0 leaves no time to answer: give 1 or more, or leave it out to use each "
            "question's own time",
        ),
    ),
    "mock-negative-minutes": Case(
        ("mock", "--minutes", "-3"),
        2,
        _invalid(
            "--minutes",
            "-3 leaves no time to answer: give 1 or more, or leave it out to use each "
            "question's own time",
        ),
    ),
    "mock-huge-minutes": Case(
        ("mock", "--date", DAY, "--minutes", "9" * 25),
        0,
        "Graded 0 of 3 question(s); every grade is saved.",
        input="q\n",
        contains=True,
    ),
    "mock-markup-company": Case(
        ("mock", "--company", "[/b]"),
        2,
        "Error: Invalid value for '--company': '[/b]' is not one of",
        contains=True,
    ),
    "mock-hostile-ticks": Case(
        ("mock", "--date", DAY),
        0,
        "'\\x1b[2j' is not a point number",
        input="[/b]\n[/b]\n\x1b[2J\n" + "9" * 30 + "\n-1\n\x00\nq\n",
        contains=True,
    ),
    "mock-end-of-input": Case(
        ("mock", "--date", DAY),
        0,
        "Graded 0 of 3 question(s); every grade is saved.",
        input="",
        contains=True,
    ),
    # review ------------------------------------------------------------------------------
    "review-hostile-grades": Case(
        ("review", "--date", DAY),
        0,
        "'²' is not a grade.",
        input="\n[/b]\n\x1b[2J\n²\n" + "9" * 30 + "\n-1\n\x00\nq\n",
        contains=True,
    ),
    "review-end-of-input": Case(
        ("review", "--date", DAY),
        0,
        "Graded 0 card(s); every grade is saved.",
        input="",
    ),
    "review-markup-topic": Case(
        ("review", "--topic", "[/b]"),
        1,
        _error("no cards with topic '[/b]' — `studyplan cards` lists topics"),
    ),
    "review-escape-topic": Case(
        ("review", "--topic", "\x1b]8;;http://evil\x07x\n"),
        1,
        _error(
            "no cards with topic '\\x1b]8;;http://evil\\x07x\\n' — `studyplan cards` lists topics"
        ),
    ),
    "review-bidi-topic": Case(
        ("review", "--topic", "abc\u202edef"),
        1,
        _error("no cards with topic 'abc\\u202edef' — `studyplan cards` lists topics"),
    ),
    "review-negative-minutes": Case(
        ("review", "--minutes", "-1"),
        2,
        _invalid("--minutes", "-1 is not in the range 0<=x<=1440."),
    ),
    # story -------------------------------------------------------------------------------
    "story-from-folder": Case(
        ("story", "add", "--from", "."),
        2,
        "Error: Invalid value for '--from': File '.' is a directory.",
    ),
    "story-from-missing": Case(
        ("story", "add", "--from", "nowhere\x1b.md"),
        2,
        "Error: Invalid value for '--from': File 'nowhere\\x1b.md' does not exist.",
    ),
    "story-from-latin1": Case(
        ("story", "add", "--from", "s.md"),
        1,
        _error(
            "s.md is not UTF-8 text (byte 6 is not valid UTF-8): studyplan reads a Markdown "
            "story; save the file as UTF-8"
        ),
        files={"s.md": b"# Caf\xe9\n"},
    ),
    "story-from-binary": Case(
        ("story", "add", "--from", "s.md"),
        1,
        _error("s.md is a binary file: studyplan reads a Markdown story"),
        files={"s.md": b"# T\x00itle\n"},
    ),
    "story-from-empty": Case(
        ("story", "add", "--from", "s.md"),
        1,
        _error(
            "s.md: missing title, situation, task, action, result, themes — the file needs a "
            "'# Title' line and '## Situation', '## Task', '## Action', '## Result' and "
            "'## Themes' sections"
        ),
        files={"s.md": b""},
    ),
    "story-from-huge-heading": Case(
        ("story", "add", "--from", "s.md"),
        1,
        "Error: s.md: missing situation, task, action, result, themes",
        contains=True,
        files={"s.md": b"# a" + b" " * 20_000 + b"b\n" + b"text\n" * 10_000},
    ),
    "story-from-oversized": Case(
        ("story", "add", "--from", "s.md"),
        1,
        _error("s.md is larger than 256 KiB: split it first"),
        files={"s.md": b"# T\n" + b"x" * 300_000},
    ),
    "story-from-unknown-theme": Case(
        ("story", "add", "--from", "s.md"),
        1,
        "Error: s.md: unknown theme 'b': choose from conflict,",
        contains=True,
        files={
            "s.md": b"# T\n## Situation\ns\n## Task\nt\n## Action\na\n## Result\nr\n"
            b"## Themes\n[/b]\n"
        },
    ),
    "story-from-markup": Case(
        ("story", "add", "--from", "s.md"),
        0,
        "Saved your story '[bold]Lead [/b] \\x1b[2J' as card story-bold-lead-b-2j",
        contains=True,
        changes_data=True,
        files={
            "s.md": b"# [bold]Lead [/b] \x1b[2J\n## Situation\n[red]s\n## Task\nt\n## Action\n"
            b"a\n## Result\nr\n## Themes\nleadership\n"
        },
    ),
    "story-prompted-markup": Case(
        ("story", "add"),
        0,
        "Saved your story 'Ship [/i] it' as card story-ship-i-it",
        input="Ship [/i] it\nsit [b]\ntask\naction\nresult\n[/b]\nownership\n",
        contains=True,
        changes_data=True,
    ),
    "story-prompted-no-letters": Case(
        ("story", "add"),
        1,
        _error("title '!!!' needs some letters or digits"),
        input="!!!\ns\nt\na\nr\nownership\n",
    ),
    "story-prompted-end-of-input": Case(("story", "add"), 1, "Aborted!", input="", contains=True),
    "story-list": Case(("story", "list"), 0, "No stories yet", contains=True),
    # week and export ---------------------------------------------------------------------
    "week-year-9999": Case(
        ("week", "--start", "9999-12-28"),
        2,
        _invalid("--start", f"9999-12-28 is outside the dates studyplan handles: {RANGE}"),
    ),
    "week-month-13": Case(
        ("week", "--start", "2026-13-01"), 2, _invalid("--start", f"'2026-13-01' {NOT_A_DATE}")
    ),
    "week-range-end": Case(
        ("week", "--start", "2200-12-31"), 0, "The week from Wed 31 Dec", contains=True
    ),
    "export-year-1": Case(
        ("export", "ics", "-o", "x.ics", "--start", "0001-01-01"),
        2,
        _invalid("--start", f"0001-01-01 is outside the dates studyplan handles: {RANGE}"),
    ),
    "export-into-folder": Case(
        ("export", "ics", "-o", "."),
        2,
        "Error: Invalid value for '-o' / '--output': File '.' is a directory.",
    ),
    "export-missing-folder": Case(
        ("export", "ics", "-o", "missing/x.ics", "--tz", "UTC"),
        1,
        _error("cannot write missing/x.ics: No such file or directory"),
    ),
    "export-zone-traversal": Case(
        ("export", "ics", "-o", "x.ics", "--tz", "../../../etc/passwd"),
        1,
        _error("unknown time zone '../../../etc/passwd': use an IANA name such as Europe/Paris"),
    ),
    "export-zone-escape": Case(
        ("export", "ics", "-o", "x.ics", "--tz", "\x1b[/b]"),
        1,
        _error("unknown time zone '\\x1b[/b]': use an IANA name such as Europe/Paris"),
    ),
    "export-zone-too-long": Case(
        ("export", "ics", "-o", "x.ics", "--tz", "Z" * 5_000),
        1,
        _error(f"unknown time zone '{'Z' * 5_000}': use an IANA name such as Europe/Paris"),
    ),
    "export-huge-hour": Case(
        ("export", "ics", "-o", "x.ics", "--at", "9" * 20 + ":00"),
        2,
        _invalid("--at", f"'{'9' * 20}:00' is not a time of day: use HH:MM, 00:00-23:59"),
    ),
    "export-zero-weeks": Case(
        ("export", "ics", "-o", "x.ics", "--weeks", "0"),
        2,
        _invalid("--weeks", "0 is not in the range 1<=x<=52."),
    ),
    "export-huge-alarm": Case(
        ("export", "ics", "-o", "x.ics", "--alarm", "9" * 20),
        2,
        _invalid("--alarm", f"{'9' * 20} is not in the range 0<=x<=1440."),
    ),
    "export-existing-file": Case(
        ("export", "ics", "-o", "x.ics", "--tz", "UTC"),
        1,
        _error("x.ics already exists — pass --force to replace it"),
        files={"x.ics": b"keep me"},
    ),
    # add (failures need no index) --------------------------------------------------------
    "add-folder": Case(("add", "."), 1, _error(". holds no .md, .markdown or .txt file")),
    "add-missing-escape-name": Case(
        ("add", "[/b]\x1b[2J.md"), 1, _error("[/b][2J.md: no such file")
    ),
    "add-name-too-long": Case(
        ("add", "n" * 5_000 + ".md"),
        1,
        _error(f"{'n' * 5_000}.md: cannot read (the name is too long)"),
    ),
    "add-latin1": Case(
        ("add", "d.md"),
        1,
        _error(
            "d.md is not UTF-8 text (byte 9 is not valid UTF-8): studyplan reads Markdown or "
            "plain text; save the file as UTF-8"
        ),
        files={"d.md": b"# Notes\n\xff\xfe"},
    ),
    "add-nul": Case(
        ("add", "d.txt"),
        1,
        _error("d.txt is a binary file: studyplan reads Markdown or plain text"),
        files={"d.txt": b"text\x00more"},
    ),
    "add-only-whitespace": Case(
        ("add", "d.txt"), 1, _error("d.txt is empty"), files={"d.txt": b" \n\t\n" * 1000}
    ),
    "add-oversized": Case(
        ("add", "d.txt"),
        1,
        _error("d.txt is larger than 2 MiB: split it first"),
        files={"d.txt": b"word " * 500_000},
    ),
    "add-only-boilerplate": Case(
        ("add", "d.md"),
        1,
        _error("d.md has no text to import once boilerplate is removed"),
        files={"d.md": b"---\ntitle: x\n---\n<!-- nothing -->\n"},
    ),
    # check -------------------------------------------------------------------------------
    "check-shipped-corpus": Case(("check",), 0, "ok: ", contains=True),
}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with one grade and one setting, copied for every case."""
    home = tmp_path_factory.mktemp("hostile") / "home"
    runner = CliRunner()
    for args in (
        ["grade", "coding-two-sum", "good", "--date", DAY],
        ["config", "interview-date", "2026-06-01", "--date", DAY],
    ):
        result = runner.invoke(main, ["--home", str(home), *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    return home


def snapshot(home: Path) -> dict[str, object]:
    """Everything the user owns: database rows, stories, documents (not caches or the index)."""
    db = sqlite3.connect(home / DATABASE_NAME)
    try:
        rows = list(db.iterdump())
    finally:
        db.close()
    files = {
        str(path.relative_to(home)): path.read_bytes()
        for folder in ("stories", "documents")
        for path in sorted((home / folder).rglob("*"))
        if path.is_file()
    }
    return {"rows": rows, "files": files}


def check(result_output: str, code: int, exit_code: int, case: Case) -> None:
    assert "Traceback" not in result_output
    shown = result_output
    for line in filter(None, (case.input or "").split("\n")):
        # The test runner echoes what is typed after each prompt, as a terminal would.
        shown = shown.replace(f": {line}\n", ": \n")
    for char in CONTROLS:
        assert char not in shown, f"{char!r} reached the terminal"
    assert exit_code == case.code, result_output
    if case.contains:
        assert case.expect in result_output
    else:
        last = result_output.rstrip("\n").split("\n")[-1]
        assert last == case.expect


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_input(
    name: str,
    template: Path,
    isolated_home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = CASES[name]
    shutil.copytree(template, isolated_home)
    work = tmp_path / "work"
    work.mkdir()
    for file_name, content in case.files.items():
        (work / file_name).write_bytes(content)
    monkeypatch.chdir(work)
    before = snapshot(isolated_home)
    result = CliRunner().invoke(main, list(case.args), input=case.input, catch_exceptions=False)
    check(result.output, case.code, result.exit_code, case)
    if not case.changes_data:
        assert snapshot(isolated_home) == before


# files that could hang or exhaust memory: a real process with a time limit ---------------


def run_process(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STUDYPLAN_HOME": str(home), "PYTHONPATH": str(SRC)}
    return subprocess.run(
        [sys.executable, "-m", "studyplan", *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
        check=False,
    )


@pytest.mark.parametrize("command", [("add",), ("story", "add", "--from")])
@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_special_files_are_refused_at_once(
    command: tuple[str, ...], kind: str, template: Path, isolated_home: Path, tmp_path: Path
) -> None:
    shutil.copytree(template, isolated_home)
    if kind == "fifo":
        target = tmp_path / "pipe.md"
        os.mkfifo(target)
        message = f"Error: {target} is a named pipe (FIFO): give a regular file"
    else:
        target = Path("/dev/zero")
        if not target.exists():
            pytest.skip("no /dev/zero")
        message = "Error: /dev/zero is a device: give a regular file"
    before = snapshot(isolated_home)
    done = run_process(isolated_home, *command, str(target))
    assert done.returncode == 1, done.stderr
    assert done.stderr == message + "\n" and done.stdout == ""
    assert snapshot(isolated_home) == before


# search: on a private copy of the session's real index ----------------------------------

SEARCH_CASES: dict[str, Case] = {
    "markup": Case(
        ("search", "[/b] attention [red]", "-k", "3"),
        0,
        "Results for '[/b] attention [red]'",
        contains=True,
    ),
    "escape-sequences": Case(
        ("search", "\x1b[2J\x1b]8;;http://evil\x07linked list", "-k", "3"),
        0,
        "Results for '\\x1b[2J\\x1b]8;;http://evil\\x07linked list'",
        contains=True,
    ),
    "empty": Case(
        ("search", ""), 1, "Error: empty query — type what you are looking for", contains=True
    ),
    "nul": Case(("search", "\x00", "-k", "3"), 0, "Nothing matches '\\x00'", contains=True),
    "very-long": Case(
        ("search", "binary search " * 8_000, "-k", "3", "--json"), 0, '"id"', contains=True
    ),
    "bidi-and-emoji": Case(("search", "\u202eheap 🙂", "-k", "3"), 0, "Results for", contains=True),
    "k-zero": Case(
        ("search", "heap", "-k", "0"), 2, _invalid("-k", "0 is not in the range 1<=x<=100.")
    ),
    "k-huge": Case(
        ("search", "heap", "-k", "9" * 30),
        2,
        _invalid("-k", f"{'9' * 30} is not in the range 1<=x<=100."),
    ),
    "markup-mode": Case(
        ("search", "heap", "--mode", "[/b]"),
        2,
        "Error: Invalid value for '--mode': '[/b]' is not one of",
        contains=True,
    ),
}


@pytest.fixture
def search_home(
    template: Path,
    isolated_home: Path,
    copy_real_index: Callable[[Path], Path],
    shipped_index: Path,
) -> Path:
    shutil.copytree(template, isolated_home)
    copy_real_index(shipped_index)
    return isolated_home


@pytest.mark.model
@pytest.mark.parametrize("name", sorted(SEARCH_CASES))
def test_hostile_search(name: str, search_home: Path) -> None:
    case = SEARCH_CASES[name]
    before = snapshot(search_home)
    result = CliRunner().invoke(main, list(case.args), input=case.input, catch_exceptions=False)
    check(result.output, case.code, result.exit_code, case)
    assert snapshot(search_home) == before


@pytest.mark.model
def test_hostile_document_is_found_and_shown_literally(search_home: Path, tmp_path: Path) -> None:
    document = tmp_path / "hostile-notes.md"
    document.write_text(
        "# Notes [/b]\n\n## Zebra \x1b[2Jstripes\n"
        + "Zebra stripes output[i] = prefix[i] * suffix[i] \x1b]8;;http://evil\x07click\x1b]8;;\x07"
        " and [bold]more[/bold] words about zebras and their stripes. " * 3,
        encoding="utf-8",
    )
    added = CliRunner().invoke(main, ["add", str(document)], catch_exceptions=False)
    assert added.exit_code == 0, added.output
    assert added.output.startswith("added 'Notes [/b]': 1 section\n")
    result = CliRunner().invoke(
        main, ["search", "zebra stripes", "--kind", "section", "-k", "1"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert "Notes [/b]: Zebra [2Jstripes" in flat
    assert "prefix[i] * suffix[i]" in flat
    for char in CONTROLS:
        assert char not in result.output
