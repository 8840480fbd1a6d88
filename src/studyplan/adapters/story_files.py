"""Story files in the workspace: `stories/<slug>.toml`, a card file in the corpus format.

A `[[card]]` table (id "story-<slug>", track behavioral, the STAR parts as the answer's key
points) that studyplan loads with the shipped cards, and a `[story]` table that `story list`
reads back. `story add --from` reads a story written in Markdown.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from studyplan.adapters.content.card_toml import toml_string
from studyplan.adapters.content.cards import check_cards
from studyplan.adapters.content.markdown import outline
from studyplan.adapters.files import FileExists, FileWriteError, write_atomic
from studyplan.adapters.folders import STORIES_FOLDER
from studyplan.adapters.structured import parse_toml
from studyplan.core.model import Card, Priority, Track
from studyplan.core.stories import PARTS, Story, StoryError, make_story, story_card


def story_from_markdown(text: str, source: str) -> Story:
    """A story from Markdown: a '# Title' line, then Situation, Task, Action, Result and
    Themes headings (any level) with their text under them. A 'Title' heading also works."""
    title = ""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    lines = text.splitlines()
    headings = outline("\n".join(lines)).heading_at()
    for number, line in enumerate(lines):
        heading = headings.get(number)
        if heading:
            level, words = heading.level, heading.text
            name = words.rstrip(":").strip().lower()
            if name in (*PARTS, "themes", "title"):
                current = sections.setdefault(name, [])
            elif level == 1 and not title:
                title, current = words, None
            else:
                current = None
        elif current is not None:
            current.append(line)
    body = {name: " ".join(" ".join(lines).split()) for name, lines in sections.items()}
    title = body.get("title") or title
    missing = [name for name in ("title", *PARTS, "themes") if not (body.get(name) or "")]
    if "title" in missing and title:
        missing.remove("title")
    if missing:
        raise StoryError(
            f"{source}: missing {', '.join(missing)} — the file needs a '# Title' line and "
            "'## Situation', '## Task', '## Action', '## Result' and '## Themes' sections"
        )
    try:
        return make_story(
            title, body["situation"], body["task"], body["action"], body["result"], body["themes"]
        )
    except StoryError as exc:
        raise StoryError(f"{source}: {exc}") from None


def story_toml(story: Story) -> str:
    card = story_card(story)
    lines = [
        "# One of your stories, written by `studyplan story add`. The [[card]] is what",
        "# studyplan schedules and searches; `studyplan story list` reads the [story] table.",
        f'track = "{Track.BEHAVIORAL.value}"',
        "",
        "[story]",
        *(f"{name} = {toml_string(getattr(story, name))}" for name in ("title", *PARTS)),
        f"themes = [{', '.join(toml_string(t) for t in story.themes)}]",
        "",
        "[[card]]",
        f"id = {toml_string(card.id)}",
        f"topic = {toml_string(card.topic)}",
        f'difficulty = "{card.difficulty.value}"',
        f"minutes = {card.minutes}",
        f"prompt = {toml_string(card.prompt)}",
        f"answer = {toml_string(card.answer)}",
    ]
    return "\n".join(lines) + "\n"


def save_story(story: Story, folder: Path) -> Path:
    """Write the story's file; refuses to replace an existing one."""
    path = folder / f"{story.slug}.toml"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(path, story_toml(story).encode("utf-8"), replace=False)
    except FileExists:
        raise StoryError(
            f"a story with the id {story.card_id!r} already exists ({path}) — "
            "choose another title, or edit or delete that file"
        ) from None
    except OSError as exc:
        raise StoryError(f"cannot write {path}: {exc.strerror}") from None
    except FileWriteError as exc:
        raise StoryError(str(exc)) from None
    return path


def story_files(home: Path) -> list[Path]:
    return sorted((home / STORIES_FOLDER).glob("*.toml"))


def load_story_cards(paths: Sequence[Path]) -> tuple[list[Card], list[str]]:
    """The cards of the story files, and a warning for each file skipped: one bad file does
    not keep the others (or any command) from working."""
    cards: list[Card] = []
    skipped: list[str] = []
    seen: set[str] = set()
    for path in paths:
        found, problems = check_cards([path], default_priority=Priority.CORE)
        taken = [card.id for card in found if card.id in seen]
        if taken:
            problems.append(f"{path}: card id {taken[0]!r} is also in another story file")
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            skipped.append(f"skipped the story file {problems[0]}{more} — fix or delete it")
            continue
        cards.extend(found)
        seen.update(card.id for card in found)
    return cards, skipped


def load_stories(paths: Sequence[Path]) -> tuple[list[Story], list[str]]:
    """The stories of the files, and a warning for each file skipped."""
    stories: list[Story] = []
    skipped: list[str] = []
    for path in paths:
        try:
            stories.append(_load_story(path))
        except StoryError as exc:
            skipped.append(f"skipped the story file {path}: {exc} — fix or delete it")
    return stories, skipped


def _load_story(path: Path) -> Story:
    try:
        table: Any = parse_toml(path.read_text(encoding="utf-8")).get("story")
        if not isinstance(table, dict):
            raise StoryError("no [story] table")
        title, situation, task, action, result = (str(table[n]) for n in ("title", *PARTS))
        themes = [str(theme) for theme in table["themes"]]
        return make_story(title, situation, task, action, result, themes)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise StoryError(f"cannot read it: {exc}") from None
    except KeyError as exc:
        raise StoryError(f"the [story] table lacks {exc}") from None
    except TypeError:
        raise StoryError("the [story] themes must be a list of names") from None
