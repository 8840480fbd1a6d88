"""`import anki` keeps decks as their authors made them: image and sound cards with their files,
suspended cards out of the plan, cards reset in Anki as new, notes deleted in Anki reported
and pruned, decks sent to the track their name says. Decks built with genanki, the official
`anki` library, or by hand with sqlite3 and zipfile."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import genanki
import pytest
from click.testing import Result

import anki_support as ak
from studyplan.adapters.anki import media
from studyplan.adapters.anki.mapping import card_id_for, deck_track
from studyplan.app.workspace import Workspace
from studyplan.core.model import Card, Track

Run = Callable[..., Result]
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
BASIC = genanki.Model(
    1_607_392_319,
    "Basic",
    fields=[{"name": "Front"}, {"name": "Back"}],
    templates=[
        {"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{FrontSide}}<hr id=answer>{{Back}}"}
    ],
)


def cards_of(home: Path) -> dict[str, Card]:
    return {card.id: card for card in Workspace(home).own_cards}


def image_deck(folder: Path) -> tuple[Path, list[genanki.Note]]:
    """Answers that are images (one whose file is missing), a question holding an image, a
    remote image, a sound: the files that exist are in the package."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mlops.png").write_bytes(PNG)
    (folder / "data.png").write_bytes(PNG + b"data")
    (folder / "say.mp3").write_bytes(b"ID3 sound")
    notes = [
        genanki.Note(model=BASIC, fields=["DevOps concepts in MLOps?", '<img src="mlops.png">']),
        genanki.Note(
            model=BASIC,
            fields=['Apply the convolution to:<br><img src="data.png">', "[[2, 3], [5, 6]]"],
        ),
        genanki.Note(model=BASIC, fields=["Which figure?", '<img src="https://x.org/f.png">']),
        genanki.Note(model=BASIC, fields=["Lost figure?", '<img src="gone.png">']),
        genanki.Note(model=BASIC, fields=["Say it", "[sound:say.mp3]"]),
    ]
    deck = genanki.Deck(2_059_400_111, "MLOps")
    for note in notes:
        deck.add_note(note)
    package = genanki.Package(deck)
    package.media_files = [str(folder / n) for n in ("mlops.png", "data.png", "say.mp3")]
    out = folder / "images.apkg"
    package.write_to_file(str(out))
    return out, notes


def test_image_and_sound_cards_are_kept_with_their_files(
    run: Run, isolated_home: Path, tmp_path: Path
) -> None:
    package, notes = image_deck(tmp_path / "deck")
    result = run("import", "anki", str(package))
    assert result.exit_code == 0, result.output
    assert "5 new card(s), 0 updated, 0 unchanged, from 5 note(s)." in result.output
    assert f"Media: 3 file(s) copied to {isolated_home / 'media'}." in result.output
    assert "1 media file(s) shown by the cards are not in the package: gone.png." in result.output
    assert "1 image(s) from the web are shown by their address." in result.output
    cards = [cards_of(isolated_home)[card_id_for(note.guid, 0)] for note in notes]
    assert [(c.prompt, c.answer, c.media_files()) for c in cards] == [
        ("DevOps concepts in MLOps?", "[image: mlops.png]", ("mlops.png",)),
        ("Apply the convolution to:\n[image: data.png]", "[[2, 3], [5, 6]]", ("data.png",)),
        ("Which figure?", "[image: https://x.org/f.png]", ()),
        ("Lost figure?", "[image: gone.png]", ()),
        ("Say it", "[sound: say.mp3]", ("say.mp3",)),
    ]
    folder = isolated_home / "media"
    assert sorted(p.name for p in folder.iterdir()) == ["data.png", "mlops.png", "say.mp3"]
    assert (folder / "data.png").read_bytes() == PNG + b"data"
    assert run("check").exit_code == 0
    shown = run("show", cards[0].id)
    assert "[image: mlops.png]" in shown.output  # the terminal shows the placeholder

    again = run("import", "anki", str(package))
    assert "0 new card(s), 0 updated, 5 unchanged" in again.output
    assert "Media: 0 file(s) copied" in again.output and "3 already there" in again.output


