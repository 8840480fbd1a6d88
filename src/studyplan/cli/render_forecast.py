"""The forecast beside today's plan and in stats, as JSON (its words: core.forecast_words)."""

from __future__ import annotations

from typing import Any

from studyplan.core.forecast import Forecast


def forecast_json(outlook: Forecast | None) -> dict[str, Any] | None:
    if outlook is None:
        return None
    return {
        "minutes_per_day": outlook.minutes_per_day,
        "interview_date": outlook.interview_date,
        "new_cards_until": outlook.deadline,
        "study_days": outlook.study_days,
        "cards_that_matter": outlook.matter,
        "known": outlook.known,
        "learnable": outlook.learnable,
        "mature_now": outlook.mature_now,
        "mature_by_interview": outlook.mature_by_interview,
        "groups": [
            {
                "group": g.group.value,
                "cards": g.cards,
                "learned_by_deadline": g.learned,
                "done_on": g.done_on,
                "minutes_needed": g.minutes_needed,
                "limited_by_new_per_day": g.new_per_day_bound,
            }
            for g in outlook.groups
        ],
    }
