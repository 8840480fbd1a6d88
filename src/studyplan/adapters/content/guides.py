"""Guides: Markdown files whose `##` sections are the searchable passages, with the sources
their figures and claims rest on listed in the front matter and cited as `[^key]`."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from studyplan.adapters.content.citations import (
    Source,
    check_citations,
    read_sources,
    strip_citations,
)
from studyplan.adapters.content.markdown import outline, prose_blocks
from studyplan.adapters.structured import parse_toml
from studyplan.core.model import COMPANIES, Section
from studyplan.core.names import slug

FRONT_MATTER_FENCE = "+++"
SECTION_WORDS = (50, 320)  # a section should be one good search hit: not a stub, not a chapter
STALE_AFTER_DAYS = 365  # a guide whose facts were last checked longer ago is flagged by `check`


@dataclass(frozen=True, slots=True)
class Guide:
    path: Path
    title: str
    track: str
    companies: tuple[str, ...]
    sections: tuple[Section, ...]
    as_of: date | None = None  # the day its facts were last checked (front matter `as_of`)
    sources: tuple[Source, ...] = ()  # what its figures and claims rest on (`[[sources]]`)


def section_slug(heading: str) -> str:
    """The part of a section's id its heading gives: 'Coding rounds' -> 'coding-rounds'."""
    return slug(heading, fold_accents=False) or "section"


def parse_guide(
    path: Path, problems: list[str], require_as_of: bool = False, require_sources: bool = False
) -> Guide | None:
    """The guide in `path`, or None; every problem found is added to `problems`. A section's
    text is its prose without citation markers.

    `require_as_of`: the front matter must date the guide (`as_of = 2026-11-01`), as every
    shipped guide does. `require_sources`: it must list its sources, every figure must sit in
    a paragraph that cites one, and every citation and every listed source must be used
    rightly (see `citations.check_citations`)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{path}:1: cannot read as UTF-8 text: {exc}")
        return None
    lines = text.splitlines()
    meta: dict[str, object] = {}
    front_matter: list[str] = []
    start = 0
    if lines and lines[0].strip() == FRONT_MATTER_FENCE:
        try:
            end = next(i for i in range(1, len(lines)) if lines[i].strip() == FRONT_MATTER_FENCE)
        except StopIteration:
            problems.append(f"{path}:1: front matter opened with +++ is never closed")
            return None
        front_matter = lines[1:end]
        try:
            meta = parse_toml("\n".join(front_matter))
        except tomllib.TOMLDecodeError as exc:
            problems.append(f"{path}:2: front matter is not valid TOML: {exc}")
            return None
        start = end + 1

    companies = meta.get("companies", [])
    if not isinstance(companies, list) or any(c not in COMPANIES for c in companies):
        problems.append(f"{path}:1: companies must be a list of: {', '.join(COMPANIES)}")
        companies = []
    track = str(meta.get("track", ""))
    as_of = meta.get("as_of")
    if as_of is None:
        if require_as_of:
            problems.append(f"{path}:1: front matter has no as_of date (as_of = YYYY-MM-DD)")
    elif isinstance(as_of, datetime) or not isinstance(as_of, date):
        problems.append(f"{path}:1: as_of must be a date without a time, like as_of = 2026-11-01")
        as_of = None

    raw_sources = meta.get("sources", [])
    sources = read_sources(raw_sources, path, front_matter, problems) if raw_sources else ()
    if require_sources:
        if not raw_sources:
            problems.append(
                f"{path}:1: front matter lists no sources ([[sources]] with key, title, "
                "publisher and date, cited in the text as [^key])"
            )
        body = "\n".join(lines[start:])
        check_citations(prose_blocks(body), start, sources, path, problems)

    title = ""
    headings: list[tuple[int, str]] = []
    for found in outline("\n".join(lines[start:])).headings:
        if found.level == 2:
            headings.append((start + found.line, found.text))
        elif found.level == 1 and not title:
            title = found.text
    if not title:
        problems.append(f"{path}:{start + 1}: no '# Title' line")
    if not headings:
        problems.append(f"{path}:{start + 1}: no '## ' sections")
        return None

    sections: list[Section] = []
    seen: set[str] = set()
    for index, (number, heading) in enumerate(headings):
        stop = headings[index + 1][0] if index + 1 < len(headings) else len(lines)
        body = strip_citations("\n".join(lines[number + 1 : stop])).strip()
        section_id = f"guide:{path.stem}#{section_slug(heading)}"
        if section_id in seen:
            problems.append(f"{path}:{number + 1}: section title {heading!r} repeats")
            continue
        seen.add(section_id)
        words = len(body.split())
        low, high = SECTION_WORDS
        if not low <= words <= high:
            problems.append(
                f"{path}:{number + 1}: section {heading!r} has {words} words (keep {low}-{high})"
            )
        sections.append(
            Section(
                id=section_id,
                title=f"{title}: {heading}" if title else heading,
                text=body,
                source=f"{path.name}:{number + 1}",
                track=track,
                companies=tuple(companies),
            )
        )
    return Guide(path, title, track, tuple(companies), tuple(sections), as_of, sources)


def stale_warning(guide: Guide, today: date) -> str | None:
    """A warning when the guide's facts were last checked more than a year before `today`."""
    if guide.as_of is None or (today - guide.as_of).days <= STALE_AFTER_DAYS:
        return None
    return (
        f"{guide.path}:1: guide is dated {guide.as_of.isoformat()}, over a year before "
        f"{today.isoformat()} — check its facts and move as_of forward"
    )


def load_sections(paths: list[Path]) -> list[Section]:
    """Every section of every guide; files with problems contribute what could be read."""
    problems: list[str] = []
    sections: list[Section] = []
    for path in paths:
        guide = parse_guide(path, problems)
        if guide is not None:
            sections.extend(guide.sections)
    return sections
