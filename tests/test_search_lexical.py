"""BM25 on a small hand-checked corpus: bm25s builds it, our query path must score identically."""

from __future__ import annotations

import math
from pathlib import Path

import bm25s
import numpy as np
import pytest
import Stemmer

from studyplan.adapters.search.lexical import Analyzer, LexicalIndex, build_lexical

DOCS = [
    "The cat sat on the mat",  # cat sat mat               (3 terms)
    "Cats chase mice",  # cat chase mice                   (3 terms)
    "Dogs chase cats and cats run",  # dog chase cat cat run (5 terms)
]
K1, B = 1.5, 0.75  # bm25s defaults (Lucene variant)
AVG_LEN = 11 / 3


def lucene(tf: int, doc_len: int, df: int, n_docs: int = 3) -> float:
    """Lucene BM25: ln(1 + (N - df + .5) / (df + .5)) * tf / (tf + k1 (1 - b + b dl / avgdl))."""
    idf = math.log(1 + (n_docs - df + 0.5) / (df + 0.5))
    return idf * tf / (tf + K1 * (1 - B + B * doc_len / AVG_LEN))


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> LexicalIndex:
    folder = tmp_path_factory.mktemp("bm25")
    build_lexical(DOCS, folder)
    return LexicalIndex.load(folder)


def test_scores_match_the_formula_by_hand(index: LexicalIndex) -> None:
    scores = index.scores("cats")
    assert scores[0] == pytest.approx(lucene(tf=1, doc_len=3, df=3), rel=1e-5)
    assert scores[1] == pytest.approx(lucene(tf=1, doc_len=3, df=3), rel=1e-5)
    assert scores[2] == pytest.approx(lucene(tf=2, doc_len=5, df=3), rel=1e-5)
    chase = index.scores("chasing")  # stems to "chase"
    assert chase[0] == 0
    assert chase[1] == pytest.approx(lucene(tf=1, doc_len=3, df=2), rel=1e-5)


def test_query_terms_add_up_and_rank(index: LexicalIndex) -> None:
    scores = index.scores("a dog chasing the cats")
    assert scores[2] == pytest.approx(lucene(1, 5, 1) + lucene(1, 5, 2) + lucene(2, 5, 3), rel=1e-5)
    assert int(np.argmax(scores)) == 2


def test_stop_words_and_unknown_words_score_nothing(index: LexicalIndex) -> None:
    assert not index.scores("the and on").any()
    assert not index.scores("zebra xylophone").any()
    assert not index.scores("日本語").any()


@pytest.mark.model  # the speller reads the model's vocabulary
def test_scores_equal_bm25s_retriever(tmp_path: Path) -> None:
    texts = [
        "Reverse a singly linked list in place, iteratively or recursively.",
        "Apple interviews focus on on-device ML, privacy and low-power hardware.",
        "Gradient boosting fits trees to the residuals; XGBoost adds regularisation.",
        "Tell me about a time you disagreed with your manager.",
        "Café naïve résumé — Unicode words, numbers like 2024 and x86_64.",
    ]
    build_lexical(texts, tmp_path)
    ours = LexicalIndex.load(tmp_path)
    reference = bm25s.BM25.load(str(tmp_path))
    stemmer = Stemmer.Stemmer("english")
    for query in [
        "linked lists reversal",
        "apple interview privacy",
        "boosted trees",
        "résumé 2024",
    ]:
        tokens = bm25s.tokenize(
            [query], stopwords="en", stemmer=stemmer, return_ids=False, show_progress=False
        )[0]
        assert tokens == ours.analyzer.terms(query)
        expected = reference.get_scores(tokens)
        np.testing.assert_allclose(ours.scores(query), expected, rtol=1e-6)


def test_analyzer_matches_bm25s_tokenize() -> None:
    analyzer = Analyzer(r"(?u)\b\w\w+\b", list(bm25s.stopwords.STOPWORDS_EN), "english")
    text = "The Transformers' self-attention: O(n^2) costs; BERT-base & GPT-4o, running quickly!"
    expected = bm25s.tokenize(
        [text],
        stopwords="en",
        stemmer=Stemmer.Stemmer("english"),
        return_ids=False,
        show_progress=False,
    )[0]
    assert analyzer.terms(text) == expected


@pytest.mark.model  # the speller reads the model's vocabulary
def test_collection_without_terms_scores_zero(tmp_path: Path) -> None:
    build_lexical(["", "the a"], tmp_path)
    index = LexicalIndex.load(tmp_path)
    assert index.num_docs == 2
    assert not index.scores("anything").any()
