"""Anki note fields (HTML) as the text Anki shows, laid out line by line as a browser lays it out.

- Spaces as CSS's `white-space: normal` treats them: a run of spaces, tabs and line breaks in
  the source is one space, none at the start or end of a line; `&nbsp;` is a space that stays,
  so code indented with `&nbsp;` keeps its indentation. Inside `<pre>` (or an element styled
  `white-space: pre...`) every space and line break is kept.
- Line breaks at `<br>` and where blocks meet (one, as a browser shows it); a list item is a
  "- " line, indented two spaces for each list it is nested in. Zero-width spaces, which
  editors leave in lines that look empty, are removed.
- What a browser does not show is left out: scripts, styles, an element that is `hidden` or
  styled `display: none`, a closed `<details>` but for its summary.
- Media are shown by a placeholder, `[image: attention.png]`, `[sound: word.mp3]`; the media
  referenced are collected (`MediaRef`) so the import can copy the package's files. A remote
  image (`https://...`) is shown by its address: it is not a media file (inline `data:` ones
  by their kind alone).
- MathJax becomes readable text (`math_text`), except inside code, where MathJax leaves it.
- Ruby (furigana) shows its reading in brackets after the base: 私(わたし).

Every step is linear in the field's length, whatever it holds (`html_scan` reads the HTML).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from studyplan.adapters.anki.html_scan import scan
from studyplan.adapters.anki.math_text import has_math, mathjax_to_text

BLOCKS = {
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol", "p",
    "pre", "section", "table", "tr", "ul", "details", "summary", "nav",
}  # fmt: skip
MEDIA_KINDS = {"img": "image", "audio": "sound", "video": "video", "embed": "media"}
HIDDEN = {"script", "style", "head", "title", "template", "rp", "noscript"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}  # fmt: skip
MAX_LIST_DEPTH = 8  # deeper lists are indented as this deep
MAX_SHOWN_SOURCE = 200  # characters of a remote address shown in a placeholder
NBSP = "\xa0"
_BLOCK = "\x00"  # a block's edge; NUL never survives in a field's text
MAX_SOUND_NAME = 1000
_COLLAPSIBLE = re.compile(r"[ \t\n\r\f]+")
_RUNS_OF_SPACES = re.compile(r" {2,}")
_LINE_END_SPACE = re.compile(r"^ | $", re.MULTILINE)  # after runs of spaces are one space
_ZERO_WIDTH = re.compile("[\u200b\ufeff]")
_NOT_DISPLAYED = re.compile(r"display\s*:\s*none", re.IGNORECASE)
_KEEPS_SPACES = re.compile(r"white-space\s*:\s*(?:pre|break-spaces)", re.IGNORECASE)
_NOT_SHOWN_IN_NAMES = re.compile(r"[\x00-\x1f\x7f\]\u200b\ufeff]")
_PLACEHOLDER_START = re.compile(r"\[(?:" + "|".join(sorted(set(MEDIA_KINDS.values()))) + r"): ")
_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
_RULE = re.compile(r"<hr", re.IGNORECASE)
_ANSWER_ID = re.compile(r"id\s*=\s*[\"']?answer", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class MediaRef:
    """A media file a field refers to: its kind (image, sound...) and its name in the package."""

    kind: str
    name: str  # a file name in the package, or a web address when `remote`
    remote: bool = False


def placeholder(kind: str, name: str) -> str:
    """How the text shows a medium: `[image: attention.png]` (`[image]` without a name)."""
    shown = _NOT_SHOWN_IN_NAMES.sub("_", " ".join(name[:MAX_SHOWN_SOURCE].split()))
    return f"[{kind}: {shown}]" if shown else f"[{kind}]"


def renamed_media(text: str, renamed: dict[str, str]) -> str:
    """`text` with each placeholder that is a key of `renamed` replaced by its value, in one
    pass."""
    if not renamed:
        return text
    longest = max(map(len, renamed))
    parts: list[str] = []
    copied = at = 0
    closing = -2  # the next "]", searched again once passed
    while (start := _PLACEHOLDER_START.search(text, at)) is not None:
        if closing < start.end():
            closing = text.find("]", start.end())
            if closing < 0:
                break
        new = (
            renamed.get(text[start.start() : closing + 1])
            if closing < start.start() + longest
            else None
        )
        if new is None:
            at = start.end()
            continue
        parts += [text[copied : start.start()], new]
        copied = at = closing + 1
    parts.append(text[copied:])
    return "".join(parts)


def local_media_name(source: str) -> str | None:
    """The media file name a `src` refers to, or None for a remote address or inline data.
    Anki writes names percent-encoded in `src` at times (`my%20notes.png`)."""
    source = source.strip()
    if not source or _REMOTE.match(source) or "/" in source or "\\" in source:
        return None
    return unquote(source) if "%" in source else source


class _TextParser:
    def __init__(self, media: list[MediaRef]) -> None:
        self.parts: list[str] = []
        self.media = media
        self.skipping: str | None = None  # an element not shown (script, display: none...)
        self.skip_depth = 0  # elements of its name open inside it, itself included
        self.in_summary = False  # the summary of a closed <details>, which is shown
        self.keeping: list[str] = []  # open elements that keep spaces and line breaks
        self.code = 0  # inside <code> or <pre>: MathJax is not typeset there
        self.after_pre = False  # a line break right after <pre> is not shown
        self.after_bullet = False  # a list item's first block starts on its bullet's line
        self.media_kind = "media"  # what a <source> inside <audio> or <video> is
        self.lists = 0  # open <ul> and <ol>: a nested item is indented two spaces a level

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.after_pre = False
        if self.skipping and not self.in_summary:
            if tag == self.skipping and tag not in VOID:
                self.skip_depth += 1
            elif tag == "summary" and self.skipping == "details" and self.skip_depth == 1:
                self.in_summary = True
                self.parts.append(_BLOCK)
            return
        values = {key: value or "" for key, value in attrs} if attrs else {}
        style = values.get("style", "")
        if tag in HIDDEN or "hidden" in values or (style and _NOT_DISPLAYED.search(style)):
            if tag not in VOID:
                self.skipping, self.skip_depth = tag, 1
            return
        if tag == "details" and "open" not in values:  # closed: only its summary is shown
            self.skipping, self.skip_depth = tag, 1
            self.parts.append(_BLOCK)
            return
        if tag in MEDIA_KINDS or tag in ("source", "object"):
            kind = MEDIA_KINDS.get(tag, self.media_kind)
            if tag in ("audio", "video"):
                self.media_kind = kind
            source = values.get("src") or values.get("data") or ""
            if source or tag == "img":
                self._media(kind, source)
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            depth = min(MAX_LIST_DEPTH, max(0, self.lists - 1))
            self.parts.append(_BLOCK + NBSP * 2 * depth + "- ")
            self.after_bullet = True
        elif tag in BLOCKS:
            if not self.after_bullet:
                self.parts.append(_BLOCK)
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag == "rt":
            self.parts.append("(")
        if tag in ("ul", "ol"):
            self.lists += 1
        if tag == "pre":
            self.after_pre = True
        if tag in ("pre", "code"):
            self.code += 1
        if tag == "pre" or (style and _KEEPS_SPACES.search(style)):
            self.keeping.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "img", "source", "embed", "hr"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        self.after_pre = False
        if self.in_summary and tag == "summary":
            self.in_summary = False
            self.parts.append(_BLOCK)
            return
        if self.skipping and not self.in_summary:
            if tag == self.skipping:
                self.skip_depth -= 1
                if self.skip_depth == 0:
                    self.skipping = None
                    self.parts.append(_BLOCK if tag in BLOCKS else "")
            return
        if self.keeping and self.keeping[-1] == tag:
            self.keeping.pop()
        if tag in ("pre", "code"):
            self.code = max(0, self.code - 1)
        if tag in ("ul", "ol"):
            self.lists = max(0, self.lists - 1)
        if tag in BLOCKS:
            self.parts.append(_BLOCK)
        elif tag == "rt":
            self.parts.append(")")

    def handle_data(self, data: str) -> None:
        if self.skipping and not self.in_summary:
            return
        data = data.replace(_BLOCK, "")
        if self.keeping:
            if self.after_pre and data.startswith(("\r\n", "\n")):
                data = data[2:] if data.startswith("\r") else data[1:]
            text = data.replace("\r\n", "\n").replace("\r", "\n").replace(" ", NBSP)
        else:
            text = _COLLAPSIBLE.sub(" ", data)
            if not self.code and has_math(text):
                text = mathjax_to_text(text)
        self.after_pre = False
        if text.strip(" "):
            self.after_bullet = False
        self.parts.append(text)

    def _media(self, kind: str, source: str) -> None:
        name = local_media_name(source)
        if name is None:
            shown = source.strip() if not source.strip().lower().startswith("data:") else ""
            self.media.append(MediaRef(kind, shown, remote=True))
            self.parts.append(" " + placeholder(kind, shown) + " ")
            return
        self.media.append(MediaRef(kind, name))
        self.parts.append(" " + placeholder(kind, name) + " ")


def html_to_text(html: str, media: list[MediaRef] | None = None) -> str:
    """The text Anki shows for an HTML field; the media it refers to are added to `media`."""
    found = media if media is not None else []
    parser = _TextParser(found)
    scan(_sounds_shown(html, found) if "[sound:" in html else html, parser)
    # Where blocks meet, one line break, as a browser shows it (a <br> ending a block adds none).
    text = _RUNS_OF_SPACES.sub(" ", _block_breaks("".join(parser.parts)))
    text = _LINE_END_SPACE.sub("", text)  # a line's own spaces; the &nbsp; of indentation stay
    text = _ZERO_WIDTH.sub("", text).replace(NBSP, " ")
    text = "\n".join(map(str.rstrip, text.split("\n")))
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def _sounds_shown(html: str, found: list[MediaRef]) -> str:
    """`[sound:NAME]` (a name of 1-1000 characters on one line) as a placeholder."""
    parts: list[str] = []
    at = copied = 0
    closing = newline = -2  # the next "]" and line break, searched again once passed
    while (start := html.find("[sound:", at)) >= 0:
        name_start = start + len("[sound:")
        if closing < name_start:
            closing = html.find("]", name_start)
            if closing < 0:
                break
        if newline != -1 and newline < name_start:
            newline = html.find("\n", name_start)
        name = html[name_start:closing]
        if 0 < len(name) <= MAX_SOUND_NAME and not 0 <= newline < closing:
            found.append(MediaRef("sound", name))
            parts += [html[copied:start], " ", placeholder("sound", name), " "]
            copied = at = closing + 1
        else:
            at = name_start
    parts.append(html[copied:])
    return "".join(parts)


def _block_breaks(text: str) -> str:
    """Each run of block edges, with the spaces around and between them and a line break just
    before, as one line break."""
    if _BLOCK not in text:
        return text
    pieces = text.split(_BLOCK)
    kept = [pieces[0]]
    in_run = False
    for piece in pieces[1:]:
        rest = piece.lstrip(" ")
        in_run = True
        if rest:
            kept[-1] = _before_break(kept[-1])
            kept.append(rest)
            in_run = False
    if in_run:
        kept[-1] = _before_break(kept[-1])
        kept.append("")
    return "\n".join(kept)


def _before_break(piece: str) -> str:
    piece = piece.rstrip(" ")
    return piece[:-1] if piece.endswith("\n") else piece


def answer_part(rendered_answer: str) -> str:
    """The answer side without the question Anki repeats above `<hr id=answer>`."""
    at = 0
    while (rule := _RULE.search(rendered_answer, at)) is not None:
        end = rendered_answer.find(">", rule.end())
        if end < 0:
            break
        if _ANSWER_ID.search(rendered_answer, rule.end(), end):
            return rendered_answer[end + 1 :]
        at = end + 1
    return rendered_answer
