"""Markdown and HTML markup to the words a reader sees: titles and text that read like the page.

Links keep their text, images and HTML tags go (the text between tags stays), as do emoji
shortcodes (":robot:"), heading anchors ("{#plan}"), emphasis marks, table rules and outer
table pipes, blockquote marks, reference-link definitions and image credits (a line that is
only a "source" link). A backslash escape keeps the character it escapes (a backslash and a
star read "*"), and HTML entities are decoded (`&#124;` reads "|"). Every function scans its
input once: tags, links and comments are found with `str.find`, and the few regular
expressions have no nested or unbounded repetition that could backtrack.
"""

from __future__ import annotations

import html
import re

_EMOJI = re.compile(r"(?<![\w:/]):[a-z0-9_+-]{2,40}:(?!\w)")
_HEADING_ID = re.compile(r"\{#[\w-]{1,200}\}$")
_EMPHASIS = re.compile(r"\*\*|__|`|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")
_TABLE_RULE = re.compile(r"^\s*\|?(\s*:?-{2,}:?\s*\|)+\s*:?-{0,}:?\s*\|?\s*$")
_REFERENCE_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]{1,200}\]:\s+\S")
_SPACES = re.compile(r"[ \t]{2,}")
_RULE = re.compile(r"^ {0,3}([-*_=])[ \t]*(\1[ \t]*){2,}$")  # a thematic break or heading underline
_BRACKET = re.compile(r"[\[\]]")
# CommonMark's backslash escapes: a backslash before ASCII punctuation stands for that character.
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_ESCAPED = 0xE000  # escaped characters wait in the private-use area while markup is removed
_UNESCAPE = {_ESCAPED + code: chr(code) for code in range(33, 127)}
# What an image credit's link reads: "source", "(source)", "image source:", "credit".
_CREDIT = re.compile(r"\(?\s*((image|figure|diagram)\s+)?(source|credit|credits|src)\s*:?\s*\)?")
_WORD = re.compile(r"\w+")
_URL_START = ("http://", "https://", "www.")
_BREAKING_TAGS = frozenset(
    [
        "br",
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "tr",
        "td",
        "th",
        "table",
        "img",
        "hr",
        "figure",
        "figcaption",
        "section",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
    ]
)
MAX_TAG = 2000  # characters: a longer "<...>" is text with a "<" in it, not a tag
# Elements whose content is not text for a reader (page metadata, code run by the browser).
_HIDDEN_ELEMENTS = ("head", "script", "style")


def without_hidden_elements(text: str) -> str:
    """`text` without <head>, <script> and <style> elements (tags and content)."""
    for name in _HIDDEN_ELEMENTS:
        parts: list[str] = []
        done = 0
        lowered = text.lower()
        while (start := lowered.find(f"<{name}", done)) >= 0:
            after = lowered[start + len(name) + 1 : start + len(name) + 2]
            if after and (after.isalnum() or after == "-"):  # <header>, not <head>
                parts.append(text[done : start + 1])
                done = start + 1
                continue
            end = lowered.find(f"</{name}>", start)
            if end < 0:
                break
            parts.append(text[done:start])
            done = end + len(name) + 3
        parts.append(text[done:])
        text = "".join(parts)
    return text


def strip_tags(text: str) -> str:
    """HTML tags (`<a name="x">`, `</sup>`, `<br/>`, `<InDocAd />`, autolinks) removed, even
    when one spans lines; the text between them kept. A `<` that starts no tag ("a < b"), or
    whose `>` is past a blank line or MAX_TAG characters away, stays."""
    parts: list[str] = []
    done = search = 0
    close = blank = -1  # the next ">" and the next blank line, found once and reused
    while (open_ := text.find("<", search)) >= 0:
        following = text[open_ + 1 : open_ + 2]
        search = open_ + 1
        if not (following.isalpha() or following in ("/", "!")):
            continue
        if close <= open_:
            close = text.find(">", open_ + 1)
            if close < 0:
                break
        if blank <= open_:
            blank = text.find("\n\n", open_)
            blank = len(text) if blank < 0 else blank
        if close - open_ > MAX_TAG or blank < close:
            continue
        parts.append(text[done:open_])
        name = (
            text[open_ + 1 : close].lstrip("/").split(None, 1)[0].rstrip("/").lower()
            if close > open_ + 1
            else ""
        )
        if name in _BREAKING_TAGS and parts[-1] and not parts[-1][-1].isspace():
            parts.append(" ")  # "a<br/>b" reads as two words, "x<sup>2</sup>" as one
        done = search = close + 1
    parts.append(text[done:])
    return "".join(parts)


