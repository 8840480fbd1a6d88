"""The query encoder: WordPiece gives the `tokenizers` library's ids, and the quick-start
session the batch session's embeddings."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyplan.adapters.search.encoder import Encoder, load_tokenizer
from studyplan.adapters.search.items import Item
from studyplan.adapters.search.manifest import read_manifest
from studyplan.adapters.search.model_files import MAX_TOKENS, TOKENIZER_FILE, model_dir
from studyplan.adapters.search.vocabulary import vocabulary_file
from studyplan.adapters.search.wordpiece import PROBED_LIMIT, WordPiece

pytestmark = pytest.mark.model  # every test here needs the embedding model

TESTDOCS = Path(__file__).resolve().parents[2] / "shared" / "testdocs"


@pytest.fixture(scope="module")
def vocabulary_path(index_dir: Path) -> Path:
    record = read_manifest(index_dir).encoder_vocabulary
    assert record is not None  # a fresh index has the file
    return index_dir / record.name


@pytest.fixture(scope="module")
def wordpiece(vocabulary_path: Path) -> WordPiece:
    return WordPiece.load(vocabulary_path)


@pytest.fixture(scope="module")
def library() -> Any:
    return load_tokenizer()


@pytest.fixture(scope="module")
def query_encoder(index_dir: Path, vocabulary_path: Path) -> Encoder:
    return Encoder(
        index_dir / read_manifest(index_dir).encoder.name,
        for_queries=True,
        vocabulary=vocabulary_path,
    )


def library_ids(library: Any, text: str) -> list[int]:
    ids: list[int] = library.encode(text).ids
    return ids


def test_every_card_and_section_gets_the_librarys_ids(
    wordpiece: WordPiece, library: Any, shipped_items: list[Item]
) -> None:
    texts = [t for item in shipped_items for t in (item.indexed_text, item.text, item.title)]
    assert [wordpiece.ids(text) for text in texts] == [library_ids(library, t) for t in texts]


@pytest.mark.skipif(not TESTDOCS.is_dir(), reason="shared documents not beside the checkout")
def test_every_test_document_gets_the_librarys_ids(wordpiece: WordPiece, library: Any) -> None:
    pages = [p.read_text(encoding="utf-8") for p in sorted(TESTDOCS.rglob("*.md"))]
    assert len(pages) >= 40
    texts = pages + [part for page in pages for part in page.split("\n\n")]
    assert [wordpiece.ids(text) for text in texts] == [library_ids(library, t) for t in texts]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "how does Apple interview",
        "résumé, RÉSUMÉ and re\u0301sume\u0301",
        "ΟΔΥΣΣΕΥΣ and Σ alone",  # no final-sigma rule, as the library lowercases
        "İstanbul ǅemal ß ﬁne Ω",
        "机器学习工程师面试 and 日本語のテキスト",
        "한국어 면접 준비",
        "Привет, мир! مرحبا بالعالم",
        "O(n log n) — two pointers: i, j = 0, len(a) - 1  # 🚀🙂👍🏽",
        "tab\there\nnew\r\nline\x0bvertical\x0cfeed\x85next\u2028line\u3000wide\xa0nbsp",
        "nul\x00byte, zero\u200bwidth, soft\xadhyphen, bom\ufeff, replacement\ufffd",
        "private \ue000 use",
        "a [MASK] in [CLS]text[SEP], [cls] lowercase, [[UNK]], [PAD][PAD]",
        "x" * 100,
        "x" * 101,
        "antidisestablishmentarianism supercalifragilisticexpialidocious",
        "ab" * 400,
        " ".join(["token"] * 300),  # truncated to MAX_TOKENS
        "##prefix ## # ###",
    ],
)
def test_awkward_text_gets_the_librarys_ids(wordpiece: WordPiece, library: Any, text: str) -> None:
    ids = wordpiece.ids(text)
    assert ids is not None  # none of these needs the library
    assert ids == library_ids(library, text)
    assert len(ids) <= MAX_TOKENS


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_any_text_gets_the_librarys_ids(query_encoder: Encoder, library: Any, text: str) -> None:
    assert query_encoder.token_ids(text) == library_ids(library, text)


PIECES = st.sampled_from(
    [
        "[CLS]",
        "[SEP]",
        "[MASK]",
        "[UNK]",
        "[",
        "]",
        "##",
        " ",
        "\t",
        "\n",
        "\u3000",
        "\x00",
        "e\u0301",
        "\u0308",
        "Σ",
        "İ",
        "中",
        "😀",
        "x" * 99,
    ]
)
# Characters WordPiece handles itself (known to this Python's tables, probed when the file
# was written), any mixture of them.
HANDLED = st.characters(max_codepoint=PROBED_LIMIT - 1, exclude_categories=("Cn", "Cs"))


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_wordpiece_alone_matches_the_library(
    wordpiece: WordPiece, library: Any, data: st.DataObject
) -> None:
    char = HANDLED.filter(wordpiece.handles)
    text = data.draw(st.lists(st.one_of(PIECES, st.text(char, max_size=8))).map("".join))
    assert wordpiece.ids(text) == library_ids(library, text)


def test_characters_the_library_treats_otherwise_go_to_it(
    wordpiece: WordPiece,
    vocabulary_path: Path,
    query_encoder: Encoder,
    library: Any,
) -> None:
    header = json.loads(vocabulary_path.read_text(encoding="utf-8").partition("\n")[0])
    listed = [code for low, high in header["library_only"] for code in range(low, high + 1)]
    assert 0 < len(listed) < 2000  # a few hundred marks and signs newer than its tables
    assert all(code >= 0x80 for code in listed)
    for code in listed[:: max(1, len(listed) // 50)]:
        text = f"before {chr(code)} after"
        assert wordpiece.ids(text) is None
        assert query_encoder.token_ids(text) == library_ids(library, text)
    unassigned = "\u0378"
    assert unicodedata.category(unassigned) == "Cn"
    assert wordpiece.ids(f"a{unassigned}b") is None


def test_other_unicode_tables_leave_only_ascii_to_wordpiece(
    vocabulary_path: Path, library: Any
) -> None:
    header, _, tokens = vocabulary_path.read_text(encoding="utf-8").partition("\n")
    settings_ = json.loads(header) | {"unicode": "1.0.0"}
    other = WordPiece(settings_, tokens.split("\n"))
    assert other.ids("plain ascii") == library_ids(library, "plain ascii")
    assert other.ids("café") is None


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("normalizer", "lowercase"), False),
        (("normalizer", "strip_accents"), False),
        (("pre_tokenizer", "type"), "Whitespace"),
        (("model", "type"), "BPE"),
        (("post_processor", "type"), "RobertaProcessing"),
    ],
)
def test_a_tokenizer_wordpiece_does_not_reproduce_gets_no_file(
    tmp_path: Path, path: tuple[str, str], value: object
) -> None:
    config = json.loads((model_dir() / TOKENIZER_FILE).read_text(encoding="utf-8"))
    config[path[0]][path[1]] = value
    (tmp_path / TOKENIZER_FILE).write_text(json.dumps(config), encoding="utf-8")
    assert vocabulary_file(tmp_path / TOKENIZER_FILE, MAX_TOKENS) is None


def test_the_query_session_embeds_as_the_batch_session(
    index_dir: Path, query_encoder: Encoder, shipped_items: list[Item]
) -> None:
    batch = Encoder(index_dir / read_manifest(index_dir).encoder.name)
    texts = [
        "how does Apple interview",
        "résumé tips für das Vorstellungsgespräch",
        "机器学习工程师面试",
        *(item.title for item in shipped_items[::7]),
        *(item.indexed_text for item in shipped_items[::60]),
    ]
    quick = np.stack([query_encoder.encode_one(text) for text in texts])
    slow = np.stack([batch.encode([text])[0] for text in texts])
    assert float((quick * slow).sum(axis=1).min()) >= 1 - 1e-6
    np.testing.assert_allclose(quick, slow, atol=1e-6)


def test_a_search_process_never_loads_the_tokenizers_library(index_dir: Path) -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from studyplan.adapters.search.query import search\n"
        f"hits = search(Path({str(index_dir)!r}), 'how does Apple interview', mode='semantic')\n"
        "print(len(hits), 'onnxruntime' in sys.modules, 'tokenizers' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.split() == ["10", "True", "False"]
