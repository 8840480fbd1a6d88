"""Text from cards, documents, stories, queries and file names, made safe to show.

Such text is data: it may hold bytes a terminal obeys (ESC sequences that clear the screen,
retitle the window or forge hyperlinks; carriage returns that overwrite a line) or Unicode
direction overrides that make it read differently from what it is. `printable` removes:

- the C0 control characters except newline and tab (U+0000-U+0008, U+000B-U+001F),
- DEL (U+007F) and the C1 control characters (U+0080-U+009F),
- the bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069).

Removing, rather than showing a placeholder, keeps ordinary text (a stray carriage return,
a right-to-left mark left by an editor) reading as it was meant; letters, marks and right-to-left
scripts themselves are untouched, and a terminal still lays them out by their own direction.

Terminal output, the calendar file and the HTML report show text through these functions.
JSON output keeps text exactly as stored: `json.dumps` writes C0 controls as \\u escapes, and
`render.to_json` escapes the rest of the characters above the same way.
"""

from __future__ import annotations

CONTROL_CHARACTERS = frozenset(
    [
        *(chr(code) for code in range(0x20) if chr(code) not in "\n\t"),
        chr(0x7F),
        *(chr(code) for code in range(0x80, 0xA0)),
        *(chr(code) for code in range(0x202A, 0x202F)),
        *(chr(code) for code in range(0x2066, 0x206A)),
    ]
)
_REMOVE = str.maketrans(dict.fromkeys(CONTROL_CHARACTERS))
# Characters that end a line somewhere, though not in a terminal: each becomes a space in one_line.
_LINE_BREAKS = str.maketrans(dict.fromkeys("\n\t\x0b\x0c\r\x1c\x1d\x1e\x85\u2028\u2029", " "))


def printable(text: str) -> str:
    """`text` without control characters and direction overrides; newlines and tabs stay."""
    return text.translate(_REMOVE)


def one_line(text: str) -> str:
    """`text` as a single line: line breaks and tabs become spaces, controls go."""
    return text.translate(_LINE_BREAKS).translate(_REMOVE)
