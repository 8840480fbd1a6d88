"""`studyplan serve` for real: the server in its own process, driven by a real headless
Chromium (Debian's package, through Playwright), and plain HTTP against its guard."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DAY = "2026-11-25"


@dataclass
class Server:
    url: str  # the first line `serve` printed
    port: int
    process: subprocess.Popen[str]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(
        self, method: str, path: str, body: str = "", headers: dict[str, str] | None = None
    ) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body.encode(), headers=headers or {})
            answer = connection.getresponse()
            return answer.status, answer.read().decode()
        finally:
            connection.close()


def start_server(*args: str, env: dict[str, str] | None = None) -> Server:
    process = subprocess.Popen(
        [sys.executable, "-m", "studyplan", "serve", "--no-open", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env={**os.environ, **(env or {})},
    )
    assert process.stdout is not None
    first = process.stdout.readline().strip()
    found = re.fullmatch(r"http://127\.0\.0\.1:(\d+)/\?token=([A-Za-z0-9_-]{40,})", first)
    if found is None:
        process.kill()
        raise AssertionError(f"first line {first!r}; stderr: {process.communicate()[1]}")
    return Server(first, int(found.group(1)), process)


def stop(server: Server) -> str:
    server.process.terminate()
    try:
        _, errors = server.process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        server.process.kill()
        _, errors = server.process.communicate()
    return errors


@pytest.fixture
def server(isolated_home: Path) -> Iterator[Server]:
    running = start_server("--port", "0", "--date", DAY)
    yield running
    errors = stop(running)
    assert "Traceback" not in errors, errors


@dataclass
class Browser:
    """A Chromium page, with every request it made and every console error it logged."""

    page: Any
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is missing: .ci/run installs it")
        pytest.skip("needs Debian's chromium: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser(chromium: Any, server: Server) -> Iterator[Browser]:
    context = chromium.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    seen = Browser(page)
    page.on("request", lambda request: seen.requests.append(request.url))
    page.on("console", lambda m: seen.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: seen.errors.append(str(error)))
    page.goto(server.url)
    yield seen
    context.close()
    # Nothing but the server's own pages and files, and nothing the page refused to run.
    assert all(url.startswith(server.base + "/") for url in seen.requests), seen.requests
    assert seen.errors == []


def cli_json(run: Callable[..., Any], *args: str) -> Any:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_today_lists_what_today_json_lists(browser: Browser, run) -> None:  # type: ignore[no-untyped-def]
    plan = cli_json(run, "today", "--date", DAY)
    items = browser.page.get_by_test_id("plan-item")
    assert items.count() == len(plan["items"]) > 0
    shown = [
        (
            item.get_attribute("data-card-id"),
            item.get_attribute("data-kind"),
            int(item.get_attribute("data-minutes")),
        )
        for item in items.all()
    ]
    assert shown == [(i["card_id"], i["kind"], i["minutes"]) for i in plan["items"]]
    assert items.first.locator("a").inner_text() == plan["items"][0]["card_id"]


def test_reveal_and_grade_4_in_the_page_is_saved_like_the_cli(
    browser: Browser, server: Server, run
) -> None:  # type: ignore[no-untyped-def]
    page = browser.page
    page.goto(server.base + "/review")
    card_id = page.locator("article.review").get_attribute("data-card-id")
    assert page.get_by_test_id("answer").is_hidden()
    page.get_by_test_id("reveal").click()
    assert page.get_by_test_id("answer").is_visible()
    page.get_by_test_id("grade-4").click()
    page.wait_for_url(server.base + "/review")
    assert f"{card_id}: graded 4." in page.get_by_test_id("last-grade").inner_text()
    shown = cli_json(run, "show", card_id, "--date", DAY)
    assert [(g["quality"], g["kind"]) for g in shown["history"]] == [(4, "sm2")]
    assert shown["history"][0]["seconds"] is not None  # timed from showing to grading

    # The keys: Space shows the answer, 2 grades it; below 4 it comes back as a re-drill.
    second = page.locator("article.review").get_attribute("data-card-id")
    assert second != card_id
    page.keyboard.press(" ")
    assert page.get_by_test_id("answer").is_visible()
    page.keyboard.press("2")
    page.wait_for_selector('[data-testid="last-grade"]:has-text("graded 2")')
    assert cli_json(run, "show", second, "--date", DAY)["history"][0]["quality"] == 2
    today = cli_json(run, "today", "--date", DAY)
    assert (second, "relearn") in [(i["card_id"], i["kind"]) for i in today["items"]]


def test_week_and_stats_render(browser: Browser, server: Server, run) -> None:  # type: ignore[no-untyped-def]
    run("grade", "coding-two-sum", "4", "--date", "2026-11-20")
    page = browser.page
    page.goto(server.base + "/week")
    days = page.get_by_test_id("week-day")
    assert days.count() == 7
    assert days.first.get_attribute("data-date") == DAY
    assert days.first.locator("svg.bar").is_visible()
    page.goto(server.base + "/stats")
    heatmap = page.get_by_test_id("heatmap")
    assert heatmap.is_visible()
    assert heatmap.bounding_box()["width"] > 600
    assert page.locator("rect.level-4").count() == 1  # the one day with a grade
    assert "1/" in page.locator(".tile b").first.inner_text()


def test_formulas_are_typeset_by_the_vendored_katex(
    browser: Browser, server: Server, isolated_home: Path
) -> None:
    cards = isolated_home / "cards"
    cards.mkdir(parents=True)
    (cards / "math.md").write_text(
        "id: own-softmax\ntrack: ml\n\nQ: Softmax?\nA: $\\frac{e^{x_i}}{\\sum_j e^{x_j}}$\n",
        encoding="utf-8",
    )
    page = browser.page
    page.goto(server.base + "/card/own-softmax")
    page.get_by_test_id("reveal").click()
    assert page.locator(".math .katex").count() == 1
    assert page.locator(".math .katex .mfrac").count() == 1


def test_hostile_card_text_shows_as_characters_and_runs_nothing(
    browser: Browser, server: Server, isolated_home: Path, run
) -> None:  # type: ignore[no-untyped-def]
    cards = isolated_home / "cards"
    cards.mkdir(parents=True)
    prompt = "<img src=x onerror=document.title='pwned'>"
    (cards / "evil.md").write_text(
        f"id: own-evil\ntrack: ml\n\nQ: {prompt}\nA: <script>document.title='pwned'</script>\n",
        encoding="utf-8",
    )
    run("grade", "own-evil", "1", "--date", DAY)  # a re-drill: first in today's review
    page = browser.page
    for path in ("/", "/card/own-evil", "/review", "/week"):
        page.goto(server.base + path)
        assert page.locator("img").count() == 0, path
        assert page.title() != "pwned", path
    page.goto(server.base + "/card/own-evil")
    assert page.get_by_test_id("prompt").inner_text().strip() == prompt
    page.get_by_test_id("reveal").click()
    assert "<script>document.title='pwned'</script>" in page.get_by_test_id("answer").inner_text()
    assert page.title() != "pwned"


def test_a_cross_origin_form_in_the_browser_is_refused(chromium: Any, server: Server, run) -> None:  # type: ignore[no-untyped-def]
    # Another site's page, even one that knew the token, posts a grade: the browser sends its
    # own Origin (and, SameSite=Strict, no cookie), and the server refuses.
    context = chromium.new_context()
    page = context.new_page()
    page.goto(server.url)  # the user has the page open: the cookie is set
    token = server.url.split("token=")[1]
    attack = (
        f'<form id="f" method="post" action="{server.base}/card/coding-two-sum/grade">'
        f'<input name="token" value="{token}"><input name="quality" value="5"></form>'
        '<script>document.getElementById("f").submit()</script>'
    )
    page.route(
        "http://elsewhere.test/**",
        lambda route: route.fulfill(body=attack, content_type="text/html"),
    )
    with page.expect_response(f"{server.base}/card/coding-two-sum/grade") as answer:
        page.goto("http://elsewhere.test/")
    assert answer.value.status == 403
    context.close()
    assert cli_json(run, "show", "coding-two-sum", "--date", DAY)["history"] == []


def test_the_guard_of_the_real_server(server: Server, run) -> None:  # type: ignore[no-untyped-def]
    token = server.url.split("token=")[1]
    form = {"content-type": "application/x-www-form-urlencoded"}
    same = {"origin": server.base, **form}
    assert server.request("GET", "/", headers={"host": f"evil.example:{server.port}"})[0] == 403
    assert server.request("GET", f"/?token={token}", headers={"host": "evil.example"})[0] == 403
    assert server.request("GET", "/week")[0] == 403  # no token, no cookie
    assert server.request("GET", f"/week?token={token}")[0] == 303
    path = "/card/coding-two-sum/grade"
    assert server.request("POST", path, "quality=4", same)[0] == 403  # no token
    cross = {"origin": "http://evil.example", **form}
    assert server.request("POST", path, f"quality=4&token={token}", cross)[0] == 403
    assert cli_json(run, "show", "coding-two-sum", "--date", DAY)["history"] == []
    assert server.request("POST", path, f"quality=4&token={token}", same)[0] == 303
    assert cli_json(run, "show", "coding-two-sum", "--date", DAY)["history"][0]["quality"] == 4


def test_serve_listens_on_loopback_only(server: Server) -> None:
    with pytest.raises(OSError):
        socket.create_connection((outside_address(), server.port), timeout=2).close()
    socket.create_connection(("127.0.0.1", server.port), timeout=5).close()


def outside_address() -> str:
    """An address of this machine that is not loopback (the interface a route out uses)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # TEST-NET-1: a UDP connect sends nothing
        address = probe.getsockname()[0]
    except OSError:
        pytest.skip("this machine has no network interface besides loopback")
    finally:
        probe.close()
    if address.startswith("127."):
        pytest.skip("this machine has no network interface besides loopback")
    return str(address)


