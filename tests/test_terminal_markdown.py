"""Answers read as Markdown in the terminal: hanging indents, code kept verbatim, emphasis shown,
and still never console markup or control characters; `--json` keeps the text as written."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

Run = Callable[..., Result]
DAY = "2026-11-25"
LONG_POINT = (
    "Use a bounded queue in front of the workers so that a burst of requests waits instead "
    "of exhausting memory, and shed load with a clear error once the queue is full"
)
ANSWER = f"""- {LONG_POINT}.
- Keep **idempotency keys** for retries; a tag like [/b] or [bold red]x[/] is text.
- A bell \x07 and an escape \x1b[31m never reach the terminal.

```python
def drain(queue):
    while queue:
        item = queue.pop()
        if item is None:
            continue
```
"""


def toml_escaped(text: str) -> str:
    return text.replace("\x07", "\\u0007").replace("\x1b", "\\u001b")


@pytest.fixture
def markdown_card(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    cards = tmp_path / "corpus" / "cards"
    cards.mkdir(parents=True)
    (cards / "sd.toml").write_text(
        'track = "system-design"\n\n[[card]]\nid = "sd-queue"\ntopic = "queues"\n'
        'difficulty = "medium"\nminutes = 5\nprompt = "How do you keep a burst from '
        f'sinking the workers?"\nanswer = """\n{toml_escaped(ANSWER)}"""\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("STUDYPLAN_CORPUS", str(tmp_path / "corpus"))
    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.setenv("TERM", "dumb")
    return "sd-queue"


def assert_reads_as_markdown(output: str) -> None:
    lines = output.splitlines()
    first = next(i for i, line in enumerate(lines) if "Use a bounded queue" in line)
    bullet_at = lines[first].index("Use")
    # The bullet's wrapped lines hang under its first word, not at the margin.
    continuation = lines[first + 1]
    assert continuation[:bullet_at].strip() == "" and continuation[bullet_at] != " "
    assert "exhausting" in " ".join(lines[first : first + 4])
    # Code keeps its indentation, relative to the def line.
    code = {line.strip(): len(line) - len(line.lstrip()) for line in lines if line.strip()}
    base = code["def drain(queue):"]
    assert code["while queue:"] == base + 4
    assert code["item = queue.pop()"] == base + 8
    assert code["continue"] == base + 12
    # Emphasis shown as emphasis, console markup as text, controls removed.
    assert "**" not in output and "idempotency keys" in output
    assert "[/b]" in output and "[bold red]x[/]" in output
    assert "\x07" not in output and "\x1b" not in output


def test_show_renders_the_answer_as_markdown(run: Run, markdown_card: str) -> None:
    result = run("show", markdown_card, "--date", DAY)
    assert result.exit_code == 0, result.output
    assert_reads_as_markdown(result.output)


def test_review_reveals_the_answer_as_markdown(run: Run, markdown_card: str) -> None:
    result = run("review", "--date", DAY, input="\n4\n")
    assert result.exit_code == 0, result.output
    assert_reads_as_markdown(result.output)
    assert "Graded 1 card(s)" in result.output


def test_json_keeps_the_answer_as_written(run: Run, markdown_card: str) -> None:
    shown = json.loads(run("show", markdown_card, "--json", "--date", DAY).output)
    assert "**idempotency keys**" in shown["answer"]
    assert "    while queue:" in shown["answer"]


def test_a_colour_terminal_gets_bold_and_no_colour_gets_none(
    run: Run, markdown_card: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = run("show", markdown_card, "--date", DAY).output
    assert "\x1b[1m" in coloured and "**" not in coloured
    monkeypatch.setenv("NO_COLOR", "1")
    plain = run("show", markdown_card, "--date", DAY).output
    assert "\x1b[3" not in plain and "\x1b[9" not in plain  # no foreground colours
