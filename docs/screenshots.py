"""Take the README's screenshots of the web page: a workspace with three weeks of study,
`studyplan serve` on it, each page in Debian's headless Chromium (through Playwright).

    .venv/bin/python docs/screenshots.py

Writes docs/web-today.png, web-review.png, web-card.png, web-search.png, web-week.png and
web-stats.png. Search uses the shipped corpus's index (`studyplan index` builds it).
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from studyplan.app import study
from studyplan.app.workspace import Workspace

DOCS = Path(__file__).resolve().parent
TODAY = date(2026, 11, 25)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def study_three_weeks(home: Path) -> None:
    """Each day's plan from 4 November graded as a learner might, then the settings."""
    workspace = Workspace(home)
    study.set_setting(workspace, "interview-date", "2027-01-15", TODAY)
    study.set_setting(workspace, "companies", "apple,nvidia", TODAY)
    study.set_setting(workspace, "minutes-per-day", "45", TODAY)
    rng = random.Random(3)
    day = TODAY - timedelta(days=21)
    while day < TODAY:
        if day.weekday() != 6:  # a day off on Sundays
            for item in study.today_plan(workspace, day).items:
                quality = rng.choice([2, 3, 4, 4, 4, 5])
                study.grade_card(workspace, item.card_id, quality, day, rng.randint(40, 300))
        day += timedelta(days=1)
    workspace.close()


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="studyplan-screens-"))
    server = None
    try:
        home = folder / "home"
        study_three_weeks(home)
        env = {**os.environ, "STUDYPLAN_HOME": str(home)}
        server = subprocess.Popen(
            [sys.executable, "-m", "studyplan", "serve", "--port", "0", "--no-open"]
            + ["--date", TODAY.isoformat()],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        port = re.search(r":(\d+)/", url)
        assert port is not None, url
        shoot(url, f"http://127.0.0.1:{port.group(1)}")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=60)
        shutil.rmtree(folder)


def shoot(url: str, base: str) -> None:
    from playwright.sync_api import sync_playwright

    solution = (
        "def two_sum(nums, target):\n    seen = {}\n    for i, x in enumerate(nums):\n"
        "        if target - x in seen:\n            return [seen[target - x], i]\n"
        "        seen[x] = i\n    return []\n"
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1100, "height": 800}, device_scale_factor=1)
        page.goto(url)
        page.screenshot(path=DOCS / "web-today.png", full_page=True)
        page.goto(base + "/review")
        page.get_by_test_id("reveal").click()
        page.screenshot(path=DOCS / "web-review.png", full_page=True)
        page.goto(base + "/card/coding-two-sum")
        page.get_by_test_id("code-editor").locator(".CodeMirror").click()
        page.keyboard.press("Control+A")
        page.keyboard.insert_text(solution)
        page.get_by_test_id("run-tests").click()
        page.get_by_test_id("code-result").wait_for()
        page.screenshot(path=DOCS / "web-card.png", full_page=True)
        page.goto(base + "/search?q=how+does+Apple+interview", timeout=600_000)
        page.screenshot(path=DOCS / "web-search.png", full_page=True)
        page.goto(base + "/week")
        page.screenshot(path=DOCS / "web-week.png", full_page=True)
        page.goto(base + "/stats")
        page.locator("#readiness p:not(.note)").wait_for(timeout=120_000)
        page.screenshot(path=DOCS / "web-stats.png", full_page=True)
        browser.close()


if __name__ == "__main__":
    main()
