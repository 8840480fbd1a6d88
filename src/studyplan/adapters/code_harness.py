"""The program that runs inside the child process of `code_runner`: limits, then code, then tests.

It runs as a script (`python -I code_harness.py FOLDER LIMITS`), imports the standard
library only, and never imports studyplan. In order it:

1. lowers its own limits (address space, CPU seconds, file size, no core files) before it
   reads any user code — set here rather than in `preexec_fn`, which is unsafe in a parent
   running threads, as `check --run` does;
2. compiles the code (a syntax error is reported as such) and runs it;
3. runs the tests one top-level statement at a time. A statement holding an `assert` is one
   *check*: a failing check is counted and the next one runs. Any other statement is set-up,
   and when set-up fails the remaining checks count as failed;
4. appends to the report the line of each check before it runs and the counts after it, so
   a run stopped from outside (time) still says where it was, and ends with the outcome.

An `assert` on a comparison is rewritten to keep both sides (`assert (l := a) == (r := b)`,
with names of its own), so a failure shows the values Python compared.
"""

from __future__ import annotations

import ast
import json
import os
import resource
import signal
import sys
import traceback
from types import CodeType, FrameType, TracebackType
from typing import Any

CODE_FILE = "code.py"
TESTS_FILE = "tests.py"
REPORT_FILE = "report.jsonl"
VALUE_CHARS = 160  # a value longer than this is cut in the report
KEPT = "__studyplan_value_"  # prefix of the names an assertion's values are kept under


