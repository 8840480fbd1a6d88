"""The code runner: outcomes, first failures, limits (time, CPU, memory, file size), cleanup."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pytest

from studyplan.adapters.code_runner import Limits, run_tests

TESTS = """\
assert add(1, 2) == 3
assert add(-1, 1) == 0
for a in range(5):
    assert add(a, a) == 2 * a
"""
RIGHT = "def add(a, b):\n    return a + b\n"


@pytest.fixture
def temp_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder the runner makes its temporary folders in, empty at the start."""
    root = tmp_path / "temp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def test_passing_code_counts_every_check() -> None:
    run = run_tests(RIGHT, TESTS)
    assert (run.status, run.passed, run.failed, run.first_failure) == ("passed", 3, 0, None)


def test_a_failure_names_the_test_line_and_the_values_compared() -> None:
    run = run_tests("def add(a, b):\n    return a - b\n", TESTS)
    assert (run.status, run.passed, run.failed) == ("failed", 0, 3)
    assert run.first_failure == (
        "tests line 1: assert add(1, 2) == 3 — AssertionError: left = -1, right = 3"
    )


def test_later_checks_still_run_after_a_failure() -> None:
    run = run_tests("def add(a, b):\n    return 5 if a == -1 else a + b\n", TESTS)
    assert (run.status, run.passed, run.failed) == ("failed", 2, 1)


def test_an_exception_in_the_code_names_its_line_in_the_users_file() -> None:
    code = "def add(a, b):\n    x = 1\n    return a / 0\n"
    run = run_tests(code, TESTS, code_name="mine.py")
    assert run.first_failure == (
        "tests line 1: assert add(1, 2) == 3 — ZeroDivisionError: division by zero (mine.py line 3)"
    )


def test_a_syntax_error_is_reported_with_its_line() -> None:
    run = run_tests(RIGHT + "def broken(:\n", TESTS, code_name="mine.py")
    assert run.status == "syntax-error"
    assert run.first_failure is not None and run.first_failure.startswith("mine.py line 3: ")
    assert (run.passed, run.failed) == (0, 3)


def test_an_endless_loop_is_stopped_by_the_cpu_limit() -> None:
    code = "def add(a, b):\n    while True:\n        pass\n"
    started = time.monotonic()
    run = run_tests(code, TESTS, limits=Limits(wall_seconds=20.0, cpu_seconds=1))
    assert time.monotonic() - started < 10
    assert run.status == "timeout"
    assert run.first_failure == (
        "stopped after 1 s of CPU time at tests line 1: assert add(1, 2) == 3"
    )


def test_a_sleeping_program_is_stopped_by_the_wall_clock() -> None:
    code = "import time\ndef add(a, b):\n    time.sleep(60)\n"
    run = run_tests(code, TESTS, limits=Limits(wall_seconds=1.0, cpu_seconds=10))
    assert run.status == "timeout" and run.seconds < 5
    assert run.first_failure is not None and run.first_failure.startswith("stopped after 1 s")


def test_the_checks_before_a_timeout_are_counted() -> None:
    code = "def add(a, b):\n    while a == 0:\n        pass\n    return a + b\n"
    run = run_tests(code, TESTS, limits=Limits(wall_seconds=20.0, cpu_seconds=1))
    assert (run.status, run.passed, run.failed) == ("timeout", 2, 1)


def test_allocating_eight_gigabytes_stops_at_once_with_the_memory_limit() -> None:
    code = "def add(a, b):\n    block = bytearray(8 << 30)\n    return a + b\n"
    started = time.monotonic()
    run = run_tests(code, TESTS, code_name="mine.py")
    assert time.monotonic() - started < 5
    assert run.status == "memory"
    assert run.first_failure == (
        "stopped at the 2 GB memory limit: tests line 1: assert add(1, 2) == 3 — "
        "MemoryError (mine.py line 2)"
    )


def test_a_recursion_bomb_fails_its_check_without_taking_the_run() -> None:
    code = "def add(a, b):\n    return add(a, b)\n"
    run = run_tests(code, TESTS)
    assert run.status == "failed" and run.failed == 3
    assert run.first_failure is not None and "RecursionError" in run.first_failure


def test_exiting_or_dying_early_is_a_crash() -> None:
    exited = run_tests("def add(a, b):\n    raise SystemExit(3)\n", TESTS)
    assert exited.status == "crash"
    died = run_tests("import os\nos._exit(0)\n", TESTS)
    assert died.status == "crash"
    assert died.first_failure == "the process ended (exit status 0) before its tests finished"


def test_a_file_past_the_size_limit_cannot_be_written() -> None:
    code = "with open('big', 'wb') as f:\n    f.write(b'x' * (2 << 20))\n" + RIGHT
    run = run_tests(code, TESTS, limits=Limits(file_bytes=1 << 20))
    assert run.status == "crash"
    assert run.first_failure is not None and "File too large" in run.first_failure


def test_what_the_code_prints_is_kept_to_its_end() -> None:
    code = "for i in range(10000):\n    print('line', i)\n" + RIGHT
    run = run_tests(code, TESTS)
    assert run.status == "passed"
    assert run.output.endswith("line 9999\n") and len(run.output) <= 2000


def test_the_temporary_folder_is_removed_and_files_stay_inside_it(temp_root: Path) -> None:
    code = "import os\nopen('made-here.txt', 'w').write(os.getcwd())\n" + RIGHT
    assert run_tests(code, TESTS).status == "passed"
    assert list(temp_root.iterdir()) == []


def test_the_folder_is_removed_after_a_timeout_too(temp_root: Path) -> None:
    code = "open('left.txt', 'w').write('x')\nwhile True:\n    pass\n"
    run = run_tests(code, TESTS, limits=Limits(wall_seconds=1.0, cpu_seconds=5))
    assert run.status == "timeout"
    assert list(temp_root.iterdir()) == []


def test_a_forked_child_does_not_outlive_the_run(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    code = (
        "import os, time\n"
        "child = os.fork()\n"
        "if child == 0:\n"
        "    time.sleep(120)\n"
        "    os._exit(0)\n"
        f"open({str(pid_file)!r}, 'w').write(str(child))\n" + RIGHT
    )
    assert run_tests(code, TESTS).status == "passed"
    child = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    pytest.fail(f"process {child} still runs after the run ended")


def test_the_code_runs_isolated_from_the_callers_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "helper_module_xyz.py").write_text("VALUE = 1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    monkeypatch.setenv("SECRET_SETTING", "1")
    code = "import os\nassert 'SECRET_SETTING' not in os.environ\n" + RIGHT
    assert run_tests(code, TESTS).status == "passed"
    run = run_tests("import helper_module_xyz\n" + RIGHT, TESTS)
    assert run.status == "crash" and "ModuleNotFoundError" in (run.first_failure or "")
