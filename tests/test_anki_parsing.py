"""The one-pass readers of Anki text: clozes (against the official `anki` library's own
rendering), card templates, field HTML, and a package's media list."""

from __future__ import annotations

import html
import random
import re
import time
import zipfile
from pathlib import Path

import pytest

import anki_support as ak
from studyplan.adapters.anki import cloze
from studyplan.adapters.anki.html_text import html_to_text
from studyplan.adapters.anki.media_list import media_members
from studyplan.adapters.anki.package import AnkiPackageError
from studyplan.adapters.anki.template import TemplateError, TooLong, render_template

ATOMS = ["{{c1::", "{{c2::", "{{c1,2::", "{{c::", "{{c0::", "}}", "::", "a", "b ", "h"]


def random_texts(count: int) -> list[str]:
    chooser = random.Random(7)
    return [
        "".join(chooser.choice(ATOMS) for _ in range(chooser.randint(1, 12))) for _ in range(count)
    ]


def shown(rendered: str) -> str:
    """Anki's rendering as text: its style sheet and spans gone, entities decoded."""
    without_style = re.sub(r"(?s)<style>.*?</style>", "", rendered)
    text = html.unescape(re.sub(r"<[^>]*>", "", without_style))
    return "" if "found on card" in text else text  # Anki's error for a card with no cloze


def test_clozes_read_as_anki_renders_them(tmp_path: Path) -> None:
    with ak.collection(tmp_path / "anki") as col:
        notetype = col.models.by_name("Cloze")
        notetype["tmpls"][0]["qfmt"] = "{{cloze:Text}}|{{cloze-only:Text}}"
        notetype["tmpls"][0]["afmt"] = "{{cloze:Text}}|{{cloze-only:Text}}"
        col.models.update_dict(notetype)
        texts = [
            "{{c1::unclosed and {{c2::two}}",
            "{{c1::a::h1}} {{c2::b}} {{c1::one}} {{c3::open",
            "{{c1::x {{c2::y::yh}} z::outer}}",
            "a }} b {{c1::q}}",
            "{{c1::a::b::c}}",
            "{{c1,2::both}} {{c2::x}}",
            "{{c1::" * 11 + "x" + "}}" * 11,  # ten open at most: the eleventh is dropped
            *random_texts(150),
        ]
        compared = 0
        for text in texts:
            note = ak.add_note(col, "Cloze", "D", {"Text": text})
            for card in note.cards():
                number = card.ord + 1
                question, answer = shown(card.question()), shown(card.answer())
                ours = (
                    cloze.reveal(text, number, True) + "|" + cloze.cloze_only(text, number, True),
                    cloze.reveal(text, number, False) + "|" + cloze.cloze_only(text, number, False),
                )
                anki = (question or "|", answer or "|")
                assert ours == anki, (text, number)
                compared += 1
            assert cloze.numbers_in(text) in ({card.ord + 1 for card in note.cards()}, set())
    assert compared > 150


@pytest.mark.parametrize(
    ("text", "number", "question", "expected"),
    [
        ("{{c1::x {{c2::y::yh}} z::outer}}", 2, True, "x [yh] z"),
        ("{{c1::x {{c2::y::yh}} z::outer}}", 1, True, "[outer]"),
        ("{{c1::unclosed and {{c2::two}}", 1, True, ""),  # c2's text is never a hint
        ("a }} b {{c1::q}}", 1, False, "a }} b q"),
    ],
)
def test_cloze_examples(text: str, number: int, question: bool, expected: str) -> None:
    assert cloze.reveal(text, number, question) == expected


