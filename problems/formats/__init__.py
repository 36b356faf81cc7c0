"""One reader per problem format, registered by name; `problems.load` picks one by path.

| name           | what                                          | module          |
|----------------|-----------------------------------------------|-----------------|
| `kattis`       | Kattis/ICPC package (legacy and 2023-07)      | `kattis`        |
| `oj`           | `test/*.in` + `*.out` folder                  | `oj`            |
| `companion`    | Competitive Companion JSON                    | `companion`     |
| `codecontests` | CodeContests JSONL record (needs a record id) | `codecontests`  |
| `statement`    | markdown or text statement, samples from text | `statement`     |
| `livecodebench`| LiveCodeBench record (.json, or .jsonl + id)  | `livecodebench` |
| `polygon`      | Polygon package (`problem.xml`, `tests/`)     | `polygon`       |
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from cpagent.problems.formats.codecontests import (
    iter_codecontests,
    read_codecontests,
    record_ids,
    reference_solution,
)
from cpagent.problems.formats.companion import read_companion
from cpagent.problems.formats.kattis import read_kattis, read_submissions, write_kattis
from cpagent.problems.formats.oj import read_oj
from cpagent.problems.formats.polygon import read_polygon
from cpagent.problems.formats.statement import read_statement
from cpagent.problems.model import Problem

# Readers that need nothing but a path; CodeContests also needs a record id.
READERS: dict[str, Callable[[str | Path], Problem]] = {
    "kattis": read_kattis,
    "oj": read_oj,
    "polygon": read_polygon,
    "companion": read_companion,
    "statement": read_statement,
}

__all__ = [
    "READERS",
    "iter_codecontests",
    "read_codecontests",
    "read_companion",
    "read_kattis",
    "read_oj",
    "read_polygon",
    "read_statement",
    "read_submissions",
    "record_ids",
    "reference_solution",
    "write_kattis",
]
