"""`studyplan import anki`: an Anki package's notes become own cards, its reviews grades.

- Notes of studyplan's own export (known by their GUID) are studyplan's cards already: their
  reviews are merged into the log in every mode, graded by SM-2 (`srs.outside_reviews`).
- Other notes become own cards in `cards/anki-<deck>.toml`, one per Anki card (Basic: one,
  Basic and reversed: two, Cloze: one per cloze number), each with the deck it came from.
  Importing the same deck again updates them in place (ids come from the note GUIDs). A card
  whose id is already in another own file is left there as it is.
- A card keeps its images and sounds: the package's files it shows are copied into `media/`
  (`adapters.anki.media`), its text shows each as `[image: NAME]`, and `Card.media` lists
  them. A card with nothing at all to show is left out, like one out of range (below).
- A card suspended in Anki is suspended here too (the same mark as `card suspend`); once
  imported, a change in Anki (suspended, unsuspended) is applied at the next import, and a
  card left as it was in Anki keeps what was done to it here.
- A card of a deck this package holds, whose note is no longer in it, was deleted in Anki: it
  is reported, and removed with `prune` (its reviews stay in the log).
- `with_history`: each imported card's Anki schedule becomes its SM-2 state and its review
  log is logged, marked as from Anki; a card reset to new in Anki comes as new, without the
  reviews from before. `reviews_only`: no card is added or changed; only the reviews of
  cards studyplan knows are merged.

The package is read whole and checked before anything is written: every value taken from it
is range-checked (`adapters.anki.limits`), a card or review out of range left out with its
reason or a value clamped, and counted in the report. Writing holds the workspace's import
lock, so two imports into the same card file run one after the other.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, tzinfo
from pathlib import Path

from studyplan.adapters.anki import limits, mapping
from studyplan.adapters.anki.collection import AnkiCard, Collection, Review
from studyplan.adapters.anki.html_text import MediaRef, placeholder, renamed_media
from studyplan.adapters.anki.limits import Findings, LeftOut
from studyplan.adapters.anki.media import AnkiMediaError, MediaCopy, copy_media
from studyplan.adapters.anki.package import read_package
from studyplan.adapters.content.card_toml import card_table
from studyplan.adapters.files import FileWriteError, write_atomic
from studyplan.adapters.folders import MEDIA_FOLDER, OWN_CARDS_FOLDER
from studyplan.adapters.own_cards import check_own_cards
from studyplan.app import card_files
from studyplan.app.workspace import Workspace
from studyplan.core.dates import EARLIEST_DATE, LATEST_DATE
from studyplan.core.errors import StudyplanError
from studyplan.core.model import Card, Difficulty, Priority, Track
from studyplan.core.records import MergeReport
from studyplan.core.srs.card_state import CardState
from studyplan.core.srs.outside_reviews import OutsideReview

ORIGIN = "anki"
FILE_HEADER = (
    "# Cards imported from Anki by `studyplan import anki`. Importing the deck again\n"
    "# updates them from Anki; `studyplan card edit` and `card remove` work on them.\n"
)


class AnkiImportError(StudyplanError):
    """The import cannot go ahead as asked."""


@dataclass(frozen=True, slots=True)
class ImportOptions:
    with_history: bool = False
    reviews_only: bool = False
    track: Track = Track.ML  # for notes whose tags and deck name no track
    minutes: int = 2
    priority: Priority = Priority.COMMON
    prune: bool = False  # remove the cards whose notes were deleted in Anki


@dataclass
class DeckTracks:
    """Where one deck's cards went: the track its name names (None: it names none)."""

    named: Track | None
    tracks: Counter[str] = field(default_factory=Counter)


@dataclass
class ImportReport:
    format: int
    notes: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0  # already an own card in a file of the user's: left as it is
    empty: int = 0  # nothing to show at all (no text, no media)
    exported: int = 0  # studyplan's own exported cards found in the package
    unknown: int = 0  # with reviews_only: cards studyplan does not have
    suspended: int = 0  # suspended here, as in Anki (newly, or since the last import)
    unsuspended: int = 0  # unsuspended in Anki since the last import: unsuspended here
    reset: int = 0  # new in Anki again after reviews: imported as new
    files: list[Path] = field(default_factory=list)
    decks: dict[str, DeckTracks] = field(default_factory=dict)
    media: MediaCopy = field(default_factory=MediaCopy)
    remote: int = 0  # images shown from a web address: not media files
    deleted: list[str] = field(default_factory=list)  # card ids whose notes Anki no longer has
    pruned: int = 0
    media_removed: list[str] = field(default_factory=list)  # shown only by pruned cards
    merge: MergeReport | None = None
    findings: Findings = field(default_factory=Findings)  # values out of range, and what was done


@dataclass
class _Imported:
    card: Card
    media: tuple[MediaRef, ...]


