"""Imported Anki cards read as Anki shows them: every line, with its indentation, equal to
Anki's own rendering of the card laid out by a real Chromium (tests/anki_rendering.py).

Needs Chromium and Playwright (installed where the web page is tested); skipped without them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

import anki_support as ak
from anki_rendering import anki_sides, browser_available, browser_texts, shown_lines
from studyplan.adapters.anki.mapping import card_id_for
from studyplan.app.workspace import Workspace

Run = Callable[..., Result]
DM_CODING = next(
    (
        p / "shared" / "testdocs" / "anki" / "dm-coding.apkg"
        for p in Path(__file__).resolve().parents
        if (p / "shared").is_dir()
    ),
    Path("dm-coding.apkg"),
)
pytestmark = pytest.mark.skipif(not browser_available(), reason="needs Chromium and Playwright")


def unequal_cards(run: Run, home: Path, package: Path) -> tuple[int, list[str]]:
    """(cards compared, the sides whose lines differ from Anki's) after importing `package`."""
    result = run("import", "anki", str(package))
    assert result.exit_code == 0, result.output
    cards = {card.id: card for card in Workspace(home).own_cards}
    differ: list[str] = []
    count = 0
    for side in ("prompt", "answer"):
        rendered = list(anki_sides(package, side))
        shown = browser_texts([html for _, _, html in rendered])
        for (guid, ord_, _), reference in zip(rendered, shown, strict=True):
            count += side == "answer"
            card = cards[card_id_for(guid, ord_)]
            if shown_lines(getattr(card, side)) != shown_lines(reference):
                differ.append(f"{card.id} {side}")
    return count, differ


@pytest.mark.skipif(not DM_CODING.exists(), reason="shared test decks not beside the checkout")
def test_every_dm_coding_card_keeps_its_code_as_anki_shows_it(
    run: Run, isolated_home: Path
) -> None:
    count, differ = unequal_cards(run, isolated_home, DM_CODING)
    assert (count, differ) == (100, [])
    indented = [
        line
        for card in Workspace(isolated_home).own_cards
        for line in card.answer.split("\n")
        if line.startswith("        ")
    ]
    assert len(indented) > 1000  # Python bodies, indented with &nbsp; in the deck


def test_crafted_layouts_read_as_anki_shows_them(
    run: Run, isolated_home: Path, tmp_path: Path
) -> None:
    backs = [
        "<div>def f(x):</div><div>&nbsp; &nbsp; return x</div><div>\u200b</div><div>end</div>",
        "<pre>for i in r:\n    print(i)<br>  done</pre>",
        "<pre>\nleading newline dropped</pre>after",
        "<ul><li>one<ul><li>nested <b>two</b></li></ul></li><li><div>block item</div></li></ul>",
        "<details><summary>More</summary>hidden</details><span hidden>no</span>shown",
        '<div style="display: none">gone</div><div style="white-space: pre">  kept  spaces</div>',
        "<ruby>私<rt>わたし</rt></ruby>は<code>  x  </code>",
        "a&nbsp;&nbsp;b&nbsp;<br>&nbsp;&nbsp;&nbsp;&nbsp;indented <i>tail</i>",
    ]
    with ak.collection(tmp_path / "anki") as col:
        for number, back in enumerate(backs):
            ak.add_note(col, "Basic", "Layouts", {"Front": f"Layout {number}", "Back": back})
        package = ak.export_deck(col, "Layouts", tmp_path / "layouts.apkg")
    assert unequal_cards(run, isolated_home, package) == (len(backs), [])


def test_own_code_exported_shows_its_indentation_in_anki(run: Run, tmp_path: Path) -> None:
    code = "A heap:\n\nimport heapq\ndef top(xs, k):\n    return heapq.nlargest(k, xs)"
    assert run("card", "add", "--prompt", "Top k?", "--answer", code).exit_code == 0
    deck = tmp_path / "own.apkg"
    assert run("export", "anki", "-o", str(deck), "--track", "ml").exit_code == 0
    answers = {guid: html for guid, _, html in anki_sides(deck, "answer") if "heapq" in html}
    (shown,) = browser_texts(list(answers.values()))
    assert "    return heapq.nlargest(k, xs)" in shown_lines(shown)
