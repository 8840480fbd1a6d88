"""The built wheel, installed like any Python tool, works from any folder.

Builds the wheel, installs it into a fresh virtualenv outside the repository with one
`pip install`, and from another folder runs `today`, `cards --json`, `search` (at a terminal,
answering yes when it offers to install the embedding model) and `export ics` with every user
folder in a temporary place. Then the same first search from `uv tool install`. Each check
that fails prints what it expected and what it got, and the script exits 1. Run by .ci/run
through `make wheel-check`.
"""

from __future__ import annotations

import argparse
import json
import os
import pty
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


def run_at_terminal(args: list[str | Path], *, cwd: Path, env: dict[str, str], answer: str) -> str:
    """Run a command whose stdin is a terminal, typing `answer` into it; returns its stdout."""
    shown = " ".join(str(a) for a in args)
    print(f"$ {shown}   (at a terminal, answering {answer!r})", flush=True)
    controller, terminal = pty.openpty()
    try:
        process = subprocess.Popen(
            [str(a) for a in args],
            cwd=cwd,
            env=env,
            stdin=terminal,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        os.close(terminal)
        os.write(controller, f"{answer}\n".encode())
        out, err = process.communicate(timeout=1800)
    finally:
        os.close(controller)
    print(err, end="", flush=True)
    if process.returncode != 0:
        raise Failed(f"`{shown}` exited {process.returncode}:\n{out}{err}")
    return out


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


def user_env(work: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STUDYPLAN_", "PYTHON"))}
    env.update(
        XDG_DATA_HOME=str(work / "data"),
        XDG_CACHE_HOME=str(work / "cache"),
        XDG_CONFIG_HOME=str(work / "config"),
    )
    return env


def first_search_installs_the_model(studyplan: Path, cwd: Path, env: dict[str, str]) -> None:
    """With no model yet, the first search asks, installs it with consent, and answers."""
    args: list[str | Path] = [studyplan, "search", "how does Apple interview", "-k", "5", "--json"]
    hits = json.loads(run_at_terminal(args, cwd=cwd, env=env, answer="y"))
    ids = [hit["id"] for hit in hits]
    check(
        any(i.startswith("co-apple") for i in ids[:3]),
        f"the first search finds Apple's interview cards in its top 3: {ids}",
    )
    info = json.loads(run([studyplan, "info", "--json"], cwd=cwd, env=env))
    check(info["model"]["problem"] is None, f"the model is installed: {info['model']['path']}")


def smoke(work: Path) -> None:
    dist, venv, elsewhere = work / "dist", work / "venv", work / "elsewhere"
    elsewhere.mkdir()
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", dist, REPO], cwd=work)
    wheels = sorted(dist.glob("studyplan-*.whl"))
    check(len(wheels) == 1, f"one wheel built: {[w.name for w in wheels]}")
    print(f"wheel: {wheels[0].name}, {wheels[0].stat().st_size / 1e6:.1f} MB", flush=True)
    run([sys.executable, "-m", "venv", venv], cwd=work)
    run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", wheels[0]], cwd=work)

    env = user_env(work)
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

    without = subprocess.run(
        [studyplan, "search", "how does Apple interview"],
        cwd=elsewhere,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    check(
        without.returncode == 1 and "`studyplan model install`" in without.stderr,
        f"without a terminal, search names the install command: {without.stderr.strip()}",
    )
    first_search_installs_the_model(studyplan, elsewhere, env)
    torch = subprocess.run([venv / "bin" / "python", "-c", "import torch"], capture_output=True)
    check(torch.returncode != 0, "still no PyTorch after the model went in")
    index = Path(json.loads(cli("info", "--json"))["index"]["path"])
    check(index.is_relative_to(work / "cache"), f"the shipped index is in the user cache ({index})")

    calendar = elsewhere / "study.ics"
    out = cli("export", "ics", "-o", "study.ics", "--date", DAY, "--tz", "UTC")
    text = calendar.read_text(encoding="utf-8")
    events = text.count("BEGIN:VEVENT")
    check(text.startswith("BEGIN:VCALENDAR") and events == 7, f"export ics wrote {events} events")
    check(out.startswith("Wrote 7 study block(s)"), f"export ics says so: {out.strip()}")


def smoke_uv(work: Path) -> None:
    """`uv tool install .` (an environment without pip): the first search still installs the
    model, through uv."""
    uv = shutil.which("uv") or str(Path(sys.executable).with_name("uv"))
    env = user_env(work / "uv")
    env.update(
        UV_TOOL_DIR=str(work / "uv" / "tools"),
        UV_TOOL_BIN_DIR=str(work / "uv" / "bin"),
        UV_CACHE_DIR=str(work / "uv" / "cache"),
    )
    env["PATH"] = f"{Path(uv).parent}{os.pathsep}{env.get('PATH', '')}"
    (work / "uv").mkdir()
    run([uv, "tool", "install", "--quiet", REPO], cwd=work / "uv", env=env)
    studyplan = work / "uv" / "bin" / "studyplan"
    check(studyplan.exists(), f"uv tool install made {studyplan}")
    first_search_installs_the_model(studyplan, work / "uv", env)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-uv", action="store_true", help="skip the `uv tool install` check")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="studyplan-wheel-"))
    try:
        smoke(work)
        if not args.no_uv:
            smoke_uv(work)
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
