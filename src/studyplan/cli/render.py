"""Showing results: literal text for the terminal, JSON, search results. With render_study
(plans, cards, grades) and render_progress (stats), the only modules that know rich."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.text import Text

from studyplan.core.model import company_name
from studyplan.core.text_safety import CONTROL_CHARACTERS, printable

if TYPE_CHECKING:
    from studyplan.adapters.search.index import RefreshReport
    from studyplan.adapters.search.query import Hit

# json.dumps escapes C0 controls itself; these others would reach the terminal raw.
_JSON_ESCAPES = str.maketrans({c: f"\\u{ord(c):04x}" for c in CONTROL_CHARACTERS if c >= " "})


def literal(text: str, style: str = "") -> Text:
    """Card, document or user text as rich shows it: never markup, no control characters."""
    return Text(printable(text), style=style)


def to_json(value: Any) -> str:
    """JSON with every string exactly as stored; control characters appear only as escapes."""

    def default(obj: Any) -> Any:
        if isinstance(obj, date):
            return obj.isoformat()
        raise TypeError(f"cannot serialise {type(obj).__name__}")

    text = json.dumps(value, indent=2, ensure_ascii=False, default=default)
    return text.translate(_JSON_ESCAPES)


def refresh_summary(report: RefreshReport, index_dir: Path) -> str:
    if report.damaged:
        names = ", ".join(report.damaged)
        return (
            f"Index repaired: {names} did not match the recorded sha256 and were written again; "
            f"embedded {report.embedded} item(s) in {report.seconds:.1f} s ({index_dir})."
        )
    if report.read_only:
        return (
            f"Index out of date, and its folder is read-only: left as it is, {report.unchanged} "
            f"items ({index_dir})."
        )
    if not (report.embedded or report.removed or report.rebuilt):
        return f"Index up to date: {report.unchanged} items ({index_dir})."
    parts = [f"{report.added} new", f"{report.changed} changed", f"{report.removed} removed"]
    return (
        f"Index {'rebuilt' if report.rebuilt else 'refreshed'}: {', '.join(parts)}; embedded "
        f"{report.embedded} item(s) in {report.seconds:.1f} s ({index_dir})."
    )


def hits_json(hits: Sequence[Hit]) -> list[dict[str, Any]]:
    return [
        {
            "id": hit.id,
            "kind": hit.kind,
            "title": hit.title,
            "text": hit.text,
            "score": round(hit.score, 6),
            "source": hit.source,
            "track": hit.track,
            "companies": list(hit.companies),
            "snippet": hit.snippet,
            "also": list(hit.also),
            "own": hit.own,
        }
        for hit in hits
    ]


def print_hits(console: Console, query: str, hits: Sequence[Hit]) -> None:
    if not hits:
        console.print(literal(f"Nothing matches {query!r}. Try other words, or drop a filter."))
        return
    from rich.table import Table  # imported where a table is drawn: `today` does without

    table = Table(title=literal(f"Results for {query!r}"), title_justify="left", show_lines=True)
    table.add_column("#", justify="right", style="dim")
    table.add_column("kind", no_wrap=True)
    table.add_column("title and passage", ratio=1)
    table.add_column("track / company")
    table.add_column("score", justify="right")
    for rank, hit in enumerate(hits, 1):
        passage = literal(hit.title, style="bold")
        passage.append("\n")
        passage.append_text(_highlighted(hit.snippet, hit.highlights))
        passage.append(f"\n{printable(hit.id)}", style="dim")
        if hit.also:
            passage.append(f"\nrelated: {printable(', '.join(hit.also))}", style="dim")
        companies = ", ".join(company_name(c) for c in hit.companies)
        where = " / ".join(filter(None, [hit.track, companies]))
        table.add_row(str(rank), hit.kind, passage, literal(where), f"{hit.score:.3f}")
    console.print(table)


def _highlighted(snippet: str, highlights: Sequence[tuple[int, int]]) -> Text:
    """The snippet with its highlighted spans in bold yellow. Each piece is cleaned on its
    own, so the spans (offsets into the raw snippet) still mark the right words."""
    text = Text()
    done = 0
    for begin, end in sorted(highlights):
        if begin < done:
            continue
        text.append(printable(snippet[done:begin]))
        text.append(printable(snippet[begin:end]), style="bold yellow")
        done = end
    text.append(printable(snippet[done:]))
    return text