def test_media_only_removed_cards_showed_are_deleted_with_them(
    run: Run, isolated_home: Path, tmp_path: Path
) -> None:
    """Pruning a note deleted in Anki, or removing a card, deletes the files no remaining card
    shows; a file another card still shows, or one the user put in media/, stays."""
    folder = tmp_path / "deck"
    folder.mkdir()
    for name in ("one.png", "two.png", "shared.png"):
        (folder / name).write_bytes(PNG + name.encode())
    notes = [
        genanki.Note(model=BASIC, fields=["First?", '<img src="one.png"><img src="shared.png">']),
        genanki.Note(model=BASIC, fields=["Second?", '<img src="two.png">']),
        genanki.Note(model=BASIC, fields=["Third?", '<img src="shared.png">']),
    ]

    def package(kept: list[genanki.Note], name: str) -> Path:
        deck = genanki.Deck(2_059_400_222, "Figures")
        for note in kept:
            deck.add_note(note)
        built = genanki.Package(deck)
        built.media_files = [str(folder / n) for n in ("one.png", "two.png", "shared.png")]
        built.write_to_file(str(tmp_path / name))
        return tmp_path / name

    assert run("import", "anki", str(package(notes, "all.apkg"))).exit_code == 0
    media = isolated_home / "media"
    (media / "mine.png").write_bytes(PNG)  # the user's own file, shown by no card
    result = run("import", "anki", str(package(notes[1:], "later.apkg")), "--prune")
    assert result.exit_code == 0, result.output
    assert "Deleted 1 media file(s) only they showed: one.png." in result.output
    assert sorted(p.name for p in media.iterdir()) == ["mine.png", "shared.png", "two.png"]

    removed = run("card", "remove", card_id_for(notes[1].guid, 0))
    assert "Deleted 1 media file(s) no other card shows: two.png." in removed.output
    kept = run("card", "remove", card_id_for(notes[2].guid, 0))
    assert kept.exit_code == 0 and "Deleted 1 media file(s)" in kept.output
    assert sorted(p.name for p in media.iterdir()) == ["mine.png"]
    assert run("check").exit_code == 0


def with_media_map(
    package: Path, out: Path, names: dict[str, str], extra: dict[str, bytes]
) -> Path:
    """`package` with its media list replaced by `names` (member -> name) and `extra` members."""
    with zipfile.ZipFile(package) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            if item.filename != "media":
                target.writestr(item, source.read(item))
        target.writestr("media", json.dumps(names))
        for member, data in extra.items():
            target.writestr(member, data)
    return out


