"""Anki card templates filled in as Anki fills them, for a card's text: conditional sections,
field references and their filters, cloze deletions. One pass over the template, whatever it
holds, and at most `limit` characters of output.

- `{{Field}}` is the field's text; `{{#Field}}...{{/Field}}` is shown when the field holds
  something, `{{^Field}}...{{/Field}}` when it does not; `<!-- ... -->` is kept as it is (a
  reference inside is not filled in). A `{{` without its `}}` is text. A section left open
  or closed without being opened is an error, as in Anki, and the card cannot be shown.
- `{{cloze:Text}}`: the card's cloze hidden as [...] (or [hint]) on the question, every cloze
  shown on the answer (`cloze`); `{{cloze-only:Text}}` the card's clozes alone.
- `{{type:Field}}`, `{{type:cloze:Text}}`: the box to type into is not text, so nothing on the
  question; on the answer, what was to be typed (for a cloze, the card's clozes, joined by ", "
  as Anki joins them).
- Furigana, written `漢字[かんじ]` in a field: `{{kanji:F}}` shows the base alone (the readings
  Anki hides), `{{kana:F}}` the readings alone, `{{furigana:F}}` both, as ruby.
- `{{tts ...}}` is speech, not text; `{{FrontSide}}` is left out (the answer is shown below
  the question already).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from studyplan.adapters.anki import cloze as clozes

# A reading in brackets after its base: the base runs back to a space, a tag's end or the
# previous reading. Possessive and bounded, so that the scan stays linear in the text.
_FURIGANA = re.compile(r" ?(?<![^ >\]])([^ >\[\]]++)\[([^\]]{1,200}+)\]")
TEXT, COMMENT, FIELD, OPEN, OPEN_NEGATED, CLOSE = range(6)


class TemplateError(ValueError):
    """The template has an error Anki shows instead of the card."""


class TooLong(ValueError):
    """The card's side would be longer than it may be."""


class _Next:
    """Where `needle` next occurs in `text` at or after a position; positions asked for only
    grow, so each part of the text is searched once."""

    def __init__(self, text: str, needle: str) -> None:
        self.text, self.needle = text, needle
        self.found = -2  # not searched yet

    def at(self, start: int) -> int:
        if self.found == -1 or (self.found >= start):
            return self.found
        self.found = self.text.find(self.needle, start)
        return self.found


def _tokens(template: str) -> Iterator[tuple[int, str]]:
    """(kind, text) for the template's text, comments, and `{{...}}` references."""
    opens, closes = _Next(template, "{{"), _Next(template, "}}")
    comments, comment_ends = _Next(template, "<!--"), _Next(template, "-->")
    at = 0
    while at < len(template):
        brace = opens.at(at)
        end = closes.at(brace + 2) if brace >= 0 else -1
        if end < 0:
            brace = -1
        comment = comments.at(at)
        comment_end = comment_ends.at(comment + 4) if comment >= 0 else -1
        if comment_end < 0:
            comment = -1
        if brace < 0 and comment < 0:
            yield TEXT, template[at:]
            return
        if comment < 0 or 0 <= brace < comment:
            if brace > at:
                yield TEXT, template[at:brace]
            yield _classify(template[brace + 2 : end])
            at = end + 2
        else:
            if comment > at:
                yield TEXT, template[at:comment]
            yield COMMENT, template[comment : comment_end + 3]
            at = comment_end + 3


def _classify(inside: str) -> tuple[int, str]:
    name = inside.lstrip("{").strip()
    if len(name) < 2:
        return FIELD, name
    kind = {"#": OPEN, "^": OPEN_NEGATED, "/": CLOSE}.get(name[0])
    return (kind, name[1:].lstrip()) if kind is not None else (FIELD, name)


def furigana(text: str, show: str) -> str:
    """`漢字[かんじ]` readings as Anki's `kanji`, `kana` or `furigana` filter shows them."""

    def replace(match: re.Match[str]) -> str:
        base, reading = match.group(1), match.group(2)
        if reading.startswith("sound:"):
            return match.group(0)
        if show == "kanji":
            return base
        if show == "kana":
            return reading
        return f"<ruby><rb>{base}</rb><rt>{reading}</rt></ruby>"

    text = text.replace("&nbsp;", " ")
    return _FURIGANA.sub(replace, text) if "[" in text else text


def render_template(
    template: str,
    fields: dict[str, str],
    cloze: int | None,
    question: bool,
    limit: int | None = None,
) -> str:
    """A card template filled in, as Anki renders it for text: conditional sections, field
    references with their filters, special fields. TemplateError when Anki would show an error
    instead; TooLong past `limit` characters."""
    parts: list[str] = []
    size = 0
    sections: list[tuple[str, bool]] = []  # open sections: name, and whether shown around it
    shown = True
    for kind, text in _tokens(template):
        if kind in (OPEN, OPEN_NEGATED):
            sections.append((text, shown))
            filled = bool(fields.get(text, "").strip())
            shown = shown and filled == (kind == OPEN)
            continue
        if kind == CLOSE:
            if not sections or sections[-1][0] != text:
                raise TemplateError(f"{{{{/{text}}}}} closes no open section")
            shown = sections.pop()[1]
            continue
        if not shown:
            continue
        piece = _field(text, fields, cloze, question) if kind == FIELD else text
        size += len(piece)
        if limit is not None and size > limit:
            raise TooLong
        parts.append(piece)
    if sections:
        raise TemplateError(f"{{{{#{sections[-1][0]}}}}} is not closed")
    return "".join(parts)


def _field(reference: str, fields: dict[str, str], cloze: int | None, question: bool) -> str:
    *filters, name = reference.split(":")
    if name == "FrontSide" or name.startswith("!"):
        return ""
    value = fields.get(name.strip(), "")
    names = [f.strip() for f in filters]
    if any(f.startswith("tts") for f in names):
        return ""
    if "type" in names:
        if question:
            return ""
        return clozes.typed_answer(value, cloze) if "cloze" in names and cloze else value
    if "cloze-only" in names and cloze is not None:
        value = clozes.cloze_only(value, cloze, question)
    elif "cloze" in names and cloze is not None:
        value = clozes.reveal(value, cloze, question)
    for shown in ("kanji", "kana", "furigana"):
        if shown in names:
            value = furigana(value, shown)
    return value