def import_anki(
    workspace: Workspace,
    path: Path,
    today: date,
    options: ImportOptions,
    tz: tzinfo | None = None,
    notify: Callable[[str], None] | None = None,
) -> ImportReport:
    """Import the package at `path`. `notify` is told when the import waits for another one
    writing to the same workspace."""
    collection = read_package(path)
    report = ImportReport(collection.format, notes=len(collection.notes))
    findings = report.findings
    findings.cards_left_out.update(collection.findings.cards_left_out)
    if options.with_history or options.reviews_only:
        findings.reviews_left_out.update(collection.findings.reviews_left_out)
        findings.settings += collection.findings.settings
    report.notes += len(collection.left_out_notes)
    exported = {
        mapping.note_guid(card.id): card.id
        for card in workspace.cards
        if not card.id.startswith(mapping.ANKI_PREFIX)
    }
    known_ids = {card.id for card in workspace.cards}
    reviews_by_card: dict[int, list[Review]] = defaultdict(list)
    for review in collection.reviews:
        reviews_by_card[review.card_id].append(review)
    topics = {card.topic.lower(): card.topic for card in workspace.shipped_cards}
    interview = workspace.settings().interview_date

    def graded(card_id: str, of_card: Sequence[Review]) -> list[OutsideReview]:
        return mapping.outside_reviews(card_id, of_card, collection.rollover, tz, today, findings)

    imported: dict[str, _Imported] = {}
    in_package: set[str] = set()  # every card id this package holds, kept or not
    decks_with_cards: set[str] = set()
    reviews: list[OutsideReview] = []
    given: dict[str, CardState] = {}
    text_size = 0
    for anki_card in collection.cards:
        note = collection.notes.get(anki_card.note_id)
        if note is None:
            reason, guid = collection.left_out_notes.get(anki_card.note_id, (limits.NO_NOTE, None))
            findings.cards_left_out[reason] += 1
            if guid is not None and not options.reviews_only:
                in_package.add(mapping.card_id_for(guid, anki_card.ord))
            continue
        logged = reviews_by_card.get(anki_card.id, [])
        graded_for = mapping.studied_reviews(anki_card, logged)
        if logged and not graded_for:
            report.reset += 1
        if note.guid in exported:
            if anki_card.ord == 0:
                report.exported += 1
                reviews += graded(exported[note.guid], graded_for)
            continue
        card_id = mapping.card_id_for(note.guid, anki_card.ord)
        if options.reviews_only:
            if card_id in known_ids:
                reviews += graded(card_id, graded_for)
            else:
                report.unknown += 1
            continue
        in_package.add(card_id)
        decks_with_cards.add(
            mapping.stored_deck_name(collection.decks.get(anki_card.deck_id, "Default"))
        )
        built = _card(collection, anki_card, card_id, topics, options, report)
        if built is None:
            continue
        text_size += len(built.card.prompt) + len(built.card.answer)
        if text_size > limits.MAX_IMPORT_TEXT:
            raise AnkiImportError(
                f"{path} holds more card text than one import takes "
                f"({limits.MAX_IMPORT_TEXT // 1024**2} MiB) — export its decks one at a time; "
                "nothing was imported"
            )
        imported[card_id] = built
        if options.with_history:
            card_reviews = graded(card_id, graded_for)
            reviews += card_reviews
            try:
                state = mapping.schedule_state(
                    card_id, anki_card, card_reviews, collection, today, interview, tz, findings
                )
            except mapping.CreationTimeUnusable:
                raise AnkiImportError(
                    f"{path} cannot be imported with its history: its creation time (crt) is "
                    f"not a time from {EARLIEST_DATE} to {LATEST_DATE}, and its review cards' "
                    "due days count from it — import it without --with-history, or export it "
                    "from Anki again; nothing was imported"
                ) from None
            if state is not None:
                given[card_id] = state
    with card_files.lock(workspace, notify):
        if not options.reviews_only:
            cards = _with_media(workspace, path, collection, imported, report)
            changed = _save_cards(
                workspace, cards, in_package, decks_with_cards, options.prune, report
            )
            report.suspended, report.unsuspended = workspace.store.set_suspended(changed, today)
        if reviews or given:
            report.merge = workspace.store.merge_outside_reviews(ORIGIN, reviews, interview, given)
    return report


