"""A candidate with a holiday, replayed through the command line by a simulated learner.

    .venv/bin/python bench/holiday_replay.py [--seeds 3] [--keep DIR [--until YYYY-MM-DD]]

The candidate: OpenAI, 90 min/day from 2026-12-07, interview on 2027-01-12, away from
2026-12-20 to 2026-12-29 (`config days-off`). Every study day the learner (FSRS-6 memory
and true times, as in simulate_plan.py) asks `today --json`, grades each card with `grade
--seconds`, and asks again until the plan is empty, so re-drills are taken the same day; on
a day off it only asks. Every command runs through the CLI (click's runner, in-process).

It prints what the plan promised and what it did:
- days off: cards `today` planned on them, and days off `week` and the calendar file of
  `export ics` (read back with icalendar) hold study on;
- the forecast's `learnable` before and after the days off are set;
- failed cards (last grade of the day below 4) whose re-drill came neither that day nor
  at the head of the next study day's plan;
- the last three days before the interview: planned minutes (re-drill time included) and
  deferred minutes against the budget (limits: 115% and 10%);
- the interview day: minutes done and planned at each ask (limit: 15 in all);
- cards recalled on the interview day against the Anki-like baseline of simulate_plan.py,
  which rests on the same days;
- the first card of the first plan suspended (`card suspend`) and the second marked known
  (`card known`): how often either came back, the one at all, the other as a new card.

`--keep DIR` replays the first seed into the workspace DIR and leaves it there, up to the
day `--until` (default: the interview day), to look at with the studyplan command.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from icalendar import Calendar

from studyplan.app.workspace import Workspace
from studyplan.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parent))

import simulate_plan as sim

START = date(2026, 12, 7)
INTERVIEW = date(2027, 1, 12)
MINUTES = 90
DAYS_OFF = "2026-12-20..2026-12-29"
HOLIDAY = (date(2026, 12, 20), date(2026, 12, 29))
LAST_DAYS = 3
PLAN_LIMIT, BACKLOG_LIMIT, INTERVIEW_LIMIT = 1.15, 0.10, 15
MAX_ASKS = 10  # `today` asked again at most this often a day
SCENARIO = sim.Scenario(
    "holiday replay",
    (INTERVIEW - START).days,
    MINUTES,
    ("openai",),
    start=START,
    days_off=DAYS_OFF,
)


class Cli:
    """The studyplan command on one workspace, in-process."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.runner = CliRunner()

    def __call__(self, *args: str) -> str:
        result = self.runner.invoke(main, ["--home", str(self.home), *args])
        if result.exit_code != 0:
            raise RuntimeError(f"studyplan {' '.join(args)}: {result.output.strip()}")
        return result.stdout

    def json(self, *args: str) -> Any:
        return json.loads(self(*args, "--json"))


def on_holiday(day: date) -> bool:
    return HOLIDAY[0] <= day <= HOLIDAY[1]


@dataclass
class Replay:
    planned_on_days_off: int = 0  # cards `today` planned on a day off
    suspended_planned: int = 0
    known_planned_as_new: int = 0
    week_days_off_with_study: int = 0
    calendar_days_off_with_study: int = 0
    learnable_without: int | None = None
    learnable_with: int | None = None
    failed: int = 0
    redrilled_same_day: int = 0
    first_next_day: int = 0
    failed_on_interview_day: int = 0  # no study day comes after
    lost: list[str] = field(default_factory=list)
    last_days: list[tuple[date, int, int, int]] = field(
        default_factory=list
    )  # budget, plan, backlog
    interview_asks: list[tuple[int, int]] = field(default_factory=list)  # done, planned
    interview_true_minutes: float = 0.0
    recalled: float = 0.0
    baseline: float = 0.0


def check_calendar(cli: Cli, day: date, folder: Path) -> int:
    """Days off on which the calendar of the six weeks from `day` holds a study block."""
    path = folder / f"plan-{day}.ics"
    cli("export", "ics", "-o", str(path), "--date", day.isoformat(), "--weeks", "6", "--force")
    calendar = Calendar.from_ical(path.read_bytes())
    starts = [event.decoded("dtstart") for event in calendar.walk("VEVENT")]
    return sum(
        1
        for event, start in zip(calendar.walk("VEVENT"), starts, strict=True)
        if str(event.get("uid", "")).startswith("study-") and on_holiday(start.date())
    )


