"""Stub sections of an imported document folded away, so that every search hit has something
to say.

Notes are full of headings with next to nothing under them: a tool's name over a link to it
("### vLLM" and its link), "Related reading" over a list of papers, "Moved to ..." or "See ...",
a parent heading whose only text introduces its sub-sections ("There are 2 stages:"). Indexed
as they are, they fill the top of a search list with titles and no answer. Two rules:

- A section that says almost nothing besides its links (fewer than LINKS_ONLY_WORDS words
  outside link texts) joins its parent section, under its own heading, when the parent has
  text of its own; otherwise it is dropped.
- A section of fewer than INTRO_WORDS words followed by its own sub-sections opens the first of
  them instead of standing alone.

A short section of real prose ("Keys and values are cached.") stays as it is, and a document
whose every section would go keeps them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LINKS_ONLY_WORDS = 3  # "See X", "Moved to X", a bare link or a list of links
INTRO_WORDS = 8  # "When doing inference there are 2 stages:" (7 words) introduces its parts


@dataclass
class Piece:
    """One heading and the lines under it, before it becomes a section."""

    heading: str  # as the section title shows it ("Parent — Child")
    level: int  # 1 to 6; 0 for text before the first heading
    lines: list[str] = field(default_factory=list)
    own_words: int = 0  # words outside links, images and URLs (code counts in full)

    @property
    def text(self) -> str:
        return "\n".join(self.lines).strip()


def fold_stubs(pieces: list[Piece]) -> list[Piece]:
    """The pieces with text once stubs are folded into their neighbours (see the module)."""
    original = [list(piece.lines) for piece in pieces]
    dropped: set[int] = set()
    for n, piece in enumerate(pieces):
        if not piece.text or piece.level == 0:
            continue
        child = _first_child(pieces, n)
        if child is not None and piece.own_words < INTRO_WORDS:
            child.lines = [piece.text, "", child.text]
            child.own_words += piece.own_words
            dropped.add(n)
        elif piece.own_words < LINKS_ONLY_WORDS:
            parent = _parent(pieces, n)
            if parent is not None and parent not in dropped and pieces[parent].text:
                pieces[parent].lines += ["", *_folded(piece)]
            dropped.add(n)
    left = [piece for n, piece in enumerate(pieces) if n not in dropped and piece.text]
    if left:
        return left
    for piece, lines in zip(pieces, original, strict=True):
        piece.lines = lines
    return [piece for piece in pieces if piece.text]


def _first_child(pieces: list[Piece], n: int) -> Piece | None:
    """The first deeper piece with text right after piece `n` (only deeper headings between)."""
    level = pieces[n].level
    for piece in pieces[n + 1 :]:
        if piece.level <= level:
            return None
        if piece.text:
            return piece
    return None


def _parent(pieces: list[Piece], n: int) -> int | None:
    """The nearest heading above piece `n` at a shallower level (None at the top)."""
    level = pieces[n].level
    for above in range(n - 1, -1, -1):
        if 0 < pieces[above].level < level:
            return above
    return None


def _folded(piece: Piece) -> list[str]:
    """A stub as its parent shows it: its heading, then its text unless that only repeats
    the heading ("vLLM" over a link reading "vLLM")."""
    heading = piece.heading.rsplit(" — ", 1)[-1]
    return [heading] if piece.text == heading else [heading, piece.text]
