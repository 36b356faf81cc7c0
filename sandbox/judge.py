"""Judging: run a program on a problem's tests, check each output, and report per test."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pydantic import BaseModel, ConfigDict, Field

from cpagent.problems.model import Problem, TestCase, TestKind
from cpagent.sandbox.base import Sandbox
from cpagent.sandbox.checkers import CheckResult, run_checker
from cpagent.sandbox.errors import SandboxError
from cpagent.sandbox.model import Execution, Program, Verdict

__all__ = ["JudgeReport", "TestResult", "as_called", "judge"]

RUN_VERDICTS = {
    "tle": Verdict.TLE,
    "mle": Verdict.MLE,
    "ole": Verdict.OLE,
    "re": Verdict.RE,
    "failed": Verdict.IE,
}


class TestResult(BaseModel):
    __test__ = False
    model_config = ConfigDict(extra="forbid")

    name: str
    kind: TestKind
    verdict: Verdict
    cpu_s: float
    wall_s: float
    memory_kb: int
    message: str = ""
    output: str = Field("", description="the program's stdout (trimmed in reports)")
    stderr: str = ""


class JudgeReport(BaseModel):
    """A program's result on a problem's tests: the verdict of each, the overall verdict
    (the first failure's), and how many passed."""

    model_config = ConfigDict(extra="forbid")

    problem: str
    lang: str
    verdict: Verdict
    passed: int
    total: int
    max_cpu_s: float
    max_memory_kb: int
    tests: list[TestResult]

    @property
    def accepted(self) -> bool:
        return self.verdict is Verdict.AC

    def first_failure(self) -> TestResult | None:
        return next((t for t in self.tests if t.verdict is not Verdict.AC), None)

    def joined(self, other: JudgeReport, order: Sequence[str]) -> JudgeReport:
        """One report of two runs of the same program on different tests, its tests in
        `order` (test names): the samples judged first and the rest judged later."""
        if other.lang != self.lang or other.problem != self.problem:
            raise ValueError("joining reports of different programs or problems")
        by_name = {t.name: t for t in [*self.tests, *other.tests]}
        tests = [by_name[name] for name in order if name in by_name]
        failure = next((t for t in tests if t.verdict is not Verdict.AC), None)
        return JudgeReport(
            problem=self.problem, lang=self.lang,
            verdict=Verdict.AC if failure is None else failure.verdict,
            passed=sum(t.verdict is Verdict.AC for t in tests), total=len(tests),
            max_cpu_s=max(self.max_cpu_s, other.max_cpu_s),
            max_memory_kb=max(self.max_memory_kb, other.max_memory_kb), tests=tests)


def as_called(program: Program, problem: Problem) -> Program:
    """The program as the problem's tests run it: for a problem whose tests call a method,
    wrapped to call it on the program's class Solution."""
    if problem.call is not None and program.call is None:
        return program.model_copy(update={"call": problem.call.method})
    return program


def judge(
    sandbox: Sandbox,
    program: Program,
    problem: Problem,
    *,
    tests: Sequence[TestCase] | None = None,
    progress: Callable[[int, Execution], None] | None = None,
) -> JudgeReport:
    """Run `program` on the tests (all of the problem's by default) and check the outputs.

    A problem whose tests call a method (LeetCode style) calls it on `program`'s class; an
    interactive problem's program talks to its interactor (see sandbox.interactive).
    The answers stay on the host: the program's batch carries inputs only, and checker
    programs get answers in a later batch, after the program's processes are gone."""
    program = as_called(program, problem)
    tests = list(problem.tests if tests is None else tests)
    if problem.interactive:
        return _judge_interactive(sandbox, program, problem, tests, progress)
    missing = [t.name for t in tests if t.answer is None]
    if missing:
        raise SandboxError(f"test {missing[0]} of {problem.id} has no expected answer")
    runs = sandbox.run(program, [t.input for t in tests], problem.limits, progress=progress)
    to_check = [i for i, run in enumerate(runs) if run.status == "ok"]
    cases = [(tests[i].input, runs[i].stdout, tests[i].answer or "") for i in to_check]
    checked = dict(zip(to_check, run_checker(sandbox, problem.checker, cases), strict=True))
    pairs = enumerate(zip(tests, runs, strict=True))
    results = [_result(t, run, checked.get(i)) for i, (t, run) in pairs]
    return _report(problem, program, results)


def _judge_interactive(sandbox: Sandbox, program: Program, problem: Problem,
                       tests: list[TestCase], progress) -> JudgeReport:
    """The interactor holds each test's input and answer; the output kept per test is the
    transcript of the exchange."""
    from cpagent.sandbox.interactive import interactor_of, run_interactive, verdict_of

    interactor = interactor_of(problem)
    runs = run_interactive(sandbox, program, interactor, tests, problem.limits,
                           progress=progress)
    results = []
    for test, (run, interaction) in zip(tests, runs, strict=True):
        verdict, message = verdict_of(run, interaction)
        results.append(_result(test, run, CheckResult(verdict=verdict, message=message))
                       .model_copy(update={"output": interaction.transcript_text()}))
    return _report(problem, program, results)


def _report(problem: Problem, program: Program, results: list[TestResult]) -> JudgeReport:
    failure = next((r for r in results if r.verdict is not Verdict.AC), None)
    return JudgeReport(
        problem=problem.id,
        lang=program.lang,
        verdict=failure.verdict if failure else Verdict.AC,
        passed=sum(r.verdict is Verdict.AC for r in results),
        total=len(results),
        max_cpu_s=max((r.cpu_s for r in results), default=0.0),
        max_memory_kb=max((r.memory_kb for r in results), default=0),
        tests=results,
    )


def _result(test: TestCase, run: Execution, check: CheckResult | None) -> TestResult:
    if check is None:
        verdict, message = RUN_VERDICTS[run.status], run.reason
    else:
        verdict, message = check.verdict, check.message
    return TestResult(
        name=test.name,
        kind=test.kind,
        verdict=verdict,
        cpu_s=run.cpu_s,
        wall_s=run.wall_s,
        memory_kb=run.memory_kb,
        message=message,
        output=run.stdout,
        stderr=run.stderr,
    )
