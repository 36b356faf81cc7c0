"""LiveCodeBench records (`code_generation_lite`): one JSON object a problem, from Codeforces,
AtCoder or LeetCode, dated by its contest so an evaluation can keep to problems newer than a
model's training data.

Public test cases are the samples; private ones are secret tests. The private field is JSON
or, in the released files, base64 of zlib of a pickled JSON string: it is unpickled by an
unpickler that refuses every class, so a record can hold data and nothing that runs.
LeetCode's "functional" tests call a method of class `Solution`: such a problem gets a
`Call` (the method and the starter code), its inputs stay JSON arguments one a line, and its
answers are spelled as json.dumps spells them, as the sandbox's driver prints them. Records
state no limits: those the statement states, else 2 s and 256 MB.
"""

from __future__ import annotations

import base64
import io
import json
import pickle
import zlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from cpagent.problems.errors import ProblemFormatError
from cpagent.problems.formats._io import ensure_newline, parse_json, parse_model, read_text
from cpagent.problems.formats.statement import guess_checker, is_interactive, parse_limits
from cpagent.problems.model import Call, Problem, TestCase

__all__ = ["is_livecodebench", "iter_livecodebench", "livecodebench_ids", "read_livecodebench"]

# A released record's private tests inflate to a few MB at most; this caps a hostile one.
_MAX_INFLATED = 256 << 20


class _Test(BaseModel):
    model_config = ConfigDict(extra="ignore")

    input: str
    output: str
    testtype: str = "stdin"


class _Record(BaseModel):
    model_config = ConfigDict(extra="ignore")

    question_id: str
    question_title: str = ""
    question_content: str = ""
    platform: str = ""
    contest_id: str = ""
    contest_date: datetime | None = None
    difficulty: str = ""
    public_test_cases: list[_Test] = []
    private_test_cases: list[_Test] = []
    starter_code: str = ""
    metadata: dict[str, Any] = {}

    @field_validator("public_test_cases", "metadata", mode="before")
    @classmethod
    def _json_text(cls, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value

    @field_validator("private_test_cases", mode="before")
    @classmethod
    def _packed(cls, value: Any) -> Any:
        return _unpack(value) if isinstance(value, str) else value


class _NoClasses(pickle.Unpickler):
    """Every global a pickle names goes through find_class; refusing all of them leaves
    strings, numbers, lists and dicts, and no way to call anything."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"refused {module}.{name}: test data holds no objects")


def _unpack(text: str) -> Any:
    if not text.strip():
        return []
    if text.lstrip()[:1] in "[{":
        return json.loads(text)
    try:
        packed = base64.b64decode(text, validate=True)
        inflater = zlib.decompressobj()
        raw = inflater.decompress(packed, _MAX_INFLATED)
        if inflater.unconsumed_tail:
            raise ValueError(f"private tests inflate past {_MAX_INFLATED >> 20} MB")
        loaded = _NoClasses(io.BytesIO(raw)).load()
    except Exception as exc:  # noqa: BLE001 - hostile bytes fail in many ways, all of them bad data
        # (a length prefix past the data even raises MemoryError)
        raise ValueError(f"private_test_cases is neither JSON nor packed tests: "
                         f"{type(exc).__name__}: {exc}") from exc
    return json.loads(loaded) if isinstance(loaded, str) else loaded


def _records(path: Path) -> Iterator[tuple[_Record, str]]:
    """Each record with where it is: a `.json` file holds one, a `.jsonl` file one a line,
    read a line at a time (the released files run to gigabytes)."""
    if path.suffix.lower() != ".jsonl":
        text = read_text(path)
        yield parse_model(_Record, parse_json(text, str(path)), str(path)), str(path)
        return
    try:
        with path.open("rb") as lines:
            for number, raw in enumerate(lines, 1):
                if raw.strip():
                    where = f"{path}:{number}"
                    line = raw.decode("utf-8")
                    yield parse_model(_Record, parse_json(line, where), where), where
    except OSError as exc:
        raise ProblemFormatError(f"{path}: cannot read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise ProblemFormatError(f"{path}:{number}: not UTF-8") from exc


def is_livecodebench(data: Any) -> bool:
    """Whether a parsed JSON object looks like a LiveCodeBench record."""
    return isinstance(data, dict) and "question_id" in data and "question_content" in data


def _call(record: _Record, where: str) -> Call | None:
    if all(t.testtype == "stdin" for t in record.public_test_cases + record.private_test_cases):
        return None
    method = record.metadata.get("func_name")
    if not isinstance(method, str) or not method.isidentifier():
        raise ProblemFormatError(f"{where}: functional tests but no method name in "
                                 "metadata.func_name")
    return Call(method=method, starter=record.starter_code)


def _tests(record: _Record, call: Call | None) -> list[TestCase]:
    def answer(text: str) -> str:
        # The sandbox's driver prints the result as json.dumps does; the record's answer may
        # be spaced otherwise ("[0,1]"), so it is spelled the same way.
        if call is not None:
            try:
                return json.dumps(json.loads(text)) + "\n"
            except ValueError:
                pass
        return ensure_newline(text)

    samples = [TestCase(name=f"sample/{n}", input=ensure_newline(t.input),
                        answer=answer(t.output), kind="sample")
               for n, t in enumerate(record.public_test_cases, 1)]
    seen = {tuple(s.input.split()) for s in samples}
    private = [t for t in record.private_test_cases if tuple(t.input.split()) not in seen]
    width = len(str(len(private)))
    return samples + [TestCase(name=f"secret/{n:0{width}d}", input=ensure_newline(t.input),
                               answer=answer(t.output), kind="secret")
                      for n, t in enumerate(private, 1)]


def _to_problem(record: _Record, where: str, source: str) -> Problem:
    call = _call(record, where)
    text = record.question_content
    return Problem(
        id=record.question_id,
        title=record.question_title or record.question_id,
        statement=text,
        limits=parse_limits(text),
        tests=_tests(record, call),
        checker=guess_checker(text),
        interactive=is_interactive(text),
        # Provenance, for an export's license column: the data set, platform and difficulty.
        tags=["livecodebench", *(tag for tag in (record.platform, record.difficulty) if tag)],
        source=source,
        contest_date=record.contest_date.date() if record.contest_date else None,
        call=call,
    )


def livecodebench_ids(path: str | Path) -> list[str]:
    return [record.question_id for record, _ in _records(Path(path))]


def read_livecodebench(path: str | Path, record_id: str | None = None) -> Problem:
    """The record of a `.json` file, or the one named `record_id` in a `.jsonl` file."""
    path = Path(path)
    for record, where in _records(path):
        if record_id is None or record.question_id == record_id:
            suffix = f"#{record.question_id}" if path.suffix.lower() == ".jsonl" else ""
            return _to_problem(record, where, f"{path}{suffix}")
    raise ProblemFormatError(f"{path}: no record with question_id {record_id!r}")


def iter_livecodebench(path: str | Path) -> Iterator[Problem]:
    """Every problem of the file."""
    path = Path(path)
    for record, where in _records(path):
        yield _to_problem(record, where, f"{path}#{record.question_id}")
