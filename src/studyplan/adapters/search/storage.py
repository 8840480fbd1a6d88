"""Crash-safe files in an index folder: each file through `studyplan.adapters.files.write_atomic`.

Each build writes its files under a fresh generation prefix and the manifest, replaced last,
names the generation in use. Until that rename, readers keep seeing the previous, complete set.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from studyplan.adapters import locks
from studyplan.adapters.files import fsync_folder, is_temp_name, write_atomic

MANIFEST = "manifest.json"
LOCK = ".lock"
VERDICT = "verified.json"  # the encoder export's last verified size, time and inode
TMP_MARK = ".tmp-"
ENCODER_PREFIX = "encoder-"
GENERATION_FILE = re.compile(r"^g([0-9a-f]{8})-")
# A generation's files holding long items' passages after their first (see `chunks`).
PASSAGE_ROLES = ("passages.npy", "passage-rows.npy", "passage-windows.npy")


def new_generation() -> str:
    return secrets.token_hex(4)


def generation_name(generation: str, role: str) -> str:
    return f"g{generation}-{role}"


def temp_path(path: Path) -> Path:
    return path.with_name(f"{path.name}{TMP_MARK}{os.getpid()}-{secrets.token_hex(2)}")


def write_json_atomic(path: Path, value: Any) -> None:
    write_atomic(path, json.dumps(value, indent=1, sort_keys=True).encode())


def write_dir_atomic(path: Path, fill: Callable[[Path], object]) -> None:
    """Fill a temporary folder, then rename it to `path` (which must not exist yet)."""
    tmp = temp_path(path)
    try:
        tmp.mkdir()
        fill(tmp)
        for child in tmp.iterdir():
            with child.open("rb") as handle:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
        fsync_folder(path.parent)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def remove_stale(index_dir: Path, keep_generations: set[str], keep_files: set[str]) -> None:
    """Delete leftovers: other generations, old encoder exports, temporary files of crashed builds."""
    for entry in index_dir.iterdir():
        name = entry.name
        if name in keep_files:
            continue
        stale = (
            TMP_MARK in name
            or is_temp_name(name)
            or name.startswith(ENCODER_PREFIX)
            or (
                name.startswith("g")
                and "-" in name
                and name[1 : name.index("-")] not in keep_generations
            )
        )
        if not stale:
            continue
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def exclusive(index_dir: Path) -> contextlib.AbstractContextManager[None]:
    """Serialise writers of one index folder (readers never wait: they follow the manifest)."""
    return locks.exclusive(index_dir / LOCK)
