"""Anki card templates filled in as Anki fills them, for a card's text: conditional sections,
field references and their filters, cloze deletions.

- `{{cloze:Text}}`: the card's cloze hidden as [...] (or [hint]) on the question, every cloze
  shown on the answer.
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

_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
_SECTION = re.compile(r"\{\{([#^])\s*([^}]+?)\s*\}\}(.*?)\{\{/\s*\2\s*\}\}", re.DOTALL)
_FIELD = re.compile(r"\{\{\s*(.+?)\s*\}\}", re.DOTALL)
# A reading in brackets after its base: the base runs back to a space, a tag's end or the
# previous reading. Possessive and bounded, so that the scan stays linear in the text.
_FURIGANA = re.compile(r" ?(?<![^ >\]])([^ >\[\]]++)\[([^\]]{1,200}+)\]")


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


def cloze_answers(text: str, number: int) -> str:
    """What the card of cloze `number` asks to type: its clozes' texts, joined by ", "."""
    found = [m.group(2) for m in _CLOZE.finditer(text) if int(m.group(1)) == number]
    return ", ".join(render_cloze(answer, number, question=False) for answer in found)


def cloze_numbers(text: str) -> set[int]:
    return {int(n) for n in re.findall(r"\{\{c(\d+)::", text)}


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
    template: str, fields: dict[str, str], cloze: int | None, question: bool
) -> str:
    """A card template filled in, as Anki renders it for text: conditional sections, field
    references with their filters, special fields."""

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
            if question:
                return ""
            return cloze_answers(value, cloze) if "cloze" in names and cloze else value
        if ("cloze" in names or "cloze-only" in names) and cloze is not None:
            value = render_cloze(value, cloze, question)
        for shown in ("kanji", "kana", "furigana"):
            if shown in names:
                value = furigana(value, shown)
        return value

    return _FIELD.sub(field, template)
