"""The folders inside a workspace, named once for the workspace and the adapters that fill them.

A module of names only, so that knowing where things go loads none of the code that reads them.
"""

STORIES_FOLDER = "stories"  # story cards (`adapters.story_files`)
OWN_CARDS_FOLDER = "cards"  # own question cards (`adapters.own_cards`)
MEDIA_FOLDER = "media"  # images and sounds of imported Anki cards (`adapters.anki.media`)
PRACTICE_FOLDER = "practice"  # the user's code for coding cards, one file per card (`practice`)
# Held while a command changes the card files (`import anki`, `card edit`, `card remove`).
CARD_FILES_LOCK = ".cards.lock"
