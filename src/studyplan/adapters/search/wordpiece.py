"""The model's tokenizer for queries (BERT WordPiece), read from a compact vocabulary file.

Loading the `tokenizers` library and the model's tokenizer.json takes about 30 ms; the file
`vocabulary.py` writes beside the encoder export loads in about 5 ms, and this module turns
text into the ids the library gives for it:

1. the special tokens ("[CLS]", "[MASK]", ...) written in the text are kept whole;
2. every other piece is cleaned (control and format characters dropped, whitespace made a
   space), CJK ideographs are set apart with spaces, accents are stripped (NFD without its
   nonspacing marks), and it is lowercased character by character;
3. the piece is split into words at whitespace and at punctuation (each punctuation
   character a word of its own);
4. each word becomes its longest vocabulary prefix, then the longest "##"-marked
   continuation, and so on; a word longer than `max_chars_per_word`, or with a part the
   vocabulary lacks, is "[UNK]";
5. the ids are cut to `max_tokens` - 2 and enclosed in "[CLS]" ... "[SEP]".

Character classes come from Python's Unicode tables, the library's from its own, some older
and some newer. When the file was written every character was run through both; the few
treated differently are listed in it (`library_only`), and a text holding one of them, or a
character this Python's tables do not know, is left to the library (`ids` returns None).
"""

from __future__ import annotations

import json
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

