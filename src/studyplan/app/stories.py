"""Stories in a workspace: `story add` and `story list`."""

from __future__ import annotations

from pathlib import Path

from studyplan.adapters.folders import STORIES_FOLDER
from studyplan.adapters.story_files import load_stories, save_story, story_files
from studyplan.app.workspace import Workspace
from studyplan.core.stories import Story, StoryError, StoryOverview, uncovered_themes


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
