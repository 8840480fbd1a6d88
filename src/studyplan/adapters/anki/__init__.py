"""Anki both ways: reading .apkg/.colpkg packages (legacy and current formats) into own cards
and reviews, and writing studyplan's cards as an .apkg deck."""

ANKI_CARD_PREFIX = "own-anki-"  # the ids of the cards imported from Anki (`mapping.card_id_for`)


def from_anki(card_id: str) -> bool:
    """Whether a card was imported from Anki: its text is then what Anki shows, not Markdown."""
    return card_id.startswith(ANKI_CARD_PREFIX)
