"""The candidate's own behavioral stories, each a personal card SM-2 schedules like any other.

A story is a title, its STAR parts (situation, task, action, result) and the behavioral
themes it answers. It lives in the workspace as `stories/<slug>.toml`, a card file in the
corpus format: a `[[card]]` table (id "story-<slug>", track behavioral, the STAR parts as
the answer's key points) that studyplan loads with the shipped cards, and a `[story]`
table that `story list` reads back.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studyplan.content.card_toml import toml_string
from studyplan.content.cards import check_cards
from studyplan.content.importer import markdown_heading
from studyplan.content.model import Card, Difficulty, Priority, Track
from studyplan.errors import StudyplanError
from studyplan.files import FileExists, FileWriteError, write_atomic
from studyplan.srs.card_state import CardState
from studyplan.workspace import STORIES_FOLDER

if TYPE_CHECKING:
    from studyplan.workspace import Workspace

STORY_TOPIC = "my stories"
STORY_MINUTES = 5
MAX_SLUG = 60
PARTS = ("situation", "task", "action", "result")

# The common behavioral themes, each with the question interviewers ask about it.
THEMES: Mapping[str, str] = {
    "conflict": "you disagreed with a colleague and worked it out",
    "failure": "something you owned failed",
    "mistake": "you made a mistake and had to fix it",
    "ownership": "you took ownership of a problem beyond your role",
    "ambiguity": "you had to make progress on an ambiguous problem",
    "influence": "you convinced people you had no authority over",
    "leadership": "you led a team or an effort",
    "feedback": "you received hard feedback and acted on it",
    "deadline": "you had to deliver under a tight deadline",
    "customer": "you went out of your way for a customer or user",
    "teamwork": "you helped your team succeed",
    "ethics": "you raised an ethical concern about your work",
    "learning": "you had to learn something new quickly",
    "impact": "your work had a large, measurable impact",
}


class StoryError(StudyplanError):
    """A story is incomplete, or its file cannot be read or written."""


@dataclass(frozen=True, slots=True)
class Story:
    title: str
    situation: str
    task: str
    action: str
    result: str
    themes: tuple[str, ...]

    @property
    def slug(self) -> str:
        return story_slug(self.title)

    @property
    def card_id(self) -> str:
        return f"story-{self.slug}"


@dataclass(frozen=True, slots=True)
class StoryOverview:
    stories: tuple[tuple[Story, CardState | None], ...]
    uncovered: tuple[str, ...]  # themes no story answers yet


def story_slug(title: str) -> str:
    """Lowercase ASCII words joined by hyphens ('' when the title has no letters or digits)."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:MAX_SLUG].strip("-")


def parse_themes(text: str | Iterable[str]) -> tuple[str, ...]:
    """'conflict, ownership' (or a list of names) -> known theme names, in the order given."""
    words = re.findall(r"[a-z]+", text.lower() if isinstance(text, str) else " ".join(text).lower())
    unknown = [word for word in words if word not in THEMES]
    if unknown:
        raise StoryError(
            f"unknown theme {unknown[0]!r}: choose from {', '.join(THEMES)}"
            if len(unknown) == 1
            else f"unknown themes {', '.join(map(repr, unknown))}: choose from {', '.join(THEMES)}"
        )
    return tuple(dict.fromkeys(words))


def make_story(
    title: str, situation: str, task: str, action: str, result: str, themes: str | Iterable[str]
) -> Story:
    """A validated story: every part filled in, at least one known theme. Reports all gaps."""
    fields = {"title": title, "situation": situation, "task": task, "action": action}
    fields["result"] = result
    cleaned = {name: " ".join(value.split()) for name, value in fields.items()}
    missing = [name for name, value in cleaned.items() if not value]
    names = parse_themes(themes)
    if not names:
        missing.append("themes")
    if missing:
        raise StoryError(
            f"the story has no {', '.join(missing)}: every STAR part and a theme are needed"
        )
    if not story_slug(cleaned["title"]):
        raise StoryError(f"title {title!r} needs some letters or digits")
    return Story(themes=names, **cleaned)


def story_from_markdown(text: str, source: str) -> Story:
    """A story from Markdown: a '# Title' line, then Situation, Task, Action, Result and
    Themes headings (any level) with their text under them. A 'Title' heading also works."""
    title = ""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        heading = markdown_heading(line.lstrip())
        if heading:
            level, words = heading
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


def story_card(story: Story, source: str = "") -> Card:
    first = story.themes[0]
    return Card(
        id=story.card_id,
        track=Track.BEHAVIORAL,
        topic=STORY_TOPIC,
        companies=(),
        difficulty=Difficulty.MEDIUM,
        minutes=STORY_MINUTES,
        prompt=f"Tell me about a time {THEMES[first]}. (your story: {story.title})",
        answer="\n".join(f"- {part.title()}: {getattr(story, part)}" for part in PARTS),
        source=source,
        priority=Priority.CORE,  # the candidate's own story is what the behavioral round asks for
    )


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
        table: Any = tomllib.loads(path.read_text(encoding="utf-8")).get("story")
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


def uncovered_themes(stories: Iterable[Story]) -> tuple[str, ...]:
    covered = {theme for story in stories for theme in story.themes}
    return tuple(theme for theme in THEMES if theme not in covered)


# Use cases the CLI calls --------------------------------------------------------------------


def add_story(workspace: Workspace, story: Story) -> Path:
    if any(card.id == story.card_id for card in workspace.cards):
        raise StoryError(f"the id {story.card_id!r} is taken — choose another title")
    return save_story(story, workspace.home / STORIES_FOLDER)


def story_overview(workspace: Workspace) -> StoryOverview:
    stories, skipped = load_stories(story_files(workspace.home))
    for message in skipped:
        workspace.warn(message)
    states = workspace.store.states()
    return StoryOverview(
        stories=tuple((story, states.get(story.card_id)) for story in stories),
        uncovered=uncovered_themes(stories),
    )
