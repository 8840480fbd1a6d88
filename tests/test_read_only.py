"""A read-only workspace still answers read commands, and says in one line when it cannot save.

Root ignores file modes, so a chmod proves nothing under root: there the workspace is made
read-only for real with a read-only bind mount (`mount --bind -o ro`), which refuses writes
to root too (EROFS). Other users get the workspace's write bits removed instead.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result

from studyplan.adapters.sqlite.store import DATABASE_NAME

Run = Callable[..., Result]
DAY = "2026-11-25"


def _make_read_only(source: Path, view: Path) -> Callable[[], None]:
    """Make `view` a read-only view of `source`; returns the undo."""
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [source, *source.rglob("*")]}
        for path, mode in modes.items():
            path.chmod(stat.S_IMODE(mode) & ~0o222)
        view.symlink_to(source)

        def restore() -> None:
            for path, mode in modes.items():
                path.chmod(stat.S_IMODE(mode))

        return restore
    view.mkdir()
    mounted = subprocess.run(
        ["mount", "--bind", "-o", "ro", str(source), str(view)], capture_output=True, check=False
    )
    if mounted.returncode != 0:
        pytest.skip(f"a read-only bind mount is not permitted here: {mounted.stderr!r}")
    return lambda: subprocess.run(["umount", str(view)], check=True)


@pytest.fixture
def read_only_home(
    run: Run, isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """A workspace with a grade, a setting and an index, then seen through a read-only view."""
    assert run("grade", "coding-two-sum", "4", "--date", DAY).exit_code == 0
    assert run("config", "minutes-per-day", "40").exit_code == 0
    view = tmp_path / "read-only"
    undo = _make_read_only(isolated_home, view)
    monkeypatch.setenv("STUDYPLAN_HOME", str(view))
    try:
        assert not os.access(view, os.W_OK)
        yield view
    finally:
        undo()


@pytest.fixture
def indexed_read_only_home(
    run: Run,
    isolated_home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    copy_real_index: Callable[[Path], Path],
    shipped_index: Path,
) -> Iterator[Path]:
    isolated_home.mkdir(parents=True)
    copy_real_index(shipped_index)
    assert run("search", "reverse a linked list", "--json").exit_code == 0
    (isolated_home / "stories").mkdir()
    (isolated_home / "stories" / "shipping.toml").write_text(STORY, encoding="utf-8")
    view = tmp_path / "read-only"
    undo = _make_read_only(isolated_home, view)
    monkeypatch.setenv("STUDYPLAN_HOME", str(view))
    try:
        yield view
    finally:
        undo()


def test_read_commands_answer(run: Run, read_only_home: Path, tmp_path: Path) -> None:
    for args in (
        ("today", "--date", DAY, "--json"),
        ("week", "--date", DAY, "--json"),
        ("stats", "--date", DAY, "--json"),
        ("cards", "--json"),
        ("config",),
    ):
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)
    plan = json.loads(run("today", "--date", DAY, "--json").stdout)
    assert plan["minutes_budget"] == 40
    out = tmp_path / "plan.ics"
    exported = run("export", "ics", "-o", str(out), "--date", DAY)
    assert exported.exit_code == 0, exported.output
    assert out.read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_writes_are_refused_in_one_line(run: Run, read_only_home: Path) -> None:
    before = (read_only_home / DATABASE_NAME).read_bytes()
    expected = (
        f"Error: cannot save to {read_only_home / DATABASE_NAME}: the workspace is read-only "
        f"here — make {read_only_home} writable to grade cards, change settings or add "
        "documents\n"
    )
    for args in (("grade", "coding-two-sum", "5"), ("config", "minutes-per-day", "30")):
        result = run(*args)
        assert result.exit_code == 1
        assert result.output == expected
    assert (read_only_home / DATABASE_NAME).read_bytes() == before


STORY = """# A story, written by hand
track = "behavioral"

[story]
title = "Shipping under pressure"
situation = "A launch date moved up."
task = "Ship the ranking model."
action = "Cut scope."
result = "Shipped on time."
themes = ["deadline"]

[[card]]
id = "story-shipping-under-pressure"
topic = "my stories"
difficulty = "medium"
minutes = 5
prompt = "Tell me about a time you had to deliver under a tight deadline."
answer = "- Situation: A launch date moved up."
"""


@pytest.mark.model
def test_a_stale_index_is_searched_as_it_is(
    run: Run, indexed_read_only_home: Path, tmp_path: Path
) -> None:
    # The story was added after the index was built, so the index is out of date.
    home = indexed_read_only_home
    result = run("search", "reverse a linked list", "--json", "-k", "3")
    assert result.exit_code == 0, result.output
    assert "coding-reverse-linked-list" in [hit["id"] for hit in json.loads(result.stdout)]
    assert result.stderr.startswith(
        "Index out of date, and its folder is read-only: left as it is, "
    )
    refused = run("index")
    assert refused.exit_code == 1
    assert refused.output == (
        f"Error: cannot refresh the search index in {home / 'index'}: its folder is read-only\n"
    )
