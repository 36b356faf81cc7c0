"""Getting a pydantic value out of whatever a model actually wrote.

Three levels, each more forgiving than the last:

1. `parse_strict`: find the JSON (bare, in a ```json fence, or amid prose), fix harmless
   syntax slips (trailing commas, single quotes, Python's True/False/None, raw newlines and
   stray backslashes inside strings, // comments, unquoted keys: the `json-repair`
   package's work), then validate fully. What fails here goes back to the model with the
   errors (structured.py's repair round).
2. `lenient_parse`: the same, and then salvage: close a reply cut off mid-structure, drop
   values that do not validate where the field has a default, drop bad items from lists,
   recurse into nested models. Used only when the repair round has failed too.
3. Nothing fits: ModelReplyError.

Truncated replies are closed only at level 2: a half-written `code` string that happens to close
into valid JSON must not pass as a complete answer.
"""

from __future__ import annotations

import json
import re
import types
import typing
from typing import Any, TypeVar

import json_repair
from pydantic import BaseModel, TypeAdapter, ValidationError

from .errors import ModelReplyError

__all__ = [
    "ReplyInvalid",
    "json_candidates",
    "lenient_parse",
    "loads_lenient",
    "parse_strict",
    "salvage",
]

T = TypeVar("T", bound=BaseModel)

_FENCE = re.compile(r"```[ \t]*([A-Za-z0-9_+-]*)[ \t]*\n(.*?)(?:```|\Z)", re.DOTALL)
_MAX_CANDIDATES = 6


