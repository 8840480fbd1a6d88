"""Which key points a typed answer covers, by the embedding model of the search index."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from studyplan.adapters.search.reader import open_index

THRESHOLD = 0.55
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")


def answer_sentences(answer: str) -> list[str]:
    return [part.strip(" -*") for part in _SENTENCE_END.split(answer) if part.strip(" -*")]


def match_key_points(index_dir: Path, points: Sequence[str], answer: str) -> list[bool]:
    """For each key point, whether some sentence of the answer says it."""
    sentences = answer_sentences(answer)
    if not sentences or not points:
        return [False] * len(points)
    encoder = open_index(index_dir).encoder
    point_rows = encoder.encode(list(points))
    sentence_rows = encoder.encode(sentences)
    best = np.max(point_rows @ sentence_rows.T, axis=1)
    return [bool(score >= THRESHOLD) for score in best]
