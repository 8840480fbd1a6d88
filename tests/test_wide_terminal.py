"""An absurd terminal width is capped: output stays the size of its content."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from click.testing import Result

from studyplan.cli.app import MAX_WIDTH

Run = Callable[..., Result]
DAY = "2026-01-05"


def test_a_huge_columns_value_is_capped(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "99999999")
    for args in (("today", "--date", DAY), ("review", "--date", DAY), ("show", "coding-two-sum")):
        result = run(*args, input="q\n")
        assert result.exit_code == 0, (args, result.output[:200])
        assert max(len(line) for line in result.output.splitlines()) <= MAX_WIDTH
        assert len(result.output) < 100_000
