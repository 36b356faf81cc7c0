"""Values to stdin text: the inverse of `parse`.

The layout is canonical: single spaces, every line ends with a newline, reals with exactly
their `decimals`.  Lengths and counts are taken from the values themselves (a list of 3
is 3 tokens), so rendering needs no bounds; `parse` is where rules are checked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from cpagent.problems.spec.errors import SpecError
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

__all__ = ["render_values"]

Values = dict[str, Any]


def _formatter(scalar: Int | Real | String) -> Callable[[Any], str]:
    if isinstance(scalar, Real):
        spec = f".{scalar.decimals}f"
        return lambda value: format(value, spec)
    return str


def _get(values: Values, name: str | None) -> Any:
    try:
        return values[name]  # type: ignore[index]
    except (KeyError, TypeError):
        raise SpecError(f"render: no value for {name}") from None


def _piece(item: object, values: Values) -> str:
    """The text an inline item adds to its line."""
    if isinstance(item, Int | Real | String):
        return _formatter(item)(_get(values, item.name))
    if isinstance(item, Array):
        return " ".join(map(_formatter(item.of), _get(values, item.name)))
    if isinstance(item, Permutation):
        return " ".join(map(str, _get(values, item.name)))
    raise SpecError(f"render: {type(item).__name__} cannot be part of a line")


def _line(items: Sequence[object], values: Values, head: list[str]) -> str:
    pieces = head + [_piece(item, values) for item in items]
    return " ".join(piece for piece in pieces if piece)  # an empty array adds no spaces


def _block(elements: Sequence[object], values: Values, out: list[str]) -> None:
    for element in elements:
        if isinstance(element, Array | Permutation) and element.layout == "lines":
            fmt = _formatter(element.of) if isinstance(element, Array) else str
            out.extend(map(fmt, _get(values, element.name)))
        elif isinstance(element, Int | Real | String | Array | Permutation):
            out.append(_piece(element, values))
        elif isinstance(element, Line):
            out.append(_line(element.items, values, []))
        elif isinstance(element, Matrix):
            fmt = _formatter(element.of)
            out.extend(" ".join(map(fmt, row)) for row in _get(values, element.name))
        elif isinstance(element, Grid):
            out.extend(_get(values, element.name))
        elif isinstance(element, Tree) and element.format == "parents":
            out.append(" ".join(map(str, _get(values, element.name))))
        elif isinstance(element, Tree | Graph):
            edges = _get(values, element.name)
            if element.weights is None:
                out.extend([f"{e[0]} {e[1]}" for e in edges])
            else:
                fmt = _formatter(element.weights)
                out.extend([f"{e[0]} {e[1]} {fmt(e[2])}" for e in edges])
        elif isinstance(element, Repeat):
            lines = _scalar_lines(element.body)
            for copy in _get(values, element.name):
                if lines is None:
                    _block(element.body, copy, out)
                    continue
                try:
                    out.extend(" ".join([f(copy[name]) for name, f in line]) for line in lines)
                except KeyError as exc:
                    raise SpecError(f"render: no value for {exc.args[0]}") from None
        elif isinstance(element, Choice):
            _choice(element, _get(values, element.name), out)
        elif isinstance(element, TestCases):
            cases = _get(values, element.name)
            out.append(str(len(cases)))
            for case in cases:
                _block(element.body, case, out)
        else:  # pragma: no cover - the schema admits nothing else
            raise SpecError(f"render: unknown element {element!r}")


def _scalar_lines(body: Sequence[object]) -> list[list[tuple[str, Callable[[Any], str]]]] | None:
    """The body as lines of named scalars with their formatters, if it is only that: the
    n lines of a `repeat` then print without a dispatch per value."""
    lines = []
    for element in body:
        items = element.items if isinstance(element, Line) else [element]
        if not all(isinstance(item, Int | Real | String) for item in items):
            return None
        lines.append([(item.name, _formatter(item)) for item in items])
    return lines


def _choice(choice: Choice, value: Values, out: list[str]) -> None:
    tag = str(_get(value, "tag"))
    option = next((o for o in choice.options if o.tag == tag), None)
    if option is None:
        raise SpecError(f"render: {choice.name} has no option {tag!r}")
    out.append(_line(option.items, value, [tag]))


def render_values(elements: Sequence[object], values: Values) -> str:
    out: list[str] = []
    _block(elements, values, out)
    return "".join(line + "\n" for line in out)
