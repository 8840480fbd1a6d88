"""What Anki shows for a card, as lines of text: the HTML the official `anki` library renders for
the card, laid out by a real Chromium (`innerText`), the reference studyplan's imported text is
held to (tests/test_anki_rendering.py, bench/bench_anki_decks.py).

Drawn things are written as studyplan writes them: a list item's bullet as "- " before its
first text, indented two spaces for each list it is nested in; a ruby's reading (furigana,
drawn above its base) in brackets after it. Images are taken out (studyplan shows
`[image: name]`, taken out of its text too), and so are Anki's sound buttons. Lines are
compared with non-breaking spaces read as spaces, zero-width spaces removed, trailing spaces
and blank lines ignored.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
_PLACEHOLDER = re.compile(r"\[(?:image|sound|video|media)(?:: [^\]\n]*)?\]")
_PLAY_BUTTON = re.compile(r"\[anki:play:[^\]]*\]")
_ZERO_WIDTH = re.compile("[\u200b\ufeff]")
_ANSWER_RULE = re.compile(r"<hr id=\"?answer\"?>")
_LAYOUT = """() => {
  document.querySelectorAll('img').forEach(e => e.remove());
  document.querySelectorAll('rt').forEach(e => { e.prepend('('); e.append(')'); });
  document.querySelectorAll('li').forEach(e => {
    let depth = 0;
    for (let a = e.parentElement; a; a = a.parentElement)
      if (a.tagName === 'UL' || a.tagName === 'OL') depth++;
    const mark = '\\u00a0'.repeat(2 * Math.max(0, depth - 1)) + '- ';
    const walk = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
    let text = walk.nextNode();
    while (text && !text.data.trim()) text = walk.nextNode();
    if (text) text.data = mark + text.data.replace(/^[ \\t\\n\\r\\f]+/, '');
    else e.prepend(mark);
  });
  return document.body.innerText;
}"""


def browser_available() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return Path(CHROMIUM).exists()


def anki_sides(package: Path, side: str) -> Iterator[tuple[str, int, str]]:
    """(note GUID, card ord, HTML) of each card of `package`: its question, or its answer below
    the question (side "prompt" or "answer"), as Anki renders them."""
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    with tempfile.TemporaryDirectory() as scratch:
        col = Collection(str(Path(scratch) / "collection.anki2"))
        try:
            col.import_anki_package(
                ImportAnkiPackageRequest(
                    package_path=str(package),
                    options=ImportAnkiPackageOptions(with_scheduling=True),
                )
            )
            for card_id in col.db.list("select id from cards order by id"):
                card = col.get_card(card_id)
                html = card.question() if side == "prompt" else card.answer()
                if side != "prompt":
                    html = _ANSWER_RULE.split(html, maxsplit=1)[-1]
                yield card.note().guid, card.ord, html
        finally:
            col.close()


def browser_texts(htmls: list[str]) -> list[str]:
    """Each HTML laid out by Chromium, as the text it shows."""
    from playwright.sync_api import sync_playwright

    texts = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            for html in htmls:
                page.set_content(f"<!doctype html><html><body>{html}</body></html>")
                texts.append(str(page.evaluate(_LAYOUT)))
        finally:
            browser.close()
    return texts


def shown_lines(text: str) -> list[str]:
    """The lines a reader sees in `text` (Chromium's, or studyplan's with its media taken out)."""
    text = _PLACEHOLDER.sub("", _PLAY_BUTTON.sub("", text))
    text = _ZERO_WIDTH.sub("", text.replace("\xa0", " "))
    return [line.rstrip() for line in text.split("\n") if line.strip()]
