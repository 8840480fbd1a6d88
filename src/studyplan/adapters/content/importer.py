"""Turning a user's Markdown or plain-text document into searchable sections.

Markdown splits at its headings. Plain text splits at numbered heading lines ("6. Apple")
when it has them, otherwise at short title lines; long sections split again at their own
title lines. Publishing boilerplate is dropped: front matter, MDX imports and component
tags, admonition fences, and a trailing "comments" marker.

Every step takes time linear in the document's length: headings, links, comments and
import lines are found by scanning, not by regular expressions that can backtrack.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from studyplan.adapters.content.guides import slug
from studyplan.adapters.files import FileWriteError, write_atomic
from studyplan.adapters.user_files import MAX_DOCUMENT_BYTES, UnreadableFile, read_user_text
from studyplan.core.errors import ImportFailed
from studyplan.core.model import Section, companies_named_in

MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdx"}
MAX_BYTES = MAX_DOCUMENT_BYTES
MIN_SECTION_WORDS = 20  # smaller pieces join their neighbour: too little to be a search hit
MIN_LABELLED_WORDS = 6  # a labelled list ("Hiring Process:") stands alone from this size
SPLIT_ABOVE_WORDS = 300  # larger sections split again at their own title lines
COMMENT_MARKERS = (
    "comments", "comment", "leave a comment", "commentaires", "kommentare", "comentarios",
    "commenti", "reacties", "комментарии", "تعليقات", "评论", "コメント", "댓글",
)  # fmt: skip

_NUMBERED = re.compile(r"^\s*(\d{1,2})[.)]\s+(\S.{0,80})$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_FROM = re.compile(r"\sfrom\s+['\"]")
_TAG_LINE = re.compile(r"^\s*<\/?[A-Za-z][\w.-]*(\s[^<>]*)?\/?>\s*$")
_ADMONITION = re.compile(r"^\s*:::\s*\w*.*$")


@dataclass(frozen=True, slots=True)
class ImportedDocument:
    doc_id: str
    title: str
    source_path: str
    sections: tuple[Section, ...]


def read_text_document(path: Path) -> str:
    try:
        text = read_user_text(path, MAX_BYTES, "Markdown or plain text")
    except UnreadableFile as exc:
        raise ImportFailed(str(exc)) from None
    if not text.strip():
        raise ImportFailed(f"{path} is empty")
    return text


def document_id(path: Path) -> str:
    """Stable per file location, so adding the same file again replaces its sections."""
    digest = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:8]
    return f"{slug(path.stem)}-{digest}"


def import_document(path: Path) -> ImportedDocument:
    text = read_text_document(path)
    doc_id = document_id(path)
    if path.suffix.lower() in MARKDOWN_SUFFIXES:
        title, pieces = split_markdown(text)
    else:
        title, pieces = None, split_plain_text(text)
    title = title or _title_from_name(path)
    if not pieces:
        raise ImportFailed(f"{path} has no text to import once boilerplate is removed")
    sections: list[Section] = []
    used: dict[str, int] = {}
    for heading, body in pieces:
        key = slug(heading)
        used[key] = used.get(key, 0) + 1
        suffix = f"-{used[key]}" if used[key] > 1 else ""
        sections.append(
            Section(
                id=f"doc:{doc_id}#{key}{suffix}",
                title=f"{title}: {heading}" if heading != title else title,
                text=body,
                source=path.name,
                companies=companies_named_in(heading),  # "6. Apple" is about Apple
            )
        )
    return ImportedDocument(doc_id, title, str(path.resolve()), tuple(sections))


def split_markdown(text: str) -> tuple[str | None, list[tuple[str, str]]]:
    text, title = _strip_front_matter(text)
    text = _without_html_comments(text)
    pieces: list[tuple[str, list[str]]] = [("", [])]
    in_code = False
    for line in text.split("\n"):
        if _FENCE.match(line):
            in_code = not in_code
        elif not in_code:
            heading = markdown_heading(line)
            if heading:
                level, words = heading[0], _inline(heading[1])
                if level == 1 and title is None:
                    title = words
                pieces.append((words, []))
                continue
            if _is_mdx_import(line) or _TAG_LINE.match(line) or _ADMONITION.match(line):
                continue
            line = _inline(line)
        pieces[-1][1].append(line)
    sections = [(heading or (title or ""), "\n".join(lines).strip()) for heading, lines in pieces]
    return title, _merge_small([(h, b) for h, b in sections if b])


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


def _strip_front_matter(text: str) -> tuple[str, str | None]:
    match = re.match(r"^(---|\+\+\+)\n(.*?)\n\1\n", text, re.DOTALL)
    if not match:
        return text, None
    return text[match.end() :], _front_matter_title(match.group(2))


def _front_matter_title(front_matter: str) -> str | None:
    """The value of the first `title: ...` (or `title = ...`) line, without its quotes."""
    for line in front_matter.split("\n"):
        key = re.match(r"title\s*[:=]", line)
        if not key:
            continue
        value = line[key.end() :].strip()
        if value[:1] in ("'", '"'):
            value = value[1:]
        if value[-1:] in ("'", '"'):
            value = value[:-1]
        value = value.strip()
        if value:
            return value
    return None


def markdown_heading(line: str) -> tuple[int, str] | None:
    """An ATX heading line ("## Title ##") as (level, title); None for any other line."""
    level = len(line) - len(line.lstrip("#"))
    if not 1 <= level <= 6 or not line[level : level + 1].isspace():
        return None
    title = line[level:].strip()
    closed = title.rstrip("#").rstrip()  # an optional closing run of #
    title = closed or title
    return (level, title) if title else None


def _is_mdx_import(line: str) -> bool:
    """`import X from "y"` or `export ... from 'y'` (MDX), on one line."""
    text = line.strip()
    if not text.startswith(("import", "export")) or not text[6:7].isspace():
        return False
    if text.endswith(";"):
        text = text[:-1]  # the ; right after the closing quote
    if text[-1:] not in ("'", '"'):
        return False
    found = _FROM.search(text, 8)  # after "import X": at least one character of X
    return found is not None and found.end() < len(text) - 1  # and a module name before the end


def _without_html_comments(text: str) -> str:
    parts: list[str] = []
    done = 0
    while (start := text.find("<!--", done)) >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            break
        parts.append(text[done:start])
        done = end + 3
    parts.append(text[done:])
    return "".join(parts)


def _link_texts(line: str) -> str:
    """[text](target) and ![alt](image) replaced by their text."""
    parts: list[str] = []
    done = search = 0
    while (open_ := line.find("[", search)) >= 0:
        close = line.find("]", open_ + 1)
        if close < 0:
            break
        if line[close + 1 : close + 2] != "(":
            search = close + 1  # no link can start inside [...] either: its first ] is this one
            continue
        end = line.find(")", close + 2)
        if end < 0:
            break
        start = open_ - 1 if open_ > done and line[open_ - 1] == "!" else open_
        parts += [line[done:start], line[open_ + 1 : close]]
        done = search = end + 1
    parts.append(line[done:])
    return "".join(parts)


def _inline(line: str) -> str:
    """Markdown inline syntax to its words: links keep their text, emphasis marks go."""
    return re.sub(r"(\*\*|__|`)", "", _link_texts(line))


def _merge_small(
    pieces: list[tuple[str, str]], minimum: int = MIN_SECTION_WORDS
) -> list[tuple[str, str]]:
    """A piece under `minimum` words joins the next one (the last one joins the one before)."""
    merged: list[tuple[str, str]] = []
    for heading, body in pieces:
        if merged and len(merged[-1][1].split()) < minimum:
            previous_heading, previous_body = merged.pop()
            merged.append((previous_heading, f"{previous_body}\n\n{heading}\n{body}"))
        else:
            merged.append((heading, body))
    if len(merged) > 1 and len(merged[-1][1].split()) < minimum:
        heading, body = merged.pop()
        previous_heading, previous_body = merged.pop()
        merged.append((previous_heading, f"{previous_body}\n\n{heading}\n{body}"))
    return merged


def _title_from_name(path: Path) -> str:
    words = re.sub(r"[-_]+", " ", unicodedata.normalize("NFC", path.stem)).strip()
    return words[:1].upper() + words[1:] if words else path.name


# The workspace keeps each imported document as JSON: one file per document id.

DOCUMENTS_FOLDER = "documents"


def save_document(home: Path, document: ImportedDocument) -> bool:
    """Store (or replace) a document; returns True when it was already there."""
    folder = home / DOCUMENTS_FOLDER
    target = folder / f"{document.doc_id}.json"
    payload = {
        "doc_id": document.doc_id,
        "title": document.title,
        "source_path": document.source_path,
        "sections": [asdict(section) for section in document.sections],
    }
    data = json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        existed = target.exists()
        write_atomic(target, data)
    except OSError as exc:
        raise ImportFailed(f"cannot save into {folder}: {exc.strerror}") from None
    except FileWriteError as exc:
        raise ImportFailed(f"cannot save into {folder}: {exc.reason}") from None
    return existed


def load_documents(home: Path) -> tuple[list[ImportedDocument], list[str]]:
    """The stored documents, and a warning for each damaged one, which is skipped."""
    documents: list[ImportedDocument] = []
    skipped: list[str] = []
    for path in sorted((home / DOCUMENTS_FOLDER).glob("*.json")):
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
            sections = tuple(
                Section(**{**raw, "companies": tuple(raw.get("companies", ()))})
                for raw in payload["sections"]
            )
            documents.append(
                ImportedDocument(
                    payload["doc_id"], payload["title"], payload["source_path"], sections
                )
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            skipped.append(f"skipped {path}: it is damaged — add its document again to rebuild it")
    return documents, skipped
