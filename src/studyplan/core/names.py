"""Names made from text: the one slug behind story ids, own-card ids and section anchors."""

from __future__ import annotations

import re
import unicodedata


def slug(
    text: str, limit: int | None = None, whole_words: bool = False, fold_accents: bool = True
) -> str:
    """Lowercase ASCII words joined by hyphens, accents folded ('Café au lait' ->
    'cafe-au-lait'); '' when the text has no letters or digits. Longer than `limit`
    characters, it is cut there, or at the last word boundary before it with `whole_words`.
    Without `fold_accents`, a letter outside ASCII separates words ('Café' -> 'caf'), as the
    ids of guide sections and added documents have always been made (they must not change)."""
    if fold_accents:
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    joined = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if limit is None or len(joined) <= limit:
        return joined
    if whole_words and "-" in joined[:limit]:
        return joined[: limit + 1].rsplit("-", 1)[0].strip("-")
    return joined[:limit].strip("-")
