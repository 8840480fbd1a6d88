"""The one Markdown reader behind guides, imported documents and stories: where a text's
headings and fenced code blocks are, and where its paragraphs, list items and table rows
are, as markdown-it-py's CommonMark block parser finds them; for display, a text's full token
stream (`display_tokens`); and, for the web page, a text rendered as HTML (`to_html`, further
down).

For outlines and prose blocks only the block rules that matter run (headings, code, and for
prose blocks lists and tables too), so a line inside a code block is never a heading, and the
work grows with the text's length: no inline parsing, no regular expressions. Setext
underlines ("Title" over "===") are not headings here: in notes they are more often rules
than titles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from studyplan.core.text_safety import printable

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token


@dataclass(frozen=True, slots=True)
class Heading:
    line: int  # 0-based index of the heading's line in the text
    level: int  # 1 for "#", up to 6
    text: str  # as written, without the #s around it; never empty


@dataclass(frozen=True, slots=True)
class Outline:
    headings: tuple[Heading, ...]
    fences: tuple[tuple[int, int], ...]  # fenced code blocks: first line, line after the last

    def heading_at(self) -> dict[int, Heading]:
        return {heading.line: heading for heading in self.headings}

    def code_lines(self) -> frozenset[int]:
        """The lines of the fenced code blocks, their fence lines included."""
        return frozenset(line for start, end in self.fences for line in range(start, end))


@dataclass(frozen=True, slots=True)
class Block:
    """One run of prose: a paragraph, a paragraph of a list item, or a table row."""

    line: int  # 0-based index of its first line in the text
    text: str  # as written (Markdown source, inline markup untouched); a row's cells joined


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    # Block rules only; the inline pass (emphasis, links...) is never run: a heading's text is
    # taken as written, and a megabyte on one line costs milliseconds.
    return MarkdownIt("zero").enable(["heading", "fence", "code"]).disable(["inline", "text_join"])


@cache
def _prose_parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    # Lists, tables and quotes as well, so that each item and each row is a block of its own.
    return (
        MarkdownIt("zero")
        .enable(["heading", "fence", "code", "list", "table", "blockquote", "hr"])
        .disable(["inline", "text_join"])
    )


@cache
def _display_parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    # CommonMark with tables and strikethrough, raw HTML off: a tag in a card is shown as the
    # characters it is, never dropped or interpreted.
    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def display_tokens(text: str) -> list[Token]:
    """The block and inline tokens of a text, for rendering it (lists, emphasis, code)."""
    return _display_parser().parse(text)


def outline(text: str) -> Outline:
    """The headings (empty ones left out) and fenced code blocks of a Markdown text; line
    numbers count the pieces of `text.split("\\n")` (a carriage return ends no line here)."""
    tokens = _parser().parse(text.replace("\r", " "))
    headings: list[Heading] = []
    fences: list[tuple[int, int]] = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.map is not None:
            words = tokens[index + 1].content.strip()
            if words:
                headings.append(Heading(token.map[0], int(token.tag[1:]), words))
        elif token.type == "fence" and token.map is not None:
            fences.append((token.map[0], token.map[1]))
    return Outline(tuple(headings), tuple(fences))


def markdown_heading(line: str) -> tuple[int, str] | None:
    """A heading line ("## Title ##") as (level, title); None for any other line."""
    found = outline(line).headings
    return (found[0].level, found[0].text) if found and found[0].line == 0 else None


def prose_blocks(text: str) -> tuple[Block, ...]:
    """The paragraphs, list-item paragraphs and table rows of a Markdown text, in order;
    headings and code are not prose. Line numbers count the pieces of `text.split("\\n")`."""
    blocks: list[Block] = []
    in_heading = False
    row: tuple[int, list[str]] | None = None  # a table row's first line and its cells so far
    for token in _prose_parser().parse(text.replace("\r", " ")):
        if token.type == "heading_open":
            in_heading = True
        elif token.type == "heading_close":
            in_heading = False
        elif token.type == "tr_open" and token.map is not None:
            row = (token.map[0], [])
        elif token.type == "tr_close" and row is not None:
            blocks.append(Block(row[0], " | ".join(row[1])))
            row = None
        elif token.type == "inline" and not in_heading and token.map is not None:
            if row is not None:
                row[1].append(token.content)
            else:
                blocks.append(Block(token.map[0], token.content))
    return tuple(blocks)


# Rendering to HTML, for the web page: card answers, documents. Raw HTML in the text is never
# passed through (html=False escapes it), images are not loaded (the page fetches nothing from
# elsewhere), and markdown-it refuses javascript:, vbscript: and file: links. Formulas, written
# $…$, $$…$$, \(…\) or \[…\], come out as escaped TeX in elements of class "math", which the
# page typesets; code blocks are coloured by Pygments, with CSS classes only (no style
# attributes, so the page's Content-Security-Policy needs no inline style).

_MATH_TYPES = {
    "math_inline": ("span", "math"),
    "math_inline_double": ("span", "math math-display"),
    "math_block": ("div", "math math-display"),
    "math_block_eqno": ("div", "math math-display"),
}


@cache
def _html_renderer() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from markdown_it.common.utils import escapeHtml
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.texmath import texmath_plugin

    renderer = MarkdownIt(
        "commonmark", {"html": False, "breaks": True, "highlight": highlighted_code}
    )
    renderer.add_render_rule("image", _image_as_text)
    # "$5 and $10" stays text: a $ before a digit opens no formula.
    renderer.use(dollarmath_plugin, allow_digits=False, double_inline=True)
    renderer.use(texmath_plugin, delimiters="brackets")
    for token_type, (tag, css) in _MATH_TYPES.items():

        def render_math(
            self: object,
            tokens: Sequence[Token],
            index: int,
            *_: object,
            tag: str = tag,
            css: str = css,
        ) -> str:
            content = escapeHtml(tokens[index].content.strip())
            return f'<{tag} class="{css}">{content}</{tag}>' + ("\n" if tag == "div" else "")

        renderer.add_render_rule(token_type, render_math)
    return renderer


def _image_as_text(self: object, tokens: Sequence[Token], index: int, *_: object) -> str:
    from markdown_it.common.utils import escapeHtml

    return escapeHtml(f"[image: {tokens[index].content}]")


def to_html(text: str) -> str:
    """A Markdown text as HTML: lists, emphasis, links, highlighted code blocks, formulas;
    control characters and direction overrides removed first (`printable`)."""
    return str(_html_renderer().render(printable(text)))


def highlighted_code(code: str, language: str, _attributes: str = "") -> str:
    """`code` as HTML spans with Pygments' CSS classes; escaped text when the language is
    unknown or not given."""
    from markdown_it.common.utils import escapeHtml

    name = language.strip().split(maxsplit=1)[0].lower() if language.strip() else ""
    if not name:
        return escapeHtml(code)
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        lexer = get_lexer_by_name(name)
    except ClassNotFound:
        return escapeHtml(code)
    return str(highlight(code, lexer, HtmlFormatter(nowrap=True)))


def code_html(code: str, language: str = "python") -> str:
    """A whole code block (a card's reference solution, say) as highlighted HTML."""
    from markdown_it.common.utils import escapeHtml

    body = highlighted_code(code, language)
    return f'<pre><code class="language-{escapeHtml(language)}">{body}</code></pre>\n'


def code_css(scope: str) -> str:
    """The CSS rules for the colours of `highlighted_code`, for elements under `scope`."""
    from pygments.formatters import HtmlFormatter

    return str(HtmlFormatter(style="default").get_style_defs(scope))
