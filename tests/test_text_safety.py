"""Card and user text is shown as literal text: never rich markup, never terminal controls."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from studyplan.core.text_safety import one_line, printable

Run = Callable[..., Result]
DAY = "2026-01-05"
ESC = "\x1b"
FORMULA = "output[i] = prefix[i] * suffix[i]"
HOSTILE_PROMPT = (
    f"Compute {FORMULA} for 3[a2[c]]\x1b[2J\x1b]8;;http://evil.example\x07here\x1b]8;;\x07"
    " :warning: \u202eeulav\u202c done"
)
CONTROLS = ("\x1b", "\x07", "\x9b", "\x7f", "\u202e", "\u202c", "\r")


def _toml(text: str) -> str:
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def write_corpus(folder: Path, cards: list[dict[str, str]]) -> Path:
    (folder / "cards").mkdir(parents=True)
    (folder / "guides").mkdir()
    lines = []
    for card in cards:
        lines += [
            "[[card]]",
            f'id = "{card["id"]}"',
            f'track = "{card["track"]}"',
            f"topic = {_toml(card['topic'])}",
            'difficulty = "easy"',
            "minutes = 5",
            'companies = ["google"]',
            f"prompt = {_toml(card['prompt'])}",
            f"answer = {_toml(card['answer'])}",
            "",
        ]
    (folder / "cards" / "hostile.toml").write_text("\n".join(lines), encoding="utf-8")
    return folder


HOSTILE_CARDS = [
    {
        "id": "coding-hostile",
        "track": "coding",
        "topic": "arrays [/b]",
        "prompt": HOSTILE_PROMPT,
        "answer": f"- {FORMULA}\n- [bold]not bold[/bold] and \x1b[31mred\x1b[0m",
    },
    {
        "id": "ml-hostile",
        "track": "ml",
        "topic": "[red]topic",
        "prompt": "Explain [/b] \x9b31m attention",
        "answer": "- one [/]\n- two",
    },
    {
        "id": "sd-hostile",
        "track": "system-design",
        "topic": "design",
        "prompt": "Design [x] a feed",
        "answer": "- shard [/i]",
    },
    {
        "id": "behavioral-hostile",
        "track": "behavioral",
        "topic": "conflict",
        "prompt": "Tell me [b]about[/b] a time",
        "answer": "- it went well",
    },
]


@pytest.fixture
def hostile(isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    corpus = write_corpus(tmp_path / "corpus", HOSTILE_CARDS)
    monkeypatch.setenv("STUDYPLAN_CORPUS", str(corpus))
    return corpus


def flat(text: str) -> str:
    """Output with rich's line wrapping undone: words separated by single spaces."""
    return " ".join(text.split())


def assert_clean(text: str) -> None:
    for char in CONTROLS:
        assert char not in text, f"{char!r} reached the output"


# the helper --------------------------------------------------------------------------------


def test_printable_removes_controls_and_direction_overrides_only() -> None:
    assert printable("a\x1b[2Jb\x00c\x7fd\x9be\u202ef\u2066g\u2069h\rI") == "a[2Jbcdefgh" + "I"
    kept = "tab\there\nnew line — émoji 🎉, عربى, 中文, e\u0301, zero\u200bwidth"
    assert printable(kept) == kept


def test_one_line_turns_breaks_into_spaces() -> None:
    assert one_line("a\nb\tc\r\nd\u2028e\x1b[0m") == "a b c  d e[0m"


# terminal output ---------------------------------------------------------------------------


def test_review_prints_card_text_literally(run: Run, hostile: Path) -> None:
    result = run("review", "--date", DAY, "--track", "coding", input="\n4\n")
    assert result.exit_code == 0, result.output
    assert f"Compute {FORMULA} for 3[a2[c]]" in flat(result.output)
    assert f"• {FORMULA}" in flat(result.output)  # a Markdown list item, drawn as a bullet
    assert "[bold]not bold[/bold]" in flat(result.output)
    assert ":warning:" in flat(result.output) and "eulav" in flat(result.output)
    assert "1 of 1 · 5 min left · new · coding · coding-hostile" in flat(result.output)
    assert_clean(result.output)


def test_review_answer_with_markup_is_not_a_grade(run: Run, hostile: Path) -> None:
    result = run("review", "--date", DAY, "--track", "ml", input="\n[/b]\nq\n")
    assert result.exit_code == 0, result.output
    assert "'[/b]' is not a grade." in flat(result.output)
    assert "Explain [/b] 31m attention" in flat(result.output)
    assert "Graded 0 card(s); every grade is saved." in flat(result.output)


def test_cards_table_shows_markup_topics(run: Run, hostile: Path) -> None:
    result = run("cards")
    assert result.exit_code == 0, result.output
    assert "arrays [/b]" in flat(result.output) and "[red]topic" in flat(result.output)


