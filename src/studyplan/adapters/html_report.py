"""The stats report as one self-contained HTML page: inline CSS and SVG, no scripts, no links out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape as html_escape
from pathlib import Path

from studyplan.adapters.files import FileExists, FileWriteError, write_atomic
from studyplan.core.errors import StudyplanError
from studyplan.core.forecast import Forecast, Readiness
from studyplan.core.forecast_words import READINESS_ASSUMPTION, forecast_lines, readiness_lines
from studyplan.core.model import company_name
from studyplan.core.numbers import easiness, percent
from studyplan.core.progress.heatmap import Heatmap
from studyplan.core.progress.report import StatsReport
from studyplan.core.progress.stats import RETENTION_COUNTS, RETENTION_DAYS, GroupProgress, WeakTopic
from studyplan.core.srs.card_state import MATURE_INTERVAL
from studyplan.core.text_safety import printable

LEVEL_COLOURS = ("#ebedf0", "#9be9a8", "#40c463", "#30a14e", "#216e39")
CSS = """
body { font: 15px/1.45 system-ui, sans-serif; color: #1f2328; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
.tiles { display: flex; flex-wrap: wrap; gap: .75rem; }
.tile { border: 1px solid #d0d7de; border-radius: 6px; padding: .5rem .9rem; min-width: 9rem; }
.tile b { display: block; font-size: 1.4rem; }
table { border-collapse: collapse; } td, th { padding: .25rem .6rem; text-align: left; }
th { border-bottom: 1px solid #d0d7de; } code { background: #f6f8fa; padding: 0 .3rem; }
svg text { font: 12px system-ui, sans-serif; fill: #1f2328; }
.note { color: #59636e; font-size: .9rem; }
"""


class ReportWriteError(StudyplanError):
    """The HTML page cannot be written."""


def escape(text: str) -> str:
    """Text as HTML character data or attribute value: markup-escaped, no control characters."""
    return html_escape(printable(text))


def write_html(report: StatsReport, path: Path, overwrite: bool = False) -> None:
    try:
        write_atomic(path, html_page(report).encode("utf-8"), replace=overwrite)
    except FileExists:
        raise ReportWriteError(f"{path} already exists — pass --force to replace it") from None
    except FileWriteError as exc:
        raise ReportWriteError(str(exc)) from None


def html_page(report: StatsReport) -> str:
    overall = report.overall
    tiles = [
        ("introduced", f"{overall.introduced}/{overall.total}"),
        (f"mature (interval ≥ {MATURE_INTERVAL} d)", str(overall.mature)),
        (
            f"recalled, last {RETENTION_DAYS} days",
            f"{percent(overall.retention)} ({overall.hard} hard)",
        ),
        ("study streak", f"{report.streak.current} d"),
        ("longest streak", f"{report.streak.longest} d"),
        ("pace", f"{report.pace.minutes_per_day} min/day"),
    ]
    company_title = "Target companies" if report.companies_are_targets else "Companies"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>studyplan progress, {report.date}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>studyplan — where you stand on {report.date}</h1>",
        '<div class="tiles">',
        *(f'<div class="tile"><b>{escape(v)}</b>{escape(k)}</div>' for k, v in tiles),
        "</div>",
        "<h2>Tracks</h2>",
        _progress_chart(report.tracks),
        _retention_chart(report.tracks),
        f"<h2>{company_title}</h2>",
        _progress_chart(report.companies, company_name),
        "<h2>Weakest topics</h2>",
        _weakest_table(report.weakest),
        "<h2>Readiness</h2>",
        _readiness(report.readiness),
        _forecast(report.forecast),
        f"<h2>Reviews, last {len(report.heatmap.weeks())} weeks</h2>",
        _heatmap_svg(report.heatmap),
        f'<p class="note">{report.heatmap.total} grades on {report.heatmap.active_days} of '
        f"{report.heatmap.days} days; current streak {report.streak.current} day(s), "
        f"longest {report.streak.longest}.</p>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _progress_chart(groups: Sequence[GroupProgress], name_of: Callable[[str], str] = str) -> str:
    """Per group a bar of all its cards: mature dark, introduced light, the rest grey."""
    label_width, bar_width, row = 120, 360, 26
    rows = []
    for index, group in enumerate(groups):
        y = index * row
        scale = bar_width / group.total if group.total else 0
        caption = (
            f"{group.introduced}/{group.total} introduced, {group.mature} mature, "
            f"recalled {percent(group.retention)} ({group.hard} hard)"
        )
        rows.append(
            f'<text x="0" y="{y + 15}">{escape(name_of(group.name))}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{bar_width}" height="16" fill="{LEVEL_COLOURS[0]}"/>'
            f'<rect x="{label_width}" y="{y + 3}" width="{group.introduced * scale:.1f}" height="16" fill="{LEVEL_COLOURS[2]}"/>'
            f'<rect x="{label_width}" y="{y + 3}" width="{group.mature * scale:.1f}" height="16" fill="{LEVEL_COLOURS[4]}"/>'
            f'<text x="{label_width + bar_width + 8}" y="{y + 15}">{escape(caption)}</text>'
        )
    height = max(row, len(groups) * row)
    legend = '<p class="note">Bars: dark = mature, light = introduced, grey = not yet seen.</p>'
    return (
        f'<svg role="img" width="880" height="{height}" viewBox="0 0 880 {height}"'
        f">{''.join(rows)}</svg>{legend}"
    )


def _retention_chart(groups: Sequence[GroupProgress]) -> str:
    """Retention per group as columns on a 0-100% scale."""
    column, gap, height = 60, 40, 140
    shapes = []
    for index, group in enumerate(groups):
        x = index * (column + gap) + 10
        value = group.retention or 0.0
        bar = round(value * (height - 40))
        shapes.append(
            f'<rect x="{x}" y="{height - 20 - bar}" width="{column}" height="{bar}" fill="{LEVEL_COLOURS[3]}"/>'
            f'<text x="{x}" y="{height - 24 - bar}">{percent(group.retention)}</text>'
            f'<text x="{x}" y="{height - 5}">{escape(group.name)}</text>'
        )
    width = max(1, len(groups)) * (column + gap) + 20
    return (
        f"<p>Recalled, as a share of {escape(RETENTION_COUNTS)}:</p>"
        f'<svg role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}"'
        f">{''.join(shapes)}</svg>"
    )


def _weakest_table(weakest: Sequence[WeakTopic]) -> str:
    if not weakest:
        return "<p>No weak topics yet: nothing introduced has been failed or made hard.</p>"
    rows = "".join(
        f"<tr><td>{escape(w.topic)}</td><td>{escape(w.track)}</td><td>{percent(w.retention)}</td>"
        f"<td>{easiness(w.average_easiness)}</td><td>{w.lapses}</td>"
        f"<td><code>{escape(w.command)}</code></td></tr>"
        for w in weakest
    )
    return (
        "<table><tr><th>topic</th><th>track</th><th>recalled</th><th>easiness</th>"
        f"<th>lapses</th><th>drill it</th></tr>{rows}</table>"
    )


def _readiness(readiness: Readiness | None) -> str:
    if readiness is None:
        return "<p>No interview date ahead: set one with <code>studyplan config interview-date YYYY-MM-DD</code>.</p>"
    r = readiness
    bars = [("mature now", r.mature_now), (f"at {r.pace_minutes} min/day", r.projected_mature)]
    if r.minutes_needed is not None and r.projected_mature < r.goal_mature:
        bars.append((f"at {r.minutes_needed} min/day", r.goal_mature))
    bars += [("most reachable", r.reachable_mature), ("target set", r.target_cards)]
    width, scale = 360, 360 / r.target_cards if r.target_cards else 0
    rows = "".join(
        f'<text x="0" y="{i * 26 + 15}">{escape(label)}</text>'
        f'<rect x="130" y="{i * 26 + 3}" width="{width}" height="16" fill="{LEVEL_COLOURS[0]}"/>'
        f'<rect x="130" y="{i * 26 + 3}" width="{value * scale:.1f}" height="16" fill="{LEVEL_COLOURS[4]}"/>'
        f'<text x="{130 + width + 8}" y="{i * 26 + 15}">{value}</text>'
        for i, (label, value) in enumerate(bars)
    )
    words = " ".join(escape(line) for line in readiness_lines(r))
    return (
        f"<p>{words}</p>"
        f'<svg role="img" width="640" height="{len(bars) * 26}"'
        f">{rows}</svg>"
        f'<p class="note">{escape(READINESS_ASSUMPTION)}</p>'
    )


def _forecast(outlook: Forecast | None) -> str:
    if outlook is None:
        return ""
    return "".join(f"<p>{escape(line)}</p>" for line in forecast_lines(outlook))


def _heatmap_svg(heat: Heatmap) -> str:
    cell, gap, left, top = 13, 3, 34, 16
    shapes = []
    for column, week in enumerate(heat.weeks()):
        x = left + column * (cell + gap)
        first = week[0]
        if first is not None and (column == 0 or first.day.day <= 7):
            shapes.append(f'<text x="{x}" y="11">{first.day:%b}</text>')
        for row, day in enumerate(week):
            if day is None:
                continue
            shapes.append(
                f'<rect x="{x}" y="{top + row * (cell + gap)}" width="{cell}" height="{cell}" '
                f'rx="2" fill="{LEVEL_COLOURS[day.level]}"><title>{day.day}: {day.count} '
                f"grade{'s' if day.count != 1 else ''}</title></rect>"
            )
    for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri")):
        shapes.append(f'<text x="0" y="{top + row * (cell + gap) + 11}">{name}</text>')
    width = left + len(heat.weeks()) * (cell + gap)
    height = top + 7 * (cell + gap)
    return (
        f'<svg role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}"'
        f">{''.join(shapes)}</svg>"
    )
