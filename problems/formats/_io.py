"""File access shared by the readers.

Every failure becomes a one-line `ProblemFormatError` naming the file, so that the CLI can
print it as the reason for exit code 2 and no reader ever leaks a raw exception.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from cpagent.problems.errors import ProblemFormatError

M = TypeVar("M", bound=BaseModel)

__all__ = [
    "ensure_newline",
    "load_json",
    "load_yaml",
    "one_line",
    "parse_json",
    "parse_model",
    "read_text",
]


def one_line(text: str) -> str:
    """Collapse a message from a library (which may span lines) into one line."""
    return " ".join(str(text).split())


def read_text(path: Path) -> str:
    # Bytes, then decode: text mode would translate "\r\n" and a test's bytes must survive.
    try:
        return path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise ProblemFormatError(f"{path}: cannot read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise ProblemFormatError(f"{path}: not UTF-8 (bad byte at offset {exc.start})") from exc


def load_yaml(path: Path) -> Any:
    text = read_text(path)
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        reason = getattr(exc, "problem", None) or type(exc).__name__
        raise ProblemFormatError(f"{path}: malformed YAML{where}: {one_line(reason)}") from exc


def load_json(path: Path) -> Any:
    return parse_json(read_text(path), str(path))


def parse_json(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProblemFormatError(
            f"{where}: malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from exc


def parse_model(model: type[M], data: Any, where: str) -> M:
    """Validate `data` against `model`, reporting the first error only (one line)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(part) for part in first["loc"]) or "top level"
        raise ProblemFormatError(f"{where}: {loc}: {one_line(first['msg'])}") from exc


def ensure_newline(text: str) -> str:
    """Judges feed files that end with a newline; datasets often strip it."""
    return text if not text or text.endswith("\n") else text + "\n"
