"""`studyplan stats`: progress figures, weakest topics, readiness, heatmap and streak.

Computed on hand-built review logs whose answers are worked out by hand in the comments.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, timedelta
from html import unescape
from pathlib import Path

from click.testing import Result

from studyplan.core.budget_search import smallest_budget
from studyplan.core.forecast import readiness
from studyplan.core.model import Card, Difficulty, Track
from studyplan.core.progress.heatmap import heatmap, streak
from studyplan.core.progress.pace import Pace, study_pace
from studyplan.core.progress.stats import (
    company_progress,
    recall_reviews,
    retention_window,
    track_progress,
    weakest_topics,
)
from studyplan.core.records import LoggedGrade
from studyplan.core.review_time import ReviewTimes
from studyplan.core.settings import Settings
from studyplan.core.srs.card_state import CardState, GradeKind
from studyplan.core.srs.sm2 import Sm2State
from studyplan.core.study_days import parse_days_off

Run = Callable[..., Result]
TODAY = date(2026, 11, 25)  # a Wednesday


def card(card_id: str, track: Track, topic: str, *companies: str, minutes: int = 10) -> Card:
    return Card(card_id, track, topic, companies, Difficulty.EASY, minutes, "p", "- a\n- b")


def state(card_id: str, interval: int, easiness: int, lapses: int = 0) -> CardState:
    return CardState(
        card_id, Sm2State(3, interval, easiness), TODAY, TODAY - timedelta(days=40), TODAY, lapses
    )


def review(
    card_id: str,
    day: str,
    quality: int,
    kind: str = "sm2",
    first: bool = False,
    seconds: int | None = None,
) -> LoggedGrade:
    return LoggedGrade(
        card_id, date.fromisoformat(day), quality, GradeKind(kind), first, 250, 1, seconds
    )


CARDS = [
    card("c1", Track.CODING, "arrays", "google"),
    card("c2", Track.CODING, "arrays"),
    card("m1", Track.ML, "losses", "google"),
    card("b1", Track.BEHAVIORAL, "conflict"),
]
STATES = {
    "c1": state("c1", interval=25, easiness=250),
    "c2": state("c2", interval=1, easiness=170, lapses=2),
    "m1": state("m1", interval=6, easiness=236),
}
REVIEWS = [
    review("c2", "2026-10-26", 1),  # 30 days ago: outside the window
    review("c2", "2026-10-27", 5),  # 29 days ago: the window's first day, recalled
    review("c2", "2026-11-10", 3),  # recalled
    review("c1", "2026-11-20", 4),  # recalled
    review("c1", "2026-11-20", 5, "drill"),  # drills never count
    review("c2", "2026-11-24", 2),  # failed
    review("m1", "2026-11-25", 4, first=True),  # a first grade is learning, not recall
    review("m1", "2026-11-25", 2, "drill"),
]


def test_progress_per_track_and_company_has_the_hand_computed_figures() -> None:
    recall = recall_reviews(REVIEWS, *retention_window(TODAY))
    assert retention_window(TODAY) == (date(2026, 10, 27), TODAY)
    coding, ml, behavioral = track_progress(CARDS, STATES, recall)
    # coding: c1 mature (25 >= 21); 4 recall reviews, 3 graded >= 3; EF (2.50 + 1.70) / 2.
    assert (coding.name, coding.introduced, coding.total, coding.mature) == ("coding", 2, 2, 1)
    assert (coding.reviews, coding.recalled, coding.retention) == (4, 3, 0.75)
    assert (coding.average_easiness, coding.lapses) == (2.10, 2)
    assert (ml.introduced, ml.mature, ml.reviews, ml.retention, ml.average_easiness) == (
        1,
        0,
        0,
        None,
        2.36,
    )
    assert (behavioral.introduced, behavioral.total, behavioral.average_easiness) == (0, 1, None)
    (google,) = company_progress(CARDS, STATES, recall, ["google"])
    # google: c1 and m1; only c1's review of 2026-11-20 counts; EF (2.50 + 2.36) / 2 = 2.43.
    assert (google.introduced, google.total, google.mature, google.reviews) == (2, 2, 1, 1)
    assert (google.retention, google.average_easiness, google.lapses) == (1.0, 2.43, 0)


def test_weakest_topics_are_ranked_with_the_command_that_drills_them() -> None:
    recall = recall_reviews(REVIEWS, *retention_window(TODAY))
    weak = weakest_topics(CARDS, STATES, recall)
    # arrays: failed 1/4 + easiness deficit (2.50 - 2.10) / 1.20 + lapses 2/2 = 1.5833
    # losses: no reviews + (2.50 - 2.36) / 1.20 + 0 = 0.1167; conflict: nothing introduced.
    assert [(w.topic, w.score) for w in weak] == [("arrays", 1.5833), ("losses", 0.1167)]
    assert weak[0].command == "studyplan review --topic arrays"
    assert weakest_topics([card("x", Track.ML, "two words")], {"x": state("x", 1, 130)}, [])[
        0
    ].command == ("studyplan review --topic 'two words'")


def test_healthy_topics_are_not_called_weak() -> None:
    assert weakest_topics(CARDS[:1], {"c1": state("c1", 25, 260)}, []) == []


def test_heatmap_cells_levels_and_weeks() -> None:
    counts = {
        TODAY: 4,
        date(2026, 11, 24): 8,
        date(2026, 11, 23): 1,
        date(2026, 8, 1): 50,  # before the 12 weeks: not shown, not the busiest
    }
    heat = heatmap(counts, TODAY)
    assert heat.start == date(2026, 9, 7) and heat.start.weekday() == 0
    assert heat.days == 11 * 7 + 3  # eleven whole weeks, then Monday-Wednesday
    assert (heat.total, heat.active_days, heat.busiest) == (13, 3, 8)
    levels = {cell.day: cell.level for cell in heat.cells if cell.count}
    # ceil(4 × count / 8): 8 -> 4, 4 -> 2, 1 -> 1
    assert levels == {date(2026, 11, 23): 1, date(2026, 11, 24): 4, TODAY: 2}
    last_week = heat.weeks()[-1]
    assert [c.day if c else None for c in last_week][:3] == [
        date(2026, 11, 23),
        date(2026, 11, 24),
        TODAY,
    ]
    assert last_week[3:] == [None] * 4


def test_streak_counts_back_from_today_or_yesterday() -> None:
    def runs(*offsets: int) -> tuple[int, int]:
        found = streak({TODAY - timedelta(days=o): 1 for o in offsets}, TODAY)
        return found.current, found.longest

    assert runs(0, 1, 2, 4, 5, 6, 7) == (3, 4)
    assert runs(1, 2) == (2, 2)  # today is still open
    assert runs(2, 3) == (0, 2)
    assert runs() == (0, 0)
    assert runs(-1, 0) == (1, 1)  # a later day (--date in the past) is ignored


def test_pace_is_minutes_per_day_over_the_recent_window() -> None:
    cards = [card("a", Track.CODING, "t", minutes=10), card("b", Track.CODING, "t", minutes=5)]
    reviews = [
        review("a", "2026-11-10", 4, first=True),  # before the window
        review("a", "2026-11-11", 4),  # untimed review: 30% of 10 min = 3
        review("b", "2026-11-24", 2, first=True, seconds=420),  # timed: 7 min
        review("b", "2026-11-24", 4, "drill", seconds=120),  # timed: 2 min
    ]
    # No grade today, so the window is the 14 days ending yesterday, 11-11..11-24:
    # 12 min / 14 days = 1.
    assert study_pace(reviews, cards, TODAY, date(2026, 1, 1)) == Pace(1, 14)
    # A candidate who started on 11-22 is measured over 11-22..11-24: 9 min / 3 days = 3.
    assert study_pace(reviews[2:], cards, TODAY, date(2026, 11, 22)) == Pace(3, 3)
    # With a grade today the window ends today: an untimed first grade counts the card's
    # 10 minutes, so 19 min / 4 days = 5.
    today_too = [*reviews[2:], review("a", "2026-11-25", 4, first=True)]
    assert study_pace(today_too, cards, TODAY, date(2026, 11, 22)) == Pace(5, 4)
    assert study_pace([], cards, TODAY, None) == Pace(0, 0)
    # Days off are not study days: 11-23 off leaves 11-22 and 11-24, 9 min / 2 days = 4.
    away = Settings(days_off=parse_days_off("2026-11-23"))
    assert study_pace(reviews[2:], cards, TODAY, date(2026, 11, 22), settings=away) == Pace(4, 2)


def test_readiness_on_a_two_card_set() -> None:
    # Two 10-minute cards, interview in 40 days. A new card books its 10 minutes and a
    # quarter of a 3-minute re-drill, so 10 min a day fit nothing new; with 15: card a new on
    # day 0, reviewed days 1, 7, 22 (intervals 1, 6, 15, then 38); card b waits a day for
    # room and follows. Both end with intervals of 38 >= 21.
    cards = [card("a", Track.CODING, "t"), card("b", Track.CODING, "t")]
    settings = Settings(interview_date=TODAY + timedelta(days=40))
    result = readiness(cards, {}, settings, TODAY, ReviewTimes(), 0, 0)
    assert result is not None
    assert (result.target_cards, result.mature_now, result.projected_mature) == (2, 0, 0)
    assert (result.reachable_mature, result.goal_mature, result.minutes_needed) == (2, 2, 15)
    assert result.days_left == 40
    paced = readiness(cards, {}, settings, TODAY, ReviewTimes(), 15, 7)
    assert paced is not None and paced.projected_mature == 2 and paced.projected_share == 1.0
    assert readiness(cards, {}, Settings(), TODAY, ReviewTimes(), 0, 0) is None


def test_smallest_budget_bisects_in_five_minute_steps() -> None:
    assert smallest_budget(lambda minutes: minutes >= 42, 0, 1440) == 45
    assert smallest_budget(lambda minutes: True, 0, 1440) == 0
    assert smallest_budget(lambda minutes: minutes >= 300, 54, 1440) == 300
    assert smallest_budget(lambda minutes: minutes >= 20, 0, 54) == 20


# The command line ---------------------------------------------------------------------------


def stats_json(run: Run, day: str = "2026-11-25") -> dict:
    result = run("stats", "--date", day, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_stats_json_from_a_graded_history(run: Run, small_corpus: Path) -> None:
    for args in (
        ("c-google", "4", "--date", "2026-11-20"),  # first grade: learning
        ("c-google", "4", "--date", "2026-11-21"),  # recall, passed
        ("c-google", "1", "--date", "2026-11-27"),  # after --date: not counted
        ("m-one", "5", "--date", "2026-11-21"),
        ("m-one", "2", "--date", "2026-11-22"),  # recall, failed: a lapse
        ("m-one", "5", "--date", "2026-11-22"),  # drill
    ):
        assert run("grade", *args).exit_code == 0
    report = stats_json(run)
    coding, ml, behavioral = report["tracks"]
    assert coding == {
        "name": "coding",
        "total": 2,
        "introduced": 1,
        "mature": 0,
        "reviews": 1,
        "recalled": 1,
        "hard": 0,
        "retention": 1.0,
        "average_easiness": 1.96,  # 2.5 -> 2.5 -> 2.5 -> 1.96 (the later fail is in the store)
        "lapses": 1,
    }
    assert (ml["reviews"], ml["recalled"], ml["retention"], ml["lapses"]) == (1, 0, 0.0, 1)
    assert behavioral["introduced"] == 0 and behavioral["retention"] is None
    assert report["overall"]["reviews"] == 2 and report["overall"]["retention"] == 0.5
    assert [c["name"] for c in report["companies"]] == [
        "google",
        "amazon",
        "microsoft",
        "meta",
        "openai",
        "apple",
        "nvidia",
        "tesla",
        "ibm",
        "deepmind",
    ]
    assert report["companies_are_targets"] is False
    # losses: failed 1/1 + (2.50 - 2.28) / 1.20 + 1 lapse; hashing: 0 + (2.50 - 1.96) / 1.20 + 1.
    assert [(w["topic"], w["score"], w["command"]) for w in report["weakest_topics"]] == [
        ("losses", 2.1833, "studyplan review --topic losses"),
        ("hashing", 1.45, "studyplan review --topic hashing"),
    ]
    days = {d["date"]: d["count"] for d in report["heatmap"]["days"]}
    assert (days["2026-11-20"], days["2026-11-21"], days["2026-11-22"]) == (1, 2, 2)
    assert "2026-11-27" not in days
    assert report["heatmap"]["total"] == 5
    assert report["streak"] == {"current": 0, "longest": 3, "last_day": "2026-11-22"}
    # Pace: 11-20..11-24 (yesterday), 5 days, untimed grades at the planner's estimates:
    # first grades 10 + 6, reviews 3 (30% of 10) + 2 (40% of 6), the drill 2 = 23 min.
    assert report["pace"] == {"minutes_per_day": 5, "days": 5}
    assert report["readiness"] is None


def test_stats_readiness_and_target_companies(run: Run, small_corpus: Path) -> None:
    run("config", "interview-date", "2027-01-04", "--date", "2026-11-25")
    run("config", "companies", "google")
    report = stats_json(run)
    assert report["companies_are_targets"] is True
    assert [c["name"] for c in report["companies"]] == ["google"]
    readiness = report["readiness"]
    assert readiness["target_cards"] == 5 and readiness["days_left"] == 40
    assert readiness["mature_now"] == 0 and readiness["projected_mature"] == 0  # no pace yet
    assert readiness["reachable_mature"] == 5
    assert 0 < readiness["minutes_needed"] <= 60
    assert "graded good" in readiness["assumes"]


def test_stats_on_an_empty_history_still_says_something_useful(
    run: Run, shipped_cards: tuple[Card, ...]
) -> None:
    result = run("stats", "--date", "2026-11-25")
    assert result.exit_code == 0, result.output
    out = result.output
    assert f"0 of {len(shipped_cards)} cards introduced, 0 mature" in out  # the whole bank
    assert "Weakest topics: none yet" in out
    assert "no interview date ahead" in out
    assert "Reviews, last 12 weeks: 0 grades on 0 of 80 days" in out
    assert "Streak: 0 days (longest 0)" in out
    assert "Traceback" not in out


def test_stats_terminal_heatmap_rows(run: Run, small_corpus: Path) -> None:
    run("grade", "c-google", "4", "--date", "2026-11-23")  # a Monday
    run("grade", "c-plain", "4", "--date", "2026-11-25")
    run("grade", "m-one", "4", "--date", "2026-11-25")
    out = run("stats", "--date", "2026-11-25").output
    assert "Reviews, last 12 weeks: 3 grades on 2 of 80 days (busiest day 2)" in out
    rows = {line[:3]: line[4:] for line in out.splitlines() if line[:4] in ("Mon ", "Wed ")}
    # Twelve week columns; the last column: Monday 1 grade (level 2 of 4), Wednesday 2 (level 4).
    assert rows["Mon"].split() == ["·"] * 11 + ["▒"]
    assert rows["Wed"].split() == ["·"] * 11 + ["█"]
    assert "Streak: 1 day (longest 1)." in out


def test_stats_html_is_self_contained_with_the_same_numbers(
    run: Run, small_corpus: Path, tmp_path: Path
) -> None:
    run("config", "interview-date", "2027-01-04", "--date", "2026-11-25")
    run("grade", "c-google", "4", "--date", "2026-11-24")
    run("grade", "c-google", "2", "--date", "2026-11-25")
    page = tmp_path / "report.html"
    result = run("stats", "--date", "2026-11-25", "--html", str(page))
    assert result.exit_code == 0, result.output
    assert f"Wrote the report to {page}." in result.output
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    for outside in ("<script", "http://", "https://", "src=", "href=", "@import", "url("):
        assert outside not in html
    assert html.count("<svg") == 5
    assert "<b>1/5</b>introduced" in html
    assert "1/2 introduced, 0 mature, recalled 0% (0 hard)" in html  # the coding bar
    assert "<title>2026-11-24: 1 grade</title>" in html
    assert "<title>2026-11-25: 1 grade</title>" in html
    assert "2 grades on 2 of 80 days; current streak 2 day(s), longest 2." in html
    assert "<code>studyplan review --topic hashing</code>" in html
    # The page says what the terminal says, from the same forecast: the same sentences.
    report = stats_json(run)
    readiness, outlook = report["readiness"], report["forecast"]
    page_words = " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
    terminal_words = " ".join(run("stats", "--date", "2026-11-25").output.split())
    for sentence in (
        f"Readiness for 2027-01-04 (in 40 days): {readiness['mature_now']} of "
        f"{readiness['target_cards']} target cards mature now. At your pace of "
        f"{readiness['pace_minutes']} min/day, {readiness['projected_mature']} (",
        f"you can learn about {outlook['learnable']} more of the {outlook['cards_that_matter']} "
        "cards that matter",
    ):
        assert sentence in page_words and sentence in terminal_words


def test_stats_html_to_an_unwritable_place_is_a_one_line_error(run: Run, tmp_path: Path) -> None:
    result = run("stats", "--html", str(tmp_path / "missing" / "r.html"))
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: cannot write {tmp_path / 'missing' / 'r.html'}: No such file or directory"
    ]


def test_stats_rejects_a_bad_date(run: Run) -> None:
    result = run("stats", "--date", "yesterday")
    assert result.exit_code == 2
    assert re.search(r"'yesterday' is not a date", result.output)


def test_stats_html_refuses_to_replace_a_file_without_force(run: Run, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text("keep me", encoding="utf-8")
    result = run("stats", "--date", "2026-11-25", "--html", str(page))
    assert result.exit_code == 1
    assert result.output == f"Error: {page} already exists — pass --force to replace it\n"
    assert page.read_text(encoding="utf-8") == "keep me"
    assert run("stats", "--date", "2026-11-25", "--html", str(page), "--force").exit_code == 0
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_recall_counts_a_lapse_against_it_and_shows_hard_apart(
    run: Run, small_corpus: Path
) -> None:
    for args in (
        ("c-google", "4", "--date", "2026-11-20"),  # learning: not a review
        ("c-google", "3", "--date", "2026-11-21"),  # recalled, hard
        ("c-plain", "1", "--date", "2026-11-20"),  # learning, failed: not a review
        ("c-plain", "1", "--date", "2026-11-20"),  # its re-drill: not a review
        ("c-plain", "4", "--date", "2026-11-21"),  # recalled
        ("c-plain", "2", "--date", "2026-11-22"),  # a lapse
        ("c-plain", "4", "--date", "2026-11-22"),  # its re-drill: not a review
        ("c-plain", "5", "--date", "2026-11-23"),  # recalled
    ):
        assert run("grade", *args).exit_code == 0
    report = stats_json(run)
    coding = report["tracks"][0]
    assert (coding["reviews"], coding["recalled"], coding["hard"]) == (4, 3, 1)
    assert coding["retention"] == 0.75
    assert "first studies and same-day re-drills are not reviews" in report["retention_counts"]
    out = " ".join(run("stats", "--date", "2026-11-25").output.split())
    assert "75% (3/4, 1 hard)" in out
    assert f"Recalled counts {report['retention_counts']}." in out
    assert "recalled 30d" in out


def test_stats_and_readme_call_the_review_time_estimate_the_same(
    run: Run, small_corpus: Path
) -> None:
    day = date(2026, 11, 1)
    for n in range(4):  # a first study, then three timed reviews of coding cards
        when = (day + timedelta(days=n * 7)).isoformat()
        run("grade", "c-plain", "4", "--date", when, "--seconds", "120")
    out = " ".join(run("stats", "--date", "2026-11-25").output.split())
    assert "coding 40% (average of 3 timed)" in out
    assert "median" not in out
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "then at the average of your own recent times" in readme
    assert "(average of 30 timed)" in readme and "median of" not in readme


def test_company_names_are_printed_as_the_companies_spell_them(run: Run) -> None:
    out = run("stats", "--date", "2026-11-25").output
    rows = {line.split("│")[1].strip() for line in out.splitlines() if line.count("│") > 3}
    assert {"Google", "OpenAI", "NVIDIA", "IBM", "DeepMind"} <= rows
    assert not {"openai", "Openai", "nvidia", "ibm", "deepmind"} & rows
    shown = " ".join(run("show", "co-openai-interview-process").output.split())
    assert "min to review · OpenAI" in shown
