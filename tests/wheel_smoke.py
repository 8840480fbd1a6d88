"""The built wheel, installed like any Python tool, works from any folder.

Builds the wheel, installs it into a fresh virtualenv outside the repository (the model
package with --no-deps, as the README says, so no PyTorch), and from another folder runs
`today`, `cards --json`, `index`, `search` and `export ics` with every user folder in a
temporary place. Each check that fails prints what it expected and what it got, and the
script exits 1. Run by .ci/run through `make wheel-check`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DAY = "2026-11-25"


class Failed(Exception):
    pass


def run(args: list[str | Path], *, cwd: Path, env: dict[str, str] | None = None) -> str:
    shown = " ".join(str(a) for a in args)
    print(f"$ {shown}", flush=True)
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise Failed(f"`{shown}` exited {done.returncode}:\n{done.stdout}{done.stderr}")
    return done.stdout


def check(condition: bool, message: str) -> None:
    if not condition:
        raise Failed(message)
    print(f"ok: {message}", flush=True)


def shipped_card_count() -> int:
    """The cards in the source tree's corpus, counted from the TOML files themselves."""
    count = 0
    for path in sorted((REPO / "corpus" / "cards").glob("*.toml")):
        count += len(tomllib.loads(path.read_text(encoding="utf-8")).get("card", []))
    return count


def smoke(work: Path, model: str) -> None:
    dist, venv, elsewhere = work / "dist", work / "venv", work / "elsewhere"
    elsewhere.mkdir()
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", dist, REPO], cwd=work)
    wheels = sorted(dist.glob("studyplan-*.whl"))
    check(len(wheels) == 1, f"one wheel built: {[w.name for w in wheels]}")
    print(f"wheel: {wheels[0].name}, {wheels[0].stat().st_size / 1e6:.1f} MB", flush=True)
    run([sys.executable, "-m", "venv", venv], cwd=work)
    pip = [venv / "bin" / "python", "-m", "pip", "install", "--quiet"]
    run([*pip, "--no-deps", model], cwd=work)
    run([*pip, wheels[0]], cwd=work)

    env = {k: v for k, v in os.environ.items() if not k.startswith(("STUDYPLAN_", "PYTHON"))}
    env.update(
        XDG_DATA_HOME=str(work / "data"),
        XDG_CACHE_HOME=str(work / "cache"),
        XDG_CONFIG_HOME=str(work / "config"),
    )
    studyplan = venv / "bin" / "studyplan"

    def cli(*args: str) -> str:
        return run([studyplan, *args], cwd=elsewhere, env=env)

    torch = subprocess.run([venv / "bin" / "python", "-c", "import torch"], capture_output=True)
    check(torch.returncode != 0, "no PyTorch in the installed environment")

    info = json.loads(cli("info", "--json"))
    check(
        Path(info["corpus"]).is_relative_to(venv),
        f"the corpus is read from the installed package ({info['corpus']})",
    )
    check(
        Path(info["workspace"]).is_relative_to(work / "data"),
        f"the workspace is the user data folder ({info['workspace']})",
    )
    expected = shipped_card_count()
    cards = json.loads(cli("cards", "--json"))
    check(len(cards) == expected > 0, f"cards --json lists {len(cards)} cards, expected {expected}")
    check(info["counts"]["cards"] == expected, f"info counts {info['counts']['cards']} cards")

    today = json.loads(cli("today", "--date", DAY, "--json"))
    check(len(today["items"]) > 0, f"today plans {len(today['items'])} cards on {DAY}")
    check("Nothing left" not in cli("today", "--date", DAY), "today prints a plan")

    cli("index")
    index = Path(json.loads(cli("info", "--json"))["index"]["path"])
    check(index.is_relative_to(work / "cache"), f"the shipped index is in the user cache ({index})")
    hits = json.loads(cli("search", "how does Apple interview", "-k", "5", "--json"))
    ids = [hit["id"] for hit in hits]
    check(
        any(i.startswith("co-apple") for i in ids[:3]),
        f"search finds Apple's interview cards in its top 3: {ids}",
    )

    calendar = elsewhere / "study.ics"
    out = cli("export", "ics", "-o", "study.ics", "--date", DAY, "--tz", "UTC")
    text = calendar.read_text(encoding="utf-8")
    events = text.count("BEGIN:VEVENT")
    check(text.startswith("BEGIN:VCALENDAR") and events == 7, f"export ics wrote {events} events")
    check(out.startswith("Wrote 7 study block(s)"), f"export ics says so: {out.strip()}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True, help="the model package requirement")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="studyplan-wheel-"))
    try:
        smoke(work, args.model)
    except Failed as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print("wheel check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
