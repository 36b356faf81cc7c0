"""Write a `Problem` as a Kattis package, in the 2023-07 draft layout or the legacy one.

The package reads back equal with `read_kattis` (tests, checker, limits, title, statement,
tags, interactivity).  What the format cannot hold is left out: the InputSpec, rating and
contest date.  In the legacy layout keywords and validator flags are space-separated, so a
tag or flag containing whitespace comes back split.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal
from uuid import NAMESPACE_URL, uuid5

import yaml

from cpagent.problems.errors import ProblemFormatError
from cpagent.problems.model import (
    Checker,
    FloatChecker,
    Problem,
    ProgramChecker,
    TestCase,
    TokenChecker,
)

__all__ = ["Layout", "write_kattis"]

Layout = Literal["2023-07", "legacy"]


def _segment(part: str) -> str:
    # File names the spec allows; a dot would be read as an extension.
    return re.sub(r"[^A-Za-z0-9_-]", "_", part) or "_"


def _test_path(test: TestCase) -> str:
    group = "sample" if test.kind == "sample" else "secret"
    parts = test.name.split("/")
    if parts[0] != group:
        parts = [group, *parts]
    return "/".join(_segment(part) for part in parts)


def _check_writable(problem: Problem) -> None:
    if problem.call is not None:
        # A package's tests are stdin and stdout; the method they call would be lost.
        raise ProblemFormatError(f"{problem.id}: its tests call Solution()."
                                 f"{problem.call.method}, which a Kattis package cannot say")
    checker = problem.checker
    if isinstance(checker, ProgramChecker) and checker.kind != "kattis":
        raise ProblemFormatError(f"{problem.id}: a {checker.kind} checker is no Kattis validator")
    for test in problem.tests:
        if test.answer is None and not problem.interactive:
            raise ProblemFormatError(f"{problem.id}: test {test.name} has no answer to write")
    paths = [_test_path(test) for test in problem.tests]
    if len(set(paths)) != len(paths):
        raise ProblemFormatError(f"{problem.id}: two tests map to the same file name")


def _checker_flags(checker: Checker) -> list[str]:
    if isinstance(checker, FloatChecker):
        return [
            "float_absolute_tolerance",
            repr(checker.abs_tol),
            "float_relative_tolerance",
            repr(checker.rel_tol),
        ]
    if isinstance(checker, TokenChecker):
        return ["case_sensitive"] if checker.case_sensitive else []
    return list(checker.flags)


def _meta(problem: Problem, modern: bool, flags: list[str]) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    if modern:
        meta["problem_format_version"] = "2023-07-draft"
        meta["uuid"] = str(uuid5(NAMESPACE_URL, f"cpagent:{problem.id}"))
        meta["type"] = "interactive" if problem.interactive else "pass-fail"
    else:
        custom = isinstance(problem.checker, ProgramChecker) or problem.interactive
        meta["validation"] = ("custom" if custom else "default") + (
            " interactive" if problem.interactive else ""
        )
        if flags:
            meta["validator_flags"] = " ".join(flags)
    meta["name"] = problem.title
    limits = problem.limits
    meta["limits"] = {
        "time_limit": limits.time_s,
        "memory": limits.memory_mb,
        "output": limits.output_mb,
    }
    if problem.tags:
        meta["keywords"] = list(problem.tags) if modern else " ".join(problem.tags)
    return meta


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    # PyYAML reads NEL, LS and PS back as other whitespace unless they are double-quoted.
    style = '"' if any(c in text for c in "\x85\u2028\u2029") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_str)


def _dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True)


def write_kattis(problem: Problem, directory: str | Path, *, layout: Layout = "2023-07") -> Path:
    """Write `problem` as a Kattis package in `directory` (new or empty) and return its path.

    Generated tests go to `data/secret/` and read back as secret.
    """
    if layout not in ("2023-07", "legacy"):
        raise ValueError(f"unknown Kattis layout {layout!r}")
    root = Path(directory)
    if root.exists() and any(root.iterdir()):
        raise FileExistsError(f"{root} is not empty")
    _check_writable(problem)
    modern = layout == "2023-07"
    flags = _checker_flags(problem.checker)
    _write(root / "problem.yaml", _dump(_meta(problem, modern, flags)))
    if modern and flags:
        _write(root / "data" / "testdata.yaml", _dump({"output_validator_args": flags}))
    if isinstance(problem.checker, ProgramChecker):
        folder = "output_validator" if modern else "output_validators/validator"
        _write(root / folder / "validator.py", problem.checker.source)
    statement_dir = "statement" if modern else "problem_statement"
    _write(root / statement_dir / "problem.en.md", problem.statement)
    for test in problem.tests:
        base = root / "data" / _test_path(test)
        _write(base.with_name(base.name + ".in"), test.input)
        if test.answer is not None:
            _write(base.with_name(base.name + ".ans"), test.answer)
    return root
