"""A simulated candidate follows the daily plan until the interview; how well did the plan do?

    .venv/bin/python bench/simulate_plan.py [--set report|tune] [--seeds 3]

The learner's memory follows FSRS-6's default model (the `fsrs` package): each card it has
seen has a stability and a difficulty, and it recalls a card with the model's
retrievability on that day. It studies the day's plan as `studyplan review` offers it,
through the same code the CLI uses (a real workspace, the real store), grades honestly,
re-drills what it failed, and reports the true seconds each card took (so a slow session
puts off its last new cards, as `review` does).
True times: a new card takes its `minutes`, a review a fraction of it (more when
forgotten), each with some spread.

Beside it, on the same learner and days, a baseline: FSRS reviews first, then new cards
round-robin by track weight in corpus order while the true minutes fit the budget, as a
well-set Anki deck does.

Some scenarios tell the planner of the days the learner rests (`config days-off`, `config
weekday-minutes`); others have the learner skip days unannounced. The baseline rests on the
same days.

Per scenario it prints: cards introduced by priority, expected cards recalled on the
interview day (sum of retrievability), days over budget by more than 15% and by more than
35% in true minutes, the study tracks' (all but the company track, whose pace its deadline
sets) gap to their weight shares of new-card minutes over the whole run and over the worst
14-day window, and when the target companies' cards started and how many were in a week
before the interview. Scenarios come in two sets with different companies and seeds:
`tune` for adjusting the planner, `report` for the figures quoted.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from fsrs import Card as MemoryCard
from fsrs import Rating, Scheduler

from studyplan.app import study
from studyplan.app.workspace import Workspace
from studyplan.core.model import Card, Track
from studyplan.core.new_cards import in_target_set
from studyplan.core.plan import ItemKind
from studyplan.core.settings import DEFAULT_WEIGHTS, Settings

START = date(2026, 11, 30)
# The company track's pace is set by its deadline (every target company's card a week before
# the interview), not by its weight: balance is judged among the other tracks, and with it.
STUDY_TRACKS = set(Track) - {Track.COMPANY}
OVER_TOLERANCE = 1.15
FAR_OVER = 1.35
BALANCE_WINDOW = 14  # study days
FIRST_TRY_AGAIN = {"easy": 0.10, "medium": 0.20, "hard": 0.35}  # chance a new card is failed
QUALITY = {Rating.Again: 1, Rating.Hard: 3, Rating.Good: 4, Rating.Easy: 5}


@dataclass(frozen=True)
class Scenario:
    name: str
    days: int
    minutes: int
    companies: tuple[str, ...]
    skipped: frozenset[int] = frozenset()  # day offsets the learner does not study, unannounced
    start: date = START
    days_off: str = ""  # `config days-off`: told to the planner; the learner rests
    weekday_minutes: str = ""  # `config weekday-minutes`; a day at 0 is a day of rest

    @property
    def interview(self) -> date:
        return self.start + timedelta(days=self.days)

    def day(self, offset: int) -> date:
        return self.start + timedelta(days=offset)

    def budget(self, offset: int) -> int:
        """The minutes the learner has on a day: 0 on a day off or a skipped day."""
        day = self.day(offset)
        if offset in self.skipped or any(first <= day <= last for first, last in self.off()):
            return 0
        for part in filter(None, self.weekday_minutes.split(",")):
            name, _, minutes = part.partition("=")
            if WEEKDAYS.index(name) == day.weekday():
                return int(minutes)
        return self.minutes

    def off(self) -> list[tuple[date, date]]:
        spans = []
        for part in filter(None, self.days_off.split(",")):
            first, _, last = part.partition("..")
            spans.append((date.fromisoformat(first), date.fromisoformat(last or first)))
        return spans


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def scenarios(which: str) -> list[Scenario]:
    weekly_skip = frozenset(range(6, 42, 7))
    if which == "report":
        return [
            Scenario(
                "6 weeks, 45 min/day, apple+nvidia, a day off a week",
                42,
                45,
                ("apple", "nvidia"),
                weekly_skip,
            ),
            Scenario("12 weeks, 90 min/day, google+meta", 84, 90, ("google", "meta")),
            Scenario(
                "8 weeks, 60 min/day, amazon, 10-day break mid-way",
                56,
                60,
                ("amazon",),
                frozenset(range(23, 33)),
            ),
            Scenario(
                "5 weeks, 90 min/day, openai, days off 20-29 Dec told to the planner",
                36,
                90,
                ("openai",),
                start=date(2026, 12, 7),
                days_off="2026-12-20..2026-12-29",
            ),
            Scenario(
                "7 weeks, 60 min/day, google, Saturdays 30 min, Sundays off, New Year off",
                49,
                60,
                ("google",),
                start=date(2026, 12, 1),
                days_off="2026-12-31..2027-01-01",
                weekday_minutes="sat=30,sun=0",
            ),
        ]
    return [
        Scenario(
            "tune: 6 weeks, 45 min/day, openai+tesla, a day off a week",
            42,
            45,
            ("openai", "tesla"),
            weekly_skip,
        ),
        Scenario("tune: 10 weeks, 75 min/day, microsoft", 70, 75, ("microsoft",)),
        Scenario(
            "tune: 7 weeks, 60 min/day, deepmind+ibm, 8-day break",
            49,
            60,
            ("deepmind", "ibm"),
            frozenset(range(15, 23)),
        ),
        Scenario(
            "tune: 6 weeks, 75 min/day, meta, days off 1-9 Aug told to the planner",
            42,
            75,
            ("meta",),
            start=date(2026, 7, 20),
            days_off="2026-08-01..2026-08-09",
        ),
        Scenario(
            "tune: 6 weeks, 45 min/day, microsoft, Sundays off, Wednesdays 20 min",
            42,
            45,
            ("microsoft",),
            start=date(2027, 2, 1),
            weekday_minutes="wed=20,sun=0",
        ),
    ]


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


@dataclass
class Learner:
    """A memory per card (FSRS-6 default parameters) and the true time each study takes."""

    rng: random.Random
    memory: Scheduler = field(
        default_factory=lambda: Scheduler(
            learning_steps=(), relearning_steps=(), enable_fuzzing=False
        )
    )
    cards: dict[str, MemoryCard] = field(default_factory=dict)

    def recall(self, card: Card, day: date) -> Rating:
        """Answer a card on `day`: first sight, a review, or a same-day repeat."""
        known = self.cards.get(card.id)
        if known is None:
            failed = self.rng.random() < FIRST_TRY_AGAIN[card.difficulty.value]
            rating = Rating.Again if failed else Rating.Good
        elif known.last_review is not None and known.last_review.date() == day:
            rating = Rating.Good  # a re-drill right after seeing the answer
        elif self.rng.random() < self.memory.get_card_retrievability(known, at(day)):
            roll = self.rng.random()
            rating = Rating.Hard if roll < 0.15 else Rating.Easy if roll > 0.9 else Rating.Good
        else:
            rating = Rating.Again
        memory = known if known is not None else MemoryCard(card_id=len(self.cards) + 1)
        self.cards[card.id], _ = self.memory.review_card(memory, rating, at(day))
        return rating

    def minutes(self, card: Card, kind: str, rating: Rating) -> float:
        share = {"new": 1.0, "relearn": 0.2}.get(kind, 0.45 if rating is Rating.Again else 0.3)
        return card.minutes * share * self.rng.lognormvariate(0, 0.25)

    def expected_recalled(self, day: date, ids: Sequence[str] | None = None) -> float:
        chosen = self.cards if ids is None else {i: self.cards[i] for i in ids if i in self.cards}
        return sum(self.memory.get_card_retrievability(c, at(day)) for c in chosen.values())


@dataclass
class Run:
    introduced: dict[str, date] = field(default_factory=dict)
    true_minutes: dict[date, float] = field(default_factory=lambda: defaultdict(float))
    new_minutes: dict[date, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))


def run_planner(
    scenario: Scenario, seed: int, home: Path
) -> tuple[Run, Learner, list[Card], Settings]:
    workspace = Workspace(home)
    start = scenario.start
    study.set_setting(workspace, "interview-date", scenario.interview.isoformat(), start)
    study.set_setting(workspace, "companies", ",".join(scenario.companies), start)
    study.set_setting(workspace, "minutes-per-day", str(scenario.minutes), start)
    for key, value in (
        ("days-off", scenario.days_off),
        ("weekday-minutes", scenario.weekday_minutes),
    ):
        if value:
            study.set_setting(workspace, key, value, start)
    cards = {card.id: card for card in workspace.cards}
    learner, run = Learner(random.Random(seed)), Run()
    for offset in range(scenario.days):
        day = scenario.day(offset)
        if not scenario.budget(offset):
            continue
        queue = study.review_queue(workspace, day, None, None, None)
        while (item := queue.current()) is not None:
            card = cards[item.card_id]
            if item.kind is ItemKind.NEW:
                run.introduced.setdefault(card.id, day)
            rating = learner.recall(card, day)
            spent = learner.minutes(card, item.kind.value, rating)
            run.true_minutes[day] += spent
            if item.kind is ItemKind.NEW:
                run.new_minutes[day][card.track.value] += spent
            study.grade_card(workspace, card.id, QUALITY[rating], day, round(spent * 60))
            queue.record(QUALITY[rating], spent)
    settings = workspace.settings()
    workspace.close()
    return run, learner, list(cards.values()), settings


def run_baseline(
    scenario: Scenario, seed: int, cards: Sequence[Card], settings: Settings
) -> tuple[Run, Learner]:
    """FSRS reviews first, then new cards round-robin by track weight while true minutes fit."""
    learner, run = Learner(random.Random(seed)), Run()
    queues: dict[Track, list[Card]] = defaultdict(list)
    for card in cards:
        if in_target_set(card, settings):
            queues[card.track].append(card)
    weights = {t: settings.track_weights.get(t, 0) for t in queues}
    due: dict[str, date] = {}
    credit: Counter[Track] = Counter()
    for offset in range(scenario.days):
        day, budget = scenario.day(offset), scenario.budget(offset)
        if not budget:
            continue
        spent = 0.0
        redrill: list[Card] = []
        for card_id in sorted((c for c, d in due.items() if d <= day), key=lambda c: (due[c], c)):
            card = next(c for c in cards if c.id == card_id)
            rating = learner.recall(card, day)
            spent += learner.minutes(card, "review", rating)
            due[card_id] = learner.cards[card_id].due.date()
            if rating is Rating.Again:
                redrill.append(card)
        while any(queues.values()):
            active = [t for t in Track if queues.get(t) and weights[t] > 0]
            if not active:
                break
            for track in active:
                credit[track] += weights[track]
            track = max(active, key=lambda t: credit[t])
            card = queues[track][0]
            rating = learner.recall(card, day)
            cost = learner.minutes(card, "new", rating)
            if spent + cost > budget:
                del learner.cards[card.id]  # not studied after all
                credit[track] -= weights[track]
                break
            credit[track] -= sum(weights[t] for t in active)
            queues[track].pop(0)
            spent += cost
            run.introduced[card.id] = day
            run.new_minutes[day][track.value] += cost
            due[card.id] = learner.cards[card.id].due.date()
            if rating is Rating.Again:
                redrill.append(card)
        for card in redrill:
            learner.recall(card, day)
            spent += learner.minutes(card, "relearn", Rating.Good)
            due[card.id] = learner.cards[card.id].due.date()
        run.true_minutes[day] = spent
    return run, learner


@dataclass
class Figures:
    introduced: Counter[str]
    recalled: float
    recalled_core: float
    over_days: int
    far_over_days: int
    worst_over: float
    shares: dict[str, float]
    run_study_gap: float
    worst_study_gap: float
    company_first_day: int | None
    company_covered: int
    company_total: int


def figures(
    scenario: Scenario, run: Run, learner: Learner, cards: Sequence[Card], settings: Settings
) -> Figures:
    interview = scenario.interview
    by_id = {card.id: card for card in cards}
    introduced = Counter(by_id[i].priority.value for i in run.introduced)
    introduced["all"] = len(run.introduced)
    core = [c.id for c in cards if c.priority.value == "core" and in_target_set(c, settings)]
    budgets = {scenario.day(o): scenario.budget(o) for o in range(scenario.days)}
    load = [m / budgets[d] for d, m in run.true_minutes.items() if budgets[d]]
    over = [share for share in load if share > OVER_TOLERANCE]
    targets = [
        c.id
        for c in cards
        if c.track is Track.COMPANY and set(c.companies) & set(settings.companies)
    ]
    starts = [(run.introduced[i] - scenario.start).days for i in targets if i in run.introduced]
    deadline = interview - timedelta(days=7)
    covered = sum(1 for i in targets if i in run.introduced and run.introduced[i] <= deadline)
    return Figures(
        introduced=introduced,
        recalled=learner.expected_recalled(interview),
        recalled_core=learner.expected_recalled(interview, core),
        over_days=len(over),
        far_over_days=sum(1 for share in over if share > FAR_OVER),
        worst_over=max(over, default=0.0),
        shares=_shares(run, scenario),
        run_study_gap=_worst_window_gap(run, settings, scenario, cards, STUDY_TRACKS, None),
        worst_study_gap=_worst_window_gap(
            run, settings, scenario, cards, STUDY_TRACKS, BALANCE_WINDOW
        ),
        company_first_day=min(starts) + 1 if starts else None,
        company_covered=covered,
        company_total=len(targets),
    )


def _weight_share(settings: Settings, tracks: set[str]) -> dict[str, float]:
    weights = {
        t.value: settings.track_weights.get(t, DEFAULT_WEIGHTS[t])
        for t in Track
        if t.value in tracks
    }
    total = sum(weights.values()) or 1
    return {t: w / total for t, w in weights.items()}


def _shares(run: Run, scenario: Scenario) -> dict[str, float]:
    total: Counter[str] = Counter()
    for offset in range(scenario.days):
        total.update(run.new_minutes.get(scenario.day(offset), Counter()))
    minutes = sum(total.values()) or 1
    return {track: total[track] / minutes for track in sorted(total)}


def _worst_window_gap(
    run: Run,
    settings: Settings,
    scenario: Scenario,
    cards: Sequence[Card],
    tracks: set[Track],
    length: int | None,
) -> float:
    """Largest |share − weight share| of new-card minutes (the cards' own minutes, as
    planned) over any `length` consecutive study days (None: all of them) before the new-card
    deadline, among `tracks` that still had cards left at the window's end (shares of those
    tracks' minutes)."""
    chosen = {track.value for track in tracks}
    by_id = {card.id: card for card in cards}
    deadline = scenario.interview - timedelta(days=7)
    study_days = [
        scenario.day(o)
        for o in range(scenario.days)
        if scenario.budget(o) and scenario.day(o) <= deadline
    ]
    length = len(study_days) if length is None else length
    planned: dict[date, Counter[str]] = defaultdict(Counter)
    for card_id, day in run.introduced.items():
        if by_id[card_id].track.value in chosen:
            planned[day][by_id[card_id].track.value] += by_id[card_id].minutes
    pool = Counter(
        c.track.value for c in cards if in_target_set(c, settings) and c.track.value in chosen
    )
    worst = 0.0
    for first in range(len(study_days) - length + 1):
        window = study_days[first : first + length]
        seen = Counter(by_id[i].track.value for i, d in run.introduced.items() if d <= window[-1])
        open_tracks = {t for t in pool if seen[t] < pool[t]}
        minutes: Counter[str] = Counter()
        for day in window:
            minutes.update(planned.get(day, Counter()))
        total = sum(minutes.values())
        if not total or not open_tracks:
            continue
        wanted = _weight_share(settings, open_tracks)
        for track in open_tracks:
            worst = max(worst, abs(minutes[track] / total - wanted[track]))
    return worst


