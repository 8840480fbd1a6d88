"""Anki fields and templates as text, rule by rule: spaces and indentation, media placeholders,
MathJax, furigana, typed clozes; and each rule's cost stays linear in what a package holds.
(tests/test_anki_rendering.py holds the same text to Anki's rendering in Chromium.)"""

from __future__ import annotations

import time

import pytest

from studyplan.adapters.anki.html_text import MediaRef, html_to_text
from studyplan.adapters.anki.math_text import MAX_FORMULAS, mathjax_to_text
from studyplan.adapters.anki.media import safe_name
from studyplan.adapters.anki.template import furigana, render_template


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<div>if x:</div><div>&nbsp; &nbsp; return 1</div>", "if x:\n    return 1"),
        ("<pre>def f():\n\treturn 1<br>  # done</pre>", "def f():\n\treturn 1\n  # done"),
        ("<pre>\nfirst line</pre>", "first line"),
        ("a   b\n c", "a b c"),
        ("<p>\u200b</p><p>x\u200by</p>", "xy"),
        ("<div>A</div><div>\ufeff</div><div>B</div>", "A\n\nB"),
        ("<ul><li>a<ul><li>b</li></ul></li><li><p>c</p></li></ul>", "- a\n  - b\n- c"),
        ("<details><summary>Why</summary>because</details>", "Why"),
        ("<details open><summary>Why</summary>because</details>", "Why\nbecause"),
        ('<div hidden>x</div><p style="DISPLAY:none">y</p>z', "z"),
        ("<ruby>漢字<rp>(</rp><rt>かんじ</rt><rp>)</rp></ruby>", "漢字(かんじ)"),
        ("<script>if (a < b) {}</script><style>p {}</style>ok", "ok"),
    ],
)
def test_layout(html: str, text: str) -> None:
    assert html_to_text(html) == text


def test_media_are_shown_by_placeholders_and_listed() -> None:
    media: list[MediaRef] = []
    html = (
        'See <img src="my%20plot.png"> and <img src="https://example.org/a.png">'
        '<img src="data:image/png;base64,AAAA"> [sound:say it.mp3]'
        '<video><source src="clip.mp4"></video>'
    )
    assert html_to_text(html, media) == (
        "See [image: my plot.png] and [image: https://example.org/a.png] [image] "
        "[sound: say it.mp3] [video: clip.mp4]"
    )
    assert media == [
        MediaRef("sound", "say it.mp3"),
        MediaRef("image", "my plot.png"),
        MediaRef("image", "https://example.org/a.png", remote=True),
        MediaRef("image", "", remote=True),
        MediaRef("video", "clip.mp4"),
    ]


def test_mathjax_reads_as_text_outside_code() -> None:
    assert html_to_text(r"\(\frac{a+1}{b}\) vs \[x_i \in \mathbb{R}\]") == "(a+1)/b vs x_i ∈ ℝ"
    assert html_to_text(r"<code>re.compile(r'\(')</code> \(x\)") == r"re.compile(r'\(') x"
    assert html_to_text(r"[$]\sqrt{2}[/$] and \( unclosed") == r"√(2) and \( unclosed"
    many = r"\(\alpha\)" * (MAX_FORMULAS + 1)
    assert mathjax_to_text(many) == "α" * MAX_FORMULAS + r"\alpha"


@pytest.mark.parametrize(
    ("show", "text"),
    [
        ("kanji", "<b>私</b>は日本です"),
        ("kana", "<b>わたし</b>はにほんです"),
        (
            "furigana",
            "<b><ruby><rb>私</rb><rt>わたし</rt></ruby></b>は<ruby><rb>日本</rb><rt>にほん</rt></ruby>です",
        ),
    ],
)
def test_furigana_filters(show: str, text: str) -> None:
    assert furigana("<b> 私[わたし]</b>は 日本[にほん]です", show) == text


def test_a_sound_is_not_a_reading() -> None:
    assert furigana("word [sound:word.mp3]", "kanji") == "word [sound:word.mp3]"


def test_typed_cloze_shows_the_card_s_clozes_on_the_answer() -> None:
    fields = {"Text": "{{c1::Adam}} and {{c1::RMSprop::optimiser}} beat {{c2::SGD}}"}
    template = "{{cloze:Text}}<hr id=answer>{{type:cloze:Text}}"
    assert render_template("{{type:cloze:Text}}", fields, 1, question=True) == ""
    assert render_template(template, fields, 1, question=False).endswith("Adam, RMSprop")
    assert render_template(template, fields, 2, question=False).endswith("SGD")


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("attention.png", "attention.png"),
        ("../../etc/passwd", "passwd"),
        ("..\\evil.png", "evil.png"),
        (".hidden.png", "hidden.png"),
        ("a b:c*.png", "a_b_c_.png"),
        ("日本.png", "日本.png"),
        ("CON.png", "_CON.png"),
        ("x" * 300 + ".jpeg", "x" * 95 + ".jpeg"),
        ("", "media"),
        ("...", "media"),
    ],
)
def test_media_names_are_made_safe(name: str, safe: str) -> None:
    assert safe_name(name) == safe


@pytest.mark.parametrize(
    "hostile",
    [
        "<ul><li>" * 20_000,
        "<details>" * 20_000 + "x",
        "&nbsp;" * 200_000,
        r"\(" * 50_000,
        r"\(x\)" * 20_000,
        "<img src=a.png>" * 20_000,
    ],
)
def test_text_of_a_hostile_field_stays_fast(hostile: str) -> None:
    start = time.perf_counter()
    html_to_text(hostile)
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize(
    "hostile", ["a[" * 50_000, " " + "x" * 200_000 + "[", "a[b] " * 40_000, "[" * 100_000 + "]"]
)
def test_furigana_of_a_hostile_field_stays_fast(hostile: str) -> None:
    start = time.perf_counter()
    for show in ("kanji", "kana", "furigana"):
        furigana(hostile, show)
    assert time.perf_counter() - start < 5
