"""BM25 over the items: bm25s builds and saves the index; queries read bm25s's saved score matrix.

bm25s precomputes every (term, document) BM25 contribution into a sparse column matrix, so a
query's scores are sums of a few columns. Reading those arrays with numpy at query time keeps
`import bm25s` (and its scipy import, about 0.12 s) out of a cold search; a test checks the
scores equal `bm25s.BM25.get_scores`.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from studyplan.adapters.search.items import compounds
from studyplan.adapters.search.spelling import MIN_LENGTH, Speller

TOKEN_PATTERN = r"(?u)\b\w\w+\b"  # bm25s's default splitter (scikit-learn's)

STEMMER_LANGUAGE = "english"
QUERY_FILE = "query.json"
MAX_CORRECTIONS = 8  # misspelt words corrected per query (bounds the cost of huge queries)
KNOWN_WORDS_FILE = "known-words.txt"
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
    from bm25s.stopwords import STOPWORDS_EN, STOPWORDS_EN_PLUS

    stopwords = list(STOPWORDS_EN)  # what bm25s.tokenize(stopwords="en") removes
    tokens = bm25s.tokenize(
        list(texts),
        stopwords=stopwords,
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
    analyzer = Analyzer(TOKEN_PATTERN, stopwords, STEMMER_LANGUAGE)
    words = Counter(word for text in texts for word in set(analyzer.words(text)))
    settings = {
        "words": dict(sorted(words.items())),  # document frequency, for spelling correction
        "pattern": TOKEN_PATTERN,
        "stemmer": STEMMER_LANGUAGE,
        "stopwords": sorted(stopwords),
        # Snippets leave more function words unmarked ("how", "you") than BM25 drops.
        "display_stopwords": sorted(STOPWORDS_EN_PLUS),
        "num_docs": len(texts),
        "empty": empty,
    }
    (folder / QUERY_FILE).write_text(json.dumps(settings), encoding="utf-8")
    (folder / KNOWN_WORDS_FILE).write_text("\n".join(known_words()), encoding="utf-8")


def known_words() -> list[str]:
    """Whole lowercase words of the model's WordPiece vocabulary: English words the spelling
    corrector must leave alone even when the collection does not use them ("coaching")."""
    from studyplan.adapters.search.model_files import model_dir

    vocab = (model_dir() / "vocab.txt").read_text(encoding="utf-8").split()
    return sorted(w for w in vocab if len(w) >= MIN_LENGTH and w.isascii() and w.isalpha())


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


def respell(text: str, fixes: dict[str, str]) -> str:
    """`text` with each corrected word replaced (matching case-insensitively, whole words)."""
    if not fixes:
        return text
    return re.sub(TOKEN_PATTERN, lambda m: fixes.get(m.group().lower(), m.group()), text)


class LexicalIndex:
    def __init__(
        self,
        analyzer: Analyzer,
        vocab: dict[str, int],
        data: np.ndarray,
        indices: np.ndarray,
        indptr: np.ndarray,
        num_docs: int,
        speller: Speller | None = None,
        display_stopwords: frozenset[str] = frozenset(),
    ) -> None:
        self.analyzer = analyzer
        self.speller = speller
        self.display_stopwords = display_stopwords | analyzer.stopwords
        self.vocab = vocab
        self._data = data
        self._indices = indices
        self._indptr = indptr
        self.num_docs = num_docs

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        settings = json.loads((folder / QUERY_FILE).read_text(encoding="utf-8"))
        analyzer = Analyzer(settings["pattern"], settings["stopwords"], settings["stemmer"])
        display_stopwords = frozenset(settings["display_stopwords"])
        known_path = folder / KNOWN_WORDS_FILE

        def known() -> set[str]:
            return set(known_path.read_text(encoding="utf-8").split())

        speller = Speller(settings["words"], known)
        if settings["empty"]:
            nothing = np.zeros(0, dtype=np.int64)
            empty = np.zeros(1, dtype=np.int64)
            return cls(
                analyzer,
                {},
                nothing,
                nothing,
                empty,
                settings["num_docs"],
                speller,
                display_stopwords,
            )
        vocab = json.loads((folder / VOCAB_FILE).read_text(encoding="utf-8"))
        params = json.loads((folder / PARAMS_FILE).read_text(encoding="utf-8"))
        if params.get("method") != "lucene":
            raise ValueError(f"unexpected BM25 method {params.get('method')!r}")
        data, indices, indptr = (np.load(folder / name, allow_pickle=False) for name in SCORE_FILES)
        num_docs = int(params["num_docs"])
        # bm25s's vocabulary may end with an empty-string token that has no column.
        if not 0 < len(indptr) <= len(vocab) + 1 or len(data) != len(indices):
            raise ValueError("BM25 arrays do not match the vocabulary")
        return cls(analyzer, vocab, data, indices, indptr, num_docs, speller, display_stopwords)

    def corrections(self, query: str) -> dict[str, str]:
        """Misspelt query word (lowercase) -> the collection word it most likely meant."""
        fixes: dict[str, str] = {}
        tried: set[str] = set()
        for word in self.analyzer.words(query):
            if word in tried or self.analyzer.stem(word) in self.vocab or self.speller is None:
                continue
            if len(tried) == MAX_CORRECTIONS:
                break
            tried.add(word)
            fixed = self.speller.correct(word)
            if fixed is not None:
                fixes[word] = fixed
        return fixes

    def terms(self, query: str) -> list[str]:
        """The query's BM25 terms, misspelt words replaced by their corrections, and its
        joined words (`compounds`)."""
        fixes = self.corrections(query)
        words = [fixes.get(word, word) for word in self.analyzer.words(query)]
        return [self.analyzer.stem(word) for word in [*words, *compounds(query)]]

    def rows_with(self, term: str) -> np.ndarray:
        """The documents that contain the (stemmed) term."""
        column = self.vocab.get(term, -1)
        if not 0 <= column < len(self._indptr) - 1:
            return np.zeros(0, dtype=np.int64)
        return np.asarray(self._indices[self._indptr[column] : self._indptr[column + 1]])

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every document for `query` (repeated query terms count repeatedly)."""
        return self.term_scores(self.terms(query))

    def document_frequency(self, term: str) -> int:
        """How many documents contain the (stemmed) term."""
        column = self.vocab.get(term, -1)
        if not 0 <= column < len(self._indptr) - 1:
            return 0
        return int(self._indptr[column + 1] - self._indptr[column])

    def term_scores(
        self, terms: Sequence[str], idf: Mapping[str, float] | None = None
    ) -> np.ndarray:
        """BM25 score of every document for these terms. With `idf`, each term's weight is that
        inverse document frequency instead of this collection's own (so that two collections
        searched together weigh a word alike, as one collection would)."""
        scores = np.zeros(self.num_docs, dtype=np.float32)
        for term in terms:
            column = self.vocab.get(term, -1)
            if not 0 <= column < len(self._indptr) - 1:
                continue
            start, end = self._indptr[column], self._indptr[column + 1]
            factor = 1.0
            if idf is not None and term in idf:
                factor = idf[term] / lucene_idf(self.num_docs, int(end - start))
            # Row indices within one column are distinct, so fancy-index += adds each once.
            scores[self._indices[start:end]] += self._data[start:end] * np.float32(factor)
        return scores


def lucene_idf(num_docs: int, frequency: int) -> float:
    """BM25's inverse document frequency as bm25s's "lucene" method computes it:
    log(1 + (N - df + 0.5) / (df + 0.5))."""
    return math.log(1.0 + (num_docs - frequency + 0.5) / (frequency + 0.5))
