"""The one atomic writer: regular files only, symlinks written through, modes from the umask,
no temporary file left behind, stale leftovers of killed runs cleaned up."""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import pytest
from click.testing import Result

from studyplan.adapters.files import (
    FileExists,
    FileWriteError,
    is_temp_name,
    temp_name,
    write_atomic,
)

Run = Callable[..., Result]


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if is_temp_name(p.name))


def test_new_file_gets_its_mode_from_the_umask(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "out.txt"
    write_atomic(target, b"hello")
    assert target.read_bytes() == b"hello"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    os.umask(0o077)
    write_atomic(tmp_path / "private.txt", b"x")
    assert stat.S_IMODE((tmp_path / "private.txt").stat().st_mode) == 0o600


def test_replacing_a_file_keeps_its_mode(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "out.txt"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_atomic(target, lambda handle: handle.write(b"new"))
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


def test_a_symlink_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real" / "plan.ics"
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / "plan.ics"
    link.symlink_to(real)
    assert write_atomic(link, b"new") == real
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes() == b"new"
    assert leftovers(tmp_path) == [] and leftovers(real.parent) == []


def special_files(tmp_path: Path) -> dict[str, Path]:
    found = {"a folder": tmp_path / "folder", "a FIFO": tmp_path / "fifo"}
    found["a folder"].mkdir()
    os.mkfifo(found["a FIFO"])
    device = tmp_path / "null"
    try:  # the same device as /dev/null, made here so no real device is ever at risk
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        found["a character device"] = device
    except PermissionError:
        pass
    return found


def test_only_regular_files_are_replaced(tmp_path: Path) -> None:
    for kind, path in special_files(tmp_path).items():
        before = path.lstat()
        with pytest.raises(FileWriteError) as caught:
            write_atomic(path, b"data")
        assert str(caught.value) == (
            f"cannot write {path}: it is {kind}, and only regular files are replaced"
        )
        after = path.lstat()
        assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    assert leftovers(tmp_path) == []


def test_no_replace_refuses_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "story.toml"
    write_atomic(target, b"first", replace=False)
    with pytest.raises(FileExists):
        write_atomic(target, b"second", replace=False)
    assert target.read_bytes() == b"first"
    assert leftovers(tmp_path) == []


def test_a_failing_writer_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_bytes(b"old")

    def fail(handle: IO[bytes]) -> None:
        handle.write(b"half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, fail)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_stale_temporary_files_are_removed_by_the_next_write(tmp_path: Path) -> None:
    stale = tmp_path / temp_name("plan.ics")
    fresh = tmp_path / temp_name("plan.ics")  # perhaps another process writing right now
    users = tmp_path / ".plan.ics.abcdefgh.tmp"  # not ours: never touched
    for path in (stale, fresh, users):
        path.write_bytes(b"partial")
    hours_ago = time.time() - 2 * 3600
    os.utime(stale, (hours_ago, hours_ago))
    os.utime(users, (hours_ago, hours_ago))
    write_atomic(tmp_path / "other.txt", b"x")
    assert not stale.exists()
    assert fresh.exists() and users.exists()


# Through the commands that write files -----------------------------------------------------


def test_export_refuses_a_fifo_even_with_force(run: Run, tmp_path: Path) -> None:
    fifo = tmp_path / "plan.ics"
    os.mkfifo(fifo)
    result = run("export", "ics", "-o", str(fifo), "--force", "--date", "2026-11-25")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: cannot write {fifo}: it is a FIFO, and only regular files are replaced\n"
    )
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_export_refuses_a_character_device(run: Run, tmp_path: Path) -> None:
    devices = {k: p for k, p in special_files(tmp_path).items() if k == "a character device"}
    if not devices:
        pytest.skip("making a device node needs root")
    device = devices["a character device"]
    result = run("export", "ics", "-o", str(device), "--force", "--date", "2026-11-25")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: cannot write {device}: it is a character device, and only regular files are "
        "replaced\n"
    )
    assert stat.S_ISCHR(device.lstat().st_mode)


def test_export_writes_through_a_symlink_and_keeps_the_mode(
    run: Run, tmp_path: Path, umask_022: None
) -> None:
    calendars = tmp_path / "calendars"
    calendars.mkdir()
    real = calendars / "study.ics"
    real.write_bytes(b"old")
    real.chmod(0o640)
    link = tmp_path / "study.ics"
    link.symlink_to(real)
    result = run("export", "ics", "-o", str(link), "--date", "2026-11-25", "--force")
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert real.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    again = run("export", "ics", "-o", str(link), "--date", "2026-11-25")
    assert again.output == f"Error: {link} already exists — pass --force to replace it\n"


def test_a_symlink_to_nothing_is_never_written_through(run: Run, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere" / "planted.ics"
    elsewhere.parent.mkdir()
    link = tmp_path / "study.ics"
    link.symlink_to(elsewhere)
    result = run("export", "ics", "-o", str(link), "--date", "2026-11-25", "--force")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: cannot write {link}: it is a symbolic link to a file that does not exist;"
        " remove the link\n"
    )
    assert not elsewhere.exists() and link.is_symlink()


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
@pytest.mark.parametrize("through_link", [False, True])
def test_a_file_of_another_user_is_never_replaced(
    run: Run, tmp_path: Path, through_link: bool
) -> None:
    theirs = tmp_path / "theirs.ics"
    theirs.write_bytes(b"their calendar")
    theirs.chmod(0o444)
    os.chown(theirs, 65534, 65534)
    target = tmp_path / "link.ics" if through_link else theirs
    if through_link:
        target.symlink_to(theirs)
    result = run("export", "ics", "-o", str(target), "--date", "2026-11-25", "--force")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: cannot write {target}: it belongs to another user, and studyplan replaces only"
        " yours\n"
    )
    assert theirs.read_bytes() == b"their calendar" and theirs.stat().st_uid == 65534


def test_export_cleans_up_what_a_killed_export_left(run: Run, tmp_path: Path) -> None:
    left = tmp_path / temp_name("study.ics")
    left.write_bytes(b"BEGIN:VCALENDAR\r\n")
    hours_ago = time.time() - 2 * 3600
    os.utime(left, (hours_ago, hours_ago))
    result = run("export", "ics", "-o", str(tmp_path / "study.ics"), "--date", "2026-11-25")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == ["study.ics"]


def test_stats_html_keeps_the_mode_of_the_page_it_replaces(run: Run, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text("old", encoding="utf-8")
    page.chmod(0o604)
    result = run("stats", "--date", "2026-11-25", "--html", str(page), "--force")
    assert result.exit_code == 0, result.output
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert stat.S_IMODE(page.stat().st_mode) == 0o604
