"""A full disk is named as such, and nothing saved is lost. The workspace sits on a small
tmpfs mounted for the test (skipped where mounting is not allowed)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result

Run = Callable[..., Result]
DAY = "2026-01-05"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip("mounting a tmpfs is not allowed here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder: Path) -> Path:
    filler = folder / "filler"
    with filler.open("wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    return filler


def test_a_full_disk_is_named_and_nothing_saved_is_lost(
    run: Run, small_disk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = small_disk / "workspace"
    monkeypatch.setenv("STUDYPLAN_HOME", str(home))
    assert run("grade", "coding-two-sum", "good", "--date", DAY).exit_code == 0
    filler = fill(small_disk)
    for args in (("today", "--date", DAY), ("grade", "coding-two-sum", "easy", "--date", DAY)):
        result = run(*args)
        assert result.exit_code == 1, (args, result.output)
        assert result.output.count("\n") == 1
        assert "the disk it is on is full — free some space and try again" in result.output
    filler.unlink()
    shown = json.loads(run("show", "coding-two-sum", "--json", "--date", DAY).stdout)
    assert [g["quality"] for g in shown["history"]] == [4]
    assert run("today", "--date", DAY).exit_code == 0