def test_a_port_in_use_is_one_line(isolated_home: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "studyplan", "serve", "--no-open", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == (
        f"Error: port {port} is in use — pass another with --port, or --port 0 for any free one\n"
    )


@pytest.mark.model
def test_search_in_the_page_lists_apple_results(
    chromium: Any, copy_real_index: Callable[[Path], Path], tmp_path: Path
) -> None:
    index = copy_real_index(tmp_path / "index")
    running = start_server("--port", "0", "--date", DAY, env={"STUDYPLAN_INDEX": str(index)})
    try:
        page = chromium.new_page()
        page.goto(running.url)
        page.goto(running.base + "/search")
        page.get_by_test_id("search-input").fill("how does Apple interview")
        page.get_by_test_id("search-input").press("Enter")
        results = page.get_by_test_id("search-result")
        results.first.wait_for()
        assert results.count() == 10
        top = [results.nth(n).inner_text() for n in range(3)]
        assert all("apple" in text.lower() for text in top), top
        assert results.first.get_attribute("data-id") == "co-apple-interview-process"
        page.close()
    finally:
        stop(running)
    shutil.rmtree(index)


def test_the_reference_solution_typed_into_the_editor_passes(
    browser: Browser, server: Server, shipped_cards
) -> None:  # type: ignore[no-untyped-def]
    solution = next(c for c in shipped_cards if c.id == "coding-two-sum").solution
    page = browser.page
    page.goto(server.base + "/card/coding-two-sum")
    editor = page.get_by_test_id("code-editor")
    assert editor.locator(".CodeMirror .cm-keyword").count() > 0  # the editor highlights
    editor.locator(".CodeMirror").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(solution)
    page.get_by_test_id("run-tests").click()
    result = page.get_by_test_id("code-result")
    assert result.get_attribute("data-status") == "passed"
    assert "5 check(s) passed, 0 failed" in result.inner_text()
    # A pass suggests good, or easy when it came within half the card's 6 minutes (here).
    assert page.get_by_test_id("suggested-grade").get_attribute("data-grade") == "5"
    assert page.locator(".grade.suggested").get_attribute("data-testid") == "grade-5"


def test_tab_indents_in_the_editor(browser: Browser, server: Server) -> None:
    page = browser.page
    page.goto(server.base + "/card/coding-two-sum")
    editor = page.get_by_test_id("code-editor").locator(".CodeMirror")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type("def f():")
    page.keyboard.press("Enter")  # Python mode indents the body
    page.keyboard.type("return 1")
    page.keyboard.press("Enter")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    page.keyboard.type("x")
    code = page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert code == "def f():\n    return 1\n    x"
