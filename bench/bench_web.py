"""Time the web page on the bench workspace of bench_today.py: 2,000 cards, a year of grades.

    .venv/bin/python bench/bench_web.py [--runs 30] [--no-browser] [--no-search]

Starts `studyplan serve` in its own process, then for each page takes the median and the 90th
percentile of:
- `server`: the whole HTML answer over loopback (request sent to last byte read, warm: the
  first load of each page is left out), by plain HTTP; a page shown again with nothing
  changed reuses its plan, so the same is timed after a change too (a grade saved through
  the page, then the page, then the grade undone);
- `browser`: Chromium's own navigation timing of the page (Debian's chromium through
  Playwright): request start to the end of the load event, scripts and styles included.
A search's time inside the server comes from its Server-Timing header; the first search,
which builds the index of the bench corpus, is reported on its own. `python -c pass` is timed
in the same run, as a yardstick of how busy the machine is.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_today import STUDYPLAN, TODAY, set_interview, write_corpus, write_history

PAGES = ["/", "/review", "/card/bench-00-001", "/week", "/stats", "/search"]
QUERIES = [
    "trade-offs of approach 17",
    "benchmark question pitfalls",
    "explain the second key point",
    "approach 250 detail",
    "first key point trade-offs",
]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def get(port: int, path: str, cookie: str) -> tuple[float, str, dict[str, str]]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    began = time.perf_counter()
    connection.request("GET", path, headers={"cookie": cookie})
    answer = connection.getresponse()
    body = answer.read().decode()
    spent = time.perf_counter() - began
    connection.close()
    if answer.status != 200:
        raise SystemExit(f"{path}: HTTP {answer.status}: {body[:200]}")
    return spent, body, dict(answer.getheaders())


def post(port: int, token: str, path: str, form: str) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    headers = {
        "origin": f"http://127.0.0.1:{port}",
        "content-type": "application/x-www-form-urlencoded",
        "x-studyplan-token": token,
    }
    connection.request("POST", path, body=form.encode(), headers=headers)
    answer = connection.getresponse()
    answer.read()
    connection.close()
    if answer.status != 303:
        raise SystemExit(f"POST {path}: HTTP {answer.status}")


def python_pass(runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--no-search", action="store_true")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="studyplan-bench-web-"))
    server = None
    try:
        corpus, home = folder / "corpus", folder / "home"
        write_corpus(corpus)
        grades = write_history(home, corpus)
        env = {
            **os.environ,
            "STUDYPLAN_HOME": str(home),
            "STUDYPLAN_CORPUS": str(corpus),
            "STUDYPLAN_INDEX": str(folder / "index"),
        }
        day = ["--date", TODAY.isoformat()]
        interview = set_interview(env)
        print(f"workspace: 2000 cards, {grades} grades over a year, interview {interview}")
        server = subprocess.Popen(
            [str(STUDYPLAN), "serve", "--port", "0", "--no-open", *day],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        found = re.fullmatch(r"http://127\.0\.0\.1:(\d+)/\?token=(\S+)", url)
        if found is None:
            raise SystemExit(f"serve printed {url!r}")
        port, token = int(found.group(1)), found.group(2)
        cookie = f"studyplan-{port}={token}"
        print(
            f"python -c pass: {python_pass(10) * 1000:.0f} ms (median of 10; the machine is shared)"
        )
        print(f"{'page':<22} {'server median':>14} {'p90':>8}")
        for path in PAGES:
            get(port, path, cookie)  # warm: the first load parses the cards once
            times = [get(port, path, cookie)[0] for _ in range(options.runs)]
            print(
                f"{path:<22} {statistics.median(times) * 1000:11.1f} ms {percentile(times, 0.9) * 1000:6.1f} ms"
            )
        print(
            f"{'page, after a change':<22} {'server median':>14} {'p90':>8}  (a grade saved, then the page)"
        )
        for path in PAGES[:-1]:
            times = []
            for _ in range(max(5, options.runs // 2)):
                post(port, token, "/card/bench-19-099/grade", "quality=4")
                times.append(get(port, path, cookie)[0])
                post(port, token, "/undo", "")
            print(
                f"{path:<22} {statistics.median(times) * 1000:11.1f} ms {percentile(times, 0.9) * 1000:6.1f} ms"
            )
        if not options.no_search:
            first, _, headers = get(port, "/search?q=" + quote("cold start question"), cookie)
            print(f"first search (builds the bench corpus's index): {first:.1f} s")
            inside, total = [], []
            for run in range(options.runs):
                query = QUERIES[run % len(QUERIES)]
                spent, _, headers = get(port, "/search?q=" + quote(query), cookie)
                timing = re.search(r"search;dur=([\d.]+)", headers.get("server-timing", ""))
                assert timing is not None
                inside.append(float(timing.group(1)))
                total.append(spent * 1000)
            print(
                f"warm search: server time median {statistics.median(inside):.1f} ms, "
                f"p90 {percentile(inside, 0.9):.1f} ms; whole page median "
                f"{statistics.median(total):.1f} ms, p90 {percentile(total, 0.9):.1f} ms"
            )
        if not options.no_browser:
            browser_times(url, port, options.runs, not options.no_search)
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        shutil.rmtree(folder)


def browser_times(url: str, port: int, runs: int, search: bool) -> None:
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{port}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = browser.new_page()
        page.goto(url)
        print(f"{'page':<22} {'browser median':>15} {'p90':>8}  (request start to load event end)")
        paths = [p for p in PAGES if p != "/search"]
        paths += ["/search?q=approach+17+trade-offs"] if search else ["/search"]
        for path in paths:
            page.goto(base + path)
            times = []
            for _ in range(max(5, runs // 3)):
                page.goto(base + path)
                timing = page.evaluate(
                    "(() => { const t = performance.getEntriesByType('navigation')[0];"
                    " return t.loadEventEnd - t.requestStart; })()"
                )
                times.append(float(timing))
            print(
                f"{path:<22} {statistics.median(times):12.1f} ms {percentile(times, 0.9):6.1f} ms"
            )
        browser.close()


if __name__ == "__main__":
    main()
