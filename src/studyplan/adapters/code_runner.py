"""Running Python code against a card's tests in a child process with limits.

One runner for everything that runs code: `check --run` (the reference solutions) and
`practice` (the user's own code). The child is `python -I` (no user site, no PYTHON*
variables, no current folder on the path) running `code_harness.py` in a fresh temporary
folder, which is also its HOME and TMPDIR and is removed afterwards, whatever happened. The
harness lowers its own address space, CPU time and file size before any code runs; the
parent adds a wall-clock timeout and, at the end, stops the child's whole process group, so
nothing the code started outlives the run.

This is not a sandbox against hostile code (it is the user's own, on their machine): it keeps
a runaway loop, a huge allocation or a recursion bomb from taking the machine with it.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from studyplan.adapters import code_harness

OUTPUT_CHARS = 2000  # the end of what the code printed, kept for the report


@dataclass(frozen=True, slots=True)
class Limits:
    """What one run may take: wall-clock and CPU seconds, address space, size of any file."""

    wall_seconds: float = 10.0
    cpu_seconds: int = 10
    memory_bytes: int = 2 << 30
    file_bytes: int = 64 << 20


LIMITS = Limits()  # the limits of every run, reference solutions and user code alike


@dataclass(frozen=True, slots=True)
class TestRun:
    """How one run ended.

    status: passed | failed | syntax-error | timeout | memory | crash. `passed` and `failed`
    count checks (top-level test statements holding an assert); `first_failure` is one line
    naming the test line and the values compared, or the error and its line in the code."""

    status: str
    passed: int
    failed: int
    first_failure: str | None
    seconds: float
    output: str = ""  # the end of what the code printed


def run_tests(
    code: str,
    tests: str,
    code_name: str = "solution.py",
    limits: Limits = LIMITS,
    python: str = sys.executable,
) -> TestRun:
    """Run `code`, then `tests` against it, in a limited child process; never raises for what
    the code does. `code_name` is the file name failures name lines of the code by."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="studyplan-run-") as folder:
        (Path(folder) / code_harness.CODE_FILE).write_text(code, encoding="utf-8")
        (Path(folder) / code_harness.TESTS_FILE).write_text(tests, encoding="utf-8")
        output_path = Path(folder) / "output.txt"
        environment = {key: value for key, value in os.environ.items() if key == "PATH"}
        environment.update(
            HOME=folder,
            TMPDIR=folder,
            OMP_NUM_THREADS="1",
            OPENBLAS_NUM_THREADS="1",
            MKL_NUM_THREADS="1",
        )
        arguments = [
            python,
            "-I",
            "-X",
            "utf8",
            code_harness.__file__,
            folder,
            code_name,
            str(limits.memory_bytes),
            str(limits.cpu_seconds),
            str(limits.file_bytes),
        ]
        with output_path.open("wb") as output:
            child = subprocess.Popen(
                arguments,
                cwd=folder,
                env=environment,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stopped as one below
            )
            timed_out = False
            try:
                child.wait(timeout=limits.wall_seconds)
            except subprocess.TimeoutExpired:
                timed_out = True
            finally:
                _stop_group(child)
        seconds = time.perf_counter() - started
        lines = _report_lines(Path(folder) / code_harness.REPORT_FILE)
        printed = _tail(output_path)
    return _outcome(lines, child.returncode, timed_out, seconds, printed, limits, tests)


def _stop_group(child: subprocess.Popen[bytes]) -> None:
    """Kill the child's process group (what it forked too) and reap the child."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(child.pid, signal.SIGKILL)
    child.wait()


def _report_lines(path: Path) -> list[dict[str, object]]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    lines = []
    for line in text.splitlines():
        try:
            value = json.loads(line)
        except ValueError:
            continue  # a line cut short when the child was stopped
        if isinstance(value, dict):
            lines.append(value)
    return lines


def _tail(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            handle.seek(max(0, path.stat().st_size - OUTPUT_CHARS))
            return handle.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _line(text: str, number: int) -> str:
    lines = text.splitlines()
    return lines[number - 1].strip() if 0 < number <= len(lines) else ""


def _outcome(
    lines: list[dict[str, object]],
    returncode: int | None,
    timed_out: bool,
    seconds: float,
    printed: str,
    limits: Limits,
    tests: str,
) -> TestRun:
    checks = next((int(str(line["checks"])) for line in lines if "checks" in line), 0)
    final = next((line for line in reversed(lines) if "status" in line), None)
    if final is not None and not timed_out:
        failure = final.get("failure")
        if final["status"] == "memory":
            gigabytes = f"{limits.memory_bytes / (1 << 30):g} GB"
            failure = f"stopped at the {gigabytes} memory limit: {failure}"
        return TestRun(
            str(final["status"]),
            int(str(final.get("passed", 0))),
            int(str(final.get("failed", 0))),
            str(failure) if failure else None,
            seconds,
            printed,
        )
    at = [int(str(line["at"])) for line in lines if "at" in line]
    counted = next((line for line in reversed(lines) if "passed" in line), {})
    passed = int(str(counted.get("passed", 0)))
    where = f" at tests line {at[-1]}: {_line(tests, at[-1])}" if at else ""
    cpu_stopped = returncode == -signal.SIGXCPU
    if timed_out or cpu_stopped:
        limit = (
            f"{limits.cpu_seconds} s of CPU time"
            if cpu_stopped
            else f"{limits.wall_seconds:g} s of time"
        )
        return TestRun(
            "timeout",
            passed,
            max(1, checks - passed),
            f"stopped after {limit}{where}",
            seconds,
            printed,
        )
    if returncode is not None and returncode < 0:
        name = signal.Signals(-returncode).name
        detail = f"the process was stopped by {name}{where}"
    else:
        detail = f"the process ended (exit status {returncode}) before its tests finished{where}"
    return TestRun("crash", passed, max(1, checks - passed), detail, seconds, printed)
