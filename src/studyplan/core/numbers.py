"""How figures read, the same in the terminal, JSON-free text and the HTML page."""

from __future__ import annotations

MISSING = "—"  # a figure there is nothing yet to compute from


def percent(value: float | None) -> str:
    """0.834 -> '83%'."""
    return MISSING if value is None else f"{value:.0%}"


def easiness(value: float | None) -> str:
    """An SM-2 easiness factor, 2.5 -> '2.50'."""
    return MISSING if value is None else f"{value:.2f}"
