"""Three weeks replayed through the command line, one card suspended and one marked known: the
suspended card never reaches a plan, a session, the week or the calendar until it is brought
back; the known card never comes as new, and its first review comes six days on."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from click.testing import Result

Run = Callable[..., Result]
START = date(2026, 12, 7)


def plan_on(run: Run, day: date) -> dict:  # type: ignore[type-arg]
    result = run("today", "--date", day.isoformat(), "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)  # type: ignore[no-any-return]


def test_three_weeks_with_a_suspended_and_a_known_card(run: Run, tmp_path: Path) -> None:
    for key, value in (
        ("interview-date", "2027-01-12"),
        ("companies", "openai"),
        ("minutes-per-day", "90"),
    ):
        assert run("config", key, value, "--date", START.isoformat()).exit_code == 0
    first = plan_on(run, START)
    new_ml = [i["card_id"] for i in first["items"] if i["kind"] == "new" and i["track"] == "ml"]
    suspended, known = new_ml[:2]  # both would be learned today
    assert run("card", "suspend", suspended, "--date", START.isoformat()).exit_code == 0
    assert run("card", "known", known, "--date", START.isoformat()).exit_code == 0
    before, after = first["forecast"], plan_on(run, START)["forecast"]
    assert (before["known"], after["known"]) == (0, 1)  # learned already, as the forecast counts
    assert after["cards_that_matter"] == before["cards_that_matter"] - 1  # the suspended one

    back_on = START + timedelta(days=14)
    reviewed_known: list[date] = []
    came_back: list[date] = []
    for offset in range(21):
        day = START + timedelta(days=offset)
        if day == back_on:
            assert run("card", "unsuspend", suspended, "--date", day.isoformat()).exit_code == 0
        plan = plan_on(run, day)
        ids = {i["card_id"] for i in (*plan["items"], *plan["deferred"])}
        if day < back_on:
            assert suspended not in ids
        elif suspended in ids:
            came_back.append(day)
        for item in plan["items"]:
            if item["card_id"] == known:
                assert item["kind"] != "new"
                reviewed_known.append(day)
        if offset == 3:
            week = json.loads(run("week", "--date", day.isoformat(), "--json").output)
            assert all(suspended not in json.dumps(d["items"]) for d in week["days"])
            ics = tmp_path / "study.ics"
            exported = run(
                "export", "ics", "-o", str(ics), "--date", day.isoformat(), "--weeks", "2"
            )
            assert exported.exit_code == 0, exported.output
            calendar = ics.read_text(encoding="utf-8")
            assert known in calendar and suspended not in calendar
        # The session: Enter shows each answer, graded good; failures are not part of this run.
        session = run("review", "--date", day.isoformat(), input="\n4\n" * 60)
        assert session.exit_code == 0, session.output
        if day < back_on:
            assert suspended not in session.output
    assert reviewed_known[0] == START + timedelta(days=6)
    assert came_back and came_back[0] <= back_on + timedelta(days=2)
    view = json.loads(run("show", known, "--json").output)
    assert view["known"] is True and view["history"][0]["day"] == "2026-12-13"
    assert json.loads(run("show", suspended, "--json").output)["suspended"] is False
