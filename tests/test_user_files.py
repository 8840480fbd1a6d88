"""Files the user names are read whole only when they are regular, small enough, UTF-8 text."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from studyplan.adapters.user_files import (
    MAX_DOCUMENT_BYTES,
    MAX_STORY_BYTES,
    UnreadableFile,
    read_user_bytes,
    read_user_text,
)

Run = Callable[..., Result]
needs_dev_zero = pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")


def test_reads_utf8_text_dropping_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_bytes(b"\xef\xbb\xbf# Caf\xc3\xa9\r\nline\rend\n")
    assert read_user_text(path, 1024) == "# Café\nline\nend\n"


def test_a_file_at_the_limit_is_read_and_one_byte_more_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 1024)
    assert len(read_user_bytes(path, 1024)) == 1024
    path.write_bytes(b"a" * 1025)
    with pytest.raises(UnreadableFile) as caught:
        read_user_bytes(path, 1024)
    assert str(caught.value) == f"{path} is larger than 1 KiB: split it first"


def test_limits_are_two_mib_for_documents_and_256_kib_for_stories() -> None:
    assert MAX_DOCUMENT_BYTES == 2 * 1024 * 1024
    assert MAX_STORY_BYTES == 256 * 1024


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    with pytest.raises(UnreadableFile) as caught:
        read_user_text(fifo, MAX_DOCUMENT_BYTES)
    assert str(caught.value) == f"{fifo} is a named pipe (FIFO): give a regular file"


@needs_dev_zero
def test_a_device_is_refused_before_reading() -> None:
    with pytest.raises(UnreadableFile) as caught:
        read_user_text(Path("/dev/zero"), MAX_DOCUMENT_BYTES)
    assert str(caught.value) == "/dev/zero is a device: give a regular file"


def test_folders_missing_files_and_bad_encodings_are_named(tmp_path: Path) -> None:
    cases = {
        tmp_path: f"{tmp_path} is a folder: give the files inside it",
        tmp_path / "nope.md": f"{tmp_path / 'nope.md'}: no such file",
    }
    latin = tmp_path / "latin.txt"
    latin.write_bytes(b"caf\xe9 au lait")
    cases[latin] = (
        f"{latin} is not UTF-8 text (byte 4 is not valid UTF-8): studyplan reads notes; "
        "save the file as UTF-8"
    )
    binary = tmp_path / "photo.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    cases[binary] = f"{binary} is a binary file: studyplan reads notes"
    for path, message in cases.items():
        with pytest.raises(UnreadableFile) as caught:
            read_user_text(path, 1024, "notes")
        assert str(caught.value) == message


# through the commands ----------------------------------------------------------------------


def test_add_refuses_a_fifo_a_device_and_an_oversized_file(run: Run, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * (MAX_DOCUMENT_BYTES // 5 + 1))
    result = run("add", str(fifo), str(big))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {fifo} is a named pipe (FIFO): give a regular file\n"
        f"Error: {big} is larger than 2 MiB: split it first\n"
    )


@needs_dev_zero
def test_add_dev_zero_is_refused_at_once(run: Run) -> None:
    result = run("add", "/dev/zero")
    assert result.exit_code == 1
    assert result.output == "Error: /dev/zero is a device: give a regular file\n"


def test_story_from_a_fifo_or_oversized_file_is_refused(
    run: Run, tmp_path: Path, isolated_home: Path
) -> None:
    fifo = tmp_path / "story.md"
    os.mkfifo(fifo)
    result = run("story", "add", "--from", str(fifo))
    assert result.exit_code == 1
    assert result.output == f"Error: {fifo} is a named pipe (FIFO): give a regular file\n"
    big = tmp_path / "long-story.md"
    big.write_bytes(b"# Title\n" + b"x" * MAX_STORY_BYTES)
    result = run("story", "add", "--from", str(big))
    assert result.exit_code == 1
    assert result.output == f"Error: {big} is larger than 256 KiB: split it first\n"
    assert not (isolated_home / "stories").exists()


def test_story_in_another_encoding_is_one_line(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "story.md"
    source.write_bytes(b"# Caf\xe9 story\n")
    result = run("story", "add", "--from", str(source))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {source} is not UTF-8 text (byte 6 is not valid UTF-8): studyplan reads "
        "a Markdown story; save the file as UTF-8\n"
    )
