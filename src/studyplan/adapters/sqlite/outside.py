"""Reviews given in another program (Anki), merged into the log, and exported notes' stamps."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from studyplan.adapters.sqlite.connection import Database, save_state
from studyplan.adapters.sqlite.review_log import append_log
from studyplan.core.records import MergeReport
from studyplan.core.srs.card_state import CardState

if TYPE_CHECKING:
    from studyplan.core.srs.outside_reviews import OutsideReview


class OutsideReviews(Database):
    def merge_outside_reviews(
        self,
        origin: str,
        reviews: Sequence[OutsideReview],
        interview: date | None = None,
        given: Mapping[str, CardState] | None = None,
    ) -> MergeReport:
        """Log the reviews given in another program (`origin`) that are not in the log yet and
        move each card's state as `srs.outside_reviews` says; `given` holds states to take
        for cards (imported schedules). One transaction: all of it is saved, or none."""
        from studyplan.core.srs.outside_reviews import merge_card

        given = given or {}
        with self._write() as db:
            known = {
                row[0]
                for row in self._read(
                    "SELECT origin_id FROM review_log WHERE origin = ?", (origin,)
                )
            }
            new_reviews: dict[str, list[OutsideReview]] = {}
            for review in reviews:
                if review.origin_id not in known:
                    new_reviews.setdefault(review.card_id, []).append(review)
                    known.add(review.origin_id)
            states = self.states()
            logged = older = changed = 0
            for card_id in sorted(set(new_reviews) | set(given)):
                before = states.get(card_id)
                merged = merge_card(
                    before, new_reviews.get(card_id, ()), interview, given.get(card_id)
                )
                for entry in merged.entries:
                    review = entry.review
                    append_log(
                        db, card_id, review.day, review.quality, entry.kind.value,
                        entry.before, entry.after, seconds=review.seconds,
                        origin=origin, origin_id=review.origin_id,
                    )  # fmt: skip
                logged += len(merged.entries)
                older += merged.older
                if merged.state is not None and merged.state != before:
                    save_state(db, merged.state)
                    changed += 1
        return MergeReport(logged, len(reviews) - logged, older, changed)

    def anki_note_stamps(self, fields_sha: Mapping[str, str], now: int) -> dict[str, int]:
        """The modification time each card's exported Anki note carries: the time of the
        export that first wrote its present fields. Anki updates a note on import only when
        it is newer, so an unchanged card leaves its note alone. A read-only workspace gets
        the stamps without saving them."""
        known = {
            r[0]: (r[1], r[2])
            for r in self._read("SELECT card_id, fields_sha, mtime FROM anki_note")
            if isinstance(r[0], str) and isinstance(r[2], int)
        }
        stamps: dict[str, int] = {}
        changed: list[tuple[str, str, int]] = []
        for card_id, sha in fields_sha.items():
            old = known.get(card_id)
            if old is not None and old[0] == sha:
                stamps[card_id] = old[1]
            else:
                stamps[card_id] = max(now, old[1] + 1) if old is not None else now
                changed.append((card_id, sha, stamps[card_id]))
        if changed and not self.read_only:
            with self._write() as db:
                db.executemany("INSERT OR REPLACE INTO anki_note VALUES (?, ?, ?)", changed)
        return stamps
