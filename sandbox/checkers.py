"""Checkers decide whether an output answers a test.

Token and float checkers are pure functions run on the host. Checker programs (testlib-style
and Kattis output validators) are programs like any other, so they run in the sandbox, in one
batch per judged submission -- after the submission's own run, in a separate batch."""

from __future__ import annotations

import math
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from cpagent.problems.model import Checker, FloatChecker, Limits, ProgramChecker, TokenChecker
from cpagent.sandbox.base import Sandbox
from cpagent.sandbox.model import Job, Program, Verdict

__all__ = ["CheckResult", "check_floats", "check_tokens", "run_checker"]

CHECKER_LIMITS = Limits(time_s=10.0, memory_mb=512, output_mb=1)


class CheckResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    verdict: Verdict
    message: str = ""


ACCEPTED = CheckResult(verdict=Verdict.AC)


def _differ(index: int, got: str | None, want: str | None) -> CheckResult:
    def show(token: str | None) -> str:
        return "nothing" if token is None else repr(token[:40])

    return CheckResult(
        verdict=Verdict.WA,
        message=f"token {index + 1}: expected {show(want)}, got {show(got)}",
    )


def check_tokens(output: str, answer: str, *, case_sensitive: bool = True) -> CheckResult:
    """Equal as sequences of whitespace-separated tokens."""
    got, want = output.split(), answer.split()
    if not case_sensitive:
        got, want = [t.lower() for t in got], [t.lower() for t in want]
    for i, (g, w) in enumerate(zip(got, want, strict=False)):
        if g != w:
            return _differ(i, g, w)
    if len(got) != len(want):
        i = min(len(got), len(want))
        return _differ(i, got[i] if i < len(got) else None, want[i] if i < len(want) else None)
    return ACCEPTED


def _number(token: str) -> float | None:
    try:
        value = float(token)
    except ValueError:
        return None
    return None if math.isnan(value) else value


def check_floats(output: str, answer: str, *, abs_tol: float = 1e-6, rel_tol: float = 1e-6):
    """Tokens that are numbers in the answer match within either tolerance; others exactly."""
    got, want = output.split(), answer.split()
    if len(got) != len(want):
        i = min(len(got), len(want))
        return _differ(i, got[i] if i < len(got) else None, want[i] if i < len(want) else None)
    for i, (g, w) in enumerate(zip(got, want, strict=True)):
        expected = _number(w)
        if expected is None:
            if g != w:
                return _differ(i, g, w)
            continue
        value = _number(g)
        if value is None:
            return _differ(i, g, w)
        error = abs(value - expected)
        if not (error <= abs_tol or error <= rel_tol * abs(expected)):
            return CheckResult(
                verdict=Verdict.WA,
                message=f"token {i + 1}: expected {w}, got {g} (error {error:.3g})",
            )
    return ACCEPTED


def check_pure(checker: TokenChecker | FloatChecker, output: str, answer: str) -> CheckResult:
    if isinstance(checker, FloatChecker):
        return check_floats(output, answer, abs_tol=checker.abs_tol, rel_tol=checker.rel_tol)
    return check_tokens(output, answer, case_sensitive=checker.case_sensitive)


def run_checker(
    sandbox: Sandbox,
    checker: Checker,
    cases: Sequence[tuple[str, str, str]],
) -> list[CheckResult]:
    """Check (input, output, answer) triples; program checkers run as one sandbox batch."""
    if not isinstance(checker, ProgramChecker):
        return [check_pure(checker, out, ans) for _, out, ans in cases]
    if not cases:
        return []
    jobs = [_checker_job(checker, *case) for case in cases]
    program = Program(source=checker.source, lang=checker.lang)
    runs = sandbox.run(program, jobs, CHECKER_LIMITS)
    read = _read_kattis if checker.kind == "kattis" else _read_testlib
    return [read(run) for run in runs]


def _checker_job(checker: ProgramChecker, input_: str, output: str, answer: str) -> Job:
    if checker.kind == "kattis":
        return Job(
            stdin=output,
            files={"input": input_, "answer": answer},
            args=["{data}/input", "{data}/answer", "{work}/feedback", *checker.flags],
            feedback_dir=True,
        )
    return Job(
        files={"input": input_, "output": output, "answer": answer},
        args=["{data}/input", "{data}/output", "{data}/answer", *checker.flags],
    )


def _checker_broke(run) -> CheckResult | None:
    if run.status in ("tle", "mle", "ole", "failed") or run.signal is not None:
        return CheckResult(verdict=Verdict.IE, message=f"checker failed: {run.status} {run.reason}")
    return None


def _read_kattis(run) -> CheckResult:
    broke = _checker_broke(run)
    if broke:
        return broke
    message = (run.feedback.get("judgemessage.txt") or run.stderr or "").strip()[:500]
    if run.exit_code == 42:
        return CheckResult(verdict=Verdict.AC, message=message)
    if run.exit_code == 43:
        return CheckResult(verdict=Verdict.WA, message=message or "rejected by the validator")
    return CheckResult(verdict=Verdict.IE, message=f"validator exited {run.exit_code}: {message}")


TESTLIB_CODES = {0: Verdict.AC, 1: Verdict.WA, 2: Verdict.PE}


def _read_testlib(run) -> CheckResult:
    broke = _checker_broke(run)
    if broke:
        return broke
    message = (run.stderr or run.stdout).strip()[:500]
    verdict = TESTLIB_CODES.get(run.exit_code if run.exit_code is not None else -1)
    if verdict is None:  # 3 is testlib's FAIL: the checker itself found something broken
        return CheckResult(verdict=Verdict.IE, message=f"checker exited {run.exit_code}: {message}")
    return CheckResult(verdict=verdict, message=message)
