"""A card's tests must catch a plausible wrong answer, not only pass the reference.

Each case below is a mistake candidates really make, written either as a full wrong solution or
as edits to the card's own reference. It runs against the card's tests through the same runner
as `studyplan check --run`; the reference must pass and the wrong version must fail on an
assertion (a crash would prove nothing about the tests).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest

from studyplan.adapters.content.cards import load_cards
from studyplan.adapters.content.solutions import run_solution
from studyplan.app.workspace import default_corpus
from studyplan.core.model import Card


@dataclass(frozen=True)
class Wrong:
    card_id: str
    mistake: str
    edits: tuple[tuple[str, str], ...] = ()  # (text in the reference, what replaces it)
    source: str = ""  # or a whole wrong solution

    def solution(self, card: Card) -> str:
        if self.source:
            return self.source
        text = card.solution
        for old, new in self.edits:
            assert text.count(old) == 1, f"{self.card_id}: reference no longer has {old!r}"
            text = text.replace(old, new)
        return text


RIGHT_SPINE_ONLY = """
class TreeNode:
    def __init__(self, val, left=None, right=None):
        self.val, self.left, self.right = val, left, right


def right_side_view(root):
    view = []
    while root:
        view.append(root.val)
        root = root.right
    return view
"""

MERGE_BY_NAME = """
def accounts_merge(accounts):
    people = {}
    for name, *emails in accounts:
        people.setdefault(name, set()).update(emails)
    return [[name] + sorted(emails) for name, emails in people.items()]
"""

MERGE_DIRECT_OVERLAPS_ONLY = """
def accounts_merge(accounts):
    groups = []
    for name, *emails in accounts:
        for group in groups:
            if group[1] & set(emails):
                group[1].update(emails)
                break
        else:
            groups.append([name, set(emails)])
    return [[name] + sorted(emails) for name, emails in groups]
"""

FINISHED_STAY_IN_BEAM = """
def beam_search(next_log_probs, beam_width, max_len, eos="<eos>"):
    beam = [((), 0.0)]
    for _ in range(max_len):
        candidates = []
        for seq, score in beam:
            if seq and seq[-1] == eos:
                candidates.append((seq, score))  # finished, but still holding a slot
                continue
            for token, log_p in next_log_probs(seq).items():
                candidates.append((seq + (token,), score + log_p))
        candidates.sort(key=lambda c: (-c[1], c[0]))
        beam = candidates[:beam_width]
        if all(seq[-1] == eos for seq, _ in beam):
            break
    return beam
"""

STOCK_MAX_MINUS_MIN = """
def max_profit(prices):
    return max(prices) - min(prices) if prices else 0
