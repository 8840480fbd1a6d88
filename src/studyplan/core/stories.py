"""The candidate's own behavioral stories, each a personal card SM-2 schedules like any other.

A story is a title, its STAR parts (situation, task, action, result) and the behavioral
themes it answers; `story_card` is the card studyplan schedules for it. Its file in the
workspace is `studyplan.adapters.story_files`' business.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from studyplan.core.errors import StudyplanError
from studyplan.core.model import Card, Difficulty, Priority, Track
from studyplan.core.names import slug
from studyplan.core.srs.card_state import CardState

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
    """The title's words as a slug of at most MAX_SLUG characters ('' when it has none)."""
    return slug(title, MAX_SLUG)


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


def uncovered_themes(stories: Iterable[Story]) -> tuple[str, ...]:
    covered = {theme for story in stories for theme in story.themes}
    return tuple(theme for theme in THEMES if theme not in covered)
