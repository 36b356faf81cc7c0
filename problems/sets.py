"""A problem set: every problem under one or more sources, in a stable order.

A source is anything `load_problem` reads (one problem), a folder of Kattis packages, or a
CodeContests or LiveCodeBench `.jsonl` (all its records, or `file.jsonl#id` for one).
`index` keeps the problems whose Codeforces index letter is given (`{"A", "B"}`: A, B, B1,
B2, ...).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from cpagent.problems.errors import ProblemFormatError
from cpagent.problems.formats.codecontests import codeforces_ref, iter_codecontests
from cpagent.problems.formats.livecodebench import iter_livecodebench
from cpagent.problems.load import detect_format, load_problem, package_format
from cpagent.problems.model import Problem

__all__ = ["load_problem_set"]


def load_problem_set(sources: Iterable[str | Path], index: set[str] | None = None) -> list[Problem]:
    """Every problem of `sources` (packages, folders of them, .jsonl files, statements), kept
    to the Codeforces letters of `index` when given.

        problems = load_problem_set(["problems/library"], index={"A"})
    """
    found: list[Problem] = []
    for source in sources:
        found += _one_source(Path(source) if Path(source).exists() else source)
    if index:
        wanted = {i.upper() for i in index}
        found = [p for p in found if _letter(p) in wanted]
    ids = [p.id for p in found]
    if len(set(ids)) != len(ids):
        twice = sorted({i for i in ids if ids.count(i) > 1})
        raise ProblemFormatError(f"problem ids appear twice in the set: {', '.join(twice[:5])}")
    if not found:
        raise ProblemFormatError("the problem set is empty" + (" after --index" if index else ""))
    return found


def _one_source(source: str | Path) -> list[Problem]:
    if isinstance(source, Path) and source.suffix == ".jsonl":
        if detect_format(source) == "livecodebench":
            return list(iter_livecodebench(source))
        return list(iter_codecontests(source))
    # A folder of Kattis or Polygon packages is a problem set.
    if isinstance(source, Path) and source.is_dir() and package_format(source) is None:
        packages = [p for p in sorted(source.iterdir()) if package_format(p) is not None]
        if packages:
            return [load_problem(p) for p in packages]
    return [load_problem(source)]


def _letter(problem: Problem) -> str:
    """The index letter without a version digit: B1 and B2 are B problems."""
    ref = codeforces_ref(problem.id)
    return ref[1][0] if ref else ""
