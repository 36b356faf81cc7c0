"""Competitive Companion JSON: what the browser extension POSTs for one problem.

The extension sends samples only and no statement, so every test is a sample and the
statement is a short note on where the problem lives.  File input/output (`input.txt`) is
noted there too; the program is still run with stdin and stdout, which is how every judge
we imitate feeds it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from cpagent.problems.errors import ProblemFormatError
from cpagent.problems.formats._io import load_json, parse_model
from cpagent.problems.model import Limits, Problem, TestCase

__all__ = ["parse_companion", "problem_id", "read_companion"]


class _Stream(BaseModel):
    model_config = ConfigDict(extra="ignore")

    type: str = "stdin"
    file_name: str | None = Field(None, alias="fileName")
    pattern: str | None = None


class _Test(BaseModel):
    model_config = ConfigDict(extra="ignore")

    input: str
    output: str


class _Task(BaseModel):
    model_config = ConfigDict(extra="ignore")  # languages, batch, testType, ...

    name: str
    group: str = ""
    url: str = ""
    interactive: bool = False
    memory_mb: int = Field(256, gt=0, alias="memoryLimit")
    time_ms: float = Field(2000, gt=0, alias="timeLimit")
    tests: list[_Test] = []
    input: _Stream = Field(default_factory=_Stream)
    output: _Stream = Field(default_factory=_Stream)


_URL_IDS = [
    re.compile(r"codeforces\.\w+/problemset/problem/(\d+)/(\w+)"),
    re.compile(r"codeforces\.\w+/(?:contest|gym)/(\d+)/problem/(\w+)"),
    re.compile(r"atcoder\.jp/contests/[^/]+/tasks/(\w+)()"),
]


def problem_id(url: str, name: str) -> str:
    """`118A` for Codeforces, the task id for AtCoder, else a slug of the name."""
    for pattern in _URL_IDS:
        if match := pattern.search(url):
            return match[1] + match[2]
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "problem"


def _file_note(task: _Task) -> str | None:
    streams = (("input", task.input, "stdin"), ("output", task.output, "stdout"))
    files = [
        f"{kind} `{stream.file_name or stream.pattern or stream.type}`"
        for kind, stream, standard in streams
        if stream.type != standard
    ]
    if not files:
        return None
    return (
        f"File I/O: the original judge uses {' and '.join(files)}; "
        "here the program reads stdin and writes stdout."
    )


def _statement(task: _Task) -> str:
    lines = [f"# {task.name}", ""]
    lines += [f"Contest: {task.group}"] if task.group else []
    lines += [f"URL: {task.url}"] if task.url else []
    note = _file_note(task)
    lines += ["", note] if note else []
    return "\n".join(lines).strip() + "\n"


def parse_companion(data: Any, where: str) -> Problem:
    # Recorded test files wrap the task as {"url", "parser", "result": task}; the POST body
    # is the task itself.
    if isinstance(data, dict) and isinstance(data.get("result"), dict):
        data = data["result"]
    task = parse_model(_Task, data, where)
    if not task.tests:
        # The extension sends no statement, so the samples are all there is to go on.
        raise ProblemFormatError(f"{where}: no tests: a Competitive Companion task carries "
                                 "its samples, and without them there is nothing to solve")
    tests = [
        TestCase(name=f"sample/{i}", input=t.input, answer=t.output, kind="sample")
        for i, t in enumerate(task.tests, 1)
    ]
    return Problem(
        id=problem_id(task.url, task.name),
        title=task.name,
        statement=_statement(task),
        limits=Limits(time_s=task.time_ms / 1000, memory_mb=task.memory_mb),
        tests=tests,
        interactive=task.interactive,
        source=task.url or where,
    )


def read_companion(path: str | Path) -> Problem:
    return parse_companion(load_json(Path(path)), str(path))
