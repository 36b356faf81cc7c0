"""Judging many programs at once: a JSONL of submissions (each a program and the problem it
is for) judged on a pool of threads here, or on a Ray cluster (agent/cluster/judging.py),
each verdict written as it comes.

    {"id": "s1", "problem": "problems/library/mirror-words", "solution": "sol.py"}
    {"id": "s2", "problem": "cc.jsonl#1549A", "code": "print(1)", "lang": "pypy"}
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ValidationError, model_validator

from cpagent.problems.load import load_problem
from cpagent.problems.model import Problem
from cpagent.sandbox.base import Sandbox
from cpagent.sandbox.errors import SandboxError, SandboxUnavailable
from cpagent.sandbox.judge import judge
from cpagent.sandbox.model import Program

__all__ = ["Judged", "Submission", "judge_many", "judge_one", "load_problems",
           "read_submissions"]


class Submission(BaseModel):
    """One line of the input: a program, by file or inline, and the problem it is for."""

    id: str | None = None
    problem: str
    solution: str | None = None  # a file, relative to the JSONL's folder
    code: str | None = None
    lang: Literal["python", "pypy"] = "python"

    @model_validator(mode="after")
    def _one_program(self) -> Submission:
        if (self.solution is None) == (self.code is None):
            raise ValueError("give the program as exactly one of solution (a file) or code")
        return self


class Judged(BaseModel):
    """One line of the output: the submission's verdict, or why it could not be judged."""

    id: str
    problem: str
    lang: str
    verdict: str | None = None
    passed: int = 0
    total: int = 0
    max_time_s: float = 0.0
    max_memory_mb: float = 0.0
    error: str | None = None


def read_submissions(path: Path) -> list[tuple[Submission, Program]]:
    """The submissions of a JSONL file with their programs read; a line that is not one is
    an error naming the line."""
    out: list[tuple[Submission, Program]] = []
    text = path.read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            sub = Submission.model_validate_json(line)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(x) for x in first["loc"]) or "line"
            raise ValueError(f"{path}:{number}: {where}: {first['msg']}") from None
        if sub.id is None:
            sub = sub.model_copy(update={"id": str(number)})
        if sub.solution is not None:
            source = (path.parent / sub.solution).read_text(encoding="utf-8")
            if sub.problem and not Path(sub.problem).is_absolute():
                sub = sub.model_copy(update={"problem": _beside(path, sub.problem)})
        else:
            source = sub.code or ""
            sub = sub.model_copy(update={"problem": _beside(path, sub.problem)})
        out.append((sub, Program(source=source, lang=sub.lang)))
    if not out:
        raise ValueError(f"{path} has no submissions")
    return out


def _beside(path: Path, ref: str) -> str:
    """A problem reference relative to the JSONL's folder when it names a file there."""
    local = path.parent / ref.split("#", 1)[0]
    return str(path.parent / ref) if local.exists() and not Path(ref).is_absolute() else ref


def load_problems(submissions: list[tuple[Submission, Program]]) -> dict[str, Problem]:
    """Each problem the submissions name, loaded once."""
    return {ref: load_problem(ref) for ref in dict.fromkeys(s.problem for s, _ in submissions)}


def judge_one(sandbox: Sandbox, sub: Submission, program: Program, problem: Problem) -> Judged:
    """The submission judged on every test of its problem. A sandbox that cannot run at all
    raises; anything else that stops the judging is this submission's error."""
    head = {"id": sub.id or "", "problem": sub.problem, "lang": program.lang}
    try:
        report = judge(sandbox, program, problem)
    except SandboxUnavailable:
        raise
    except (SandboxError, ValueError) as exc:
        return Judged(**head, error=str(exc))
    return Judged(**head, verdict=report.verdict.value, passed=report.passed,
                  total=report.total, max_time_s=report.max_cpu_s,
                  max_memory_mb=round(report.max_memory_kb / 1024, 1))


def judge_many(sandbox: Sandbox, submissions: list[tuple[Submission, Program]],
               problems: dict[str, Problem], *, workers: int) -> Iterator[Judged]:
    """Every submission judged, `workers` at once, each yielded as soon as it is done."""
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        todo = iter(submissions)
        running: set[Future[Judged]] = set()
        for sub, program in todo:
            running.add(pool.submit(judge_one, sandbox, sub, program, problems[sub.problem]))
            if len(running) >= 2 * workers:
                break
        while running:
            done, running = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()
                nxt = next(todo, None)
                if nxt is not None:
                    sub, program = nxt
                    running.add(pool.submit(judge_one, sandbox, sub, program,
                                            problems[sub.problem]))


def as_line(judged: Judged) -> str:
    return json.dumps(judged.model_dump(exclude_none=True), ensure_ascii=False)
