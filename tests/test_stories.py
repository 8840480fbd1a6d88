"""`studyplan story`: stories become personal cards that SM-2 schedules like any other."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from studyplan.adapters.content.cards import load_cards
from studyplan.adapters.story_files import story_from_markdown, story_toml
from studyplan.core.stories import (
    StoryError,
    make_story,
    story_card,
    story_slug,
    uncovered_themes,
)

Run = Callable[..., Result]
DAY = "2026-11-25"

MARKDOWN = """# Disagreeing on the metric

## Situation
The PM wanted click-through rate as the success metric.

## Task:
Pick a metric we could defend.

### Action
I ran a small study showing CTR rewarded clickbait,
and proposed long dwell instead.

## Result
Adopted; 30-day retention up 2%.

## Themes
- conflict
- influence
"""


def story(**changes: str) -> dict[str, str]:
    parts = {
        "title": "Saving the launch",
        "situation": "The ranker regressed a week before launch.",
        "task": "I owned the fix.",
        "action": "I bisected the features and found a leak.",
        "result": "We launched on time.",
        "themes": "ownership, deadline",
    }
    return {**parts, **changes}


def test_a_story_is_a_behavioral_card_with_the_star_parts_as_key_points() -> None:
    made = make_story(**story())
    assert made.themes == ("ownership", "deadline")
    card = story_card(made)
    assert card.id == "story-saving-the-launch" and card.track.value == "behavioral"
    assert card.prompt == (
        "Tell me about a time you took ownership of a problem beyond your role. "
        "(your story: Saving the launch)"
    )
    assert card.answer.splitlines() == [
        "- Situation: The ranker regressed a week before launch.",
        "- Task: I owned the fix.",
        "- Action: I bisected the features and found a leak.",
        "- Result: We launched on time.",
    ]


def test_story_file_is_a_card_file_that_round_trips(tmp_path: Path) -> None:
    tricky = make_story(**story(title='Ça "quote" \\ back', action="tab\there\x7f and ünïcode"))
    path = tmp_path / "s.toml"
    path.write_text(story_toml(tricky), encoding="utf-8")
    (card,) = load_cards([path])
    assert card.id == "story-ca-quote-back"
    assert "tab here\x7f and ünïcode" in card.answer  # whitespace is normalised, the rest kept
    assert tomllib.loads(path.read_text(encoding="utf-8"))["story"]["title"] == 'Ça "quote" \\ back'


def test_markdown_story_with_all_parts() -> None:
    made = story_from_markdown(MARKDOWN, "s.md")
    assert made.title == "Disagreeing on the metric"
    assert (
        made.action
        == "I ran a small study showing CTR rewarded clickbait, and proposed long dwell instead."
    )
    assert made.themes == ("conflict", "influence")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "# Only a title\n## Situation\nsomething\n",
            "s.md: missing task, action, result, themes — the file needs a '# Title' line and "
            "'## Situation', '## Task', '## Action', '## Result' and '## Themes' sections",
        ),
        (MARKDOWN.replace("# Disagreeing on the metric", ""), "s.md: missing title"),
        (MARKDOWN.replace("Pick a metric we could defend.", ""), "s.md: missing task"),
        (
            MARKDOWN.replace("- influence", "- bravery"),
            "s.md: unknown theme 'bravery': choose from conflict, failure",
        ),
    ],
)
def test_markdown_story_missing_parts_is_one_clear_error(text: str, message: str) -> None:
    with pytest.raises(StoryError) as caught:
        story_from_markdown(text, "s.md")
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_make_story_reports_every_gap_at_once() -> None:
    with pytest.raises(StoryError) as caught:
        make_story(**story(task=" ", result="", themes=""))
    assert str(caught.value) == (
        "the story has no task, result, themes: every STAR part and a theme are needed"
    )
    with pytest.raises(StoryError, match="title '!!!' needs some letters or digits"):
        make_story(**story(title="!!!"))


def test_slugs_and_uncovered_themes() -> None:
    assert story_slug("  The Big Migration (2024)! ") == "the-big-migration-2024"
    assert story_slug("x" * 100) == "x" * 60
    made = make_story(**story(themes="conflict failure"))
    assert uncovered_themes([made]) == (
        "mistake",
        "ownership",
        "ambiguity",
        "influence",
        "leadership",
        "feedback",
        "deadline",
        "customer",
        "teamwork",
        "ethics",
        "learning",
        "impact",
    )


# The command line ---------------------------------------------------------------------------


def test_story_add_by_prompts_then_list_shows_the_uncovered_themes(
    run: Run, isolated_home: Path
) -> None:
    typed = "\n".join([*list(story().values())[:5], "bravery", "ownership, deadline", ""])
    result = run("story", "add", input=typed)
    assert result.exit_code == 0, result.output
    assert "Error: unknown theme 'bravery'" in result.output  # asked again
    assert "as card story-saving-the-launch" in " ".join(result.output.split())
    assert (isolated_home / "stories" / "saving-the-launch.toml").exists()
    listed = json.loads(run("story", "list", "--json").output)
    assert [s["card_id"] for s in listed["stories"]] == ["story-saving-the-launch"]
    assert listed["stories"][0]["themes"] == ["ownership", "deadline"]
    assert listed["stories"][0]["due"] is None
    assert listed["themes_without_story"] == [
        "conflict",
        "failure",
        "mistake",
        "ambiguity",
        "influence",
        "leadership",
        "feedback",
        "customer",
        "teamwork",
        "ethics",
        "learning",
        "impact",
    ]
    table = " ".join(run("story", "list").output.split())
    assert "Themes with no story yet: conflict, failure, mistake, ambiguity," in table


def test_story_card_is_scheduled_like_any_other(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "story.md"
    source.write_text(MARKDOWN, encoding="utf-8")
    assert run("story", "add", "--from", str(source)).exit_code == 0
    cards = json.loads(run("cards", "--track", "behavioral", "--json").output)
    mine = [c for c in cards if c["id"] == "story-disagreeing-on-the-metric"]
    assert mine and mine[0]["topic"] == "my stories"
    graded = json.loads(run("grade", mine[0]["id"], "good", "--date", DAY, "--json").output)
    assert graded["due"] == "2026-11-26"
    tomorrow = json.loads(run("today", "--date", "2026-11-26", "--json").output)
    assert tomorrow["items"][0]["card_id"] == mine[0]["id"]
    listed = json.loads(run("story", "list", "--json").output)
    assert listed["stories"][0]["due"] == "2026-11-26"


def test_a_new_story_joins_the_behavioral_rotation_at_once(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "story.md"
    source.write_text(MARKDOWN, encoding="utf-8")
    assert run("story", "add", "--from", str(source)).exit_code == 0
    plan = json.loads(run("today", "--date", DAY, "--minutes", "120", "--json").output)
    behavioral = [i["card_id"] for i in plan["items"] if i["track"] == "behavioral"]
    assert behavioral[0] == "story-disagreeing-on-the-metric"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("story", "add", "--from", "nowhere.md"), 2, "'nowhere.md' does not exist"),
        (("story", "list", "--bogus"), 2, "No such option '--bogus'"),
    ],
)
def test_bad_story_input(run: Run, args: tuple[str, ...], code: int, message: str) -> None:
    result = run(*args)
    assert result.exit_code == code
    assert message in result.output


def test_incomplete_or_duplicate_story_file_is_a_one_line_error(
    run: Run, tmp_path: Path, isolated_home: Path
) -> None:
    source = tmp_path / "story.md"
    source.write_text("# Title only\n\n## Situation\nA thing happened.\n", encoding="utf-8")
    result = run("story", "add", "--from", str(source))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {source}: missing task, action, result, themes")
    assert len(result.output.strip().splitlines()) == 1
    assert not (isolated_home / "stories").exists()

    source.write_text(MARKDOWN, encoding="utf-8")
    assert run("story", "add", "--from", str(source)).exit_code == 0
    again = run("story", "add", "--from", str(source))
    assert again.exit_code == 1
    assert again.output == (
        "Error: the id 'story-disagreeing-on-the-metric' is taken — choose another title\n"
    )


def test_a_broken_story_file_is_skipped_with_a_warning(run: Run, isolated_home: Path) -> None:
    (isolated_home / "stories").mkdir(parents=True)
    broken = isolated_home / "stories" / "broken.toml"
    broken.write_text('[[card]]\nid = "story-x"\n', encoding="utf-8")
    result = run("cards", "--track", "coding", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)
    assert result.stderr.startswith(
        f"Warning: skipped the story file {broken}:1: card story-x: missing"
    )
    assert result.stderr.endswith(" — fix or delete it\n")
    assert len(result.stderr.splitlines()) == 1
    listed = run("story", "list", "--json")
    assert listed.exit_code == 0
    assert json.loads(listed.stdout)["stories"] == []
    assert listed.stderr == (
        f"Warning: skipped the story file {broken}: no [story] table — fix or delete it\n"
    )
