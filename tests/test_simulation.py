"""The plan, followed by a simulated learner whose memory is FSRS-6's (the `fsrs` package),
against an Anki-like baseline on the same learner: the outcomes the planner promises."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import simulate_plan as sim


def test_six_weeks_at_45_minutes_for_two_companies(tmp_path: Path) -> None:
    # The report scenario of bench/simulate_plan.py, on a learner seed it does not use.
    scenario = sim.scenarios("report")[0]
    run, learner, cards, settings = sim.run_planner(scenario, 7, tmp_path)
    planned = sim.figures(scenario, run, learner, cards, settings)
    base_run, base_learner = sim.run_baseline(scenario, 7, cards, settings)
    baseline = sim.figures(scenario, base_run, base_learner, cards, settings)

    assert planned.company_first_day is not None and planned.company_first_day <= 3
    assert planned.company_covered == planned.company_total >= 24  # twelve per company
    # Core cards first: more of them recalled on the day than the baseline, which goes by
    # corpus order, and at least 90% of its total recall.
    assert planned.recalled_core > baseline.recalled_core
    assert planned.recalled >= 0.9 * baseline.recalled
    # A slow session puts off its last new cards: at most one day runs 15% past the budget
    # in the learner's true minutes (the plan alone, with no such check, ran 3-4 days over).
    assert planned.over_days <= 1
    # No new card in the week before the interview.
    last_new = max(run.introduced.values())
    assert last_new <= sim.START + timedelta(days=scenario.days - 7)
