"""Generated arguments for problems whose tests call a method (LeetCode style).

Such a test's input is one JSON value a line, one line per argument. Rather than a second
spec language for JSON, each argument is written in the stdin layout `infer` already reads
(a list as its length and then its items, a list of lists as `rows cols` and then its rows),
a spec is inferred from the samples so written, and every input drawn from it is turned
back into JSON lines. So stress, its shrinking and the selection's generated inputs work on
these problems unchanged.

Arguments this takes: integers, booleans, strings without blanks, lists of those, and
rectangular lists of lists. Anything else (floats, objects, ragged or empty lists, empty
strings) gives no spec, as a sample that fits no structure does for stdin problems.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, Literal

from hypothesis import reject
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict

from cpagent.problems.spec.errors import SpecError, SpecMismatch
from cpagent.problems.spec.generate import Mode, Shape
from cpagent.problems.spec.infer import infer_spec
from cpagent.problems.spec.inputspec import InputSpec

__all__ = ["ArgShape", "CallSpec", "infer_call_spec"]

_SEEDS_PER_DRAW = 20  # seeded draws tried before `generate` gives up on a spec


class ArgShape(BaseModel):
    """One argument: a scalar (`depth` 0), a list (1) or a list of lists (2) of `leaf`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    depth: Literal[0, 1, 2]
    leaf: Literal["int", "bool", "str"]


class _Undecodable(ValueError):
    pass


def _leaf(value: Any) -> str | None:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, str) and value and not any(c.isspace() for c in value):
        return "str"
    return None


def shape_of(value: Any) -> ArgShape | None:
    """The argument's shape, or None for one this module does not take."""
    if not isinstance(value, list):
        leaf = _leaf(value)
        return ArgShape(depth=0, leaf=leaf) if leaf else None
    if not value:
        return None
    if all(isinstance(row, list) for row in value):
        if not value[0] or any(len(row) != len(value[0]) for row in value):
            return None
        leaves = {_leaf(x) for row in value for x in row}
        depth = 2
    else:
        leaves = {_leaf(x) for x in value}
        depth = 1
    if len(leaves) != 1 or None in leaves:
        return None
    return ArgShape(depth=depth, leaf=leaves.pop())


def _token(value: Any) -> str:
    return str(int(value)) if isinstance(value, bool) else str(value)


def encode(args: list[Any]) -> str:
    """The arguments in the stdin layout a spec is inferred from."""
    lines: list[str] = []
    for value in args:
        if not isinstance(value, list):
            lines.append(_token(value))
        elif isinstance(value[0], list):
            lines.append(f"{len(value)} {len(value[0])}")
            lines += [" ".join(map(_token, row)) for row in value]
        else:
            lines += [str(len(value)), " ".join(map(_token, value))]
    return "\n".join(lines) + "\n"


def _value(token: str, leaf: str) -> Any:
    if leaf == "str":
        return token
    if leaf == "bool":
        if token not in ("0", "1"):
            raise _Undecodable(token)
        return token == "1"
    try:
        return int(token)
    except ValueError:
        raise _Undecodable(token) from None


def decode(text: str, shapes: list[ArgShape]) -> str:
    """JSON lines, one an argument, from a text in the encoded layout; `_Undecodable` when
    the text does not hold exactly these arguments."""
    tokens: Iterator[str] = iter(text.split())

    def take(count: int, leaf: str) -> list[Any]:
        got = [_value(t, leaf) for _, t in zip(range(count), tokens, strict=False)]
        if len(got) != count:
            raise _Undecodable("input ends early")
        return got

    lines = []
    for shape in shapes:
        if shape.depth == 0:
            value: Any = take(1, shape.leaf)[0]
        elif shape.depth == 1:
            value = take(take(1, "int")[0], shape.leaf)
        else:
            rows, cols = take(2, "int")
            value = [take(cols, shape.leaf) for _ in range(rows)]
        lines.append(json.dumps(value))
    if next(tokens, None) is not None:
        raise _Undecodable("tokens left over")
    return "\n".join(lines) + "\n"


def _arguments(text: str) -> list[Any]:
    try:
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    except json.JSONDecodeError as exc:
        raise SpecMismatch(f"an argument is not JSON: {exc.msg}") from None


class CallSpec:
    """A spec of a method's arguments: the stdin spec of their encoding, and their shapes.
    It offers what stress, the flow's selection and `cpagent gen` use of an `InputSpec`."""

    def __init__(self, encoded: InputSpec, shapes: list[ArgShape]) -> None:
        self.encoded = encoded
        self.shapes = shapes

    def _decoded(self, text: str) -> str:
        try:
            return decode(text, self.shapes)
        except _Undecodable:
            # An inferred structure may draw more or fewer lists than the method takes
            # (a count the samples made look shared): such a draw is no input.
            reject()
            raise  # unreachable: reject() raises

    def strategy(self, mode: Mode = "random", *, scale: float | None = None
                 ) -> st.SearchStrategy[str]:
        return self.encoded.strategy(mode, scale=scale).map(self._decoded)

    def generate(self, mode: Mode = "random", seed: int = 0, *, scale: float | None = None,
                 shape: Shape = "random") -> str:
        for attempt in range(_SEEDS_PER_DRAW):
            text = self.encoded.generate(mode, seed + attempt * 7919, scale=scale, shape=shape)
            try:
                return decode(text, self.shapes)
            except _Undecodable:
                continue
        raise SpecError("the inferred arguments' layout draws no input the method takes")

    def validate(self, text: str) -> None:
        """Raise `SpecMismatch` unless `text` holds arguments of these shapes that fit."""
        args = _arguments(text)
        if [shape_of(a) for a in args] != self.shapes:
            raise SpecMismatch(f"arguments of another shape than {self.describe()}")
        self.encoded.validate(encode(args))

    def describe(self) -> str:
        return ", ".join(f"{'list of ' * s.depth}{s.leaf}" for s in self.shapes)

    def model_dump(self, **kwargs: Any) -> dict[str, Any]:
        return {"arguments": [s.model_dump() for s in self.shapes],
                "encoded": self.encoded.model_dump(**kwargs)}


def infer_call_spec(inputs: list[str]) -> CallSpec | None:
    """The arguments' spec read off sample inputs (JSON lines), or None when an argument is
    of a kind this module does not take, the samples disagree on the shapes, or no
    structure fits their encoding."""
    try:
        parsed = [_arguments(text) for text in inputs if text.strip()]
    except SpecMismatch:
        return None
    if not parsed:
        return None
    shapes = [shape_of(a) for a in parsed[0]]
    if None in shapes or any([shape_of(a) for a in args] != shapes for args in parsed):
        return None
    encoded = infer_spec([encode(args) for args in parsed])
    if encoded is None:
        return None
    spec = CallSpec(encoded, shapes)  # type: ignore[arg-type]  # None ruled out above
    try:  # a structure that draws other arguments than the method takes is no spec
        for seed in range(3):
            spec.generate("tiny", seed)
            spec.generate("random", seed, scale=200)
    except SpecError:
        return None
    return spec
