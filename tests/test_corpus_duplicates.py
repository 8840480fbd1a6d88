"""No two cards ask the same thing, judged by the real embedding model on their prompts."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest

from studyplan.search.reader import open_index
from test_corpus import CARDS, about_different_companies, listed_as_related
from test_search_support import real_index

# Distinct questions on neighbouring problems (LRU vs LFU cache, House Robber vs its circular
# variant) measure up to about 0.89 here; a reworded copy of the same question scores above 0.95.
# A pair the corpus links with `related` (a concept card and its from-scratch implementation,
# say) is overlap on purpose and exempt.
SAME_QUESTION = 0.92


def test_no_two_prompts_mean_the_same(tmp_path_factory: pytest.TempPathFactory) -> None:
    folder, _ = real_index(tmp_path_factory)
    encoder = open_index(folder).encoder
    vectors = encoder.encode([card.prompt for card in CARDS])
    similarity = vectors @ vectors.T
    close = [
        (a.id, b.id, round(float(similarity[i, j]), 3))
        for (i, a), (j, b) in combinations(enumerate(CARDS), 2)
        if similarity[i, j] > SAME_QUESTION
        and not about_different_companies(a, b)
        and not listed_as_related(a, b)
    ]
    assert close == []


def test_the_threshold_catches_a_reworded_copy(tmp_path_factory: pytest.TempPathFactory) -> None:
    folder, _ = real_index(tmp_path_factory)
    encoder = open_index(folder).encoder
    original = "Reverse a singly linked list in place and return the new head."
    reworded = "Given a singly linked list, reverse it in place and return its new head."
    vectors = encoder.encode([original, reworded])
    assert float(np.dot(vectors[0], vectors[1])) > SAME_QUESTION
