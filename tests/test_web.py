"""The web page in-process (Starlette's test client): each page against the command that shows
the same thing, and the guard: Host, token, Origin, Content-Security-Policy, escaping."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import Result
from starlette.testclient import TestClient

from studyplan.app.workspace import Workspace
from studyplan.web.app import create_app, site_for
from studyplan.web.guard import MAX_BODY

PORT = 8765
ORIGIN = f"http://127.0.0.1:{PORT}"
TOKEN = "a-token-for-this-test"
DAY = "2026-11-25"
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def client(isolated_home: Path) -> Iterator[TestClient]:
    """A client that has followed the printed link: it holds the token's cookie."""
    site = site_for(Workspace(isolated_home), PORT, TOKEN, date.fromisoformat(DAY))
    with TestClient(create_app(site), base_url=ORIGIN) as web:
        first = web.get(f"/?token={TOKEN}", follow_redirects=False)
        assert first.status_code == 303
        yield web


def post(web: TestClient, path: str, **fields: str) -> object:
    return web.post(
        path, data={"token": TOKEN, **fields}, headers={"origin": ORIGIN}, follow_redirects=False
    )


def cli_json(run: Callable[..., Result], *args: str) -> object:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


class PageParts(HTMLParser):
    """What a page holds that could run: scripts, event handlers, style attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.inline_scripts = 0
        self.scripts: list[str] = []
        self.handlers: list[str] = []
        self.styles = 0
        self.imgs = 0
        self.plan_items: list[dict[str, str]] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script":
            if found.get("src"):
                self.scripts.append(found["src"] or "")
            else:
                self._in_script = True
        if tag == "img":
            self.imgs += 1
        self.handlers += [name for name, _ in attrs if name.startswith("on")]
        self.styles += sum(1 for name, _ in attrs if name == "style")
        if found.get("data-testid") == "plan-item":
            self.plan_items.append({k: v or "" for k, v in found.items()})

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False


def parts(html: str) -> PageParts:
    parser = PageParts()
    parser.feed(html)
    return parser


def test_today_lists_the_items_of_today_json_in_order(client: TestClient, run) -> None:  # type: ignore[no-untyped-def]
    run("config", "interview-date", "2027-01-15", "--date", DAY)
    run("grade", "coding-two-sum", "2", "--date", DAY)  # a re-drill joins the plan
    plan = cli_json(run, "today", "--date", DAY)
    assert isinstance(plan, dict)
    page = client.get("/")
    assert page.status_code == 200
    shown = [
        (i["data-card-id"], i["data-kind"], int(i["data-minutes"]))
        for i in parts(page.text).plan_items
    ]
    expected = [(i["card_id"], i["kind"], i["minutes"]) for i in plan["items"]]
    assert shown == expected
    assert ("coding-two-sum", "relearn") in [(c, k) for c, k, _ in shown]
    assert f"{plan['minutes_planned']} of {plan['minutes_budget']} min planned" in page.text
    assert "Interview in 51 days (2027-01-15)" in page.text


def test_a_grade_in_the_review_is_the_grade_the_cli_shows(client: TestClient, run) -> None:  # type: ignore[no-untyped-def]
    first = re.search(r'<article class="review" data-card-id="([^"]+)"', client.get("/review").text)
    assert first is not None
    card_id = first.group(1)
    answer = post(client, "/review/grade", card_id=card_id, quality="4")
    assert answer.status_code == 303  # type: ignore[attr-defined]
    shown = cli_json(run, "show", card_id, "--date", DAY)
    assert isinstance(shown, dict)
    assert [(g["day"], g["quality"], g["kind"]) for g in shown["history"]] == [(DAY, 4, "sm2")]
    assert shown["state"]["interval"] == 1
    page = client.get("/review").text
    assert f"{card_id}: graded 4. Next review 2026-11-26 (in 1 day)" in page
    assert f'data-card-id="{card_id}"' not in page.split("<article", 1)[-1][:200]


def test_a_card_graded_below_4_comes_back_at_the_end_as_a_re_drill(client: TestClient, run) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/review").text
    card_id = re.search(r'data-card-id="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    total = int(re.search(r"1 of (\d+)", page).group(1))  # type: ignore[union-attr]
    post(client, "/review/grade", card_id=card_id, quality="2")
    seen, kinds = [], []
    for _ in range(total):  # the plan's other cards, then the re-drill (more may follow:
        page = client.get("/review").text  # the session goes on while minutes are left)
        found = re.search(r'<article class="review" data-card-id="([^"]+)"', page)
        if found is None:
            break
        seen.append(found.group(1))
        kinds.append(re.search(r'class="kind kind-(\w+)"', page).group(1))  # type: ignore[union-attr]
        post(client, "/review/grade", card_id=found.group(1), quality="4")
    assert seen[-1] == card_id and kinds[-1] == "relearn"
    assert card_id not in seen[:-1]
    history = cli_json(run, "show", card_id, "--date", DAY)["history"]  # type: ignore[index]
    assert [(g["quality"], g["kind"]) for g in history] == [(2, "sm2"), (4, "drill")]


def test_a_grade_sent_twice_is_saved_once(client: TestClient, run) -> None:  # type: ignore[no-untyped-def]
    card_id = re.search(r'data-card-id="([^"]+)"', client.get("/review").text).group(1)  # type: ignore[union-attr]
    post(client, "/review/grade", card_id=card_id, quality="5")
    again = post(client, "/review/grade", card_id=card_id, quality="5")
    assert again.headers["location"] == "/review?stale=1"  # type: ignore[attr-defined]
    assert len(cli_json(run, "show", card_id, "--date", DAY)["history"]) == 1  # type: ignore[index]


def test_undo_in_the_page_is_the_cli_undo(client: TestClient, run) -> None:  # type: ignore[no-untyped-def]
    run("grade", "coding-two-sum", "4", "--date", DAY)
    before = cli_json(run, "show", "coding-valid-anagram", "--date", DAY)
    post(client, "/card/coding-valid-anagram/grade", quality="5")
    assert len(cli_json(run, "show", "coding-valid-anagram", "--date", DAY)["history"]) == 1  # type: ignore[index]
    answer = post(client, "/undo", next="/review")
    assert answer.headers["location"] == "/review"  # type: ignore[attr-defined]
    assert cli_json(run, "show", "coding-valid-anagram", "--date", DAY)["state"] == before["state"]  # type: ignore[index]
    assert (
        "Took back coding-valid-anagram graded 5 on 2026-11-25: the card is new again."
        in client.get("/review").text
    )
    post(client, "/undo")
    assert cli_json(run, "show", "coding-two-sum", "--date", DAY)["state"] is None  # type: ignore[index]
    post(client, "/undo")
    assert "nothing to undo" in client.get("/").text


def test_the_card_page_shows_the_card_its_schedule_and_grades(client: TestClient, run) -> None:  # type: ignore[no-untyped-def]
    run("grade", "coding-two-sum", "3", "--date", "2026-11-20", "--seconds", "75")
    page = client.get("/card/coding-two-sum").text
    assert "Given an unsorted integer array" in page
    assert "Next review 2026-11-21 (interval 1 d)" in page
    assert "<td>2026-11-20</td><td>3</td><td>sm2</td>\n<td>1:15</td>" in page
    assert '<span class="k">def</span>' in page  # the reference solution, highlighted
    assert client.get("/card/no-such-card").status_code == 404


def test_markdown_answers_render_with_code_and_formulas(
    client: TestClient, isolated_home: Path
) -> None:
    cards = isolated_home / "cards"
    cards.mkdir(parents=True)
    (cards / "mine.md").write_text(
        "track: ml\n\nQ: Softmax?\nA: **Normalised** exponentials $e^{x_i} / \\sum_j e^{x_j}$\n\n"
        "```python\ndef f():\n    return 1\n```\n",
        encoding="utf-8",
    )
    page = client.get("/card/own-softmax").text
    assert "<strong>Normalised</strong>" in page
    assert '<span class="math">e^{x_i} / \\sum_j e^{x_j}</span>' in page
    assert '<span class="k">return</span>' in page


def test_hostile_card_text_is_shown_as_text(client: TestClient, isolated_home: Path, run) -> None:  # type: ignore[no-untyped-def]
    cards = isolated_home / "cards"
    cards.mkdir(parents=True)
    (cards / "evil.md").write_text(
        f"id: own-evil\ntrack: ml\n\nQ: {XSS}\nA: <script>alert(2)</script> [x](javascript:alert(3))\n",
        encoding="utf-8",
    )
    run("grade", "own-evil", "1", "--date", DAY)  # a re-drill: on today's plan and the week's
    for path in ("/", "/card/own-evil", "/week", "/review"):
        page = client.get(path).text
        assert "&lt;img src=x onerror=alert(1)&gt;" in page, path
        found = parts(page)
        assert found.imgs == 0 and found.handlers == [] and found.inline_scripts == 0, path
    card = client.get("/card/own-evil").text
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in card
    assert 'href="javascript' not in card


def test_every_page_runs_only_the_server_s_own_scripts(client: TestClient, run) -> None:  # type: ignore[no-untyped-def]
    run("grade", "coding-two-sum", "4", "--date", "2026-11-20")
    for path in ("/", "/review", "/card/coding-two-sum", "/search", "/week", "/stats"):
        answer = client.get(path)
        assert answer.status_code == 200, path
        csp = answer.headers["content-security-policy"]
        assert "script-src 'self';" in csp and "default-src 'none'" in csp
        assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        found = parts(answer.text)
        assert found.inline_scripts == 0 and found.handlers == [] and found.styles == 0, path
        assert all(src.startswith("/static/") for src in found.scripts), path
        assert answer.headers["cache-control"] == "no-store"


def test_the_vendored_files_are_served_with_their_licence(client: TestClient) -> None:
    script = client.get("/static/vendor/katex/katex.min.js")
    assert script.status_code == 200 and "katex" in script.text[:2000].lower()
    assert "MIT License" in client.get("/static/vendor/katex/LICENSE").text
    css = client.get("/static/vendor/katex/katex.min.css").text
    for font in set(re.findall(r"url\((fonts/[^)]+\.woff2)\)", css)):
        assert client.get(f"/static/vendor/katex/{font}").status_code == 200, font


def test_week_is_a_grid_of_seven_days_as_the_week_command_plans_them(
    client: TestClient, run
) -> None:  # type: ignore[no-untyped-def]
    week = cli_json(run, "week", "--date", DAY)
    page = client.get("/week").text
    days = re.findall(r'data-testid="week-day" data-date="([^"]+)"', page)
    assert days == [d["date"] for d in week["days"]]  # type: ignore[index]
    first = week["days"][0]  # type: ignore[index]
    assert f"<b>{first['minutes'] + first['minutes_redrill']}</b>/{first['budget']} min" in page


def test_stats_draws_a_year_of_reviews(client: TestClient, run) -> None:  # type: ignore[no-untyped-def]
    run("grade", "coding-two-sum", "4", "--date", "2026-03-02")
    run("grade", "coding-two-sum", "4", "--date", "2026-03-03")
    page = client.get("/stats").text
    assert "Reviews, last 53 weeks" in page
    assert "<title>2026-03-02: 1 grade</title>" in page
    cells = re.findall(r'<rect class="level-(\d)"', page)
    assert len(cells) == 52 * 7 + 3  # 52 full weeks and Monday to Wednesday
    assert cells.count("0") == len(cells) - 2
    assert "1/681 introduced" in page or "introduced" in page


def test_search_without_an_index_says_what_to_do(client: TestClient) -> None:
    page = client.get("/search?q=how+does+Apple+interview&track=nonsense")
    assert page.status_code == 200
    assert 'class="error"' in page.text  # the model is out of reach in this test
    assert 'value="how does Apple interview"' in page.text
    assert "server-timing" in page.headers


# The guard.


def test_the_printed_link_sets_the_cookie_and_drops_the_token(isolated_home: Path) -> None:
    site = site_for(Workspace(isolated_home), PORT, TOKEN, date.fromisoformat(DAY))
    with TestClient(create_app(site), base_url=ORIGIN) as web:
        assert web.get("/").status_code == 403
        assert web.get("/?token=wrong").status_code == 403
        assert web.get("/static/app.css").status_code == 403
        answer = web.get(f"/search?q=x&token={TOKEN}", follow_redirects=False)
        assert answer.status_code == 303
        assert answer.headers["location"] == "/search?q=x"
        cookie = answer.headers["set-cookie"]
        assert cookie.startswith(f"studyplan-{PORT}={TOKEN};")
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        assert web.get("/week").status_code == 200


@pytest.mark.parametrize(
    "host", ["evil.example:8765", "127.0.0.1:9999", "localhost", "127.0.0.1", "[::1]:8765", ""]
)
def test_a_foreign_host_is_refused(client: TestClient, host: str) -> None:
    answer = client.get("/", headers={"host": host})
    assert answer.status_code == 403
    assert "answers to 127.0.0.1 and localhost only" in answer.text


def test_localhost_is_this_server_too(client: TestClient) -> None:
    assert client.get("/", headers={"host": f"localhost:{PORT}"}).status_code == 200


def no_grades(run: Callable[..., Result]) -> bool:
    return cli_json(run, "show", "coding-two-sum", "--date", DAY)["history"] == []  # type: ignore[index]


def test_a_post_without_the_token_changes_nothing(client: TestClient, run) -> None:  # type: ignore[no-untyped-def]
    # The cookie alone is not enough: a change needs the token in the form or a header.
    answer = client.post(
        "/card/coding-two-sum/grade", data={"quality": "4"}, headers={"origin": ORIGIN}
    )
    assert answer.status_code == 403
    assert "lacks this server's token" in answer.text
    wrong = client.post(
        "/card/coding-two-sum/grade",
        data={"quality": "4", "token": "guess"},
        headers={"origin": ORIGIN},
    )
    assert wrong.status_code == 403
    assert no_grades(run)


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "", f"http://localhost:{PORT}"])
def test_a_cross_origin_post_changes_nothing(client: TestClient, run, origin: str) -> None:  # type: ignore[no-untyped-def]
    headers = {"origin": origin} if origin else {}
    answer = client.post(
        "/card/coding-two-sum/grade", data={"quality": "4", "token": TOKEN}, headers=headers
    )
    assert answer.status_code == 403
    assert "did not come from studyplan's own page" in answer.text
    assert no_grades(run)


def test_the_token_header_serves_scripts(client: TestClient, run) -> None:  # type: ignore[no-untyped-def]
    answer = client.post(
        "/card/coding-two-sum/grade",
        data={"quality": "4"},
        headers={"origin": ORIGIN, "x-studyplan-token": TOKEN},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert not no_grades(run)


def test_a_body_over_the_limit_is_refused(client: TestClient, run) -> None:  # type: ignore[no-untyped-def]
    answer = client.post(
        "/card/coding-two-sum/grade",
        content=b"token=" + TOKEN.encode() + b"&quality=4&pad=" + b"x" * MAX_BODY,
        headers={"origin": ORIGIN, "content-type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == 413
    assert no_grades(run)


# Practice on the card's page.


def test_code_run_against_the_card_s_tests(client: TestClient, shipped_cards) -> None:  # type: ignore[no-untyped-def]
    card = next(c for c in shipped_cards if c.id == "coding-two-sum")
    page = client.get("/card/coding-two-sum").text
    assert 'data-testid="code-editor"' in page and "def two_sum(nums, target):" in page
    passed = post(client, "/card/coding-two-sum/run", code=card.solution)
    assert passed.status_code == 200  # type: ignore[attr-defined]
    text = passed.text  # type: ignore[attr-defined]
    assert 'data-status="passed"' in text
    # A pass within half the card's minutes of first showing its page suggests easy.
    assert 'data-testid="suggested-grade" data-grade="5"' in text
    assert 'class="grade grade-5 suggested"' in text
    wrong = post(
        client, "/card/coding-two-sum/run", code="def two_sum(nums, target):\n    return [0, 1]\n"
    )
    text = wrong.text  # type: ignore[attr-defined]
    assert 'data-status="failed"' in text and 'data-grade="1"' in text
    assert "assert two_sum([3, 2, 4], 6) == [1, 2]" in text  # the first failing check
    assert "return [0, 1]" in text  # the code stays in the editor


def test_code_run_on_the_page_is_kept_in_the_practice_file(
    client: TestClient, isolated_home: Path
) -> None:
    """The page and `studyplan practice` share one file: code run on the page is there when
    the page opens again, and code written in the file opens on the page."""
    mine = "def two_sum(nums, target):\n    seen = {}  # mine\n    return []\n"
    post(client, "/card/coding-two-sum/run", code=mine)
    saved = isolated_home / "practice" / "coding-two-sum.py"
    assert saved.read_text(encoding="utf-8") == mine
    assert "seen = {}  # mine" in client.get("/card/coding-two-sum").text
    saved.write_text("def two_sum(nums, target):\n    return 'from my editor'\n")
    assert "from my editor" in client.get("/card/coding-two-sum").text


def test_a_grade_after_practice_is_timed_and_saved(client: TestClient, run) -> None:  # type: ignore[no-untyped-def]
    client.get("/card/coding-two-sum")
    answer = post(client, "/card/coding-two-sum/grade", quality="4")
    assert answer.headers["location"] == "/card/coding-two-sum"  # type: ignore[attr-defined]
    history = cli_json(run, "show", "coding-two-sum", "--date", DAY)["history"]  # type: ignore[index]
    assert [(g["quality"], g["seconds"] is not None) for g in history] == [(4, True)]
    assert (
        "coding-two-sum: graded 4. Next review 2026-11-26"
        in client.get("/card/coding-two-sum").text
    )


def test_a_card_without_tests_asks_for_a_typed_answer(client: TestClient) -> None:
    page = client.get("/card/ml-bias-variance-tradeoff").text
    assert 'data-testid="answer-input"' in page and 'data-testid="code-editor"' not in page
    refused = post(client, "/card/ml-bias-variance-tradeoff/run", code="print(1)")
    assert refused.status_code == 400  # type: ignore[attr-defined]
    assert "has no tests to run code against" in refused.text  # type: ignore[attr-defined]


@pytest.mark.model
def test_a_typed_answer_is_checked_against_the_key_points(
    client: TestClient, copy_real_index, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("STUDYPLAN_INDEX", str(copy_real_index(tmp_path / "index")))
    answer = (
        "Expected squared error splits into bias squared plus variance plus irreducible noise. "
        "Bias comes from assumptions that are too simple; variance from sensitivity to the sample."
    )
    page = post(client, "/card/ml-bias-variance-tradeoff/check", answer=answer).text  # type: ignore[attr-defined]
    covered = re.search(r'<ul class="covered">(.*?)</ul>', page, re.S)
    missing = re.search(r'<ul class="missing">(.*?)</ul>', page, re.S)
    assert covered is not None and "bias² + variance + irreducible noise" in covered.group(1)
    assert missing is not None and "Levers" in missing.group(1)
    assert re.search(r'data-testid="suggested-grade" data-grade="[0-5]"', page)


def test_readiness_comes_after_the_stats_page(client: TestClient, run) -> None:  # type: ignore[no-untyped-def]
    run("config", "interview-date", "2027-01-15", "--date", DAY)
    page = client.get("/stats").text
    assert 'data-fragment="/stats/readiness"' in page
    part = client.get("/stats/readiness").text
    assert part.startswith('<section id="readiness"')
    assert "Readiness for 2027-01-15 (in 51 days): 0 of " in part
    again = client.get("/stats").text  # computed once: now part of the page
    assert "data-fragment" not in again and "Readiness for 2027-01-15 (in 51 days)" in again
    run("grade", "coding-two-sum", "4", "--date", DAY)  # a change: computed afresh
    assert 'data-fragment="/stats/readiness"' in client.get("/stats").text


def test_a_day_off_on_the_page_plans_nothing_and_says_when_study_resumes(
    client: TestClient, run
) -> None:  # type: ignore[no-untyped-def]
    run("config", "interview-date", "2027-01-15", "--date", DAY)
    run("config", "days-off", "2026-11-25..2026-11-27")
    page = " ".join(client.get("/").text.split())
    assert "A day off." in page
    assert "Nothing is planned today; study resumes on Saturday 28 November." in page
    assert 'data-testid="plan-item"' not in page
    week = client.get("/week").text
    days_off = re.findall(
        r'data-date="(2026-11-2[5-7])">.*?<p class="note">day off</p>', week, re.S
    )
    assert days_off == ["2026-11-25", "2026-11-26", "2026-11-27"]
