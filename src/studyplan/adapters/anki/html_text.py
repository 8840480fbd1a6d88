"""Anki note fields (HTML) as readable plain text, and card templates rendered to it.

Line breaks are kept (`<br>`, block elements, list items as "- " lines), other tags are
dropped, entities decoded (`&amp;` -> &, `&nbsp;` -> a space). Media are not text: images,
audio and video (`<img src>`, `[sound:...]`, `<audio>`/`<video>`/`<source>`) are left out and
their file names collected, so the import can list them.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

BLOCKS = {
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "ol",
    "p", "pre", "section", "table", "tr", "ul",
}  # fmt: skip
MEDIA_TAGS = {"img", "audio", "video", "source", "embed", "object"}
HIDDEN = {"script", "style", "head", "title"}
_SOUND = re.compile(r"\[sound:([^\]]+)\]")
_SPACES = re.compile(r"[ \t\r\f\v\xa0]+")
_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
_SECTION = re.compile(r"\{\{([#^])\s*([^}]+?)\s*\}\}(.*?)\{\{/\s*\2\s*\}\}", re.DOTALL)
_FIELD = re.compile(r"\{\{\s*(.+?)\s*\}\}", re.DOTALL)
_BLOCK = "\x00"  # a block's edge; NUL never survives in a field's text
_BLOCK_BREAKS = re.compile(r"\n?[ \t]*(?:\x00[ \t]*)+")
_ANSWER_RULE = re.compile(r"<hr[^>]*id\s*=\s*[\"']?answer[\"']?[^>]*>", re.IGNORECASE)


class _TextParser(HTMLParser):
    def __init__(self, media: list[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.media = media
        self.hidden = 0
        self.pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN:
            self.hidden += 1
        elif tag in MEDIA_TAGS:
            self.media.extend(v for k, v in attrs if k in ("src", "data") and v)
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in BLOCKS:
            self.pre += tag == "pre"
            self.parts.append(_BLOCK)
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in BLOCKS:
            self.pre = max(0, self.pre - (tag == "pre"))
            self.parts.append(_BLOCK)

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        data = data.replace(_BLOCK, "")
        self.parts.append(data if self.pre else _SPACES.sub(" ", data.replace("\n", " ")))


def html_to_text(html: str, media: list[str] | None = None) -> str:
    """Readable text of an HTML field; media file names referenced go to `media`."""
    found = media if media is not None else []
    html = _SOUND.sub(lambda m: found.append(m.group(1)) or "", html)  # type: ignore[func-returns-value]
    parser = _TextParser(found)
    parser.feed(html)
    parser.close()
    # Where blocks meet, one line break, as a browser shows it (a <br> ending a block adds none).
    joined = _BLOCK_BREAKS.sub("\n", "".join(parser.parts))
    lines = [_SPACES.sub(" ", line).strip() for line in joined.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def render_cloze(text: str, number: int, question: bool) -> str:
    """Cloze `number` hidden as [...] (or [hint]) on the question side; all shown on the answer."""

    def replace(match: re.Match[str]) -> str:
        if question and int(match.group(1)) == number:
            return f"[{match.group(3)}]" if match.group(3) else "[...]"
        return match.group(2)

    previous = None
    while previous != text:  # nested clozes open from the inside out
        previous, text = text, _CLOZE.sub(replace, text)
    return text


def cloze_numbers(text: str) -> set[int]:
    return {int(n) for n in re.findall(r"\{\{c(\d+)::", text)}


def render_template(
    template: str, fields: dict[str, str], cloze: int | None, question: bool
) -> str:
    """A card template filled in, as Anki renders it for text: conditional sections, field
    references with their filters (`cloze:`, `type:`, `hint:`, `text:`...), special fields."""

    def section(match: re.Match[str]) -> str:
        filled = bool(fields.get(match.group(2), "").strip())
        return match.group(3) if filled == (match.group(1) == "#") else ""

    previous = None
    while previous != template:
        previous, template = template, _SECTION.sub(section, template)

    def field(match: re.Match[str]) -> str:
        *filters, name = match.group(1).split(":")
        if name == "FrontSide" or name.startswith(("/", "#", "^", "!")):
            return ""
        value = fields.get(name.strip(), "")
        names = [f.strip() for f in filters]
        if any(f.startswith("tts") for f in names):
            return ""
        if "type" in names:
            return "" if question else value
        if ("cloze" in names or "cloze-only" in names) and cloze is not None:
            return render_cloze(value, cloze, question)
        return value

    return _FIELD.sub(field, template)


def answer_part(rendered_answer: str) -> str:
    """The answer side without the question Anki repeats above `<hr id=answer>`."""
    parts = _ANSWER_RULE.split(rendered_answer, maxsplit=1)
    return parts[1] if len(parts) == 2 else parts[0]
