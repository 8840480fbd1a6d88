"""Writing the compact vocabulary file `wordpiece.WordPiece` reads, from the model's tokenizer.json.

Written beside the encoder export when an index is built (or upgraded), with the `tokenizers`
library at hand: every character below `wordpiece.PROBED_LIMIT` that this Python's Unicode
tables know is normalised by the library and by `WordPiece`, and every character that comes
out is classed by both word splitters; the characters on which they differ are recorded, so
that queries holding them go to the library (about 1 s, once per export).
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

from studyplan.adapters.files import write_atomic
from studyplan.adapters.search.wordpiece import (
    LAYOUT,
    OTHER,
    PROBED_LIMIT,
    PUNCTUATION,
    SPACE,
    UNKNOWN,
    normalize,
    word_class,
)

SUFFIX = ".wordpiece.json"
SEPARATOR = "|"  # between probes: punctuation, so always a word of its own
# The pipeline WordPiece reproduces; a tokenizer.json of another shape gets no file.
NORMALIZER = {
    "type": "BertNormalizer",
    "clean_text": True,
    "handle_chinese_chars": True,
    "strip_accents": None,
    "lowercase": True,
}
PROCESSOR = [
    {"SpecialToken": {"id": "[CLS]", "type_id": 0}},
    {"Sequence": {"id": "A", "type_id": 0}},
    {"SpecialToken": {"id": "[SEP]", "type_id": 0}},
]
PLAIN_SPECIAL = {"special": True, "single_word": False, "lstrip": False, "rstrip": False}


def vocabulary_name(encoder_name: str) -> str:
    """The vocabulary file's name beside the encoder export `encoder_name`."""
    return f"{Path(encoder_name).stem}{SUFFIX}"


def write_vocabulary(target: Path, tokenizer_file: Path, max_tokens: int) -> bool:
    """Write the vocabulary file for `tokenizer_file` to `target`; False (and nothing written)
    when that tokenizer is not one WordPiece reproduces."""
    text = vocabulary_file(tokenizer_file, max_tokens)
    if text is None:
        return False
    write_atomic(target, text.encode("utf-8"))
    return True


def vocabulary_file(tokenizer_file: Path, max_tokens: int) -> str | None:
    """The vocabulary file's text: a line of JSON settings, then the tokens in id order, one
    per line."""
    config = json.loads(tokenizer_file.read_bytes())
    model = config.get("model") or {}
    post = config.get("post_processor") or {}
    added = config.get("added_tokens") or []
    vocab: dict[str, int] = model.get("vocab") or {}
    tokens = sorted(vocab, key=vocab.__getitem__)
    if (
        config.get("normalizer") != NORMALIZER
        or (config.get("pre_tokenizer") or {}).get("type") != "BertPreTokenizer"
        or model.get("type") != "WordPiece"
        or post.get("type") != "TemplateProcessing"
        or post.get("single") != PROCESSOR
        or not all(
            {key: token.get(key) for key in PLAIN_SPECIAL} == PLAIN_SPECIAL
            and token.get("normalized") is False
            and vocab.get(token.get("content")) == token.get("id")
            for token in added
        )
        or [vocab[token] for token in tokens] != list(range(len(tokens)))
        or any("\n" in token for token in tokens)
    ):
        return None
    from tokenizers import Tokenizer

    settings = {
        "layout": LAYOUT,
        "unicode": unicodedata.unidata_version,
        "unk": model["unk_token"],
        "cls": "[CLS]",
        "sep": "[SEP]",
        "prefix": model["continuing_subword_prefix"],
        "max_chars_per_word": model["max_input_chars_per_word"],
        "max_tokens": max_tokens,
        "special": [token["content"] for token in added],
        "library_only": library_only(Tokenizer.from_file(str(tokenizer_file))),
    }
    return json.dumps(settings, ensure_ascii=False) + "\n" + "\n".join(tokens)


def library_only(library: Any) -> list[list[int]]:
    """Ranges [first, last] of the characters WordPiece does not treat as `library` does.

    A text is tokenised alike when each of its characters normalises alike (the normaliser
    works character by character, but for NFD's reordering of combining marks, so a character
    that leaves a combining mark in place is counted as differing) and each normalised
    character falls in the same class for the word splitter: space, punctuation or other."""
    probed = [
        code
        for code in range(PROBED_LIMIT)
        if chr(code) != SEPARATOR and unicodedata.category(chr(code)) not in UNKNOWN
    ]
    joined = SEPARATOR.join(map(chr, probed))
    theirs = library.normalizer.normalize_str(joined).split(SEPARATOR)
    ours = normalize(joined).split(SEPARATOR)
    if len(theirs) != len(probed) or len(ours) != len(probed):
        return [[0x80, PROBED_LIMIT - 1]]  # cannot tell the characters apart: only ASCII
    reached = sorted({char for text in ours for char in text})
    their_class = _library_classes(library, reached)
    differing = [
        code
        for code, their, our in zip(probed, theirs, ours, strict=True)
        if their != our
        or any(unicodedata.combining(char) or their_class[char] != word_class(char) for char in our)
    ]
    return _ranges(differing)


def _library_classes(library: Any, chars: list[str]) -> dict[str, str]:
    """How the library's word splitter classes each of `chars`, each set between two letters:
    a space leaves no word, punctuation is a word alone, anything else joins the letters."""
    text = "a" + "a".join(chars) + "a"
    classes = dict.fromkeys(chars, SPACE)
    for _, (start, end) in library.pre_tokenizer.pre_tokenize_str(text):
        for at in range(start, end):
            if at % 2:  # the probed characters are at the odd places
                classes[text[at]] = PUNCTUATION if end - start == 1 else OTHER
    return classes


def _ranges(codes: list[int]) -> list[list[int]]:
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return ranges
