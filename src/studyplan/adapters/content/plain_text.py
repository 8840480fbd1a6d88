"""Plain text split into sections: at numbered heading lines ("6. Apple") when it has them,
otherwise at short title lines; long sections split again at their own title lines, and a
section built of labelled lists ("Hiring Process:") at its labels. A trailing "comments"
marker is dropped. Every step takes time linear in the text's length.
"""

from __future__ import annotations

import re
from collections.abc import Callable

MIN_SECTION_WORDS = 20  # smaller pieces join their neighbour: too little to be a search hit
MIN_LABELLED_WORDS = 6  # a labelled list ("Hiring Process:") stands alone from this size
SPLIT_ABOVE_WORDS = 300  # larger sections split again at their own title lines
COMMENT_MARKERS = (
    "comments", "comment", "leave a comment", "commentaires", "kommentare", "comentarios",
    "commenti", "reacties", "комментарии", "تعليقات", "评论", "コメント", "댓글",
)  # fmt: skip

_NUMBERED = re.compile(r"^\s*(\d{1,2})[.)]\s+(\S.{0,80})$")


def split_plain_text(text: str) -> list[tuple[str, str]]:
    lines = _strip_trailing_boilerplate([line.rstrip() for line in text.split("\n")])
    numbered = [i for i, line in enumerate(lines) if _is_numbered_heading(lines, i)]
    if len(numbered) >= 2:
        starts = numbered
    else:
        starts = [i for i, line in enumerate(lines) if _is_title_line(lines, i)]
    pieces = _merge_small(
        _cut(lines, starts, heading_of=lambda line: _NUMBERED.sub(r"\2", line).strip())
    )
    result: list[tuple[str, str]] = []
    for heading, body in pieces:
        if len(body.split()) > SPLIT_ABOVE_WORDS:
            result.extend(_split_long(heading, body))
        else:
            result.extend(_split_at_labels(heading, body))
    return result


def _split_at_labels(heading: str, body: str) -> list[tuple[str, str]]:
    """A section built of labelled lists ("Hiring Process:" and its lines) splits at the
    labels, so each list is its own precise search hit ("Apple — Hiring Process")."""
    return _merge_small(_split_at(heading, body, _is_label_line, fewest=2), MIN_LABELLED_WORDS)


def _is_label_line(lines: list[str], i: int) -> bool:
    line = lines[i].strip()
    return (
        line.endswith(":")
        and ":" not in line[:-1]
        and 1 <= len(line.split()) <= 6
        and _next_text(lines, i) is not None
    )


def _cut(
    lines: list[str], starts: list[int], heading_of: Callable[[str], str]
) -> list[tuple[str, str]]:
    pieces: list[tuple[str, str]] = []
    bounds = [*starts, len(lines)]
    if not starts or starts[0] > 0:
        bounds.insert(0, 0)
        heads = ["", *[heading_of(lines[i]) for i in starts]]
    else:
        heads = [heading_of(lines[i]) for i in starts]
    for n, heading in enumerate(heads):
        first = bounds[n] + (1 if heading else 0)
        body = "\n".join(lines[first : bounds[n + 1]]).strip()
        if body:
            pieces.append((heading or "Introduction", body))
    return pieces


def _split_long(heading: str, body: str) -> list[tuple[str, str]]:
    return _split_at(heading, body, _is_title_line, fewest=1)


def _split_at(
    heading: str, body: str, is_heading: Callable[[list[str], int], bool], fewest: int
) -> list[tuple[str, str]]:
    """Sub-sections at the lines `is_heading` picks, titled "Heading — Sub", when there are
    at least `fewest` of them; otherwise the section as it is."""
    lines = body.split("\n")
    starts = [i for i in range(len(lines)) if is_heading(lines, i)]
    if len(starts) < fewest:
        return [(heading, body)]
    parts = _cut(lines, starts, heading_of=lambda line: line.strip().rstrip(":"))
    return [
        (heading if sub == "Introduction" else f"{heading} — {sub}", text) for sub, text in parts
    ]


def _is_numbered_heading(lines: list[str], i: int) -> bool:
    match = _NUMBERED.match(lines[i])
    if not match:
        return False
    words = match.group(2).split()
    return (
        len(words) <= 10
        and not match.group(2).rstrip().endswith((".", ",", ";"))
        and _next_text(lines, i) is not None
    )


def _is_title_line(lines: list[str], i: int) -> bool:
    """A short line without closing punctuation whose next line is longer prose."""
    line = lines[i].strip()
    words = line.rstrip(":").split()
    if not 1 <= len(words) <= 8 or line.endswith((".", "!", "?", ",", ";")) or "|" in line:
        return False
    if ":" in line.rstrip(":"):  # "Careers Page: Google Careers" is content, not a heading
        return False
    following = _next_text(lines, i)
    return following is not None and len(following.split()) > len(words)


def _next_text(lines: list[str], i: int) -> str | None:
    # Scans only the blank lines after line i: callers ask about non-blank lines, so over a
    # whole document each line is scanned at most once.
    for j in range(i + 1, len(lines)):
        if lines[j].strip():
            return lines[j]
    return None


def _strip_trailing_boilerplate(lines: list[str]) -> list[str]:
    """Drop trailing comments markers, whether on their own lines or glued to the last sentence."""
    while True:
        while lines and not lines[-1].strip():
            lines.pop()
        if not lines:
            return lines
        last = lines[-1]
        lowered = last.strip().lower()
        if lowered in COMMENT_MARKERS:
            lines.pop()
            continue
        for marker in COMMENT_MARKERS:
            if lowered.endswith(marker) and not lowered[: -len(marker)].rstrip()[-1:].isalnum():
                lines[-1] = last.rstrip()[: -len(marker)].rstrip()
                return lines
        return lines


def _merge_small(
    pieces: list[tuple[str, str]], minimum: int = MIN_SECTION_WORDS
) -> list[tuple[str, str]]:
    """A piece under `minimum` words joins the next one, whose heading stays in the title
    (the last one joins the one before)."""
    merged: list[tuple[str, str]] = []
    for heading, body in pieces:
        if merged and len(merged[-1][1].split()) < minimum:
            merged.append(_joined(merged.pop(), (heading, body)))
        else:
            merged.append((heading, body))
    if len(merged) > 1 and len(merged[-1][1].split()) < minimum:
        heading, body = merged.pop()
        previous_heading, previous_body = merged.pop()
        merged.append((previous_heading, f"{previous_body}\n\n{heading}\n{body}"))
    return merged


def _joined(short: tuple[str, str], following: tuple[str, str]) -> tuple[str, str]:
    """A short piece and the next one as one: the next one's heading stays a title ("Short —
    Next", or alone after untitled text), except under its own parent's short lead-in, which
    keeps the parent's title (the sub-heading stays in the text, as before the split)."""
    (heading, body), (next_heading, next_body) = short, following
    if heading == "Introduction":
        return next_heading, f"{body}\n\n{next_body}"
    if next_heading.startswith(f"{heading} — "):
        return heading, f"{body}\n\n{next_heading}\n{next_body}"
    return f"{heading} — {next_heading}", f"{body}\n\n{next_body}"
