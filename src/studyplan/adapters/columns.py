"""Checks of stored values a column at a time: the types of a whole column at once, which
costs a fraction of checking record by record."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def all_exactly(kind: type, values: Iterable[Any]) -> bool:
    """Every value is exactly a `kind` (a subclass is refused: True is not a number)."""
    return set(map(type, values)) <= {kind}
