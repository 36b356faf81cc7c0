"""`/judge` and `/judge/batch`: what a request names (a problem by reference, or tests and
a checker inline), what it gets back (per-test verdicts, the overall verdict, a reward), and
turning one into the other with the sandbox's own `judge`."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from cpagent.problems.load import load_problem
from cpagent.problems.model import Checker, Limits, Problem, TestCase, TokenChecker
from cpagent.sandbox.base import Sandbox
from cpagent.sandbox.judge import JudgeReport, judge
from cpagent.sandbox.model import Language, Program, Verdict

__all__ = ["BatchRequest", "BatchResponse", "JudgeRequest", "JudgeResponse", "ProblemRef",
           "TestVerdict", "judge_programs", "resolve_problem"]

RewardKind = Literal["binary", "fraction"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class InlineTest(_Model):
    input: str
    output: str = Field(..., description="the expected answer; it stays on the host")


class ProblemRef(_Model):
    """The problem: `problem`, a path under the server's --problems root (a library name
    such as "mirror-words", a package folder, or `file.jsonl#id`), or `tests` inline with
    a `checker` and `limits`."""

    problem: str | None = Field(None, examples=["mirror-words"])
    tests: list[InlineTest] | None = None
    checker: Checker = Field(default_factory=TokenChecker)
    limits: Limits | None = Field(None, description="inline tests' limits (default 2 s, "
                                  "256 MB); with `problem`, overrides the problem's")
    samples_only: bool = Field(False, description="judge on the problem's samples only")
    reward: RewardKind = Field("binary", description="binary: 1 if every test passes, else "
                               "0; fraction: the share of tests passed")

    @model_validator(mode="after")
    def _one_source(self) -> ProblemRef:
        if (self.problem is None) == (self.tests is None):
            raise ValueError("give either `problem` or `tests`, not both or neither")
        if self.tests is not None and not self.tests:
            raise ValueError("`tests` is empty")
        return self


class ProgramIn(_Model):
    code: str
    language: Language = "python"


class JudgeRequest(ProblemRef):
    code: str
    language: Language = "python"


class BatchRequest(ProblemRef):
    programs: list[ProgramIn] = Field(..., min_length=1)


class TestVerdict(_Model):
    __test__ = False

    name: str
    verdict: Verdict
    cpu_s: float
    wall_s: float
    memory_kb: int
    message: str = ""


class JudgeResponse(_Model):
    problem: str
    verdict: Verdict
    passed: int
    total: int
    reward: float
    max_cpu_s: float
    max_memory_kb: int
    tests: list[TestVerdict]


class BatchResponse(_Model):
    results: list[JudgeResponse]


def reward_of(report: JudgeReport, kind: RewardKind) -> float:
    if kind == "fraction":
        return report.passed / report.total if report.total else 0.0
    return 1.0 if report.accepted else 0.0


def response_of(report: JudgeReport, kind: RewardKind) -> JudgeResponse:
    tests = [TestVerdict(name=t.name, verdict=t.verdict, cpu_s=t.cpu_s, wall_s=t.wall_s,
                         memory_kb=t.memory_kb, message=t.message[:300]) for t in report.tests]
    return JudgeResponse(problem=report.problem, verdict=report.verdict, passed=report.passed,
                         total=report.total, reward=reward_of(report, kind),
                         max_cpu_s=report.max_cpu_s, max_memory_kb=report.max_memory_kb,
                         tests=tests)


@functools.lru_cache(maxsize=256)
def _load(path: Path) -> Problem:
    # Trainers judge the same problems over and over: read each once.
    return load_problem(path)


def resolve_problem(ref: ProblemRef, root: Path) -> Problem:
    """The problem a request names. A reference must stay under `root`: a request cannot
    read the server's other files. Raises ValueError (or ProblemFormatError) in one line."""
    if ref.tests is not None:
        tests = [TestCase(name=str(i + 1), input=t.input, answer=t.output)
                 for i, t in enumerate(ref.tests)]
        return Problem(id="inline", tests=tests, checker=ref.checker,
                       limits=ref.limits or Limits())
    assert ref.problem is not None
    name, hash_, record = ref.problem.partition("#")
    base = root.resolve()
    target = (base / name).resolve()
    if not target.is_relative_to(base) or Path(name).is_absolute():
        raise ValueError(f"problem {ref.problem!r} is outside the server's problems folder")
    problem = _load(Path(f"{target}{hash_}{record}"))
    if ref.limits is not None:
        problem = problem.model_copy(update={"limits": ref.limits})
    if ref.samples_only:
        problem = problem.model_copy(update={"tests": problem.samples()})
    if not problem.tests:
        raise ValueError(f"problem {ref.problem!r} has no tests to judge on")
    if problem.interactive:
        raise ValueError(f"problem {ref.problem!r} is interactive, which /judge does not run")
    return problem


def judge_programs(box: Sandbox, programs: list[ProgramIn], problem: Problem,
                   kind: RewardKind) -> list[JudgeResponse]:
    """Judge each program in turn, in the one container slot the request holds."""
    return [response_of(judge(box, Program(source=p.code, lang=p.language), problem), kind)
            for p in programs]
