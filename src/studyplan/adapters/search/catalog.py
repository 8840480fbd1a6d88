"""The indexed items on disk: one JSON line per item, plus numpy arrays for filtering.

A query reads the filter arrays whole and only the JSON lines of the hits it returns, so a large
collection costs no JSON parsing per search.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import IO

import numpy as np

from studyplan.adapters.files import write_atomic
from studyplan.adapters.search.items import KINDS, Item


def write_catalog(items: Sequence[Item], lines_path: Path, meta_path: Path) -> None:
    offsets = [0]
    lines: list[bytes] = []
    for item in items:
        line = json.dumps({**item.record(), "digest": item.digest}) + "\n"
        lines.append(line.encode("ascii"))  # escaped: a non-UTF-8 file name is text too
        offsets.append(offsets[-1] + len(lines[-1]))
    write_atomic(lines_path, lambda handle: handle.writelines(lines))

    tracks = sorted({item.track for item in items})
    companies = sorted({c for item in items for c in item.companies})
    track_of = {name: code for code, name in enumerate(tracks)}
    company_of = {name: code for code, name in enumerate(companies)}
    company_matrix = np.zeros((len(items), len(companies)), dtype=bool)
    for row, item in enumerate(items):
        company_matrix[row, [company_of[c] for c in item.companies]] = True
    arrays: dict[str, np.ndarray] = {
        "offsets": np.asarray(offsets, dtype=np.int64),
        "kind": np.asarray([KINDS.index(item.kind) for item in items], dtype=np.uint8),
        "track": np.asarray([track_of[item.track] for item in items], dtype=np.int32),
        "tracks": np.asarray(tracks, dtype=str),
        "companies": np.asarray(companies, dtype=str),
        "company": company_matrix,
    }
    write_atomic(meta_path, lambda handle: np.savez(handle, allow_pickle=False, **arrays))


class Catalog:
    def __init__(self, lines_path: Path, meta_path: Path) -> None:
        with np.load(meta_path, allow_pickle=False) as meta:
            self._offsets = meta["offsets"]
            self._kind = meta["kind"]
            self._track = meta["track"]
            self._tracks = [str(t) for t in meta["tracks"]]
            self._companies = [str(c) for c in meta["companies"]]
            self._company = meta["company"]
        self._lines_path = lines_path
        rows = len(self._kind)
        if not (
            len(self._offsets) == rows + 1
            and len(self._track) == rows
            and self._company.shape == (rows, len(self._companies))
            and lines_path.stat().st_size == int(self._offsets[-1])
        ):
            raise ValueError("item catalog arrays disagree with each other")

    def __len__(self) -> int:
        return len(self._kind)

    @property
    def tracks(self) -> list[str]:
        return list(self._tracks)

    @property
    def companies(self) -> list[str]:
        return list(self._companies)

    def items(self, rows: Sequence[int]) -> list[Item]:
        with self._lines_path.open("rb") as handle:
            return [self._read(handle, int(row)) for row in rows]

    def _read(self, handle: IO[bytes], row: int) -> Item:
        start, end = int(self._offsets[row]), int(self._offsets[row + 1])
        handle.seek(start)
        record = json.loads(handle.read(end - start))
        return Item(
            id=record["id"],
            kind=record["kind"],
            title=record["title"],
            text=record["text"],
            source=record["source"],
            track=record["track"],
            companies=tuple(record["companies"]),
            digest=record["digest"],
            related=tuple(record.get("related", ())),
        )

    def mask(
        self, *, track: str | None = None, company: str | None = None, kind: str | None = None
    ) -> np.ndarray | None:
        """Rows passing every given filter, or None when no filter is given."""
        if track is None and company is None and kind is None:
            return None
        keep = np.ones(len(self), dtype=bool)
        if kind is not None:
            keep &= self._kind == KINDS.index(kind)
        if track is not None:
            code = self._tracks.index(track) if track in self._tracks else -1
            keep &= self._track == code
        if company is not None:
            if company in self._companies:
                keep &= self._company[:, self._companies.index(company)]
            else:
                keep[:] = False
        return keep

    def about_companies(self, companies: set[str]) -> tuple[np.ndarray, np.ndarray]:
        """Rows tagged for any of `companies`, and rows tagged for any company at all."""
        about_any = (
            self._company.any(axis=1) if self._company.size else np.zeros(len(self), dtype=bool)
        )
        about_named = np.zeros(len(self), dtype=bool)
        for company in companies:
            if company in self._companies:
                about_named |= self._company[:, self._companies.index(company)]
        return about_named, about_any
