"""Card, guide and document text shown as Markdown in the terminal: lists with hanging
indents, code blocks verbatim (highlighted where the terminal has colour), emphasis shown.

The text is parsed by the project's one Markdown reader and drawn by rich's Markdown renderer.
It is never read as console markup ("[/b]" prints as those characters), control characters
are removed first, raw HTML stays text, and links are not turned into terminal hyperlinks.
"""

from __future__ import annotations

from rich.markdown import Markdown

from studyplan.adapters.content.markdown import display_tokens
from studyplan.core.text_safety import printable


class CardMarkdown(Markdown):
    """rich's Markdown over tokens from `adapters/content/markdown.display_tokens`."""

    def __init__(self, text: str, style: str = "none") -> None:
        super().__init__("", style=style, hyperlinks=False, code_theme="ansi_dark")
        self.markup = printable(text)
        self.parsed = display_tokens(self.markup)
