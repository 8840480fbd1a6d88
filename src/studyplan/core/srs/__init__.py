"""Spaced repetition: the SM-2 step and the per-card state built on it."""
