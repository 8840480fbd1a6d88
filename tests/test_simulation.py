"""The plan, followed by a simulated learner whose memory is FSRS-6's (the `fsrs` package),
against an Anki-like baseline on the same learner: the outcomes the planner promises."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import simulate_plan as sim

# Learner seeds the bench does not use: its report runs seeds 1-3.
SEEDS = (7, 8, 9)


@pytest.fixture(scope="module")
def six_weeks(
    tmp_path_factory: pytest.TempPathFactory,
) -> list[tuple[sim.Figures, sim.Figures, sim.Run]]:
    scenario = sim.scenarios("report")[0]
    outcomes = []
    for seed in SEEDS:
        home = tmp_path_factory.mktemp(f"learner-{seed}")
        run, learner, cards, settings = sim.run_planner(scenario, seed, home)
        planned = sim.figures(scenario, run, learner, cards, settings)
        base_run, base_learner = sim.run_baseline(scenario, seed, cards, settings)
        baseline = sim.figures(scenario, base_run, base_learner, cards, settings)
        outcomes.append((planned, baseline, run))
    return outcomes


def test_target_companies_start_early_and_are_all_in_a_week_before(
    six_weeks: list[tuple[sim.Figures, sim.Figures, sim.Run]],
) -> None:
    for planned, _, _ in six_weeks:
        assert planned.company_first_day is not None and planned.company_first_day <= 3
        assert planned.company_covered == planned.company_total >= 24  # twelve per company


def test_recall_on_the_day_holds_against_the_baseline(
    six_weeks: list[tuple[sim.Figures, sim.Figures, sim.Run]],
) -> None:
    # Core cards first: more of them recalled on the day than the baseline, which goes by
    # corpus order, and at least 90% of its total recall.
    for planned, baseline, _ in six_weeks:
        assert planned.recalled_core > baseline.recalled_core
        assert planned.recalled >= 0.9 * baseline.recalled


def test_slow_sessions_rarely_run_past_the_budget(
    six_weeks: list[tuple[sim.Figures, sim.Figures, sim.Run]],
) -> None:
    # A slow session puts off what can wait: at most one day per run, on average, goes 15%
    # past the budget in the learner's true minutes (the plan alone, with no such check,
    # ran 3-4 days over per run). A day that does is one card running far past its minutes.
    over_days = [planned.over_days for planned, _, _ in six_weeks]
    assert sum(over_days) <= len(six_weeks)
    assert all(planned.worst_over <= 1.3 for planned, _, _ in six_weeks)


def test_no_new_card_on_the_eve_of_the_interview(
    six_weeks: list[tuple[sim.Figures, sim.Figures, sim.Run]],
) -> None:
    scenario = sim.scenarios("report")[0]
    for _, _, run in six_weeks:
        assert max(run.introduced.values()) <= scenario.interview - timedelta(days=2)
