"""oj-style test folders (online-judge-tools): `test/sample-1.in` with `test/sample-1.out`.

The path is the problem folder holding `test/`, or a folder of `*.in`/`*.out` pairs itself.
Inputs whose name contains `sample` are samples, the others secret.  Samples come first
(they are run first); names sort naturally, so `sample-10` follows `sample-9`.
"""

from __future__ import annotations

import re
from pathlib import Path

from cpagent.problems.errors import MissingAnswer, ProblemFormatError
from cpagent.problems.formats._io import read_text
from cpagent.problems.model import Problem, TestCase

__all__ = ["read_oj"]


def _is_sample(source: Path) -> bool:
    return "sample" in source.stem.lower()


def _order(source: Path) -> tuple[bool, list[str | int]]:
    # re.split with a group alternates text and digits, so the lists compare position-wise.
    natural = [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", source.stem)]
    return (not _is_sample(source), natural)


def _test(source: Path) -> TestCase:
    answer = source.with_suffix(".out")
    if not answer.is_file():
        raise MissingAnswer(f"{source}: no matching {answer.name}")
    return TestCase(
        name=source.stem,
        input=read_text(source),
        answer=read_text(answer),
        kind="sample" if _is_sample(source) else "secret",
    )


def read_oj(path: str | Path) -> Problem:
    root = Path(path)
    folder = root / "test" if (root / "test").is_dir() else root
    inputs = sorted((p for p in folder.glob("*.in") if p.is_file()), key=_order)
    if not inputs:
        raise ProblemFormatError(f"{folder}: no *.in files")
    # A bare `test/` folder takes its name from the problem folder around it.
    named = root.resolve()
    name = named.parent.name if folder == root and named.name == "test" else named.name
    return Problem(id=name, title=name, tests=[_test(p) for p in inputs], source=str(path))
