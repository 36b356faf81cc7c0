"""What an input drew, beside the bounds it was drawn from.

Timing calls an input "maximum"; a reader should be able to check that it is: that n is
2·10^5 where the statement allows 2·10^5, that the values span -10^9..10^9 and that each
query's `r` reaches n. `drawn_values` reads an input back with its spec and sums up each
named value (over every copy of a repeated line): the smallest and largest drawn, and the
bounds as the spec states them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict

from cpagent.problems.spec.inputspec import InputSpec
from cpagent.problems.spec.model import (
    Array,
    Choice,
    Graph,
    Grid,
    Int,
    Line,
    Matrix,
    Permutation,
    Real,
    Repeat,
    String,
    TestCases,
    Tree,
)

__all__ = ["DrawnValue", "drawn_values"]


class DrawnValue(BaseModel):
    """One named value of an input: what was drawn and what the spec allows."""

    model_config = ConfigDict(extra="forbid")

    name: str
    what: str  # "value", "length" (of an array or string), "nodes", "cases"
    lo: float
    hi: float
    bound: str  # "[1, 2*10**5]", "[l, n]"

    def describe(self) -> str:
        drawn = _number(self.lo) if self.lo == self.hi else \
            f"{_number(self.lo)}..{_number(self.hi)}"
        return f"{self.name} ({self.what}): {drawn} of {self.bound}"


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def drawn_values(spec: InputSpec, text: str) -> list[DrawnValue]:
    """Each named value of `text` (an input of `spec`), in reading order."""
    found: dict[tuple[str, str], list[Any]] = {}  # (name, what) -> [lo, hi, bound]
    _walk(spec.input, spec.parse(text), found)
    return [DrawnValue(name=name, what=what, lo=lo, hi=hi, bound=bound)
            for (name, what), (lo, hi, bound) in found.items()]


def _bound(lo: Any, hi: Any) -> str:
    return f"[{lo.source}, {hi.source}]" if lo is not None and hi is not None else "?"


def _add(found: dict[tuple[str, str], list[Any]], name: str, what: str,
         xs: Sequence[float], bound: str) -> None:
    if not xs:
        return
    lo, hi = min(xs), max(xs)
    old = found.get((name, what))
    if old is None:
        found[(name, what)] = [lo, hi, bound]
    else:
        old[0], old[1] = min(lo, old[0]), max(hi, old[1])


def _scalar(found: dict, name: str, of: Int | Real | String, xs: list[Any]) -> None:
    if isinstance(of, String):
        if of.length is None:
            _add(found, name, "length", [len(x) for x in xs],
                 _bound(of.min_length, of.max_length))
        return
    _add(found, name, "value", xs, _bound(of.min, of.max))


def _walk(elements: Sequence[object], values: dict[str, Any], found: dict) -> None:
    for e in elements:
        if isinstance(e, Int | Real | String) and e.name is not None:
            _scalar(found, e.name, e, [values[e.name]])
        elif isinstance(e, Array):
            xs = values[e.name]
            _add(found, e.name, "length", [len(xs)], e.length.source)
            _scalar(found, e.name, e.of, xs)
        elif isinstance(e, Permutation):
            _add(found, e.name, "length", [len(values[e.name])], e.n.source)
        elif isinstance(e, Line):
            _walk(e.items, values, found)
        elif isinstance(e, Matrix):
            _scalar(found, e.name, e.of, [x for row in values[e.name] for x in row])
        elif isinstance(e, Grid):
            _add(found, e.name, "rows", [len(values[e.name])], e.rows.source)
        elif isinstance(e, Tree | Graph):
            edges = values[e.name]
            _add(found, e.name, "edges", [len(edges)],
                 e.m.source if isinstance(e, Graph) else f"{e.n.source} - 1")
            if e.weights is not None and edges and isinstance(edges[0], list | tuple):
                _scalar(found, f"{e.name} weight", e.weights, [edge[2] for edge in edges])
        elif isinstance(e, Repeat | TestCases):
            copies = values[e.name]
            if isinstance(e, TestCases):
                _add(found, e.count.name, "cases", [len(copies)],
                     _bound(e.count.min, e.count.max))
            for copy in copies:
                _walk(e.body, {**values, **copy}, found)
        elif isinstance(e, Choice):
            picked = values[e.name]
            option = next((o for o in e.options if o.tag == picked.get("tag")), None)
            if option is not None:
                _walk(option.items, {**values, **picked}, found)
