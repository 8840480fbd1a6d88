"""Custom study and the plan's new outputs through the CLI: review by company or track,
show, undo, grade --seconds, the forecast, the interview day and the week's columns."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

Run = Callable[..., Result]
DAY = "2026-11-25"


def test_review_by_company_brings_its_unseen_cards_beyond_the_plan(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Wide enough that the header shows a long id (a system-design card, say) in full.
    monkeypatch.setenv("COLUMNS", "200")
    cards = json.loads(run("cards", "--company", "nvidia", "--json").output)
    result = run("review", "--company", "nvidia", "--date", DAY, "--minutes", "30", input="q\n")
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert "1 of " in first and " · new · " in first
    shown_id = first.split(" · ")[-1].strip(" ─")
    assert shown_id in {c["id"] for c in cards}


def test_review_by_company_skips_a_card_too_long_for_the_session(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The company's first card fills the 30 minutes exactly, so the session would put it
    # off (it keeps room for a card to run long); the shorter one that fits comes instead
    # of an empty session.
    cards = tmp_path / "corpus" / "cards"
    cards.mkdir(parents=True)
    card = (
        '[[card]]\nid = "{id}"\ntopic = "t"\ndifficulty = "hard"\npriority = "{priority}"\n'
        'minutes = {minutes}\ncompanies = {companies}\nprompt = "{id}?"\nanswer = "- a"\n\n'
    )
    (cards / "sd.toml").write_text(
        'track = "system-design"\n\n'
        + card.format(id="sd-long", priority="core", minutes=30, companies='["nvidia"]')
        + card.format(id="sd-short", priority="common", minutes=10, companies='["nvidia"]'),
        encoding="utf-8",
    )
    (cards / "ml.toml").write_text(
        'track = "ml"\n\n' + card.format(id="ml-other", priority="core", minutes=5, companies="[]"),
        encoding="utf-8",
    )
    monkeypatch.setenv("STUDYPLAN_CORPUS", str(tmp_path / "corpus"))
    weights = "coding=3,ml=3,system-design=0,behavioral=1,company=1"  # the plan holds no sd card
    assert run("config", "track-weights", weights).exit_code == 0
    assert "sd-" not in run("today", "--date", DAY, "--minutes", "30").output

    monkeypatch.setenv("COLUMNS", "200")
    result = run("review", "--company", "nvidia", "--date", DAY, "--minutes", "30", input="q\n")
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert "1 of 1 · " in first and first.split(" · ")[-1].strip(" ─") == "sd-short"


def test_review_by_track_is_never_empty_while_cards_are_unseen(run: Run) -> None:
    result = run("review", "--track", "company", "--date", DAY, input="q\n")
    assert result.exit_code == 0
    assert "Nothing to review" not in result.output
    assert " · company · co-" in result.output.splitlines()[0]


def test_grade_seconds_show_and_undo(run: Run) -> None:
    assert run("grade", "coding-two-sum", "2", "--date", DAY, "--seconds", "125").exit_code == 0
    assert run("grade", "coding-two-sum", "5", "--date", DAY, "--seconds", "40").exit_code == 0
    view = json.loads(run("show", "coding-two-sum", "--date", DAY, "--json").output)
    assert [(g["quality"], g["kind"], g["seconds"]) for g in view["history"]] == [
        (2, "sm2", 125),
        (5, "drill", 40),
    ]
    assert view["state"]["repetitions"] == 0 and view["priority"] == "core"
    shown = run("show", "coding-two-sum", "--date", DAY).output
    assert "Given an unsorted integer array" in shown and "2:05" in shown and "0:40" in shown

    undone = run("undo", "--date", DAY)
    assert undone.exit_code == 0
    assert "Took back coding-two-sum graded 5 on 2026-11-25" in undone.output
    assert "schedule is unchanged" in undone.output
    assert "the card is new again" in run("undo", "--date", DAY).output
    nothing = run("undo", "--date", DAY)
    assert nothing.exit_code == 1
    assert nothing.output == (
        "Error: nothing to undo — every grade and card mark given has already been taken back\n"
    )
    assert json.loads(run("show", "coding-two-sum", "--json").output)["state"] is None


def test_show_lists_related_cards(run: Run) -> None:
    view = json.loads(run("show", "ml-kv-cache", "--json").output)
    assert view["related"]
    other = json.loads(run("show", view["related"][0], "--json").output)
    assert "ml-kv-cache" in other["related"]  # links go both ways
    shown = " ".join(run("show", "ml-kv-cache").output.split())  # as read, whatever the wrap
    assert f"Related: {', '.join(view['related'])}" in shown


def test_grade_seconds_out_of_range_is_a_usage_error(run: Run) -> None:
    result = run("grade", "coding-two-sum", "4", "--seconds", "-3")
    assert result.exit_code == 2
    assert "Invalid value for '--seconds'" in result.output


def test_show_unknown_card_is_one_line(run: Run) -> None:
    result = run("show", "no-such-card")
    assert result.exit_code == 1
    assert result.output == "Error: no card with id 'no-such-card' — `studyplan cards` lists them\n"


@pytest.mark.parametrize("columns", ["80", "60"])
def test_cards_show_full_ids_in_a_narrow_terminal(
    run: Run, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    ids = [c["id"] for c in json.loads(run("cards", "--track", "coding", "--json").output)]
    shown = run("cards", "--track", "coding").output
    assert all(card_id in shown for card_id in ids)


def test_today_forecasts_what_fits_before_the_interview(run: Run) -> None:
    run("config", "interview-date", "2027-01-08", "--date", DAY)
    run("config", "companies", "apple,nvidia")
    run("config", "minutes-per-day", "45")
    plan = json.loads(run("today", "--date", DAY, "--json").output)
    outlook = plan["forecast"]
    assert plan["stage"] == "study"
    assert outlook["new_cards_until"] == "2027-01-06"  # new cards stop two days before
    assert 0 < outlook["learnable"] < outlook["cards_that_matter"]
    assert [g["group"] for g in outlook["groups"]] == ["your companies", "core", "common", "deep"]
    assert all(g["minutes_needed"] is None or g["minutes_needed"] >= 45 for g in outlook["groups"])
    text = run("today", "--date", DAY).output
    assert f"learn about {outlook['learnable']} more of the" in " ".join(text.split())


def test_interview_day_is_a_warm_up_and_nothing_comes_after(run: Run) -> None:
    run("config", "interview-date", "2026-12-01", "--date", DAY)
    for card_id in ("coding-two-sum", "coding-valid-anagram"):
        run("grade", card_id, "1", "--date", DAY)
    day_of = json.loads(run("today", "--date", "2026-12-01", "--json").output)
    assert day_of["stage"] == "interview-day"
    # The two failed cards were never re-drilled: they come first in the warm-up.
    assert [i["card_id"] for i in day_of["items"][:2]] == ["coding-two-sum", "coding-valid-anagram"]
    assert {i["kind"] for i in day_of["items"]} <= {"review", "relearn"}
    assert day_of["minutes_planned"] <= 15
    assert "a warm-up of at most 15 minutes" in run("today", "--date", "2026-12-01").output
    after = json.loads(run("today", "--date", "2026-12-02", "--json").output)
    assert after["stage"] == "after-interview" and after["items"] == []
    week = json.loads(run("week", "--date", "2026-11-28", "--json").output)
    stages = [d["stage"] for d in week["days"]]  # 28 Nov to 4 Dec
    assert stages == ["final-week"] * 3 + ["interview-day"] + ["after-interview"] * 3
    assert all(not d["items"] for d in week["days"][4:])


def test_week_shows_planned_minutes_within_the_budget_and_no_false_over(run: Run) -> None:
    run("config", "minutes-per-day", "45")
    week = json.loads(run("week", "--date", DAY, "--json").output)
    for day in week["days"]:
        assert day["minutes"] + day["minutes_redrill"] <= day["budget"]
        assert day["over_budget"] is (day["deferred"] > 0)
    assert not any(day["over_budget"] for day in week["days"])
    table = run("week", "--date", DAY).output
    assert "over" not in table.split("Assumes")[0]


def test_a_custom_session_has_its_own_minutes_whatever_was_done_today(run: Run) -> None:
    assert run("config", "minutes-per-day", "30").exit_code == 0
    # The day's budget is spent: 35 timed minutes on one card.
    assert run("grade", "coding-two-sum", "good", "--date", DAY, "--seconds", "2100").exit_code == 0
    today = json.loads(run("today", "--date", DAY, "--json").output)
    assert today["minutes_done"] == 35 and today["items"] == []
    for minutes in ("30", "12"):
        result = run(
            "review", "--track", "system-design", "--minutes", minutes, "--date", DAY, input="q\n"
        )
        assert result.exit_code == 0
        assert "Nothing to review" not in result.output
        header = result.output.splitlines()[0]
        assert " · new · system-design" in header
        left = int(header.split(" · ")[1].removesuffix(" min left"))
        assert 0 < left <= int(minutes)
