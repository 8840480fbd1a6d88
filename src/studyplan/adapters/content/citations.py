"""Sources and citations in guides.

A guide lists what it rests on in its front matter, one `[[sources]]` table each (key,
title, publisher, date, and a link where there is one), and a paragraph cites them with
markers like `[^bls-data-scientists]`. A paragraph that states a figure (a sum of money, a
percentage, a count in thousands or millions, a year) must cite at least one of them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from studyplan.adapters.content.markdown import Block

# `[^key]`; anything between `[^` and `]` is taken as a key, so a malformed one is reported
# rather than silently read as prose.
CITATION = re.compile(r"\[\^([^\]\n]*)\]")
KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# What counts as a figure: a sum of money, a percentage, a count in thousands or more, a
# year. A year is 1900-2099 standing alone ("H200" and "GB300" are names, not years). Each
# alternative is anchored on one digit, so the search stays linear in the text's length.
FIGURE = re.compile(
    r"\$\s?\d"
    r"|\d\s?%|\d\s?per\s?cent\b"
    r"|\d\s?k\b"
    r"|\d\s+(?:thousand|million|billion|trillion)\b"
    r"|\b(?:19|20)\d\d\b",
    re.IGNORECASE,
)
MARKER_WITH_SPACE = re.compile(r"[ \t]*\[\^[^\]\n]*\]")
SOURCE_FIELDS = ("key", "title", "publisher", "date", "link", "note")
UNDATED = "undated"
PARTIAL_DATE = re.compile(r"(?:19|20)\d\d(?:-(?:0[1-9]|1[0-2]))?")  # "2025" or "2025-09"


@dataclass(frozen=True, slots=True)
class Source:
    key: str
    title: str
    publisher: str
    date: str  # "2025-09-17", "2025-09", "2025" or "undated"
    link: str = ""
    note: str = ""  # what a reader should know about it, such as "undated, about 2024"
    line: int = 1  # the file line of its [[sources]] header


def strip_citations(text: str) -> str:
    """The text without its citation markers: what search indexes and prints."""
    return MARKER_WITH_SPACE.sub("", text)


def read_sources(
    raw: object, path: Path, front_matter: Sequence[str], problems: list[str]
) -> tuple[Source, ...]:
    """The front matter's `sources`, each checked; every problem found is added to
    `problems` with the line of the entry it concerns."""
    if not isinstance(raw, list) or not all(isinstance(entry, dict) for entry in raw):
        problems.append(f"{path}:1: sources must be a list of [[sources]] tables")
        return ()
    headers = _header_lines(front_matter)
    sources: list[Source] = []
    for number, entry in enumerate(raw, 1):
        line = headers[number - 1] if number <= len(headers) else 1
        where = f"{path}:{line}: source {number}"
        fields = _checked_fields(entry, where, problems)
        if fields is None:
            continue
        if any(source.key == fields["key"] for source in sources):
            problems.append(f"{where}: key {fields['key']!r} repeats")
            continue
        sources.append(Source(**fields, line=line))
    return tuple(sources)


def _checked_fields(
    entry: dict[str, object], where: str, problems: list[str]
) -> dict[str, str] | None:
    found = len(problems)
    unknown = sorted(set(entry) - set(SOURCE_FIELDS))
    if unknown:
        problems.append(f"{where}: unknown field(s) {', '.join(unknown)}")
    fields: dict[str, str] = {}
    for name in ("key", "title", "publisher"):
        value = entry.get(name)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{where}: {name} must be non-empty text")
        else:
            fields[name] = value.strip()
    if "key" in fields and not KEY.fullmatch(fields["key"]):
        problems.append(f"{where}: key must be lowercase words joined by hyphens")
    dated = _date_text(entry.get("date"))
    if dated is None:
        problems.append(
            f"{where}: date must be a date (2025-09-17), a month or year as text "
            f'("2025-09", "2025"), or "{UNDATED}"'
        )
    else:
        fields["date"] = dated
    for name in ("link", "note"):
        value = entry.get(name, "")
        if not isinstance(value, str):
            problems.append(f"{where}: {name} must be text")
        elif value:
            fields[name] = value.strip()
    link = fields.get("link", "")
    if link and not link.startswith(("https://", "http://")):
        problems.append(f"{where}: link must start with https:// or http://")
    return fields if len(problems) == found else None


def _date_text(value: object) -> str | None:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str) and (value == UNDATED or PARTIAL_DATE.fullmatch(value)):
        return value
    return None


def _header_lines(front_matter: Sequence[str]) -> list[int]:
    """The 1-based file lines of the front matter's `[[sources]]` headers, in order (the
    file's line 1 is the opening fence)."""
    return [n for n, line in enumerate(front_matter, 2) if line.strip() == "[[sources]]"]


def check_citations(
    blocks: Sequence[Block],
    first_line: int,
    sources: Sequence[Source],
    path: Path,
    problems: list[str],
) -> None:
    """Every marker names a listed source, every figure sits in a block that cites one, and
    every listed source is cited somewhere. `first_line` is the 0-based line of the file at
    which the blocks' text begins."""
    keys = {source.key for source in sources}
    cited: set[str] = set()
    for block in blocks:
        markers = list(CITATION.finditer(block.text))
        for marker in markers:
            key = marker.group(1)
            cited.add(key)
            if key not in keys:
                line = _file_line(first_line, block, block.text, marker.start())
                problems.append(
                    f"{path}:{line}: [^{key}] names no source in the front matter's sources"
                )
        text = strip_citations(block.text)
        figure = None if markers else FIGURE.search(text)
        if figure is not None:
            line = _file_line(first_line, block, text, figure.start())
            problems.append(
                f"{path}:{line}: {_word_at(text, figure.start())!r} is a figure in a paragraph "
                "that cites no source (add [^key] for one of the guide's sources, or leave the "
                "figure out)"
            )
    for source in sources:
        if source.key not in cited:
            problems.append(
                f"{path}:{source.line}: source {source.key!r} is listed but never cited"
            )


def _file_line(first_line: int, block: Block, text: str, offset: int) -> int:
    """The 1-based file line of `offset` in `text`, the block's text as written or stripped
    of its markers (which never span lines)."""
    return first_line + block.line + 1 + text[:offset].count("\n")


def _word_at(text: str, offset: int) -> str:
    """The whitespace-separated word that holds `offset`, without surrounding punctuation."""
    start = max(text.rfind(" ", 0, offset), text.rfind("\n", 0, offset)) + 1
    return text[start:].split()[0].strip("()\"'.,;:")
