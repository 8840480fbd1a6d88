"""MathJax in Anki fields (`\\( ... \\)` inline, `\\[ ... \\]` display, and Anki's `[$]...[/$]`)
as readable text: `\\frac{QK^T}{\\sqrt{d_k}}` reads (QK^T)/√(d_k), `\\alpha \\leq \\beta` α ≤ β.

The LaTeX is converted by pylatexenc, with a few of its renderings adjusted for reading in a
terminal: a fraction keeps its grouping, relations and operators stand between spaces, `\\|`
is a norm bar. A formula too long or too odd for the converter is shown as written, without its
delimiters, and so are the formulas of a text past the MAX_FORMULAS-th. The scan for delimiters
is linear in the text's length.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

MAX_FORMULA = 2_000  # characters; longer formulas are shown as written
MAX_FORMULAS = 500  # converted in one text; the ones after are shown as written
_DELIMITERS = (("\\(", "\\)"), ("\\[", "\\]"), ("[$$]", "[/$$]"), ("[$]", "[/$]"))
_SPACES = re.compile(r" {2,}")
_SIMPLE = re.compile(r"[\w.′'^]+|√?\([^()]*\)")
_SPACED = {
    "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈",
    "equiv": "≡", "sim": "∼", "propto": "∝", "in": "∈", "notin": "∉", "subset": "⊂",
    "subseteq": "⊆", "to": "→", "rightarrow": "→", "leftarrow": "←", "Rightarrow": "⇒",
    "Leftrightarrow": "⇔", "mapsto": "↦", "cdot": "·", "times": "×", "pm": "±", "div": "÷",
    "cup": "∪", "cap": "∩", "land": "∧", "lor": "∨", "implies": "⟹", "iff": "⟺",
}  # fmt: skip


def has_math(text: str) -> bool:
    return any(opening in text for opening, _ in _DELIMITERS)


def mathjax_to_text(text: str) -> str:
    """`text` with each delimited formula replaced by its readable form."""
    if not has_math(text):
        return text
    closings = dict(_DELIMITERS)
    next_at = {opening: text.find(opening) for opening in closings}  # -1: none left
    out: list[str] = []
    at = converted = 0
    while True:
        for opening, found in next_at.items():
            if 0 <= found < at:
                next_at[opening] = text.find(opening, at)
        waiting = [(found, opening) for opening, found in next_at.items() if found >= 0]
        if not waiting:
            break
        start, opening = min(waiting)
        end = text.find(closings[opening], start + len(opening))
        if end < 0:  # no closing after this opening, so none after a later one either
            next_at[opening] = -1
            continue
        out.append(text[at:start])
        formula = text[start + len(opening) : end]
        converted += 1
        out.append(latex_text(formula) if converted <= MAX_FORMULAS else formula.strip())
        at = end + len(closings[opening])
    out.append(text[at:])
    return "".join(out)


def latex_text(formula: str) -> str:
    """One formula (without delimiters) as readable text."""
    source = formula.strip()
    if not source or len(source) > MAX_FORMULA:
        return source
    try:
        text = str(_converter().latex_to_text(source))
    except (Exception, RecursionError):  # pylatexenc raises its own and Python's errors
        return source
    return _SPACES.sub(" ", text.replace("\n", " ")).strip()


@cache
def _converter() -> Any:
    from pylatexenc.latex2text import (
        LatexNodes2Text,
        MacroTextSpec,
        get_default_latex_context_db,
    )

    def fraction(node: Any, l2tobj: Any) -> str:
        args = [a for a in node.nodeargd.argnlist if a is not None][-2:]
        inner = [getattr(arg, "nodelist", None) or [arg] for arg in args]  # a {group}'s nodes
        parts = [_grouped(l2tobj.nodelist_to_text(nodes).strip()) for nodes in inner]
        return "/".join(parts)

    macros = [MacroTextSpec(name, f" {sign} ") for name, sign in _SPACED.items()]
    macros += [MacroTextSpec(name, fraction) for name in ("frac", "dfrac", "tfrac")]
    macros += [MacroTextSpec("|", "‖"), MacroTextSpec("lVert", "‖"), MacroTextSpec("rVert", "‖")]
    context = get_default_latex_context_db()
    context.add_context_category("studyplan", macros=macros, prepend=True)
    return LatexNodes2Text(
        latex_context=context,
        math_mode="text",
        keep_braced_groups=True,
        keep_braced_groups_minlen=2,
        strict_latex_spaces="based-on-source",
    )


def _grouped(text: str) -> str:
    return text if _SIMPLE.fullmatch(text) else f"({text})"
