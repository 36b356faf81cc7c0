"""Kattis / ICPC problem packages: the legacy layout and the 2023-07 draft, read and written.

- legacy: `problem.yaml` with `validation: default|custom [interactive]` and
  `validator_flags`; `problem_statement/`; `output_validators/<name>/`.
- 2023-07 draft: `problem_format_version`, `type`, `limits.time_limit`; `statement/`;
  one `output_validator/`; validator arguments in `data/testdata.yaml` (`test_group.yaml`
  in later drafts).

The writer lives in `kattis_writer` and is re-exported here.  Reading is lenient about
which layout a folder or key comes from, because real packages mix them (the `guess`
example keeps a validator folder inside `output_validator/`).  Only Python output
validators can run in our sandbox, so a package whose validator is C++ is refused with
one line -- unless the problem is interactive: then the validator is an interactor the
model cannot hold anyway, and the tests are still worth having.  Interactive samples
given only as `.interaction` transcripts are not tests and are skipped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from cpagent.problems.errors import MissingAnswer, ProblemFormatError
from cpagent.problems.formats._io import load_yaml, parse_model, read_text
from cpagent.problems.formats.kattis_writer import write_kattis
from cpagent.problems.model import (
    Checker,
    FloatChecker,
    Limits,
    Problem,
    ProgramChecker,
    TestCase,
    TestKind,
    TokenChecker,
)

__all__ = ["checker_from_flags", "read_kattis", "read_submissions", "write_kattis"]

DEFAULT_TIME_S = 2.0
DEFAULT_MEMORY_MB = 256
_GROUPS: tuple[TestKind, ...] = ("sample", "secret")
_STATEMENT_DIRS = ("statement", "problem_statement")
_VALIDATOR_DIRS = ("output_validator", "output_validators")
_STATEMENT_TYPES = (".md", ".tex")  # in order of preference; PDF is no text
_FLOAT_FLAGS = ("float_tolerance", "float_absolute_tolerance", "float_relative_tolerance")


def _scalar_to_str(value: Any) -> Any:
    # YAML reads `name: 2048` as an int; a name or flag is still text.
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


class _Limits(BaseModel):
    model_config = ConfigDict(extra="ignore")  # multipliers, compilation limits, ...

    time_limit: float | None = Field(None, gt=0)
    memory: int | None = Field(None, gt=0)
    output: int | None = Field(None, gt=0)


class _Meta(BaseModel):
    """The keys of problem.yaml we use; the spec has many more we have no use for."""

    model_config = ConfigDict(extra="ignore")

    problem_format_version: str | None = None
    name: str | dict[str, str] | None = None
    type: str | list[str] = "pass-fail"
    validation: str = "default"
    validator_flags: str | list[str] | None = None
    limits: _Limits = Field(default_factory=_Limits)
    keywords: str | list[str] | None = None

    @field_validator("problem_format_version", "name", "validator_flags", mode="before")
    @classmethod
    def as_text(cls, value: Any) -> Any:
        return _scalar_to_str(value)

    @property
    def modern(self) -> bool:
        version = self.problem_format_version
        return version is not None and not version.startswith("legacy")

    @property
    def interactive(self) -> bool:
        kinds = [self.type] if isinstance(self.type, str) else self.type
        return "interactive" in kinds or "interactive" in self.validation.split()


class _TestGroup(BaseModel):
    model_config = ConfigDict(extra="ignore")

    output_validator_args: str | list[str] | None = None
    output_validator_flags: str | list[str] | None = None


def _words(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return value.split() if isinstance(value, str) else [str(v) for v in value]


def _read_meta(root: Path) -> _Meta:
    file = root / "problem.yaml"
    if not file.is_file():
        raise ProblemFormatError(f"{root}: no problem.yaml, so not a Kattis package")
    data = load_yaml(file)
    return parse_model(_Meta, {} if data is None else data, str(file))


def _answer(source: Path, interactive: bool) -> str | None:
    answer = source.with_suffix(".ans")
    if answer.is_file():
        return read_text(answer)
    if interactive:
        return None  # the interactor holds the truth
    raise MissingAnswer(f"{source}: no matching {answer.name}")


def _order(test: TestCase) -> tuple[str, ...]:
    return tuple(test.name.split("/"))


def _read_tests(root: Path, interactive: bool) -> list[TestCase]:
    data = root / "data"
    tests = []
    for group in _GROUPS:
        for source in (data / group).rglob("*.in"):
            if source.is_file():
                name = source.relative_to(data).as_posix().removesuffix(".in")
                answer = _answer(source, interactive)
                tests.append(
                    TestCase(name=name, input=read_text(source), answer=answer, kind=group)
                )
    return sorted(tests, key=_order)


def _statement_file(root: Path) -> Path | None:
    def rank(path: Path) -> tuple[bool, int, str]:
        parts = path.name.split(".")
        language = parts[1] if len(parts) == 3 else "en"  # legacy allows problem.tex
        return (language != "en", _STATEMENT_TYPES.index(path.suffix), path.name)

    files = [
        path
        for folder in _STATEMENT_DIRS
        if (root / folder).is_dir()
        for path in (root / folder).glob("problem*")
        if path.is_file() and path.suffix in _STATEMENT_TYPES
    ]
    return min(files, key=rank, default=None)


def _title(meta: _Meta, statement: str, default: str) -> str:
    if isinstance(meta.name, str):
        return meta.name
    if isinstance(meta.name, dict) and meta.name:
        return meta.name.get("en") or next(iter(meta.name.values()))
    start = statement.find("\\problemname{")
    if start >= 0:
        end = statement.find("}", start)
        return statement[start + len("\\problemname{") : end].strip()
    return default


def _limits(meta: _Meta) -> Limits:
    given = meta.limits
    return Limits(
        time_s=given.time_limit or DEFAULT_TIME_S,
        memory_mb=given.memory or DEFAULT_MEMORY_MB,
        **({"output_mb": given.output} if given.output else {}),
    )


def _flags(root: Path, meta: _Meta) -> list[str]:
    flags = _words(meta.validator_flags)
    for name in ("testdata.yaml", "test_group.yaml"):
        file = root / "data" / name
        if file.is_file():
            data = load_yaml(file)
            group = parse_model(_TestGroup, {} if data is None else data, str(file))
            flags += _words(group.output_validator_args) + _words(group.output_validator_flags)
    return flags


def _float_value(flags: list[str], index: int, where: str) -> float:
    try:
        return float(flags[index + 1])
    except (IndexError, ValueError):
        raise ProblemFormatError(f"{where}: {flags[index]} needs a number") from None


def checker_from_flags(flags: list[str], where: str = "validator flags") -> Checker:
    """The Kattis default validator, configured by its flags, as one of our checkers.

    Kattis compares case-insensitively unless `case_sensitive` is given.  A tolerance given
    only absolutely (or only relatively) leaves the other at 0, which accepts nothing more.
    `space_change_sensitive` has no counterpart: we accept any whitespace between tokens.
    """
    tolerance: dict[str, float] = {}
    for index, flag in enumerate(flags):
        if flag in _FLOAT_FLAGS:
            value = _float_value(flags, index, where)
            if flag != "float_relative_tolerance":
                tolerance["abs_tol"] = value
            if flag != "float_absolute_tolerance":
                tolerance["rel_tol"] = value
    if tolerance:
        return FloatChecker(
            abs_tol=tolerance.get("abs_tol", 0.0), rel_tol=tolerance.get("rel_tol", 0.0)
        )
    return TokenChecker(case_sensitive="case_sensitive" in flags)


def _validator_dir(root: Path) -> Path | None:
    return next((root / d for d in _VALIDATOR_DIRS if (root / d).is_dir()), None)


def _python_validator(root: Path, interactive: bool) -> str | None:
    folder = _validator_dir(root)
    files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder else []
    python = [p for p in files if p.suffix == ".py"]
    if len(python) == 1:
        return read_text(python[0])
    if python:
        names = ", ".join(p.name for p in python)
        raise ProblemFormatError(f"{folder}: several Python files ({names}); need exactly one")
    if interactive:
        return None
    if not files:
        raise ProblemFormatError(f"{root / 'problem.yaml'}: custom validation but no validator")
    names = ", ".join(p.name for p in files)
    raise ProblemFormatError(f"{folder}: validator is not Python ({names}); we run only Python")


def _checker(root: Path, meta: _Meta) -> Checker:
    flags = _flags(root, meta)
    custom = "custom" in meta.validation.split() or meta.interactive
    if meta.modern:
        custom = custom or _validator_dir(root) is not None
    source = _python_validator(root, meta.interactive) if custom else None
    if source is None:
        return checker_from_flags(flags, str(root / "problem.yaml"))
    return ProgramChecker(kind="kattis", source=source, flags=flags)


def read_kattis(path: str | Path) -> Problem:
    root = Path(path)
    meta = _read_meta(root)
    file = _statement_file(root)
    statement = read_text(file) if file else ""
    name = root.resolve().name
    return Problem(
        id=name,
        title=_title(meta, statement, default=name),
        statement=statement,
        limits=_limits(meta),
        tests=_read_tests(root, meta.interactive),
        checker=_checker(root, meta),
        interactive=meta.interactive,
        tags=_words(meta.keywords),
        source=str(path),
        input_spec=_input_spec(root),
    )


SPEC_FILES = ("input_spec.yaml", "input_spec.yml", "input_spec.json")


def _input_spec(root: Path) -> dict[str, Any] | None:
    """cpagent's own addition to the format: a declarative input spec beside problem.yaml."""
    for name in SPEC_FILES:
        if (root / name).is_file():
            data = load_yaml(root / name)  # YAML is a superset of JSON
            if not isinstance(data, dict):
                raise ProblemFormatError(f"{root / name}: an input spec must be a mapping")
            return data
    return None


def read_submissions(path: str | Path) -> dict[str, list[Path]]:
    """Python submissions by category (`accepted`, `wrong_answer`, ...), each list sorted.

    Every category folder is listed, even one without Python files, so that a caller can
    tell "no Python submission" from "no such category".
    """
    root = Path(path)
    if not (root / "problem.yaml").is_file():
        raise ProblemFormatError(f"{root}: no problem.yaml, so not a Kattis package")
    folder = root / "submissions"
    if not folder.is_dir():
        return {}
    return {
        category.name: sorted(p for p in category.rglob("*.py") if p.is_file())
        for category in sorted(folder.iterdir())
        if category.is_dir()
    }
