"""Bound expressions: `n`, `n-1`, `2*10**5`, `min(n, 10**9)`, `m*(m-1)//2`.

A spec may come from a language model, so an expression is never handed to Python's
`eval`.  It is parsed with `ast` and compiled into closures that know only integer
literals, names of earlier values, `+ - * // % **`, unary minus, parentheses, `min()` and
`max()`.  Anything else is a one-line `SpecError`.  Powers and products are capped so that
a hostile `10**10**10` cannot hang the host.

A name stands for an earlier integer, or for the length of an earlier string or array.
`2e5` is accepted as the integer 200000 (models write it often); `2.5` is not an integer.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from cpagent.problems.spec.errors import SpecError

__all__ = ["Expr", "Unbound", "as_expr", "exact"]

Number = int | float
_Fn = Callable[[Mapping[str, Any]], Number]

_MAX_SOURCE = 200
_MAX_BITS = 400  # |values| below 2**400: far beyond any bound, far below a slow number
_OPERATORS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.FloorDiv: lambda a, b: a // b,
    ast.Mod: lambda a, b: a % b,
    ast.Pow: lambda a, b: a**b,
}
_HINTS = {
    ast.BitXor: "^ is not a power here; write **",
    ast.Div: "/ is not allowed; write // for integer division",
    ast.Attribute: "attribute access is not allowed",
    ast.Subscript: "indexing is not allowed",
    ast.Compare: "comparisons are not allowed",
    ast.BoolOp: "and/or are not allowed",
}
_ALLOWED = "integers, earlier names, + - * // % **, min() and max()"


class Unbound(KeyError):
    """A name has no value yet.  The generator uses this to skip a bound it cannot know."""


def _too_large(value: Number, source: str) -> Number:
    if isinstance(value, int) and value.bit_length() > _MAX_BITS:
        raise SpecError(f"bound {source!r}: value too large")
    return value


def _lookup(name: str, source: str) -> _Fn:
    def fn(env: Mapping[str, Any]) -> Number:
        try:
            value = env[name]
        except KeyError:
            raise Unbound(name) from None
        if type(value) is int:
            return value
        if isinstance(value, str | list | tuple):
            return len(value)
        raise SpecError(f"bound {source!r}: {name} is not an integer, string or array")

    return fn


def _literal(node: ast.Constant, source: str) -> Number:
    value = node.value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SpecError(f"bound {source!r}: {value!r} is not allowed; use {_ALLOWED}")
    if isinstance(value, int):
        return value
    # `2e5` parses as a float; read the digits again, exactly, to accept it as an integer.
    text = ast.get_source_segment(source, node) or repr(value)
    try:
        exact = Decimal(text)
    except InvalidOperation:  # pragma: no cover - ast accepted it
        exact = Decimal(value)
    if exact != exact.to_integral_value():
        raise SpecError(f"bound {source!r}: {text} is not an integer")
    return int(exact)


def _binop(node: ast.BinOp, source: str, names: set[str]) -> _Fn:
    op = _OPERATORS.get(type(node.op))
    if op is None:
        hint = _HINTS.get(type(node.op), f"{type(node.op).__name__} is not allowed")
        raise SpecError(f"bound {source!r}: {hint}")
    left, right = _compile(node.left, source, names), _compile(node.right, source, names)
    is_pow, is_div = isinstance(node.op, ast.Pow), isinstance(node.op, ast.FloorDiv | ast.Mod)

    def fn(env: Mapping[str, Any]) -> Number:
        a, b = left(env), right(env)
        if is_pow:
            if b < 0:
                raise SpecError(f"bound {source!r}: negative power")
            if abs(a) > 1 and (int(abs(a)).bit_length() - 1) * b > _MAX_BITS:
                raise SpecError(f"bound {source!r}: value too large")
        if is_div and b == 0:
            raise SpecError(f"bound {source!r}: division by zero")
        return _too_large(op(a, b), source)

    return fn


def _call(node: ast.Call, source: str, names: set[str]) -> _Fn:
    func = node.func.id if isinstance(node.func, ast.Name) else None
    if func not in ("min", "max"):
        called = func or ast.get_source_segment(source, node.func) or "?"
        raise SpecError(f"bound {source!r}: calling {called}() is not allowed; only min, max")
    if node.keywords or not node.args or any(isinstance(a, ast.Starred) for a in node.args):
        raise SpecError(f"bound {source!r}: {func}() takes plain arguments")
    args = [_compile(a, source, names) for a in node.args]
    pick = min if func == "min" else max
    return lambda env: pick(a(env) for a in args)


def _compile(node: ast.AST, source: str, names: set[str]) -> _Fn:
    if isinstance(node, ast.Constant):
        value = _literal(node, source)
        return lambda env: value
    if isinstance(node, ast.Name):
        if node.id in ("min", "max"):
            raise SpecError(f"bound {source!r}: {node.id} is a function, not a value")
        names.add(node.id)
        return _lookup(node.id, source)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        inner = _compile(node.operand, source, names)
        if isinstance(node.op, ast.UAdd):
            return inner
        return lambda env: -inner(env)
    if isinstance(node, ast.BinOp):
        return _binop(node, source, names)
    if isinstance(node, ast.Call):
        return _call(node, source, names)
    hint = _HINTS.get(type(node), f"{type(node).__name__} is not allowed; use {_ALLOWED}")
    raise SpecError(f"bound {source!r}: {hint}")


class Expr:
    """A parsed bound.  Call it with the values known so far; it returns a number.

    `raw` is what the spec said (an int, a float for a real's bound, or text) and is what
    serialisation writes back, so a spec survives a JSON round trip unchanged.
    """

    __slots__ = ("_fn", "constant", "names", "raw", "source")

    def __init__(self, raw: int | float | str) -> None:
        self.raw = raw
        self.names: frozenset[str] = frozenset()
        self.constant: Number | None = None
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            raise SpecError(f"bound {raw!r}: want an integer or an expression such as 2*10**5")
        if isinstance(raw, float):
            if raw != raw or raw in (float("inf"), float("-inf")):
                raise SpecError(f"bound {raw!r}: not a finite number")
            self.source = repr(raw)
            self.constant = int(raw) if raw.is_integer() else raw
        elif isinstance(raw, int):
            self.source = str(raw)
            self.constant = _too_large(raw, self.source)
        else:
            self.source = " ".join(raw.split())
            self._parse()
        if self.constant is not None:
            value = self.constant
            self._fn: _Fn = lambda env: value

    def _parse(self) -> None:
        source = self.source
        if not source:
            raise SpecError("bound '': empty expression")
        if len(source) > _MAX_SOURCE:
            raise SpecError(f"bound {source[:40]!r}...: longer than {_MAX_SOURCE} characters")
        try:
            tree = ast.parse(source, mode="eval")
        except SyntaxError:
            raise SpecError(f"bound {source!r}: not an expression ({_ALLOWED})") from None
        names: set[str] = set()
        self._fn = _compile(tree.body, source, names)
        self.names = frozenset(names)
        if not names:  # fold constants once: most bounds are `1` or `10**9`
            self.constant = self._fn({})

    @property
    def is_integer(self) -> bool:
        """False only for a real constant such as 0.5 (fine for a real's bound only)."""
        return not isinstance(self.constant, float)

    def __call__(self, env: Mapping[str, Any]) -> Number:
        return self._fn(env)

    def integer(self, env: Mapping[str, Any]) -> int:
        value = self._fn(env)
        if not isinstance(value, int):
            raise SpecError(f"bound {self.source!r}: {value} is not an integer")
        return value

    def describe(self, value: Number) -> str:
        """`1`, or `n-1 = 4` when the bound depends on earlier values."""
        return self.source if self.constant is not None else f"{self.source} = {value}"

    def __str__(self) -> str:
        return self.source

    def __repr__(self) -> str:
        return f"Expr({self.raw!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Expr) and other.raw == self.raw

    def __hash__(self) -> int:
        return hash(self.raw)


def as_expr(value: Any) -> Expr:
    """Pydantic's validator for bound fields: text or numbers in, `Expr` out."""
    return value if isinstance(value, Expr) else Expr(value)


def exact(value: Number) -> Fraction:
    """A bound as an exact fraction.  Floats go through their shortest repr, so that a
    bound of 0.1 means one tenth, not the binary float nearest to it."""
    return Fraction(value) if isinstance(value, int) else Fraction(Decimal(repr(value)))
