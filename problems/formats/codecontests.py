"""CodeContests records (JSONL, one Codeforces problem a line), as in ../shared/data/codecontests.

Samples come from the statement's Examples (kind "sample"); the record's tests are "secret",
minus those that repeat a sample.  Records carry no limits: 2 s and 256 MB unless the
statement states others.  The accepted Python solution stays out of `Problem` (it is not part
of a problem statement); `reference_solution` returns it.

The descriptions lost their superscripts, so a bound reads "1 ≤ n ≤ 105" for 10^5 (in 48 of
the 150 dev statements). Powers of ten beside a bound are written back as "10^5": a model
that reads "n ≤ 105" has every reason to write a quadratic loop.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from cpagent.problems.errors import ProblemFormatError
from cpagent.problems.formats._io import ensure_newline, parse_json, parse_model, read_text
from cpagent.problems.formats.statement import (
    extract_samples,
    guess_checker,
    is_interactive,
    parse_limits,
)
from cpagent.problems.model import Problem, TestCase

__all__ = [
    "codeforces_ref",
    "restore_powers",
    "iter_codecontests",
    "read_codecontests",
    "record_ids",
    "reference_solution",
]


class _Test(BaseModel):
    input: str
    output: str


class _Record(BaseModel):
    model_config = ConfigDict(extra="ignore")  # cluster, difficulty and future fields

    id: str
    name: str = ""
    description: str = ""
    tests: list[_Test] = []
    cf_contest_id: int | None = None
    cf_index: str | None = None
    cf_tags: list[str] = []
    cf_rating: int | None = None  # in the full CodeContests records; 0 there means unknown
    solution_python3: str | None = None


def _records(path: Path) -> Iterator[_Record]:
    for number, line in enumerate(read_text(path).splitlines(), 1):
        if line.strip():
            where = f"{path}:{number}"
            yield parse_model(_Record, parse_json(line, where), where)


def _find(path: Path, record_id: str) -> _Record:
    for record in _records(path):
        if record.id == record_id:
            return record
    raise ProblemFormatError(f"{path}: no record with id {record_id!r}")


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _secret_tests(record: _Record, samples: list[TestCase]) -> list[TestCase]:
    seen = {_tokens(sample.input) for sample in samples}
    width = len(str(len(record.tests)))
    return [
        TestCase(
            name=f"secret/{number:0{width}d}",
            input=ensure_newline(test.input),
            answer=ensure_newline(test.output),
            kind="secret",
        )
        for number, test in enumerate(record.tests, 1)
        if _tokens(test.input) not in seen
    ]


# A flattened power of ten beside a bound: "≤ 105", "≤ 2·105", "-109 ≤", "does not exceed
# 106". Exponents 2 to 18 only: "≤ 100" and "≤ 1000" are what they say, and no bound is
# written as 10^1.
_POWER = r"10(?P<exp>[2-9]|1[0-8])"
_COEFFICIENT = r"(?:\d+\s*[·⋅×*]\s*)?"
_UPPER = re.compile(rf"(?P<head>(?:[≤<]|\bexceeds?)\s*[-−]?\s*{_COEFFICIENT}){_POWER}"
                    r"(?!\d|[.,]\d)")
_LOWER = re.compile(rf"(?<![\d.,^])(?P<head>[-−]\s*{_COEFFICIENT}){_POWER}(?=\s*[≤<])")


def restore_powers(text: str) -> str:
    """"1 ≤ n ≤ 105" back to "1 ≤ n ≤ 10^5" (and "-109 ≤ a" to "-10^9 ≤ a")."""
    for pattern in (_UPPER, _LOWER):
        text = pattern.sub(lambda m: f"{m['head']}10^{m['exp']}", text)
    return text


def _title(record: _Record) -> str:
    # Names look like "1041_E. Tree Reconstruction": the prefix is an index, not the title.
    return re.sub(r"^\d+_[A-Za-z]\d*\.\s*", "", record.name) or record.id


def _to_problem(record: _Record, path: Path) -> Problem:
    text = record.description
    samples = extract_samples(text)
    return Problem(
        id=record.id,
        title=_title(record),
        statement=restore_powers(text),
        limits=parse_limits(text),
        tests=samples + _secret_tests(record, samples),
        checker=guess_checker(text),
        interactive=is_interactive(text),
        tags=record.cf_tags,
        rating=record.cf_rating or None,
        source=f"{path}#{record.id}",
    )


_CODEFORCES_ID = re.compile(r"^(\d+)_([a-z]\d?)(?:_|$)", re.IGNORECASE)


def codeforces_ref(problem_id: str) -> tuple[int, str] | None:
    """(contest id, problem index) from a record id like `1041_e_tree_reconstruction_8858`
    (CodeContests) or `1873_A` (LiveCodeBench)."""
    found = _CODEFORCES_ID.match(problem_id)
    return (int(found.group(1)), found.group(2).upper()) if found else None


def record_ids(path: str | Path) -> list[str]:
    return [record.id for record in _records(Path(path))]


def read_codecontests(path: str | Path, record_id: str) -> Problem:
    return _to_problem(_find(Path(path), record_id), Path(path))


def iter_codecontests(path: str | Path) -> Iterator[Problem]:
    for record in _records(Path(path)):
        yield _to_problem(record, Path(path))


def reference_solution(path: str | Path, record_id: str) -> str | None:
    """The record's accepted Python 3 program, if it has one."""
    return _find(Path(path), record_id).solution_python3