class ReplyInvalid(ValueError):
    """A reply that does not fit, with the problems worded for the model to fix them."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


# -- finding the JSON ---------------------------------------------------------------------

def json_candidates(text: str) -> list[str]:
    """Spans of `text` that may hold the JSON object, most likely first: the whole reply,
    fenced blocks (```json first), then each top-level {...} in the prose."""
    found: list[str] = []
    stripped = text.strip()
    if stripped.startswith(("{", "[")):
        found.append(stripped)
    fences = sorted(_FENCE.finditer(text), key=lambda m: m.group(1).lower() not in ("json", ""))
    found.extend(m.group(2).strip() for m in fences)
    start = text.find("{")
    while start != -1 and len(found) < _MAX_CANDIDATES + 2:
        end = _balanced_end(text, start)
        found.append(text[start:end])
        start = text.find("{", end) if end < len(text) else -1
    unique: list[str] = []
    for span in found:
        if span and span not in unique:
            unique.append(span)
    return unique[:_MAX_CANDIDATES]


def _balanced_end(text: str, start: int) -> int:
    """Index just past the bracket closing the one at `start` (end of text if never closed)."""
    depth, i, in_string = 0, start, False
    while i < len(text):
        c = text[i]
        if in_string:
            if c == "\\":
                i += 1
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c in "{[":
            depth += 1
        elif c in "}]":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(text)


# -- repairing the syntax -----------------------------------------------------------------

def loads_lenient(text: str, *, close: bool = False) -> Any:
    """json.loads, else `json-repair`'s reading of near-JSON; ValueError if neither gives an
    object or a list. A structure cut off midway is finished only with `close`: a
    half-written `code` string that happens to close into valid JSON must not pass as a
    complete answer."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        first = exc
    why = f"invalid JSON: {first.msg} at line {first.lineno} column {first.colno}"
    if not close and _cut_off(text):
        raise ValueError(f"{why} (the reply ends before its JSON does)")
    try:
        value = json_repair.loads(text, skip_json_loads=True)
    except (ValueError, RecursionError) as exc:
        raise ValueError(why) from exc
    if isinstance(value, dict | list) and value:
        return value
    raise ValueError(why)


def _cut_off(text: str) -> bool:
    """Whether the JSON's outermost bracket is still open where the text ends. A text that
    ends on a closing bracket is taken as whole: quotes left unescaped inside a string can
    mislead the count, never the last character."""
    stripped = text.rstrip()
    starts = [i for i in (stripped.find("{"), stripped.find("[")) if i != -1]
    if not starts or stripped.endswith(("}", "]")):
        return False
    return _balanced_end(stripped, min(starts)) == len(stripped)


# -- validating ---------------------------------------------------------------------------

def describe(error: ValidationError, limit: int = 8) -> list[str]:
    """Validation errors as short lines a model can act on."""
    lines = []
    for item in error.errors()[:limit]:
        where = ".".join(str(part) for part in item["loc"]) or "(root)"
        got = "" if item["type"] == "missing" else f" (got {_short(item.get('input'))})"
        lines.append(f"{where}: {item['msg']}{got}")
    if len(error.errors()) > limit:
        lines.append(f"... and {len(error.errors()) - limit} more")
    return lines


def _short(value: Any, limit: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def parse_strict(text: str, schema: type[T]) -> T:
    """The first candidate that parses and fully validates; ReplyInvalid (with the problems of
    the most promising candidate) when none does."""
    problems: list[str] | None = None
    syntax: list[str] | None = None
    for candidate in json_candidates(text):
        try:
            data = loads_lenient(candidate)
        except ValueError as exc:
            syntax = syntax or [str(exc)]
            continue
        if not isinstance(data, dict):
            syntax = syntax or [f"expected a JSON object, got a JSON {type(data).__name__}"]
            continue
        try:
            return schema.model_validate(data)
        except ValidationError as exc:
            problems = problems or describe(exc)
    raise ReplyInvalid(problems or syntax or ["no JSON object found in the reply"])


def lenient_parse(text: str, schema: type[T]) -> T:
    """`parse_strict`, else the best partial value (see `salvage`); ModelReplyError if even
    that fails, e.g. a required field without a usable value."""
    try:
        return parse_strict(text, schema)
    except ReplyInvalid as exc:
        first = exc
    for candidate in json_candidates(text):
        try:
            data = loads_lenient(candidate, close=True)
        except ValueError:
            continue
        if isinstance(data, dict):
            try:
                return salvage(data, schema)
            except ValidationError:
                continue
    raise ModelReplyError(f"the reply does not fit {schema.__name__}: {first.problems[0]}")


# -- salvaging ----------------------------------------------------------------------------

_DROP = object()


def salvage(data: dict[str, Any], schema: type[T]) -> T:
    """Validate what can be validated: unknown keys go, a bad value is repaired (nested
    models, lists) or dropped when its field has a default. Raises ValidationError when a
    required field stays unusable."""
    fields = {(info.alias or name): info for name, info in schema.model_fields.items()}
    kept = {key: value for key, value in data.items() if key in fields}
    for _ in range(len(fields) + 1):
        try:
            return schema.model_validate(kept)
        except ValidationError as exc:
            bad = {item["loc"][0] for item in exc.errors() if item["loc"]}
            changed = False
            for key in bad:
                if key not in kept or key not in fields:
                    continue
                info = fields[str(key)]
                fixed = _salvage_value(kept[key], info.annotation)
                if fixed is not _DROP and fixed != kept[key]:
                    kept[str(key)] = fixed
                    changed = True
                elif not info.is_required():
                    del kept[str(key)]
                    changed = True
            if not changed:
                raise
    return schema.model_validate(kept)


def _salvage_value(value: Any, annotation: Any) -> Any:
    """A repaired value for `annotation`, or _DROP."""
    annotation = _unwrap_optional(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if isinstance(value, dict):
            try:
                return salvage(value, annotation)
            except ValidationError:
                return _DROP
        return _DROP
    if typing.get_origin(annotation) is list and isinstance(value, list):
        (item_type,) = typing.get_args(annotation) or (Any,)
        adapter: TypeAdapter[Any] = TypeAdapter(item_type)
        items = []
        for item in value:
            try:
                items.append(adapter.validate_python(item))
            except ValidationError:
                fixed = _salvage_value(item, item_type)
                if fixed is not _DROP:
                    items.append(fixed)
        return items
    return _DROP


def _unwrap_optional(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation
