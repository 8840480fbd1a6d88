"""Practising a card for real: the starter file of a coding card, and the grade a run or a
checked answer suggests (the user confirms or changes it)."""

from __future__ import annotations

import ast
import re
import textwrap

from studyplan.core.mock import key_points
from studyplan.core.model import Card
from studyplan.core.srs.sm2 import Quality

CODE_STATUSES = ("passed", "failed", "syntax-error", "timeout", "memory", "crash")
EASY_SHARE = 0.5  # all tests passing within this share of the card's minutes suggests easy


def is_code_card(card: Card) -> bool:
    """A card practised by writing code: it carries a reference solution and its tests."""
    return bool(card.solution.strip() and card.tests.strip())


def suggest_code_grade(
    status: str, passed: int, failed: int, seconds: float, card_minutes: int
) -> int:
    """All checks pass: good, easy when the whole attempt took at most half the card's minutes.
    Some fail: hard when more than half pass, else again. A syntax error, a timeout, a memory
    stop or a crash: again."""
    if status == "passed":
        quick = seconds <= EASY_SHARE * card_minutes * 60
        return int(Quality.EASY if quick else Quality.GOOD)
    if status == "failed" and passed > failed:
        return int(Quality.HARD)
    return int(Quality.AGAIN)


def starter_code(card: Card) -> str:
    """The file a user starts from: the prompt as a comment, the imports the tests or the
    signatures need, and the solution's functions and classes with empty bodies."""
    source = textwrap.dedent(card.solution)
    tree = ast.parse(source)
    tested = _names_used(card.tests)
    kept_names = tested | _signature_names(tree)
    parts: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            bound = {(alias.asname or alias.name).split(".")[0] for alias in node.names}
            if bound & kept_names:
                parts.append(ast.unparse(node))
        elif isinstance(node, ast.ClassDef) and _holds_data_only(node) and node.name in tested:
            # a given structure such as ListNode or TreeNode: kept as written
            parts.append(ast.get_source_segment(source, node, padded=True) or ast.unparse(node))
        elif (
            isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            and node.name in tested  # helpers of the reference solution are left out
        ):
            parts.append(ast.unparse(_emptied(node)))
    prompt = "\n".join(
        f"# {line}".rstrip()
        for paragraph in card.prompt.strip().splitlines()
        for line in (textwrap.wrap(paragraph, 92) or [""])
    )
    body = "\n\n\n".join(parts)
    return f"# {card.id}\n#\n{prompt}\n\n{body}\n"


def _emptied(node: ast.stmt) -> ast.stmt:
    """A copy of a definition whose functions keep their signatures and lose their bodies."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        copy = ast.parse(ast.unparse(node)).body[0]
        assert isinstance(copy, ast.FunctionDef | ast.AsyncFunctionDef)
        copy.body = [ast.Pass()]
        return copy
    if isinstance(node, ast.ClassDef):
        copy_class = ast.parse(ast.unparse(node)).body[0]
        assert isinstance(copy_class, ast.ClassDef)
        members = [
            _emptied(member)
            if isinstance(member, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            else member
            for member in copy_class.body
            if not isinstance(member, ast.Expr)  # the docstring may tell the method
            and not _private(member)  # nor do its helper methods go in
        ]
        copy_class.body = members or [ast.Pass()]
        return copy_class
    return node


def _private(member: ast.stmt) -> bool:
    return (
        isinstance(member, ast.FunctionDef | ast.AsyncFunctionDef)
        and member.name.startswith("_")
        and not member.name.startswith("__")
    )


def _holds_data_only(node: ast.ClassDef) -> bool:
    """A class whose one method is an __init__ that only stores attributes on self."""
    methods = [m for m in node.body if isinstance(m, ast.FunctionDef | ast.AsyncFunctionDef)]
    if [m.name for m in methods] != ["__init__"]:
        return False
    return all(
        isinstance(statement, ast.Assign | ast.AnnAssign)
        and all(
            isinstance(target, ast.Attribute | ast.Tuple)
            for target in (
                statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            )
        )
        for statement in methods[0].body
        if not isinstance(statement, ast.Expr)
    )


def _names_used(source: str) -> set[str]:
    try:
        tree = ast.parse(textwrap.dedent(source))
    except SyntaxError:
        return set()
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)} | {
        node.value.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
    }


def _signature_names(tree: ast.Module) -> set[str]:
    """Names a definition's header reads: annotations, defaults, decorators, base classes."""
    used: set[str] = set()
    for node in ast.walk(tree):
        header: list[ast.AST] = []
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            header = [*node.decorator_list, node.args]
            if node.returns is not None:
                header.append(node.returns)
        elif isinstance(node, ast.ClassDef):
            header = [*node.decorator_list, *node.bases]
        elif isinstance(node, ast.AnnAssign):
            header = [node.annotation]
        for part in header:
            used |= {n.id for n in ast.walk(part) if isinstance(n, ast.Name)}
    return used


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\"'])")
_ANSWER_SPLIT = re.compile(r"(?<=[.!?;])\s+|\n+")
_CLAUSE_SPLIT = re.compile(
    r"[;:]\s+|(?<=[.!?])\s+|\n+"
    r"|,\s+(?=(?:so|but|which|while|and|or|then|because|otherwise|whereas)\b)"
)
PROBING = "probing:"  # a behavioral card's note on what the question tests, not a point to make
# The share of key points covered (each point counting the share of its clauses an answer
# says) that suggests grades 1 to 5; below the first, 0. Tuned on tests/answers_tune.toml.
GRADE_CUTS = (0.10, 0.20, 0.45, 0.50, 0.75)
POINT_COVERED = 0.5  # a key point is listed as covered when the answer says half its clauses