def _card(
    collection: Collection,
    anki_card: AnkiCard,
    card_id: str,
    topics: dict[str, str],
    options: ImportOptions,
    report: ImportReport,
) -> _Imported | None:
    try:
        text = mapping.card_text(collection, anki_card)
    except LeftOut as exc:
        report.findings.cards_left_out[exc.reason] += 1
        return None
    if not text.prompt or not text.answer:  # an image or a sound is shown by a placeholder
        report.empty += 1
        return None
    report.remote += sum(1 for ref in text.media if ref.remote)
    note = collection.notes[anki_card.note_id]
    deck = collection.decks.get(anki_card.deck_id, "Default")
    meaning = mapping.read_tags(note.tags, topics)
    if deck not in report.decks:
        report.decks[deck] = DeckTracks(mapping.deck_track(deck))
    track = meaning.track or report.decks[deck].named or options.track
    report.decks[deck].tracks[track.value] += 1
    card = Card(
        id=card_id,
        track=track,
        topic=meaning.topic or mapping.deck_topic(deck),
        companies=meaning.companies,
        difficulty=Difficulty.MEDIUM,
        minutes=options.minutes,
        prompt=text.prompt,
        answer=text.answer,
        priority=options.priority,
        tags=meaning.kept,
        suspended_in_anki=mapping.is_suspended(anki_card),
        deck=mapping.stored_deck_name(deck),
    )
    return _Imported(card, text.media)


def _with_media(
    workspace: Workspace,
    path: Path,
    collection: Collection,
    imported: dict[str, _Imported],
    report: ImportReport,
) -> dict[str, Card]:
    """The cards, their media copied into the workspace and named in their text and `media`."""
    wanted = {ref.name for item in imported.values() for ref in item.media if not ref.remote}
    try:
        report.media = copy_media(path, collection, wanted, workspace.home / MEDIA_FOLDER)
    except AnkiMediaError as exc:
        raise AnkiImportError(f"{exc}; no card was imported") from None
    names = report.media.names
    cards: dict[str, Card] = {}
    for card_id, item in imported.items():
        card = item.card
        renamed = {
            placeholder(ref.kind, ref.name): placeholder(ref.kind, names[ref.name])
            for ref in item.media
            if not ref.remote and names.get(ref.name, ref.name) != ref.name
        }
        shown = tuple(
            dict.fromkeys(names[r.name] for r in item.media if not r.remote and r.name in names)
        )
        cards[card_id] = replace(
            card,
            prompt=renamed_media(card.prompt, renamed),
            answer=renamed_media(card.answer, renamed),
            media=shown,
        )
    return cards


def _save_cards(
    workspace: Workspace,
    imported: dict[str, Card],
    in_package: set[str],
    decks_with_cards: set[str],
    prune: bool,
    report: ImportReport,
) -> dict[str, bool]:
    """Merge the imported cards into the workspace's Anki card files, each written whole.
    Returns the cards whose suspension in Anki changed since their last import (a new card:
    since it was not there), with the suspension Anki has now."""
    folder = workspace.home / OWN_CARDS_FOLDER
    anki_files = sorted(folder.glob("anki-*.toml"))
    existing, problems = check_own_cards(anki_files) if anki_files else ([], [])
    if problems:
        raise AnkiImportError(
            f"{problems[0]} — fix the Anki card files first (`studyplan check` lists every "
            "problem); nothing was imported"
        )
    outside = [c for c in workspace.own_cards if not Path(c.source).name.startswith("anki-")]
    elsewhere = {card.id for card in outside if card.id.startswith(mapping.ANKI_PREFIX)}
    files: dict[Path, list[Card]] = defaultdict(list)
    at: dict[str, tuple[Path, int]] = {}
    changed: set[Path] = set()
    suspension: dict[str, bool] = {}
    pruned_media: set[str] = set()
    for card in existing:
        path = Path(card.source.rpartition(":")[0])
        if card.deck in decks_with_cards and card.id not in in_package:
            report.deleted.append(card.id)
            if prune:
                changed.add(path)
                report.pruned += 1
                pruned_media.update(card.media)
                continue
        at[card.id] = (path, len(files[path]))
        files[path].append(card)
    for card_id, card in imported.items():
        if card_id in elsewhere:
            report.kept += 1
        elif card_id in at:
            path, index = at[card_id]
            old = files[path][index]
            if old.suspended_in_anki != card.suspended_in_anki:
                suspension[card_id] = card.suspended_in_anki
            new = replace(card, source=old.source, related=old.related)
            if new == old:
                report.unchanged += 1
            else:
                files[path][index] = new
                changed.add(path)
                report.updated += 1
        else:
            if card.suspended_in_anki:
                suspension[card_id] = True
            path = folder / f"{mapping.deck_file_stem(card.deck)}.toml"
            at[card_id] = (path, len(files[path]))
            files[path].append(card)
            changed.add(path)
            report.new += 1
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for path in sorted(changed):
            report.files.append(path)
            if not files[path]:  # every card of the file pruned
                path.unlink(missing_ok=True)
                continue
            text = FILE_HEADER + "\n" + "\n".join(card_table(card) for card in files[path])
            write_atomic(path, text.encode("utf-8"))
        if pruned_media:
            remaining = [card for kept in files.values() for card in kept] + outside
            report.media_removed = card_files.remove_media(workspace, pruned_media, remaining)
    except OSError as exc:
        raise AnkiImportError(f"cannot write to {folder}: {exc.strerror}") from None
    except FileWriteError as exc:
        raise AnkiImportError(str(exc)) from None
    return suspension
