"""`card suspend`, `card unsuspend`, `card known` and `place` through the command line."""

from __future__ import annotations

import json
from collections.abc import Callable

from click.testing import Result

Run = Callable[..., Result]
DAY = "2026-12-07"


def marked(run: Run, *args: str) -> dict[str, tuple[bool, bool]]:
    cards = json.loads(run("cards", "--json", *args).output)
    return {c["id"]: (c["suspended"], c["known"]) for c in cards}


def test_suspend_unsuspend_and_known_say_what_they_did(run: Run) -> None:
    result = run("card", "suspend", "coding-two-sum", "--date", DAY)
    assert result.exit_code == 0
    assert result.output.startswith("Suspended coding-two-sum: it is left out of every plan")
    again = run("card", "suspend", "coding-two-sum", "--date", "2026-12-08")
    assert again.output == "coding-two-sum is already suspended (since 2026-12-07).\n"
    assert marked(run, "--track", "coding")["coding-two-sum"] == (True, False)
    view = json.loads(run("show", "coding-two-sum", "--json").output)
    assert (view["suspended"], view["known"]) == (True, False)
    assert "Suspended since 2026-12-07" in run("show", "coding-two-sum").output
    assert "suspended" in run("cards", "--track", "coding").output

    graded = run("grade", "coding-two-sum", "good", "--date", DAY)
    assert graded.exit_code == 1
    assert graded.output == (
        "Error: coding-two-sum is suspended, so it is not studied — "
        "`studyplan card unsuspend coding-two-sum` brings it back\n"
    )
    back = run("card", "unsuspend", "coding-two-sum", "--date", DAY)
    assert back.output == "coding-two-sum is back in the plan (as a new card).\n"
    assert run("card", "unsuspend", "coding-two-sum").output == "coding-two-sum is not suspended.\n"

    known = run("card", "known", "ml-bias-variance-tradeoff", "--date", DAY)
    assert known.output == (
        "Marked ml-bias-variance-tradeoff known: it is no longer new; first review 2026-12-13 "
        "(in 6 days).\n"
    )
    view = json.loads(run("show", "ml-bias-variance-tradeoff", "--json").output)
    assert view["known"] is True and view["state"]["due"] == "2026-12-13"
    twice = run("card", "known", "ml-bias-variance-tradeoff", "--date", DAY)
    assert twice.exit_code == 1 and "already being studied (next review 2026-12-13)" in twice.output
    unknown = run("card", "suspend", "no-such-card")
    assert unknown.exit_code == 1
    assert (
        unknown.output == "Error: no card with id 'no-such-card' — `studyplan cards` lists them\n"
    )


def test_undo_takes_back_the_latest_mark_or_grade(run: Run) -> None:
    run("grade", "coding-two-sum", "good", "--date", DAY)
    run("card", "suspend", "coding-valid-anagram", "--date", DAY)
    run("card", "known", "ml-bias-variance-tradeoff", "--date", DAY)
    first = json.loads(run("undo", "--date", DAY, "--json").output)
    assert (first["undid"], first["card_id"], first["mark"], first["state"]) == (
        "mark",
        "ml-bias-variance-tradeoff",
        "known",
        None,
    )
    assert run("undo", "--date", DAY).output == (
        "Took back coding-valid-anagram suspended on 2026-12-07: it is studied again.\n"
    )
    last = json.loads(run("undo", "--date", DAY, "--json").output)
    assert (last["undid"], last["card_id"], last["quality"]) == ("grade", "coding-two-sum", 4)
    assert marked(run, "--track", "coding")["coding-valid-anagram"] == (False, False)


def test_placement_marks_in_bulk_core_first_and_goes_on_where_it_stopped(run: Run) -> None:
    # y, y, n, then a stray key, then u takes back the n, then n again, y, and q stops.
    result = run("place", "--track", "ml", "--date", DAY, input="yyn x u n y q")
    assert result.exit_code == 0, result.output
    shown = [line for line in result.output.splitlines() if " of " in line and " · " in line]
    asked = [line.split(" · ")[-1].strip(" ─") for line in shown]
    assert all(" · core · ml · " in line for line in shown)  # core cards first
    # The stray key asks again without showing the card again; u goes back to the third.
    assert len(set(asked[:4])) == 4 and asked[4:7] == [asked[2], asked[3], asked[6]]
    assert "y, n, u or q." in result.output
    assert "Placed 4 card(s): 3 known (first review in about a week), 1 to learn as new cards." in (
        " ".join(result.output.split())
    )
    cards = json.loads(run("cards", "--track", "ml", "--json").output)
    known = {c["id"] for c in cards if c["known"]}
    assert known == {asked[0], asked[1], asked[3]}
    # The next pass starts after what was answered, either way: at the card left unanswered.
    again = run("place", "--track", "ml", "--date", DAY, input="q")
    first_shown = next(line for line in again.output.splitlines() if " · core · ml · " in line)
    assert first_shown.split(" · ")[-1].strip(" ─") == asked[6]
    # A known card is not new in today's plan.
    plan = json.loads(run("today", "--date", DAY, "--json").output)
    assert not {i["card_id"] for i in plan["items"] if i["kind"] == "new"} & known
    # `undo` after a pass takes back its last answer.
    undone = " ".join(run("undo", "--date", DAY).output.split())
    assert undone == f"Took back {asked[3]} marked known on 2026-12-07: the card is new again."


def test_placement_stops_at_the_end_of_input_with_answers_saved(run: Run) -> None:
    result = run("place", "--company", "openai", "--date", DAY, input="yy")
    assert result.exit_code == 0
    assert "Placed 2 card(s): 2 known" in " ".join(result.output.split())
    assert sum(known for _, known in marked(run, "--company", "openai").values()) == 2
    assert "Nothing to take back" in run("place", "--date", DAY, input="uq").output


def test_placement_leaves_out_studied_and_suspended_cards(run: Run) -> None:
    run("grade", "coding-two-sum", "good", "--date", DAY)
    run("card", "suspend", "coding-valid-anagram", "--date", DAY)
    result = run("place", "--track", "coding", "--date", DAY, input="n" * 300)
    lines = [line for line in result.output.splitlines() if " · coding · " in line]
    asked = {line.split(" · ")[-1].strip(" ─") for line in lines}
    assert len(asked) == len(lines) > 100
    assert not asked & {"coding-two-sum", "coding-valid-anagram"}
    assert "Nothing to place" in run("place", "--track", "coding", "--date", DAY).output
