"""Recognise a problem source from its path and read it with the matching reader.

| path                                                  | format                |
|-------------------------------------------------------|-----------------------|
| directory with `problem.yaml` (or the file)           | Kattis                |
| directory with `problem.xml` (or the file)            | Polygon               |
| directory with `test/` or `*.in` files                | oj                    |
| `*.json` (a record with `question_id`: LiveCodeBench) | Competitive Companion |
| `*.jsonl`, record by `record=` or `path#id`           | CodeContests          |
| `*.jsonl` whose records have `question_id`            | LiveCodeBench         |
| `*.md`, `*.markdown`, `*.txt`                         | statement             |

Every failure is a `ProblemFormatError` with a one-line message naming the path.
"""

from __future__ import annotations

from pathlib import Path

from cpagent.problems.errors import ProblemFormatError, UnknownFormat
from cpagent.problems.formats import READERS, read_codecontests, record_ids
from cpagent.problems.formats._io import parse_json, read_text
from cpagent.problems.formats.livecodebench import (
    is_livecodebench,
    livecodebench_ids,
    read_livecodebench,
)
from cpagent.problems.model import Problem

__all__ = ["PACKAGE_FILES", "detect_format", "load_problem", "package_format"]

# A package is a folder named by the file at its root; the file itself names it too.
PACKAGE_FILES = {"problem.yaml": "kattis", "problem.xml": "polygon"}

_SUFFIXES = {
    ".json": "companion",
    ".jsonl": "codecontests",
    ".md": "statement",
    ".markdown": "statement",
    ".txt": "statement",
}


def detect_format(path: Path) -> str:
    """The name of the format at `path` (an existing file or directory)."""
    if path.is_dir():
        package = package_format(path)
        if package is not None:
            return package
        if (path / "test").is_dir() or any(p.is_file() for p in path.glob("*.in")):
            return "oj"
        raise UnknownFormat(
            f"{path}: directory has no problem.yaml, problem.xml, test/ or *.in files")
    if path.name in PACKAGE_FILES:
        return PACKAGE_FILES[path.name]
    if path.suffix.lower() in _SUFFIXES:
        name = _SUFFIXES[path.suffix.lower()]
        return "livecodebench" if name != "statement" and _holds_livecodebench(path) else name
    raise UnknownFormat(
        f"{path}: unknown format (want a Kattis, Polygon or oj folder, .json, .jsonl, .md "
        "or .txt)"
    )


def package_format(folder: Path) -> str | None:
    """"kattis" or "polygon" when `folder` is such a package, else None."""
    return next((name for file, name in PACKAGE_FILES.items() if (folder / file).is_file()),
                None)


def _holds_livecodebench(path: Path) -> bool:
    """JSON and JSONL files are shared by formats: the first record's fields tell them apart.
    Only a JSONL file's first line is read (a LiveCodeBench file runs to gigabytes)."""
    if path.suffix.lower() == ".json":
        return is_livecodebench(parse_json(read_text(path), str(path)))
    try:
        with path.open("rb") as f:
            first = next((line for line in f if line.strip()), b"")
        return is_livecodebench(parse_json(first.decode("utf-8"), f"{path}:1"))
    except (OSError, UnicodeDecodeError, ProblemFormatError):
        return False  # the CodeContests reader will say what is wrong with it


def _split_record(path: str | Path, record: str | None) -> tuple[Path, str | None]:
    """`dev.jsonl#1041_e` names a record; a real file whose name has `#` stays whole."""
    text = str(path)
    if Path(text).exists() or "#" not in text:
        return Path(text), record
    text, _, suffix = text.rpartition("#")
    if record is not None and record != suffix:
        raise ProblemFormatError(f"{path}: record {record!r} contradicts the #{suffix} suffix")
    return Path(text), suffix


def _load_codecontests(path: Path, record: str | None) -> Problem:
    if record is None:
        ids = record_ids(path)
        if len(ids) != 1:
            raise ProblemFormatError(
                f"{path}: {len(ids)} records; choose one with {path}#<id> or record="
            )
        record = ids[0]
    return read_codecontests(path, record)


def load_problem(path: str | Path, *, record: str | None = None) -> Problem:
    """Read the problem at `path`, whatever its format (see the module docstring): a Kattis
    or Polygon package, a Competitive Companion JSON, an oj-style folder, a CodeContests or
    LiveCodeBench record (`file.jsonl#id`), or a statement file.

        problem = load_problem("problems/library/mirror-words")
        print(problem.title, len(problem.samples()), problem.limits.time_s)
    """
    target, record = _split_record(path, record)
    if not target.exists():
        raise ProblemFormatError(f"{target}: no such file or directory")
    name = detect_format(target)
    if name == "codecontests":
        return _load_codecontests(target, record)
    if name == "livecodebench":
        if record is None and target.suffix.lower() == ".jsonl":
            ids = livecodebench_ids(target)
            if len(ids) != 1:
                raise ProblemFormatError(
                    f"{target}: {len(ids)} records; choose one with {target}#<question_id>")
        return read_livecodebench(target, record)
    if record is not None:
        raise ProblemFormatError(f"{target}: a record id applies only to .jsonl files")
    if target.name in PACKAGE_FILES:
        target = target.parent
    return READERS[name](target)
