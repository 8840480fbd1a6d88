"""Turning a user's Markdown or plain-text document into searchable sections.

Markdown splits at its headings, and its titles and text lose their markup
(studyplan.adapters.content.markup); plain text splits as studyplan.adapters.content.plain_text says.
Publishing boilerplate is dropped: front matter, MDX imports and component tags, admonition
fences. A file that is not text (a PDF, an image, any binary) is refused by its content.

Every step takes time linear in the document's length: headings, links, comments and
import lines are found by scanning, not by regular expressions that can backtrack.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

from studyplan.adapters.content.documents import ImportedDocument
from studyplan.adapters.content.guides import section_slug
from studyplan.adapters.content.markdown import outline
from studyplan.adapters.content.markup import (
    plain_inline,
    plain_line,
    strip_tags,
    without_hidden_elements,
)
from studyplan.adapters.content.plain_text import MIN_SECTION_WORDS, split_plain_text
from studyplan.adapters.user_files import (
    MAX_DOCUMENT_BYTES,
    UnreadableFile,
    decode_user_text,
    read_user_bytes,
)
from studyplan.core.errors import ImportFailed
from studyplan.core.model import Section, companies_named_in

MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdx"}
FOLDER_SUFFIXES = (".md", ".markdown", ".mdx", ".txt")  # what `add FOLDER` imports
WHAT = "Markdown or plain text"
# Leading bytes of formats that are not text, even when they hold no NUL byte early on.
MAGIC = {
    b"%PDF-": "a PDF file",
    b"PK\x03\x04": "a ZIP archive (a .docx, .epub or .zip)",
    b"{\\rtf": "an RTF document",
    b"\x1f\x8b": "a gzip archive",
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"\x7fELF": "a program",
    b"\xd0\xcf\x11\xe0": "an Office document",
}
# Text has few control characters besides tab and newline (a stray escape sequence, say); a
# file made of them is binary even when it is valid UTF-8.
MAX_CONTROL_SHARE = 0.1
MAX_BYTES = MAX_DOCUMENT_BYTES
HEADING_DEPTH = 2  # a section is titled by its heading and its parent heading
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0e-\x1f\x7f]")
_FROM = re.compile(r"\sfrom\s+['\"]")
_TAG_LINE = re.compile(r"^\s*<\/?[A-Za-z][\w.-]*(\s[^<>]*)?\/?>\s*$")
_ADMONITION = re.compile(r"^\s*:::\s*[\w-]*\s*(.*)$")


def read_text_document(path: Path) -> str:
    """The file's text; refuses, in one line, what is not UTF-8 text (a PDF, an image, a
    binary file) whatever its name says."""
    try:
        data = read_user_bytes(path, MAX_BYTES)
        for magic, kind in MAGIC.items():
            if data.startswith(magic):
                raise ImportFailed(f"{path} is a binary file ({kind}): studyplan reads {WHAT}")
        text = decode_user_text(path, data, WHAT)
    except UnreadableFile as exc:
        raise ImportFailed(str(exc)) from None
    if len(_CONTROL.findall(text)) > MAX_CONTROL_SHARE * len(text):
        raise ImportFailed(f"{path} is a binary file: studyplan reads {WHAT}")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ImportFailed(f"{path} is empty")
    return text


def document_files(paths: Sequence[Path]) -> list[Path]:
    """The files to import: each file as given, and for a folder every Markdown or text file
    under it (hidden files and folders skipped), in name order."""
    found: list[Path] = []
    for path in paths:
        if not is_folder(path):
            found.append(path)
            continue
        inside = [
            p
            for p in path.rglob("*")
            if p.suffix.lower() in FOLDER_SUFFIXES
            and p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(path).parts)
        ]
        found.extend(sorted(inside))
    return found


def is_folder(path: Path) -> bool:
    """A folder to expand (a name too long or unreadable is not: reading it says why)."""
    try:
        return path.is_dir()
    except OSError:
        return False


def document_id(path: Path) -> str:
    """Stable per file location, so adding the same file again replaces its sections."""
    digest = hashlib.sha256(os.fsencode(path.resolve())).hexdigest()[:8]
    return f"{section_slug(path.stem)}-{digest}"


def import_document(path: Path) -> ImportedDocument:
    text = read_text_document(path)
    doc_id = document_id(path)
    if path.suffix.lower() in MARKDOWN_SUFFIXES:
        title, pieces = split_markdown(text)
    else:
        title, pieces = None, split_plain_text(text)
    title = plain_inline(title) if title else ""
    title = title or _title_from_name(path)
    if not pieces:
        raise ImportFailed(f"{path} has no text to import once boilerplate is removed")
    sections: list[Section] = []
    used: dict[str, int] = {}
    for heading, body in pieces:
        heading = heading or title
        key = section_slug(heading)
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
    """(document title, [(heading, text)]): one section per heading that has text under it.

    A heading names its section together with its parent headings ("Apple — Format"), and
    always starts a section of its own, however short the paragraph before it; only text
    before the first heading joins the first section when it is too short to stand alone.
    """
    text, title = _strip_front_matter(text)
    text = _outside_code(without_hidden_elements(_without_html_comments(text)), strip_tags)
    pieces: list[tuple[str, list[str]]] = [("", [])]
    path: list[tuple[int, str]] = []  # the open headings, outermost first
    title_level = 0
    found = outline(text)
    headings, code = found.heading_at(), found.code_lines()
    for number, line in enumerate(text.split("\n")):
        if number not in code:
            heading = headings.get(number)
            if heading:
                level, words = heading.level, plain_inline(heading.text)
                if not words:
                    continue
                if level == 1 and title is None and not title_level:
                    title, title_level = words, 1
                    continue
                path = [(lvl, w) for lvl, w in path if lvl < level] + [(level, words)]
                pieces.append((" — ".join(w for _, w in path[-HEADING_DEPTH:]), []))
                continue
            if _is_mdx_import(line) or _TAG_LINE.match(line):
                continue
            admonition = _ADMONITION.match(line)
            if admonition:
                line = admonition.group(1)  # ":::tip Expert advice" keeps "Expert advice"
            plain = plain_line(line)
            if plain is None:
                continue
            line = plain
        pieces[-1][1].append(line)
    sections = [(heading, "\n".join(lines).strip()) for heading, lines in pieces]
    preamble, headed = sections[0], [(h, b) for h, b in sections[1:] if b]
    if preamble[1]:
        if headed and len(preamble[1].split()) < MIN_SECTION_WORDS:
            first_heading, first_body = headed[0]
            headed[0] = (first_heading, f"{preamble[1]}\n\n{first_body}")
        else:
            headed.insert(0, (title or "Introduction", preamble[1]))
    return title, headed


def _outside_code(text: str, change: Callable[[str], str]) -> str:
    """`change` applied to the text between fenced code blocks; the code kept as it is."""
    found = outline(text)
    starts, code = {start for start, _ in found.fences}, found.code_lines()
    out: list[str] = []
    block: list[str] = []
    for number, line in enumerate(text.split("\n")):
        if number in starts:
            out.append(change("\n".join(block)))
            block = []
        if number in code:
            out.append(line)
        else:
            block.append(line)
    out.append(change("\n".join(block)))
    return "\n".join(out)


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


def _title_from_name(path: Path) -> str:
    words = re.sub(r"[-_]+", " ", unicodedata.normalize("NFC", path.stem)).strip()
    return words[:1].upper() + words[1:] if words else path.name