def link_texts(line: str, keep: bool = True) -> str:
    """[text](target) replaced by its text (or by nothing, `keep` false), brackets inside the
    text kept ("[Guide [Part 1]](u)" reads "Guide [Part 1]"); ![alt](image) removed."""
    if "](" not in line:
        return line
    parts: list[str] = []
    done = 0
    opened: list[int] = []
    for bracket in _BRACKET.finditer(line):
        at = bracket.start()
        if at < done:
            continue
        if line[at] == "[":
            opened.append(at)
            continue
        if not opened:
            continue
        open_ = opened.pop()
        if line[at + 1 : at + 2] != "(":
            continue
        end = line.find(")", at + 2)
        if end < 0:
            break
        image = open_ > done and line[open_ - 1] == "!"
        start = open_ - 1 if image else open_
        parts += [line[done:start], "" if image or not keep else line[open_ + 1 : at]]
        done = end + 1
        opened.clear()
    parts.append(line[done:])
    return "".join(parts)


def reference_links(line: str, keep: bool = True) -> str:
    """[text][ref] replaced by its text, or by nothing (`keep` false); the definitions are
    dropped as lines."""
    parts: list[str] = []
    done = search = 0
    while (open_ := line.find("[", search)) >= 0:
        close = line.find("]", open_ + 1)
        if close < 0:
            break
        if line[close + 1 : close + 2] != "[":
            search = close + 1
            continue
        end = line.find("]", close + 2)
        if end < 0:
            break
        parts += [line[done:open_], line[open_ + 1 : close] if keep else ""]
        done = search = end + 1
    parts.append(line[done:])
    return "".join(parts)


def plain_inline(line: str) -> str:
    """One line of Markdown (or a heading) as the words a reader sees."""
    line = _hold_escapes(line)
    line = strip_tags(line)
    line = link_texts(line)
    line = reference_links(line)
    line = _EMOJI.sub("", line)
    line = _HEADING_ID.sub("", line.rstrip())
    line = _EMPHASIS.sub("", line)
    line = html.unescape(line).replace("\xa0", " ").translate(_UNESCAPE)
    return _SPACES.sub(" ", line).strip() if line.strip() else ""


def _hold_escapes(line: str) -> str:
    """Backslash-escaped punctuation outside code spans set aside (in the private-use area) so
    that no later step reads it as markup; `plain_inline` puts the characters back."""
    if "\\" not in line:
        return line
    parts = line.split("`")
    if len(parts) % 2 == 0:  # an unclosed code span: no code spans at all
        parts = [line]
    for n in range(0, len(parts), 2):  # the even parts lie outside code spans
        parts[n] = _ESCAPE.sub(lambda m: chr(_ESCAPED + ord(m.group(1))), parts[n])
    return "`".join(parts)


def words_outside_links(line: str) -> int:
    """How many words a line of Markdown has besides its links' texts, images and URLs: what
    it says of its own rather than where it points."""
    line = _without_links(line)
    line = strip_tags(line)
    return sum(1 for word in line.split() if not word.startswith(_URL_START) and _WORD.search(word))


def _without_links(line: str) -> str:
    """The line without its [text](target) and [text][ref] links and images, text and all."""
    if "](" in line or "][" in line:
        kept = link_texts(line, keep=False)
        return reference_links(kept, keep=False)
    return line


def is_credit(line: str, plain: str) -> bool:
    """Whether a line is only an image credit: a link reading "source" and nothing else."""
    return "](" in line and _CREDIT.fullmatch(plain.strip().lower()) is not None


def plain_line(line: str) -> str | None:
    """A body line of Markdown as plain text, keeping its indentation and list marks; None for a
    line that is markup only (a table rule, a reference-link definition)."""
    if _TABLE_RULE.match(line) or _REFERENCE_DEFINITION.match(line) or _RULE.match(line):
        return None
    stripped = line.lstrip()
    indent = line[: len(line) - len(stripped)]
    if stripped.startswith(">"):
        stripped = stripped.lstrip("> \t")
    if stripped.startswith("|"):
        stripped = stripped.strip().strip("|")
    bullet = ""
    if stripped[:2] in ("* ", "+ ", "- "):
        bullet, stripped = "- ", stripped[2:]
    text = plain_inline(stripped)
    if not text and stripped.strip():
        return ""
    if is_credit(stripped, text):
        return None
    return f"{indent}{bullet}{text}" if text or bullet else ""