def test_media_names_are_made_safe_sized_and_never_overwrite(
    run: Run, isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = genanki.Deck(2_059_400_112, "Figures")
    fields = [
        ("Escape?", '<img src="../../up%20here.png">'),  # a path, not a name in the package
        ("Big?", '<img src="big.png">'),
        ("Clash?", '<img src="mlops.png">'),
        ("Odd?", '<img src=".hidden&#10;name.png">'),
        ("Marks?", '<img src="a%3A*b?.png">'),
    ]
    for front, back in fields:
        deck.add_note(genanki.Note(model=BASIC, fields=[front, back]))
    plain = tmp_path / "plain.apkg"
    genanki.Package(deck).write_to_file(str(plain))
    names = {
        "0": "../../up here.png",
        "1": "big.png",
        "2": "mlops.png",
        "3": ".hidden\nname.png",
        "4": "a:*b?.png",
    }
    blobs = {"0": b"up", "1": b"x" * 2000, "2": b"other mlops", "3": b"odd", "4": b"marks"}
    package = with_media_map(plain, tmp_path / "odd.apkg", names, blobs)
    monkeypatch.setattr(media, "MAX_MEDIA_BYTES", 1000)
    folder = isolated_home / "media"
    folder.mkdir(parents=True)
    (folder / "mlops.png").write_bytes(PNG)  # from another deck: must not be replaced

    result = run("import", "anki", str(package))
    assert result.exit_code == 0, result.output
    assert "1 media file(s) are over 0 MiB and were not copied: big.png." in result.output
    assert (folder / "mlops.png").read_bytes() == PNG
    assert not list(tmp_path.rglob("up here.png")) and not list(tmp_path.rglob("up_here.png"))
    written = {p.name: p.read_bytes() for p in folder.iterdir()}
    clash = next(name for name in written if name.startswith("mlops-"))
    assert written == {
        "mlops.png": PNG,
        clash: b"other mlops",
        "hidden_name.png": b"odd",
        "a_b_.png": b"marks",
    }
    by_prompt = {card.prompt: card for card in cards_of(isolated_home).values()}
    assert by_prompt["Escape?"].answer == "[image: ../../up%20here.png]"
    assert by_prompt["Escape?"].media == ()
    assert by_prompt["Marks?"].answer == "[image: a_b_.png]"
    assert by_prompt["Clash?"].media == (clash,)
    assert by_prompt["Big?"].answer == "[image: big.png]" and by_prompt["Big?"].media == ()
    assert by_prompt["Odd?"].media == ("hidden_name.png",)


def test_media_of_the_current_package_format_are_copied(
    run: Run, isolated_home: Path, tmp_path: Path
) -> None:
    with ak.collection(tmp_path / "anki") as col:
        col.media.write_data("attention.png", PNG)
        ak.add_note(
            col, "Basic", "ML", {"Front": "Attention?", "Back": '<img src="attention.png">'}
        )
        package = ak.export_deck(col, "ML", tmp_path / "current.apkg")
    assert "collection.anki21b" in zipfile.ZipFile(package).namelist()
    result = run("import", "anki", str(package))
    assert result.exit_code == 0, result.output
    assert (isolated_home / "media" / "attention.png").read_bytes() == PNG
    (card,) = cards_of(isolated_home).values()
    assert (card.answer, card.media) == ("[image: attention.png]", ("attention.png",))


def plan_ids(run: Run, day: str) -> set[str]:
    result = run("today", "--json", "--minutes", "600", "--date", day)
    assert result.exit_code == 0, result.output
    return {item["card_id"] for item in json.loads(result.output)["items"]}


def test_suspended_cards_are_imported_and_never_planned(
    run: Run, isolated_home: Path, tmp_path: Path
) -> None:
    with ak.collection(tmp_path / "anki") as col:
        notes = [
            ak.add_note(col, "Basic", "ML", {"Front": f"Q{n}", "Back": f"A{n}"}) for n in range(4)
        ]
        assert ak.review_all(col, "ML", [3, 3, 3, 3, 3, 3, 3, 3]) >= 4
        for note in notes:  # all in review, due today
            col.db.execute(
                "update cards set type=2, queue=2, ivl=5, due=? where nid=?",
                col.sched.today,
                note.id,
            )
        col.sched.suspend_cards([notes[0].cards()[0].id, notes[1].cards()[0].id])
        today = ak.anki_today(col).isoformat()
        later = (ak.anki_today(col) + timedelta(days=3)).isoformat()
        package = ak.export_deck(col, "ML", tmp_path / "ml.apkg")
        col.sched.unsuspend_cards([notes[1].cards()[0].id])
        unsuspended = ak.export_deck(col, "ML", tmp_path / "ml-2.apkg")
    ids = [card_id_for(note.guid, 0) for note in notes]

    result = run("import", "anki", str(package), "--with-history", "--date", today)
    assert result.exit_code == 0, result.output
    assert "2 card(s) suspended in Anki: suspended here too, out of the plan" in result.output
    cards = cards_of(isolated_home)
    assert [cards[i].suspended_in_anki for i in ids] == [True, True, False, False]
    assert set(Workspace(isolated_home).store.marks().suspended) == {ids[0], ids[1]}
    planned = plan_ids(run, later)
    assert ids[2] in planned and ids[3] in planned  # due reviews
    assert not planned & {ids[0], ids[1]}
    week = run("week", "--json", "--date", today)
    assert week.exit_code == 0 and ids[2] in week.output
    assert ids[0] not in week.output and ids[1] not in week.output
    assert f"Suspended since {today}" in run("show", ids[0]).output  # kept, and shown

    again = run("import", "anki", str(package), "--with-history", "--date", today)
    assert "in Anki:" not in again.output  # nothing changed in Anki: nothing to say

    # What is done here holds until Anki changes: unsuspended here, still suspended there.
    assert run("card", "unsuspend", ids[0], "--date", today).exit_code == 0
    result = run("import", "anki", str(unsuspended), "--with-history", "--date", today)
    assert "1 card(s) unsuspended in Anki: back in the plan." in result.output
    planned = plan_ids(run, later)
    assert {ids[0], ids[1], ids[2], ids[3]} <= planned
    assert "Suspended since" not in run("show", ids[1]).output


def test_a_card_reset_to_new_in_anki_comes_as_new(
    run: Run, isolated_home: Path, tmp_path: Path
) -> None:
    with ak.collection(tmp_path / "anki") as col:
        kept = ak.add_note(col, "Basic", "ML", {"Front": "Kept", "Back": "studied"})
        reset = ak.add_note(col, "Basic", "ML", {"Front": "Reset", "Back": "forgotten"})
        assert ak.review_all(col, "ML", [3, 3, 3, 3]) == 4
        col.sched.schedule_cards_as_new([reset.cards()[0].id])
        assert col.get_card(reset.cards()[0].id).type == 0
        today = ak.anki_today(col).isoformat()
        package = ak.export_deck(col, "ML", tmp_path / "ml.apkg")

    result = run("import", "anki", str(package), "--with-history", "--date", today)
    assert result.exit_code == 0, result.output
    assert "1 card(s) reset to new in Anki: imported as new" in result.output
    store = Workspace(isolated_home).store
    assert store.state(card_id_for(kept.guid, 0)) is not None
    assert store.state(card_id_for(reset.guid, 0)) is None
    assert store.history(card_id_for(reset.guid, 0)) == []
    assert len(store.history(card_id_for(kept.guid, 0))) == 2
    plan = run("today", "--json", "--minutes", "600", "--date", today)
    kinds = {i["card_id"]: i["kind"] for i in json.loads(plan.output)["items"]}
    assert kinds.get(card_id_for(reset.guid, 0)) in (None, "new")


def test_notes_deleted_in_anki_are_reported_and_pruned(
    run: Run, isolated_home: Path, tmp_path: Path
) -> None:
    with ak.collection(tmp_path / "anki") as col:
        a = [ak.add_note(col, "Basic", "ML::A", {"Front": f"A{n}", "Back": "a"}) for n in range(3)]
        b = ak.add_note(col, "Basic", "ML::B", {"Front": "B", "Back": "b"})
        ak.export_deck(col, "ML", tmp_path / "all.apkg")
        col.remove_notes([a[0].id])
        ak.export_deck(col, "ML::A", tmp_path / "a.apkg")  # ML::B is not in this one
        col.remove_notes([a[1].id, a[2].id])
        ak.export_deck(col, "ML::B", tmp_path / "b.apkg")
    assert run("import", "anki", str(tmp_path / "all.apkg")).exit_code == 0
    gone = card_id_for(a[0].guid, 0)

    result = run("import", "anki", str(tmp_path / "a.apkg"))
    assert result.exit_code == 0, result.output
    assert (
        "1 card(s) whose notes were deleted in Anki are still here — import again with --prune "
        "to remove them." in result.output
    )
    assert gone in cards_of(isolated_home)

    result = run("import", "anki", str(tmp_path / "a.apkg"), "--prune")
    assert "Removed 1 card(s) whose notes were deleted in Anki." in result.output
    left = cards_of(isolated_home)
    assert gone not in left
    assert {card_id_for(n.guid, 0) for n in (a[1], a[2], b)} <= set(left)
    assert run("check").exit_code == 0

    # ML::B's package holds no card of ML::A: its cards are not taken for deleted.
    result = run("import", "anki", str(tmp_path / "b.apkg"), "--prune")
    assert "deleted in Anki" not in result.output
    assert len(cards_of(isolated_home)) == 3


def test_pruning_every_card_of_a_file_removes_the_file(
    run: Run, isolated_home: Path, tmp_path: Path
) -> None:
    with ak.collection(tmp_path / "anki") as col:
        one = ak.add_note(col, "Basic", "Solo", {"Front": "one", "Back": "1"})
        two = ak.add_note(col, "Basic", "Solo", {"Front": "two", "Back": "2"})
        ak.export_deck(col, "Solo", tmp_path / "first.apkg")
        col.remove_notes([one.id])
        ak.export_deck(col, "Solo", tmp_path / "second.apkg")
    assert run("import", "anki", str(tmp_path / "first.apkg")).exit_code == 0
    assert run("import", "anki", str(tmp_path / "second.apkg"), "--prune").exit_code == 0
    assert set(cards_of(isolated_home)) == {card_id_for(two.guid, 0)}
    assert run("card", "remove", card_id_for(two.guid, 0)).exit_code == 0
    assert run("check").exit_code == 0


@pytest.mark.parametrize(
    ("deck", "track"),
    [
        ("System Design", Track.SYSTEM_DESIGN),
        ("system_design::caching", Track.SYSTEM_DESIGN),
        ("SystemDesign", Track.SYSTEM_DESIGN),
        ("SD::Queues", Track.SYSTEM_DESIGN),
        ("Interview prep::Machine-Learning", Track.ML),
        ("ML System Design", Track.SYSTEM_DESIGN),
        ("System Design::ML serving", Track.ML),
        ("LeetCode::Graphs", Track.CODING),
        ("Behavioural", Track.BEHAVIORAL),
        ("Language French", None),
        ("Smlops", None),  # words, not letters: no "ml" inside another word
    ],
)
def test_deck_names_are_read_as_words(deck: str, track: Track | None) -> None:
    assert deck_track(deck) == track


def test_import_says_which_track_each_deck_went_to(
    run: Run, isolated_home: Path, tmp_path: Path
) -> None:
    with ak.collection(tmp_path / "anki") as col:
        ak.add_note(col, "Basic", "Prep::System Design", {"Front": "Shard?", "Back": "By key"})
        ak.add_note(col, "Basic", "Prep::French", {"Front": "chat", "Back": "cat"})
        ak.add_note(col, "Basic", "Prep::French", {"Front": "BFS?", "Back": "queue"}, ["coding"])
        package = ak.export_deck(col, "Prep", tmp_path / "prep.apkg")
    result = run("import", "anki", str(package), "--track", "behavioral")
    assert result.exit_code == 0, result.output
    assert (
        "Tracks by deck:\n"
        "  Prep::French → behavioral 1, coding 1 (the deck's name names no track: "
        "--track behavioral; 1 by their tags)\n"
        "  Prep::System Design → system-design 1 (the deck's name says system-design)\n"
    ) in result.output
    tracks = {c.prompt: c.track for c in cards_of(isolated_home).values()}
    assert tracks == {
        "Shard?": Track.SYSTEM_DESIGN,
        "chat": Track.BEHAVIORAL,
        "BFS?": Track.CODING,
    }


def add_notetype(col: ak.Collection, name: str, fields: list[str], front: str, back: str) -> None:
    models = col.models
    kind = models.new(name)
    for field in fields:
        models.add_field(kind, models.new_field(field))
    template = models.new_template("Card 1")
    template["qfmt"], template["afmt"] = front, back
    models.add_template(kind, template)
    if "cloze:" in front:
        kind["type"] = 1  # a cloze note type
    models.add(kind)


def test_type_cloze_mathjax_and_furigana_read_as_anki_shows_them(
    run: Run, isolated_home: Path, tmp_path: Path
) -> None:
    with ak.collection(tmp_path / "anki") as col:
        add_notetype(
            col,
            "Typed cloze",
            ["Text"],
            "{{cloze:Text}}<br>{{type:cloze:Text}}",
            "{{cloze:Text}}<hr id=answer>{{type:cloze:Text}}",
        )
        add_notetype(
            col,
            "Sentence",
            ["Sentence", "Meaning"],
            "{{kanji:Sentence}}",
            "{{FrontSide}}<hr id=answer>{{furigana:Sentence}}<br>{{kana:Sentence}}<br>{{Meaning}}",
        )
        typed = ak.add_note(
            col, "Typed cloze", "ML", {"Text": "{{c1::Adam}} keeps {{c1::two}} {{c2::moments}}"}
        )
        math = ak.add_note(
            col,
            "Basic",
            "ML",
            {
                "Front": r"Attention is \(\text{softmax}(\frac{QK^T}{\sqrt{d_k}})V\)?",
                "Back": r"Scaled: \[\alpha \leq \beta_1\] <code>\(kept\)</code>",
            },
        )
        sentence = ak.add_note(
            col,
            "Sentence",
            "Japanese",
            {"Sentence": "<b> 私[わたし]</b>は 日本[にほん]です", "Meaning": "I am Japan"},
        )
        package = ak.export_deck(col, "ML", tmp_path / "ml.apkg")
        japanese = ak.export_deck(col, "Japanese", tmp_path / "ja.apkg")
    assert run("import", "anki", str(package)).exit_code == 0
    assert run("import", "anki", str(japanese)).exit_code == 0
    cards = cards_of(isolated_home)
    first, second = (cards[card_id_for(typed.guid, n)] for n in (0, 1))
    assert (first.prompt, first.answer) == ("[...] keeps [...] moments", "Adam, two")
    assert (second.prompt, second.answer) == ("Adam keeps two [...]", "moments")
    shown = cards[card_id_for(math.guid, 0)]
    assert shown.prompt == "Attention is softmax(QK^T/√(d_k))V?"
    assert shown.answer == r"Scaled: α ≤ β_1 \(kept\)"  # MathJax leaves code alone
    ja = cards[card_id_for(sentence.guid, 0)]
    assert ja.prompt == "私は日本です"  # readings hidden on the front, as Anki's kanji: does
    assert ja.answer == "私(わたし)は日本(にほん)です\nわたしはにほんです\nI am Japan"


def test_a_very_long_deck_name_is_recorded_cut_and_imports_again(
    run: Run, isolated_home: Path, tmp_path: Path
) -> None:
    deck = genanki.Deck(2_059_400_113, "Long " + "x" * 10_000)
    deck.add_note(genanki.Note(model=BASIC, fields=["Q", "A"]))
    package = tmp_path / "long.apkg"
    genanki.Package(deck).write_to_file(str(package))
    assert run("import", "anki", str(package)).exit_code == 0
    (card,) = cards_of(isolated_home).values()
    assert len(card.deck) == 500 and card.deck.startswith("Long x")
    again = run("import", "anki", str(package))
    assert again.exit_code == 0 and "1 unchanged" in again.output
    assert run("check").exit_code == 0


def test_show_and_review_print_imported_code_with_its_indentation(
    run: Run, isolated_home: Path, tmp_path: Path
) -> None:
    back = (
        "<div>def f(xs):</div><div>&nbsp; &nbsp; for x in xs:</div>"
        "<div>&nbsp; &nbsp; &nbsp; &nbsp; yield x * 2</div><div>**not bold**</div>"
    )
    deck = genanki.Deck(2_059_400_114, "Coding")
    note = genanki.Note(model=BASIC, fields=["Double each?", back])
    deck.add_note(note)
    package = tmp_path / "code.apkg"
    genanki.Package(deck).write_to_file(str(package))
    assert run("import", "anki", str(package)).exit_code == 0
    shown = run("show", card_id_for(note.guid, 0)).output
    assert "def f(xs):\n    for x in xs:\n        yield x * 2\n**not bold**" in shown
    session = run("review", "--date", "2026-12-01", "--topic", "Coding", input="\ngood\nq\n")
    assert "def f(xs):\n    for x in xs:\n        yield x * 2" in session.output


def test_a_damaged_media_file_is_named_and_the_cards_still_come(
    run: Run, isolated_home: Path, tmp_path: Path
) -> None:
    deck = genanki.Deck(2_059_400_115, "Figures")
    deck.add_note(genanki.Note(model=BASIC, fields=["Good?", '<img src="good.png">']))
    deck.add_note(genanki.Note(model=BASIC, fields=["Bad?", '<img src="bad.png">']))
    plain = tmp_path / "plain.apkg"
    genanki.Package(deck).write_to_file(str(plain))
    package = with_media_map(
        plain, tmp_path / "bad.apkg", {"0": "good.png", "1": "bad.png"}, {"0": PNG}
    )
    result = run("import", "anki", str(package))  # member "1" is not in the archive
    assert result.exit_code == 0, result.output
    assert "1 media file(s) could not be copied (damaged in the package): bad.png." in result.output
    assert len(cards_of(isolated_home)) == 2
    assert sorted(p.name for p in (isolated_home / "media").iterdir()) == ["good.png"]