def describe(label: str, f: Figures) -> str:
    shares = ", ".join(f"{t} {100 * s:.0f}%" for t, s in f.shares.items())
    first = f"day {f.company_first_day}" if f.company_first_day else "never"
    return (
        f"  {label:<9} introduced {f.introduced['all']:>3} (core {f.introduced['core']}, common "
        f"{f.introduced['common']}, deep {f.introduced['deep']}); recalled on the day "
        f"{f.recalled:6.1f} (core {f.recalled_core:5.1f}); days over +15%: {f.over_days}, "
        f"over +35%: {f.far_over_days} (worst {100 * f.worst_over:.0f}%)\n"
        f"  {'':<9} new-minute shares: {shares}; study tracks' gap to their weights: run "
        f"{100 * f.run_study_gap:.0f} pts, worst {BALANCE_WINDOW}-day window "
        f"{100 * f.worst_study_gap:.0f} pts; target-company cards: first {first}, "
        f"{f.company_covered}/{f.company_total} a week before"
    )


def summary(scenario: Scenario, runs: Sequence[Figures]) -> str:
    """The planner's figures over all seeds, against the targets they are held to."""
    weeks = scenario.days / 7
    over = sum(f.over_days for f in runs) / len(runs) * 6 / weeks
    run_gaps = [100 * f.run_study_gap for f in runs]
    window_gaps = [100 * f.worst_study_gap for f in runs]
    covered = sum(1 for f in runs if f.company_covered == f.company_total)
    return (
        f" planner over {len(runs)} seeds: days over +15%: {over:.1f} per 6 weeks (target <= 2), "
        f"over +35%: {sum(f.far_over_days for f in runs)} (target 0); study tracks' gap, whole "
        f"run: max {max(run_gaps):.0f} pts (target <= 10), worst {BALANCE_WINDOW}-day window: "
        f"max {max(window_gaps):.0f} pts (target <= 15); every target-company card a week "
        f"before in {covered} of {len(runs)} runs"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=("report", "tune"), default="report")
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args(argv)
    for scenario in scenarios(args.set):
        print(scenario.name)
        ratios = []
        runs: list[Figures] = []
        for seed in range(1, args.seeds + 1):
            with tempfile.TemporaryDirectory() as home:
                run, learner, cards, settings = run_planner(scenario, seed, Path(home))
            plan_figures = figures(scenario, run, learner, cards, settings)
            base_run, base_learner = run_baseline(scenario, seed, cards, settings)
            base_figures = figures(scenario, base_run, base_learner, cards, settings)
            ratios.append(plan_figures.recalled / base_figures.recalled)
            runs.append(plan_figures)
            print(f" seed {seed}")
            print(describe("planner", plan_figures))
            print(describe("baseline", base_figures))
        print(
            f" recalled on the day, planner / baseline: {statistics.mean(ratios):.2f}x "
            f"(min {min(ratios):.2f}x over {len(ratios)} seeds)"
        )
        print(summary(scenario, runs) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