def answer_key_points(card: Card) -> tuple[str, ...]:
    """The points a typed answer is checked against: the model answer's bullets (as the mock's
    rubric lists them, less a behavioral card's "Probing:" note); an answer of one paragraph is
    split into its sentences."""
    points = tuple(p for p in key_points(card.answer) if not p.lower().startswith(PROBING))
    if len(points) == 1:
        sentences = tuple(s.strip() for s in _SENTENCE_END.split(points[0]) if s.strip())
        if len(sentences) > 1:
            return sentences
    return points


def clauses(text: str) -> list[str]:
    """A key point or sentence cut where it changes claim: at ; and :, at sentence ends, and
    at a comma before a joining word (so, but, which, while...). Pieces of one word go."""
    parts = [part.strip(" .,-*") for part in _CLAUSE_SPLIT.split(text)]
    kept = [part for part in parts if len(part.split()) >= 2]
    return kept or [text.strip()]


def answer_pieces(answer: str) -> list[str]:
    """What of a typed answer is compared with the key points: its sentences (bullets and
    lines count as sentences) and their clauses, each once."""
    sentences = [part.strip(" -*") for part in _ANSWER_SPLIT.split(answer) if part.strip(" -*")]
    pieces = [piece for sentence in sentences for piece in clauses(sentence)]
    return list(dict.fromkeys(pieces + sentences))


def grade_from_share(share: float) -> int:
    """The suggested grade for the share of the key points an answer covers (GRADE_CUTS)."""
    return sum(1 for cut in GRADE_CUTS if share >= cut)


# Terms that name opposite things: a key clause that says one and an answer that says the
# other instead ("L2 makes weights sparse" for "L1 sets many weights to zero") states the
# point the wrong way round, however alike the two read to the embedding model.
CONTRASTS = (
    "l1 l2|training inference|train test|on-policy off-policy|online offline|start end|"
    "first last|min max|minimum maximum|smallest largest|small large|smaller larger|low high|"
    "lower higher|increase decrease|increases decreases|before after|front back|head tail|"
    "sparse dense|encoder decoder|precision recall|roc-auc pr-auc|positive negative|"
    "continuous discrete|synchronous asynchronous|reversible irreversible|always never|"
    "faster slower|frozen trainable|ascending descending|stack queue|bfs dfs|"
    "union intersection|bias variance|overfitting underfitting|compute-bound memory-bound|"
    "stateless stateful|supervised unsupervised|generative discriminative|"
    "bidirectional left-to-right|encoder-only decoder-only|same different|oldest newest|"
    "least most|earlier later|parallel sequential|shallow deep|overestimate underestimate|"
    "with without|can cannot|is isn't|does doesn't|all none"
)
_OPPOSITES: dict[str, set[str]] = {}
for _pair in CONTRASTS.split("|"):
    _one, _other = _pair.split()
    _OPPOSITES.setdefault(_one, set()).add(_other)
    _OPPOSITES.setdefault(_other, set()).add(_one)
_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")


def contrast_words(text: str) -> frozenset[str]:
    """The words of a text, lowercased, as the contrast check compares them."""
    return frozenset(_WORD.findall(text.lower()))


def says_the_opposite(key_words: frozenset[str], piece_words: frozenset[str]) -> bool:
    """Whether an answer piece swaps a term of the key clause for its opposite: it lacks the
    term and uses an opposite the key clause does not itself use."""
    return any(
        word in _OPPOSITES
        and word not in piece_words
        and bool((_OPPOSITES[word] - key_words) & piece_words)
        for word in key_words
    )
