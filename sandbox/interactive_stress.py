"""Stress testing an interactive solution: hypothesis draws the interactor's secret (the
hidden number, the hidden array) from the problem's input spec, the interactor judges each
exchange, and a failing secret is shrunk to the smallest one, with its transcript.

The interactor is the oracle, so no reference output is compared; the reference (a trusted
solution) confirms the counterexample instead: if it fails on the same secret too, the
secret is not one the problem allows (the spec is wrong) or the reference is.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from cpagent.problems.model import Problem, TestCase
from cpagent.problems.spec import Spec
from cpagent.sandbox.base import Sandbox
from cpagent.sandbox.interactive import interactor_of, run_interactive, verdict_of
from cpagent.sandbox.model import Program, Verdict
from cpagent.sandbox.stress import (
    Disagreement,
    Mode,
    ReferenceFailed,
    StressReport,
    _batches,
    _run_hypothesis,
    _Search,
)

__all__ = ["stress_interactive"]


def _judged(sandbox: Sandbox, program: Program, problem: Problem,
            secrets: list[str]) -> list[tuple[Verdict, str, str, str]]:
    """(verdict, message, transcript, stderr) per secret; a time-out is run once more on its
    own, so that a loaded machine's slip does not become a counterexample."""
    interactor = interactor_of(problem)
    tests = [TestCase(name=str(i), input=s) for i, s in enumerate(secrets)]

    def run(chosen: list[TestCase]) -> list[tuple[Verdict, str, str, str]]:
        out = []
        for execution, interaction in run_interactive(sandbox, program, interactor, chosen,
                                                      problem.limits):
            verdict, message = verdict_of(execution, interaction)
            out.append((verdict, message, interaction.transcript_text(), execution.stderr))
        return out

    results = run(tests)
    slow = [i for i, r in enumerate(results) if r[0] is Verdict.TLE]
    if slow:
        for i, again in zip(slow, run([tests[i] for i in slow]), strict=True):
            results[i] = again
    return results


def check_secrets(sandbox: Sandbox, candidate: Program, problem: Problem,
                  secrets: list[str]) -> list[Disagreement | None]:
    """The candidate against the interactor on each secret: None where accepted. Raises
    ReferenceFailed when the interactor itself fails on a secret (it does not take it)."""
    found: list[Disagreement | None] = []
    for secret, (verdict, message, transcript, stderr) in zip(
            secrets, _judged(sandbox, candidate, problem, secrets), strict=True):
        if verdict is Verdict.IE:
            raise ReferenceFailed(secret, f"the interactor failed: {message}")
        found.append(None if verdict is Verdict.AC else Disagreement(
            input=secret, verdict=verdict, message=message, candidate_output=transcript,
            reference_output="", candidate_stderr=stderr[-2000:]))
    return found


def stress_interactive(
    sandbox: Sandbox,
    candidate: Program,
    problem: Problem,
    spec: Spec,
    *,
    reference: Program | None = None,
    budget_s: float = 60.0,
    batch: int = 40,
    mode: Mode = "auto",
    random_seed: int = 0,
    shrink_s: float = 15.0,
    progress: Callable[[int, int], None] | None = None,
) -> StressReport:
    """Search for a secret on which `candidate` is not accepted, and shrink it. The
    counterexample's `candidate_output` is the transcript; `reference_output` the
    reference's transcript on the same secret, which it must pass."""
    start = time.monotonic()
    search = _Search(lambda xs: check_secrets(sandbox, candidate, problem, xs),
                     start + budget_s, shrink_s, progress)
    # Edge secrets first (the smallest n, values at their bounds), then edges mixed with
    # tiny and random ones: no reference to outrun, so "auto" takes both.
    drawn_mode = "mixed" if mode == "auto" else mode
    drawn, rounds = "edge", 0
    while search.best is None and search.reference_failure is None and not search.over():
        if not _run_hypothesis(search, _batches(spec, drawn, batch), random_seed + rounds):
            if "edge" not in drawn:
                break
            drawn = drawn_mode  # no edge secret can be drawn
            continue
        rounds += 1
        drawn = f"edge+{drawn_mode}"
    common = {"tried": search.tried, "batches": search.batches,
              "seconds": round(time.monotonic() - start, 2)}
    if search.reference_failure is not None:
        return StressReport(status="reference_failed", **common,
                            reference_failure=search.reference_failure.input)
    best = search.best
    if best is None:
        return StressReport(status="passed", **common)
    if reference is not None:
        verdict, _, transcript, _ = _judged(sandbox, reference, problem, [best.input])[0]
        if verdict is not Verdict.AC:
            return StressReport(status="reference_failed", **common,
                                reference_failure=best.input)
        best = best.model_copy(update={"reference_output": transcript})
    return StressReport(status="counterexample", counterexample=best,
                        first_found=search.first, **common)
