"""Read an InputSpec from a YAML or JSON file; every failure is one `SpecError` line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from cpagent.problems.spec.errors import SpecError
from cpagent.problems.spec.inputspec import InputSpec

__all__ = ["load_spec"]


def _data(path: Path, text: str) -> Any:
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise SpecError(f"{path}: malformed JSON at line {exc.lineno}: {exc.msg}") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        reason = " ".join(str(getattr(exc, "problem", None) or type(exc).__name__).split())
        raise SpecError(f"{path}: malformed YAML{where}: {reason}") from None


def load_spec(path: str | Path) -> InputSpec:
    """The spec in `path` (`.json` is JSON, anything else YAML)."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise SpecError(f"{path}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise SpecError(f"{path}: not UTF-8 (bad byte at offset {exc.start})") from None
    data = _data(path, text)
    if data is None:
        raise SpecError(f"{path}: empty file")
    try:
        return InputSpec.model_validate(data)
    except SpecError as exc:
        raise SpecError(f"{path}: {exc}") from None
