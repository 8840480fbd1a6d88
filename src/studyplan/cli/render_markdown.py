"""Card, guide and document text shown as Markdown in the terminal: lists with hanging
indents, code blocks verbatim (highlighted where the terminal has colour), emphasis shown.

The text is parsed by the project's one Markdown reader and drawn by rich's Markdown renderer.
It is never read as console markup ("[/b]" prints as those characters), control characters
are removed first, raw HTML stays text, and links are not turned into terminal hyperlinks.
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.markdown import Markdown
from rich.text import Text

from studyplan.adapters.anki import from_anki
from studyplan.adapters.content.markdown import display_tokens
from studyplan.core.text_safety import printable


class CardMarkdown(Markdown):
    """rich's Markdown over tokens from `adapters/content/markdown.display_tokens`."""

    def __init__(self, text: str, style: str = "none") -> None:
        super().__init__("", style=style, hyperlinks=False, code_theme="ansi_dark")
        self.markup = printable(text)
        self.parsed = display_tokens(self.markup)


def answer_view(card_id: str, text: str) -> RenderableType:
    """A card's answer for the terminal: Markdown, except a card imported from Anki, whose text
    is already what Anki shows (code indented as in the deck): it is shown as it is."""
    return Text(printable(text)) if from_anki(card_id) else CardMarkdown(text)