def test_typed_answer_is_one_when_all_the_same() -> None:
    assert cloze.typed_answer("{{c1::a}} {{c1::a}} {{c2::b}}", 1) == "a"
    assert cloze.typed_answer("{{c1::a}} {{c1::b}}", 1) == "a, b"


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{#Front}}[{{Front}}]{{/Front}}{{^Back}}no back{{/Back}}", "[Q]no back"),
        ("{{#Back}}{{#Front}}x{{/Front}}{{/Back}}y", "y"),
        ("<!-- {{Front}} -->{{ Front }}", "<!-- {{Front}} -->Q"),
        ("{{Front}} {{ unclosed", "Q {{ unclosed"),
        ("{{{Front}}}", "Q}"),
    ],
)
def test_templates_render_as_anki_renders_them(template: str, expected: str) -> None:
    assert render_template(template, {"Front": "Q", "Back": ""}, None, True) == expected


@pytest.mark.parametrize(
    "template", ["{{#Front}}" * 20_000 + "x", "{{/Front}}", "{{#Front}}x{{/Back}}{{/Front}}"]
)
def test_a_template_with_a_section_error_is_refused_at_once(template: str) -> None:
    start = time.perf_counter()
    with pytest.raises(TemplateError):
        render_template(template, {"Front": "Q"}, None, True)
    assert time.perf_counter() - start < 5


def test_template_output_is_bounded() -> None:
    with pytest.raises(TooLong):
        render_template("{{Front}}" * 1000, {"Front": "x" * 10_000}, None, True, limit=1_000_000)


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("shown <!-- hidden", "shown"),  # a comment never closed runs to the end
        ("shown <a href='x", "shown"),  # so does a tag
        ("a < b and c<3", "a < b and c<3"),
        ("<script>if (a<b) document.write('<p>x</p>')</script>after", "after"),
        ('<a title="1 > 0">link</a>', "link"),
        ("<div>one<br/>two</div>three", "one\ntwo\nthree"),
        ("x<![CDATA[y]]>z", "xz"),
        ("x</ 3>y", "xy"),
    ],
)
def test_field_html_reads_as_a_browser_reads_it(field: str, text: str) -> None:
    assert html_to_text(field) == text


@pytest.mark.parametrize(
    "hostile",
    ["<!--" * 100_000, "<a b='" * 50_000, "<x " * 100_000, "<b> </b>" * 50_000, "<" * 500_000],
)
def test_hostile_field_html_reads_quickly(hostile: str) -> None:
    start = time.perf_counter()
    html_to_text(hostile)
    assert time.perf_counter() - start < 5


def media_package(path: Path, listed: bytes) -> zipfile.ZipFile:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("media", listed)
    return zipfile.ZipFile(path)


def test_the_media_list_keeps_the_entries_of_the_files_wanted(tmp_path: Path) -> None:
    listed = b'{"0": "a.png", "1": "caf\\u00e9.png" , "2": 7, "3": "a.png", "4": null}'
    with media_package(tmp_path / "p.apkg", listed) as archive:
        found = media_members(tmp_path / "p.apkg", archive, {"a.png", "café.png", "b.png"}, False)
    assert found == {"a.png": "0", "café.png": "1"}


def test_a_protobuf_media_list_names_members_by_position_or_field_255(tmp_path: Path) -> None:
    import zstandard

    entries = [b"\x0a\x05a.png\x10\x01", b"\x0a\x05b.png\x10\x01\xf8\x0f\x09"]  # b: member 9
    listed = b"".join(b"\x0a" + bytes([len(entry)]) + entry for entry in entries)
    with media_package(tmp_path / "p.colpkg", zstandard.compress(listed)) as archive:
        found = media_members(tmp_path / "p.colpkg", archive, {"a.png", "b.png"}, True)
    assert found == {"a.png": "0", "b.png": "9"}


@pytest.mark.parametrize("listed", [b"[0, 0]", b'{"0": "a.png"', b'{"0": {"x": 1}}', b"null"])
def test_a_media_list_of_another_shape_is_refused(tmp_path: Path, listed: bytes) -> None:
    with (
        media_package(tmp_path / "p.apkg", listed) as archive,
        pytest.raises(AnkiPackageError, match="its media list is not readable"),
    ):
        media_members(tmp_path / "p.apkg", archive, {"a.png"}, False)