"""

CASES = (
    # ML from scratch
    Wrong(
        "ml-code-two-layer-mlp-backprop",
        "no ReLU mask in the backward pass",
        edits=(("d_pre = d_hidden * (pre > 0)", "d_pre = d_hidden"),),
    ),
    Wrong(
        "ml-code-two-layer-mlp-backprop",
        "gradient of a summed loss for a mean loss (no 1/n)",
        edits=(("    d_logits /= n", "    pass"),),
    ),
    Wrong(
        "ml-code-bpe-tokenizer",
        "encoding merges the leftmost known pair instead of the earliest learned",
        edits=(("min(present, key=rank.__getitem__)", "present[0]"),),
    ),
    Wrong(
        "ml-code-bpe-tokenizer",
        "pairs counted once per distinct word, not by frequency",
        edits=(("pairs[pair] += count", "pairs[pair] += 1"),),
    ),
    Wrong(
        "ml-code-causal-attention-kv-cache",
        "no mask over the cache (right for one token, wrong for a prompt chunk)",
        edits=(
            (
                "visible = np.arange(start + s)[None, :] <= start + np.arange(s)[:, None]",
                "visible = np.ones((s, start + s), dtype=bool)",
            ),
        ),
    ),
    Wrong(
        "ml-code-causal-attention-kv-cache",
        "a causal mask that ignores the cached prefix's offset",
        edits=(
            (
                "visible = np.arange(start + s)[None, :] <= start + np.arange(s)[:, None]",
                "visible = np.tril(np.ones((s, start + s), dtype=bool))",
            ),
        ),
    ),
    Wrong(
        "ml-code-decision-tree-classifier",
        "depth limit off by one",
        edits=(
            ("depth == self.max_depth", "self.max_depth is not None and depth > self.max_depth"),
        ),
    ),
    Wrong(
        "ml-code-decision-tree-classifier",
        "children's impurities averaged without weighting by size",
        edits=(
            (
                "score = (size * gini(left, size) + (n - size) * gini(right, n - size)) / n",
                "score = (gini(left, size) + gini(right, n - size)) / 2",
            ),
        ),
    ),
    Wrong(
        "ml-code-adam-optimizer",
        "L2 added to the gradient instead of AdamW's decoupled decay",
        edits=(
            (
                "        self.t += 1\n",
                "        self.t += 1\n        grad = grad + self.weight_decay * params\n",
            ),
            ("return updated - self.lr * self.weight_decay * params", "return updated"),
        ),
    ),
    Wrong(
        "ml-code-naive-bayes-text",
        "the class prior dropped from the score",
        edits=(("c: self.log_prior[c] + sum(", "c: sum("),),
    ),
    Wrong(
        "ml-code-beam-search",
        "finished sequences kept in the live beam",
        source=FINISHED_STAY_IN_BEAM,
    ),
    # Grind 75 staples
    Wrong(
        "coding-best-time-to-buy-sell-stock",
        "max minus min, ignoring order",
        source=STOCK_MAX_MINUS_MIN,
    ),
    Wrong(
        "coding-binary-search",
        "lo < hi with a closed interval",
        edits=(("while lo <= hi", "while lo < hi"),),
    ),
    Wrong(
        "coding-longest-palindromic-substring",
        "odd-length centres only",
        edits=(("(grow(centre, centre), grow(centre, centre + 1))", "(grow(centre, centre),)"),),
    ),
    Wrong(
        "coding-binary-tree-right-side-view", "walks the right spine only", source=RIGHT_SPINE_ONLY
    ),
    Wrong(
        "coding-letter-combinations-phone-number",
        "an empty input gives [''] instead of []",
        edits=(("return []  # no digits", "return ['']  # no digits"),),
    ),
    Wrong(
        "coding-sort-colors",
        "advances i after swapping a 2 to the back",
        edits=(("            high -= 1", "            high, i = high - 1, i + 1"),),
    ),
    Wrong(
        "coding-basic-calculator",
        "the sign in front of a parenthesis ignored",
        edits=(("outer + outer_sign * inner", "outer + inner"),),
    ),
    Wrong(
        "coding-basic-calculator",
        "one digit per number",
        edits=(("number = number * 10 + int(ch)", "number = int(ch)"),),
    ),
    Wrong("coding-accounts-merge", "merges accounts by name", source=MERGE_BY_NAME),
    Wrong(
        "coding-accounts-merge",
        "merges direct overlaps only, not chains",
        source=MERGE_DIRECT_OVERLAPS_ONLY,
    ),
    # SQL
    Wrong(
        "coding-sql-second-highest-value",
        "DENSE_RANK over raw rows, filtered in WHERE (duplicates, lost departments)",
        edits=(
            (
                "FROM (SELECT DISTINCT dept, salary FROM employees WHERE salary IS NOT NULL) AS d",
                "FROM employees",
            ),
            (
                "LEFT JOIN ranked ON ranked.dept = depts.dept AND ranked.r = 2",
                "JOIN ranked ON ranked.dept = depts.dept AND ranked.r = 2",
            ),
        ),
    ),
    Wrong(
        "coding-sql-cohort-retention",
        "PostgreSQL's date + 7 run on SQLite",
        edits=(
            (
                "a.activity_date = date(c.signup_date, '+7 days')",
                "a.activity_date = c.signup_date + 7",
            ),
        ),
    ),
    Wrong(
        "coding-sql-cohort-retention",
        "an inner join drops inactive users from the denominator",
        edits=(("FROM c LEFT JOIN r ON", "FROM c JOIN r ON"),),
    ),
)

CARDS = {card.id: card for card in load_cards(sorted((default_corpus() / "cards").glob("*.toml")))}


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.card_id}: {case.mistake}")
def test_the_tests_catch_the_wrong_version(case: Wrong) -> None:
    card = CARDS[case.card_id]
    assert card.solution and card.tests
    assert run_solution(card).passed, "the reference must pass its own tests"
    wrong = run_solution(replace(card, solution=case.solution(card)))
    assert not wrong.passed, f"{case.card_id}: tests pass a wrong version ({case.mistake})"
    assert "AssertionError" in wrong.detail, wrong.detail
