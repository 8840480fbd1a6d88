"""The forecast beside today's plan and in stats: what fits before the interview."""

from __future__ import annotations

from typing import Any

from studyplan.core.forecast import Forecast
from studyplan.core.forecast_words import forecast_lines

__all__ = ["forecast_json", "forecast_lines"]


def forecast_json(outlook: Forecast | None) -> dict[str, Any] | None:
    if outlook is None:
        return None
    return {
        "minutes_per_day": outlook.minutes_per_day,
        "interview_date": outlook.interview_date,
        "new_cards_until": outlook.deadline,
        "cards_that_matter": outlook.matter,
        "known": outlook.known,
        "learnable": outlook.learnable,
        "groups": [
            {
                "group": g.group.value,
                "cards": g.cards,
                "learned_by_deadline": g.learned,
                "done_on": g.done_on,
                "minutes_needed": g.minutes_needed,
            }
            for g in outlook.groups
        ],
    }