def replay(seed: int, home: Path, until: date = INTERVIEW) -> Replay:
    cli, out = Cli(home), Replay()
    first = ["--date", START.isoformat()]
    cli("config", "interview-date", INTERVIEW.isoformat(), *first)
    cli("config", "companies", "openai", *first)
    cli("config", "minutes-per-day", str(MINUTES), *first)
    out.learnable_without = cli.json("today", *first)["forecast"]["learnable"]
    cli("config", "days-off", DAYS_OFF, *first)
    out.learnable_with = cli.json("today", *first)["forecast"]["learnable"]
    out.calendar_days_off_with_study += check_calendar(cli, START, home)
    first_plan = cli.json("today", *first)["items"]
    suspended, known = first_plan[0]["card_id"], first_plan[1]["card_id"]
    cli("card", "suspend", suspended, *first)
    cli("card", "known", known, *first)

    workspace = Workspace(home)
    cards = {card.id: card for card in workspace.cards}
    settings = workspace.settings()
    workspace.close()
    learner = sim.Learner(random.Random(seed))
    open_drills: set[str] = set()  # failed cards whose re-drill has not come yet
    day = START
    while day <= until:
        on = ["--date", day.isoformat()]
        week = cli.json("week", *on)
        out.week_days_off_with_study += sum(
            1 for d in week["days"] if on_holiday(date.fromisoformat(d["date"])) and d["items"]
        )
        plan = cli.json("today", *on)
        if on_holiday(day):
            out.planned_on_days_off += len(plan["items"])
            day += timedelta(days=1)
            continue
        if day == HOLIDAY[0] - timedelta(days=1):
            out.calendar_days_off_with_study += check_calendar(cli, day, home)
        head = {item["card_id"] for item in plan["items"][: len(open_drills)]}
        out.first_next_day += len(open_drills & head)
        out.lost += [f"{card_id} (failed before {day})" for card_id in open_drills - head]
        if 0 < (INTERVIEW - day).days <= LAST_DAYS:
            planned = plan["minutes_planned"] + plan["minutes_redrill"]
            out.last_days.append((day, plan["minutes_budget"], planned, plan["minutes_deferred"]))
        last_grade: dict[str, int] = {}
        for _ in range(MAX_ASKS):
            if day == INTERVIEW:
                out.interview_asks.append((plan["minutes_done"], plan["minutes_planned"]))
            if not plan["items"]:
                break
            for item in plan["items"]:
                out.suspended_planned += item["card_id"] == suspended
                out.known_planned_as_new += item["card_id"] == known and item["kind"] == "new"
                card = cards[item["card_id"]]
                rating = learner.recall(card, day)
                quality = sim.QUALITY[rating]
                spent = learner.minutes(card, item["kind"], rating)
                if day == INTERVIEW:
                    out.interview_true_minutes += spent
                if card.id in last_grade and last_grade[card.id] < 4:
                    out.redrilled_same_day += 1
                last_grade[card.id] = quality
                cli("grade", card.id, str(quality), "--seconds", str(round(spent * 60)), *on)
            plan = cli.json("today", *on)
        open_drills = {card_id for card_id, quality in last_grade.items() if quality < 4}
        out.failed += len(open_drills)
        if day == INTERVIEW:
            out.failed_on_interview_day = len(open_drills)
        day += timedelta(days=1)
    out.failed += out.redrilled_same_day
    if until < INTERVIEW:
        return out
    out.recalled = learner.expected_recalled(INTERVIEW)
    _, base_learner = sim.run_baseline(SCENARIO, seed, list(cards.values()), settings)
    out.baseline = base_learner.expected_recalled(INTERVIEW)
    return out


def report(seed: int, r: Replay) -> list[str]:
    lines = [
        f"seed {seed}",
        f"  days off: {r.planned_on_days_off} card(s) planned by `today`, "
        f"{r.week_days_off_with_study} day-off entries with study in `week`, "
        f"{r.calendar_days_off_with_study} study blocks on days off in the calendar",
        f"  forecast learnable: {r.learnable_without} without days off, "
        f"{r.learnable_with} with them",
        f"  the suspended card planned {r.suspended_planned} time(s); the card marked known "
        f"planned as new {r.known_planned_as_new} time(s)",
        f"  failed cards: {r.failed}; re-drilled the same day {r.redrilled_same_day}, first on "
        f"the next study day {r.first_next_day}, failed on the interview day itself "
        f"{r.failed_on_interview_day}, without a re-drill {len(r.lost)}",
    ]
    for day, budget, planned, backlog in r.last_days:
        lines.append(
            f"  {day} (D-{(INTERVIEW - day).days}): planned {planned} of {budget} min "
            f"({100 * planned / budget:.0f}%, limit {100 * PLAN_LIMIT:.0f}%), backlog {backlog} "
            f"min ({100 * backlog / budget:.0f}%, limit {100 * BACKLOG_LIMIT:.0f}%)"
        )
    asks = ", ".join(f"{done} done + {planned} planned" for done, planned in r.interview_asks)
    most = max((done + planned for done, planned in r.interview_asks if planned), default=0)
    lines.append(
        f"  interview day, each ask: {asks}; done and planned at most {most} min (limit "
        f"{INTERVIEW_LIMIT}); studied {r.interview_true_minutes:.0f} min in true time"
    )
    lines.append(
        f"  recalled on the day: {r.recalled:.1f}, baseline {r.baseline:.1f} "
        f"({r.recalled / r.baseline:.2f}x, target >= 0.95x)"
    )
    return lines


def main_(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="replay seed 1 into this workspace and keep it")
    parser.add_argument("--until", type=date.fromisoformat, default=INTERVIEW)
    args = parser.parse_args(argv)
    if args.keep is not None:
        replay(1, args.keep, args.until)
        print(f"workspace kept in {args.keep}, replayed to {args.until}")
        return 0
    ratios = []
    for seed in range(1, args.seeds + 1):
        with tempfile.TemporaryDirectory() as home:
            outcome = replay(seed, Path(home))
        print("\n".join(report(seed, outcome)))
        ratios.append(outcome.recalled / outcome.baseline)
    print(
        f"recalled on the day, planner / baseline: {statistics.mean(ratios):.2f}x "
        f"(min {min(ratios):.2f}x over {len(ratios)} seeds)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main_())