LAYOUT = 1  # of the vocabulary file
# Characters from here on (planes 4 to 16: unassigned, tags, private use) are not probed.
PROBED_LIMIT = 0x40000
# White_Space characters that are not control characters (those are dropped, not spaced).
SPACES = frozenset(
    "\t\n\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
DROPPED = frozenset({"Cc", "Cf", "Co"})  # control, format and private-use characters
UNKNOWN = frozenset({"Cn", "Cs"})  # unassigned in this Python's tables, lone surrogates
SPACE, PUNCTUATION, OTHER = "space", "punctuation", "other"  # word splitter classes
ASCII_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
# ASCII clean-up: controls dropped, tab and line breaks spaced.
ASCII_CLEAN = {c: None for c in (*range(32), 127)} | {ord(c): " " for c in "\t\n\r"}
ASCII_WORDS = re.compile(r"[!-/:-@\[-`{-~]|[^!-/:-@\[-`{-~ ]+").findall
# The ideograph blocks the BERT normaliser sets apart (as the library lists them).
CJK_BLOCKS = (
    (0x4E00, 0x9FFF),
    (0x3400, 0x4DBF),
    (0x20000, 0x2A6DF),
    (0x2A700, 0x2B73F),
    (0x2B740, 0x2B81F),
    (0x2B920, 0x2CEAF),
    (0xF900, 0xFAFF),
    (0x2F800, 0x2FA1F),
)


def is_cjk(code: int) -> bool:
    return any(low <= code <= high for low, high in CJK_BLOCKS)


class WordPiece:
    def __init__(self, settings: Mapping[str, Any], tokens: Sequence[str]) -> None:
        """`settings` and `tokens` (in id order) as `vocabulary.vocabulary_file` writes them."""
        if settings.get("layout") != LAYOUT:
            raise ValueError(f"vocabulary layout {settings.get('layout')!r}, not {LAYOUT}")
        self.vocab = dict(zip(tokens, range(len(tokens)), strict=True))
        self.unk = self.vocab[settings["unk"]]
        self.cls = self.vocab[settings["cls"]]
        self.sep = self.vocab[settings["sep"]]
        self.prefix: str = settings["prefix"]
        self.max_chars_per_word = int(settings["max_chars_per_word"])
        self.max_tokens = int(settings["max_tokens"])
        self.special = {token: self.vocab[token] for token in settings["special"]}
        by_length = sorted(self.special, key=len, reverse=True)  # leftmost, then longest
        self._split_special = re.compile(f"({'|'.join(map(re.escape, by_length))})").split
        self._special_start = {token[0] for token in self.special}
        ranges = [(int(low), int(high)) for low, high in settings["library_only"]]
        self._starts = [low for low, _ in ranges]
        self._ends = [high for _, high in ranges]
        # The exceptions were found with one version of the Unicode tables; with another,
        # only ASCII text is known to be tokenised alike.
        self._unicode_matches = settings["unicode"] == unicodedata.unidata_version

    @classmethod
    def load(cls, path: Path) -> WordPiece:
        """Read a vocabulary file: a line of JSON settings, then one token per line."""
        header, _, tokens = path.read_bytes().decode("utf-8").partition("\n")
        return cls(json.loads(header), tokens.split("\n"))

    def ids(self, text: str) -> list[int] | None:
        """The token ids of `text`, as the library gives them; None when the text holds a
        character whose handling only the library knows."""
        if not self.handles(text):
            return None
        ids: list[int] = []
        for number, piece in enumerate(self._pieces(text)):
            if number % 2:
                ids.append(self.special[piece])
            elif piece:
                for word in self.words(piece):
                    ids.extend(self.word_ids(word))
        return [self.cls, *ids[: self.max_tokens - 2], self.sep]

    def handles(self, text: str) -> bool:
        """Whether every character of `text` is known to be tokenised here as the library does."""
        if text.isascii():
            return True
        if not self._unicode_matches:
            return False
        for char in set(text):
            code = ord(char)
            if code < 0x80:
                continue
            if code >= PROBED_LIMIT or unicodedata.category(char) in UNKNOWN:
                return False
            at = bisect_right(self._starts, code) - 1
            if at >= 0 and code <= self._ends[at]:
                return False
        return True

    def _pieces(self, text: str) -> list[str]:
        """Text and special tokens alternating (odd positions: special tokens)."""
        if not self._special_start.intersection(text):
            return [text]
        return self._split_special(text)

    def words(self, piece: str) -> list[str]:
        """The normalised words of a piece of text without special tokens."""
        if piece.isascii():
            return ASCII_WORDS(piece.translate(ASCII_CLEAN).lower())
        return split_words(normalize(piece))

    def word_ids(self, word: str) -> list[int]:
        if len(word) > self.max_chars_per_word:
            return [self.unk]
        vocab = self.vocab
        found: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            while end > start:
                part = word[start:end] if start == 0 else self.prefix + word[start:end]
                if part in vocab:
                    found.append(vocab[part])
                    break
                end -= 1
            else:
                return [self.unk]
            start = end
        return found


def normalize(piece: str) -> str:
    """Clean-up, CJK spacing, accent stripping, lowercasing: the BERT normaliser's steps, in
    its order."""
    category = unicodedata.category
    kept: list[str] = []
    for char in piece:
        if char in SPACES:
            kept.append(" ")
        elif char < "\x7f" and char >= " ":
            kept.append(char)
        elif char == "\ufffd" or category(char) in DROPPED:
            continue
        elif char >= "\u3400" and is_cjk(ord(char)):
            kept.append(f" {char} ")
        else:
            kept.append(char)
    text = unicodedata.normalize("NFD", "".join(kept))
    if not text.isascii():
        text = "".join([char for char in text if char < "\u0300" or category(char) != "Mn"])
    # Character by character: no final-sigma rule (str.lower writes a final "Σ" as "ς").
    return text.lower() if "\u03a3" not in text else "".join(map(str.lower, text))


def word_class(char: str) -> str:
    """SPACE, PUNCTUATION or OTHER: how the word splitter treats a normalised character."""
    if char == " ":
        return SPACE
    if char in ASCII_PUNCTUATION or unicodedata.category(char)[0] == "P":
        return PUNCTUATION
    return OTHER


def split_words(text: str) -> list[str]:
    """Normalised text -> words at spaces, each punctuation character a word of its own."""
    words: list[str] = []
    for chunk in text.split(" "):
        if not chunk:
            continue
        if chunk.isascii():
            words.extend(ASCII_WORDS(chunk))
            continue
        start = 0
        for at, char in enumerate(chunk):
            if word_class(char) == PUNCTUATION:
                if at > start:
                    words.append(chunk[start:at])
                words.append(char)
                start = at + 1
        if start < len(chunk):
            words.append(chunk[start:])
    return words