def set_limits(memory_bytes: int, cpu_seconds: int, file_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (file_bytes, file_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails, not the run


class KeepValues(ast.NodeTransformer):
    """Rewrites each assert so the values it tested stay in named variables."""

    def __init__(self) -> None:
        self.kept: dict[int, list[str]] = {}  # line of an assert -> names of its kept values

    def visit_Assert(self, node: ast.Assert) -> ast.Assert:
        number = len(self.kept)
        test = node.test
        names: list[str] = []

        def keep(value: ast.expr, part: str) -> ast.expr:
            name = f"{KEPT}{number}_{part}"
            names.append(name)
            target = ast.Name(id=name, ctx=ast.Store())
            return ast.copy_location(ast.NamedExpr(target=target, value=value), value)

        if isinstance(test, ast.Compare) and len(test.ops) == 1:
            test = ast.Compare(
                left=keep(test.left, "left"),
                ops=test.ops,
                comparators=[keep(test.comparators[0], "right")],
            )
        elif isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            test = ast.UnaryOp(op=test.op, operand=keep(test.operand, "value"))
        elif not isinstance(test, ast.BoolOp):
            test = keep(test, "value")
        if names:
            self.kept[node.lineno] = names
        return ast.copy_location(
            ast.Assert(test=ast.copy_location(test, node.test), msg=node.msg), node
        )


def short_repr(value: object) -> str:
    try:
        text = repr(value)
    except Exception as exc:  # a user object whose repr fails
        return f"<unprintable {type(value).__name__}: {type(exc).__name__}>"
    return text if len(text) <= VALUE_CHARS else text[: VALUE_CHARS - 3] + "..."


class Report:
    """The report file, opened before any user code runs; one JSON object per line."""

    def __init__(self, path: str) -> None:
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    def write(self, **fields: Any) -> None:
        os.write(self._fd, (json.dumps(fields) + "\n").encode("utf-8"))


def frames(tb: TracebackType | None) -> list[tuple[FrameType, int]]:
    found = []
    while tb is not None:
        found.append((tb.tb_frame, tb.tb_lineno))
        tb = tb.tb_next
    return found


def describe(
    exc: BaseException, code_name: str, tests_lines: list[str], kept: dict[int, list[str]]
) -> tuple[int | None, str]:
    """Where a check failed (its line in the tests) and what went wrong, in one line."""
    stack = frames(exc.__traceback__)
    in_tests = [(frame, line) for frame, line in stack if frame.f_code.co_filename == TESTS_FILE]
    in_code = [line for frame, line in stack if frame.f_code.co_filename == code_name]
    line = in_tests[-1][1] if in_tests else None
    where = ""
    if line is not None and 0 < line <= len(tests_lines):
        where = f"tests line {line}: {tests_lines[line - 1].strip()}"
    if isinstance(exc, AssertionError) and in_tests and not in_code:
        frame = in_tests[-1][0]
        values = [
            f"{name.rsplit('_', 1)[1]} = {short_repr(frame.f_locals[name])}"
            for name in kept.get(line or 0, [])
            if name in frame.f_locals
        ]
        parts = [str(exc)] if str(exc) else []
        parts += [", ".join(values)] if values else []
        named = "AssertionError" + (f": {'; '.join(parts)}" if parts else "")
        return line, f"{where} — {named}" if where else named
    error = traceback.format_exception_only(type(exc), exc)[-1].strip()
    if in_code:
        error += f" ({code_name} line {in_code[-1]})"
    return line, f"{where} — {error}" if where else error


def has_assert(statement: ast.stmt) -> bool:
    return any(isinstance(node, ast.Assert) for node in ast.walk(statement))


def run(folder: str, code_name: str) -> None:
    report = Report(os.path.join(folder, REPORT_FILE))
    with open(os.path.join(folder, CODE_FILE), encoding="utf-8") as handle:
        code_text = handle.read()
    with open(os.path.join(folder, TESTS_FILE), encoding="utf-8") as handle:
        tests_text = handle.read()
    tests = ast.parse(tests_text, TESTS_FILE)
    keeper = KeepValues()
    tests = keeper.visit(tests)
    ast.fix_missing_locations(tests)
    checks = sum(1 for statement in tests.body if has_assert(statement))
    report.write(checks=checks)
    try:
        compiled: CodeType = compile(code_text, code_name, "exec")
    except (SyntaxError, ValueError) as exc:
        line = getattr(exc, "lineno", None)
        detail = getattr(exc, "msg", str(exc))
        at = f"{code_name} line {line}: " if line else f"{code_name}: "
        report.write(status="syntax-error", passed=0, failed=checks, failure=at + detail)
        return
    namespace: dict[str, Any] = {"__name__": "solution", "__builtins__": __builtins__}
    tests_lines = tests_text.splitlines()
    try:
        exec(compiled, namespace)
    except MemoryError as exc:
        _, detail = describe(exc, code_name, tests_lines, {})
        report.write(status="memory", passed=0, failed=checks, failure=detail)
        return
    except BaseException as exc:
        _, detail = describe(exc, code_name, tests_lines, {})
        report.write(
            status="crash", passed=0, failed=checks, failure=f"while the code loaded: {detail}"
        )
        return
    passed = failed = 0
    first: str | None = None
    for statement in tests.body:
        is_check = has_assert(statement)
        if is_check:
            report.write(at=statement.lineno)
        block = compile(ast.Module(body=[statement], type_ignores=[]), TESTS_FILE, "exec")
        try:
            exec(block, namespace)
        except MemoryError as exc:
            _, detail = describe(exc, code_name, tests_lines, keeper.kept)
            report.write(status="memory", passed=passed, failed=checks - passed, failure=detail)
            return
        except (SystemExit, KeyboardInterrupt) as exc:
            _, detail = describe(exc, code_name, tests_lines, keeper.kept)
            report.write(
                status="crash", passed=passed, failed=checks - passed, failure=f"exit: {detail}"
            )
            return
        except BaseException as exc:
            _, detail = describe(exc, code_name, tests_lines, keeper.kept)
            first = first or detail
            if not is_check:  # set-up failed: what follows cannot run
                report.write(status="failed", passed=passed, failed=checks - passed, failure=first)
                return
            failed += 1
        else:
            passed += is_check
        if is_check:
            report.write(passed=passed, failed=failed, failure=first)
    status = "passed" if failed == 0 else "failed"
    report.write(status=status, passed=passed, failed=failed, failure=first)


def main() -> None:
    folder, code_name, memory, cpu, file_bytes = sys.argv[1:6]
    set_limits(int(memory), int(cpu), int(file_bytes))
    sys.setrecursionlimit(3000)
    run(folder, code_name)


if __name__ == "__main__":
    main()
