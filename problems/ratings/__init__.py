"""Problem ratings from a CSV, for problem sets whose format carries none.

The CSV has a `rating` column and either an `id` column (the problem id as cpagent reads
it) or `contest_id` and `index` columns (a Codeforces problem, matched against CodeContests
record ids such as `1041_e_tree_reconstruction_8858`). Other columns are ignored; rows
naming problems that are not in the set are ignored too, so one file can serve many sets.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from cpagent.problems.errors import ProblemFormatError
from cpagent.problems.formats.codecontests import codeforces_ref
from cpagent.problems.model import Problem

__all__ = ["BUNDLED", "attach_ratings", "read_ratings", "unrated"]

# Ratings shipped with cpagent (see README.md beside this file).
BUNDLED = {"codecontests-dev": Path(__file__).with_name("codecontests-dev.csv")}

Key = str | tuple[int, str]


def read_ratings(path: str | Path) -> dict[Key, int]:
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ProblemFormatError(f"{path}: cannot read ratings: {exc}") from exc
    table: dict[Key, int] = {}
    for line, row in enumerate(rows, 2):
        table[_key(row, path, line)] = _rating(row, path, line)
    return table


def _key(row: dict[str, str], path: Path, line: int) -> Key:
    if row.get("id"):
        return row["id"].strip()
    contest, index = (row.get("contest_id") or "").strip(), (row.get("index") or "").strip()
    if not contest.isdigit() or not index:
        raise ProblemFormatError(f"{path}:{line}: a row needs `id`, or `contest_id` and `index`")
    return int(contest), index.upper()


def _rating(row: dict[str, str], path: Path, line: int) -> int:
    text = (row.get("rating") or "").strip()
    try:
        return int(text)
    except ValueError:
        raise ProblemFormatError(f"{path}:{line}: rating {text!r} is not a whole number") from None


def attach_ratings(problems: Iterable[Problem], path: str | Path) -> list[Problem]:
    """The problems with the CSV's ratings; a problem the CSV does not name keeps its own."""
    table = read_ratings(path)
    rated = []
    for problem in problems:
        rating = table.get(problem.id)
        ref = codeforces_ref(problem.id)
        if rating is None and ref is not None:
            rating = table.get(ref)
        rated.append(problem.model_copy(update={"rating": rating}) if rating else problem)
    return rated


def unrated(problems: Iterable[Problem]) -> list[str]:
    return [p.id for p in problems if p.rating is None]