def test_today_strips_controls_and_json_keeps_the_text(run: Run, hostile: Path) -> None:
    table = run("today", "--date", DAY)
    assert table.exit_code == 0, table.output
    assert f"Compute {FORMULA}" in table.output
    assert_clean(table.output)
    raw = run("today", "--date", DAY, "--json")
    assert_clean(raw.output)
    prompts = {item["card_id"]: item["prompt"] for item in json.loads(raw.output)["items"]}
    assert prompts["coding-hostile"] == HOSTILE_PROMPT
    assert prompts["ml-hostile"] == "Explain [/b] \x9b31m attention"


def test_mock_prints_prompts_and_key_points_literally(run: Run, hostile: Path) -> None:
    result = run("mock", "--date", DAY, input="\n[/b]\nnone\n\nall\n\nall\n")
    assert result.exit_code == 0, result.output
    assert f"Compute {FORMULA} for 3[a2[c]]" in flat(result.output)
    assert f"1. {FORMULA}" in flat(result.output)
    assert "'[/b]' is not a point number: use 1-2, 'all' or 'none'" in flat(result.output)
    assert f"missed: {FORMULA}" in flat(result.output)
    drill = "arrays [/b] (coding-hostile, grade 0): studyplan review --topic 'arrays [/b]'"
    assert drill in flat(result.output)
    assert "Tell me [b]about[/b] a time" in flat(result.output)
    assert_clean(result.output)


def test_stats_weak_topics_and_html_report_are_literal(
    run: Run, hostile: Path, tmp_path: Path
) -> None:
    assert run("grade", "coding-hostile", "again", "--date", DAY).exit_code == 0
    assert run("grade", "ml-hostile", "hard", "--date", DAY).exit_code == 0
    page = tmp_path / "report.html"
    result = run("stats", "--date", "2026-01-06", "--html", str(page))
    assert result.exit_code == 0, result.output
    assert "1. arrays [/b] (coding): recalled —, easiness 1.96" in flat(result.output)
    assert "studyplan review --topic 'arrays [/b]'" in flat(result.output)
    html = page.read_text(encoding="utf-8")
    assert "<td>arrays [/b]</td>" in html and "<td>[red]topic</td>" in html
    assert_clean(html)


def test_calendar_carries_no_control_characters(run: Run, hostile: Path, tmp_path: Path) -> None:
    target = tmp_path / "plan.ics"
    result = run("export", "ics", "-o", str(target), "--date", DAY, "--tz", "UTC")
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    assert b"\x1b" not in data and b"\x07" not in data
    assert "\u202e".encode() not in data and "\x9b".encode() not in data
    unfolded = data.decode("utf-8").replace("\r\n ", "")
    assert "Compute output[i] = prefix[i] * suffix[i] for 3[a2[c]][2J]8\\;\\;http" in unfolded


def test_story_with_markup_and_escapes_is_saved_whole_and_shown_literally(
    run: Run, tmp_path: Path
) -> None:
    source = tmp_path / "story.md"
    source.write_text(
        "# Fixing [/b] the \x1b[2Jpipeline\n## Situation\nA [red]flaky[/red] job.\n"
        f"## Task\nKeep {FORMULA}.\n## Action\nI fixed it.\n## Result\nGreen.\n"
        "## Themes\nownership\n",
        encoding="utf-8",
    )
    added = run("story", "add", "--from", str(source))
    assert added.exit_code == 0, added.output
    assert added.output.startswith("Saved your story 'Fixing [/b] the \\x1b[2Jpipeline' as card")
    listed = run("story", "list")
    assert listed.exit_code == 0, listed.output
    assert "Fixing [/b] the [2Jpipeline" in flat(listed.output)
    assert_clean(listed.output)
    stored = json.loads(run("story", "list", "--json").output)["stories"][0]
    assert stored["title"] == "Fixing [/b] the \x1b[2Jpipeline"
    assert stored["task"] == f"Keep {FORMULA}."
    card_id = stored["card_id"]
    assert run("grade", card_id, "good", "--date", DAY).exit_code == 0
    review = run("review", "--date", "2026-01-06", "--topic", "my stories", input="q\n")
    assert review.exit_code == 0, review.output
    assert "(your story: Fixing [/b] the [2Jpipeline)" in flat(review.output)


def test_errors_quoting_user_text_are_one_clean_line(run: Run, hostile: Path) -> None:
    result = run("review", "--date", DAY, "--topic", "[/b]\x1b[2J\nx")
    assert result.exit_code == 1
    assert result.output == (
        "Error: no cards with topic '[/b]\\x1b[2J\\nx' — `studyplan cards` lists topics\n"
    )
