"""BM25 over the items: bm25s builds and saves the index; queries read bm25s's saved score matrix.

bm25s precomputes every (term, document) BM25 contribution into a sparse column matrix, so a
query's scores are sums of a few columns. Reading those arrays with numpy at query time keeps
`import bm25s` (and its scipy import, about 0.12 s) out of a cold search; a test checks the
scores equal `bm25s.BM25.get_scores`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

TOKEN_PATTERN = r"(?u)\b\w\w+\b"  # bm25s's default splitter (scikit-learn's)
STEMMER_LANGUAGE = "english"
QUERY_FILE = "query.json"
# Files bm25s.BM25.save writes (lucene scoring has no non-occurrence array).
SCORE_FILES = ("data.csc.index.npy", "indices.csc.index.npy", "indptr.csc.index.npy")
VOCAB_FILE = "vocab.index.json"
PARAMS_FILE = "params.index.json"


@lru_cache(maxsize=4)
def stemmer(language: str = STEMMER_LANGUAGE) -> Any:
    import Stemmer

    return Stemmer.Stemmer(language)


def build_lexical(texts: Sequence[str], folder: Path) -> None:
    """Tokenise (lowercase, English stop words, Snowball stemming), index and save to `folder`."""
    import bm25s
    from bm25s.stopwords import STOPWORDS_EN

    tokens = bm25s.tokenize(
        list(texts),
        stopwords="en",
        stemmer=stemmer(),
        return_ids=False,
        show_progress=False,
    )
    # bm25s cannot index a collection without a single term; such an index scores nothing.
    empty = not any(tokens)
    if not empty:
        retriever = bm25s.BM25()
        retriever.index(tokens, show_progress=False)
        retriever.save(str(folder), show_progress=False)
    settings = {
        "pattern": TOKEN_PATTERN,
        "stemmer": STEMMER_LANGUAGE,
        "stopwords": sorted(STOPWORDS_EN),
        "num_docs": len(texts),
        "empty": empty,
    }
    (folder / QUERY_FILE).write_text(json.dumps(settings), encoding="utf-8")


class Analyzer:
    """Text -> BM25 terms, exactly as bm25s.tokenize does it for the indexed documents."""

    def __init__(self, pattern: str, stopwords: Sequence[str], language: str) -> None:
        self._split = re.compile(pattern).findall
        self.stopwords = frozenset(stopwords)
        self._stemmer = stemmer(language)

    def words(self, text: str) -> list[str]:
        return [w for w in self._split(text.lower()) if w not in self.stopwords]

    def terms(self, text: str) -> list[str]:
        return list(self._stemmer.stemWords(self.words(text)))

    def stem(self, word: str) -> str:
        return str(self._stemmer.stemWord(word.lower()))


class LexicalIndex:
    def __init__(
        self,
        analyzer: Analyzer,
        vocab: dict[str, int],
        data: np.ndarray,
        indices: np.ndarray,
        indptr: np.ndarray,
        num_docs: int,
    ) -> None:
        self.analyzer = analyzer
        self.vocab = vocab
        self._data = data
        self._indices = indices
        self._indptr = indptr
        self.num_docs = num_docs

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        settings = json.loads((folder / QUERY_FILE).read_text(encoding="utf-8"))
        analyzer = Analyzer(settings["pattern"], settings["stopwords"], settings["stemmer"])
        if settings["empty"]:
            nothing = np.zeros(0, dtype=np.int64)
            return cls(
                analyzer, {}, nothing, nothing, np.zeros(1, dtype=np.int64), settings["num_docs"]
            )
        vocab = json.loads((folder / VOCAB_FILE).read_text(encoding="utf-8"))
        params = json.loads((folder / PARAMS_FILE).read_text(encoding="utf-8"))
        if params.get("method") != "lucene":
            raise ValueError(f"unexpected BM25 method {params.get('method')!r}")
        data, indices, indptr = (np.load(folder / name, allow_pickle=False) for name in SCORE_FILES)
        num_docs = int(params["num_docs"])
        if len(indptr) != len(vocab) + 1 or len(data) != len(indices):
            raise ValueError("BM25 arrays do not match the vocabulary")
        return cls(analyzer, vocab, data, indices, indptr, num_docs)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every document for `query` (repeated query terms count repeatedly)."""
        scores = np.zeros(self.num_docs, dtype=np.float32)
        for term in self.analyzer.terms(query):
            column = self.vocab.get(term)
            if column is None:
                continue
            start, end = self._indptr[column], self._indptr[column + 1]
            # Row indices within one column are distinct, so fancy-index += adds each once.
            scores[self._indices[start:end]] += self._data[start:end]
        return scores
