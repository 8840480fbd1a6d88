"""HTML split into start tags, end tags and text in one pass, as a browser's tokenizer splits it.

Linear in the text whatever it holds (the standard library's parser re-reads the rest of the
text at each unfinished construct, which makes `<!--` or `<a b='` repeated take minutes).

- A comment runs to `-->`, or to the end when it is not closed; `<!...>` and `<?...>` are
  comments too (a doctype, CDATA, a processing instruction).
- A tag cut short by the end of the text is dropped, as a browser drops it.
- A `<` that starts no tag is text.
- The text of `script`, `style` and the other raw-text elements runs to their end tag; no tag
  inside them is read.
- Tag and attribute names are lowercase; character references in text and attribute values
  are decoded.
"""

from __future__ import annotations

import re
from functools import cache
from html import unescape
from typing import Protocol

Attributes = list[tuple[str, str | None]]
RAW_TEXT = {"script", "style", "xmp", "iframe", "noembed", "noframes", "noscript"}
ESCAPABLE_RAW_TEXT = {"textarea", "title"}  # raw text whose character references are decoded
# A start or end tag: its name, then spaces and slashes, attribute names, and `=` with a value
# (quoted, or up to a space or `>`). The parts start with different characters and repeat
# possessively, so a match is never tried two ways; it fails only when the text ends first.
_TAG = re.compile(
    r"""<(/?)([a-zA-Z][^\t\n\f\r />]*+)((?:[\t\n\f\r /]++|[^\t\n\f\r />=]++"""
    r"""|=[\t\n\f\r ]*+(?:"[^"]*+"|'[^']*+'|(?!["'])[^\t\n\f\r >]*+))*+)>"""
)
_MARKUP = re.compile(r"<[a-zA-Z/!?]")  # where markup starts; any other `<` is text
_PART = re.compile(
    r"""([\t\n\f\r /]++)|([^\t\n\f\r />=]++)"""
    r"""|=[\t\n\f\r ]*+(?:"([^"]*+)"|'([^']*+)'|([^\t\n\f\r >]*+))"""
)


class Handler(Protocol):
    def handle_starttag(self, tag: str, attrs: Attributes) -> None: ...

    def handle_startendtag(self, tag: str, attrs: Attributes) -> None: ...

    def handle_endtag(self, tag: str) -> None: ...

    def handle_data(self, data: str) -> None: ...


def scan(html: str, handler: Handler) -> None:
    """Call the handler for each tag and piece of text of `html`, in order."""
    text_start = at = 0
    data = handler.handle_data
    find_markup, match_tag = _MARKUP.search, _TAG.match
    while (markup := find_markup(html, at)) is not None:
        start = markup.start()
        if start > text_start:
            text = html[text_start:start]
            data(unescape(text) if "&" in text else text)
        tag = match_tag(html, start)
        if tag is None:
            at = text_start = _other_markup(html, start, handler)
            continue
        closing, name, inside = tag.groups()
        name = name.lower()
        at = text_start = tag.end()
        if closing:
            handler.handle_endtag(name)
            continue
        attributes, self_closing = _attributes(inside) if inside else ([], False)
        if self_closing:
            handler.handle_startendtag(name, attributes)
            continue
        handler.handle_starttag(name, attributes)
        if name in RAW_TEXT or name in ESCAPABLE_RAW_TEXT:
            found = _closing_tag(name).search(html, at)
            text_end = found.start() if found else len(html)
            if text_end > at:
                text = html[at:text_end]
                data(unescape(text) if name in ESCAPABLE_RAW_TEXT else text)
            at = text_end
    if text_start < len(html):
        text = html[text_start:]
        data(unescape(text) if "&" in text else text)


def _other_markup(html: str, start: int, handler: Handler) -> int:
    """Read markup at `start` that is not a whole tag; the position after it."""
    following = html[start + 1]
    if following.isalpha():  # a tag the text ends inside: a browser drops it
        return len(html)
    if html.startswith("<!--", start):
        for empty in ("<!-->", "<!--->"):
            if html.startswith(empty, start):
                return start + len(empty)
        return _after(html, "-->", start + 4)
    if following != "/":  # <!...> and <?...>: comments
        return _after(html, ">", start + 2)
    first = html[start + 2 : start + 3]
    if not first:
        handler.handle_data("</")
        return len(html)
    if first == ">":
        return start + 3
    if first.isascii() and first.isalpha():  # an end tag the text ends inside
        return len(html)
    return _after(html, ">", start + 2)


def _after(html: str, closing: str, start: int) -> int:
    found = html.find(closing, start)
    return len(html) if found < 0 else found + len(closing)


@cache
def _closing_tag(name: str) -> re.Pattern[str]:
    return re.compile(r"</" + re.escape(name) + r"(?=[\t\n\f\r />])", re.IGNORECASE)


def _attributes(inside: str) -> tuple[Attributes, bool]:
    """The attributes written inside a start tag, and whether it closes itself (`<br/>`): an
    `=` and its value belong to the name before them."""
    found: Attributes = []
    last_gap = ""
    for part in _PART.finditer(inside):
        gap, name = part.group(1), part.group(2)
        if gap is not None:
            last_gap = gap
            continue
        last_gap = ""
        if name is not None:
            found.append((name.lower(), None))
        elif found and found[-1][1] is None:
            value = next(v for v in part.group(3, 4, 5) if v is not None)
            found[-1] = (found[-1][0], unescape(value))
    return found, last_gap.endswith("/")
