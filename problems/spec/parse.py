"""Stdin text to values, checking every rule of the spec on the way.

Line structure is strict (the tokens of a `line` must be on one line, each row of a grid on
its own), because a spec that disagrees with the samples about lines is wrong.  Within a
line any run of spaces or tabs separates tokens, `\\r\\n` is a newline, and blank lines at
the very end are ignored.  Numbers must be canonical (`7`, not `07` or `+7`), as a
judge's validator would insist.

A mismatch is a one-line `SpecMismatch`: `line 2, token 3: 0 is below the minimum 1 of
a[3]`.  Labels carry the path into blocks: `cases[2].a[3]`, `queries[5].x`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from cpagent.problems.spec.analysis import Plan
from cpagent.problems.spec.errors import SpecMismatch
from cpagent.problems.spec.expr import Expr, exact
from cpagent.problems.spec.model import (
    Array,
    Choice,
    Count,
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
from cpagent.problems.spec.scope import Scope

__all__ = ["parse_values"]

_INT = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
_REAL = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.([0-9]+))?\Z")

Env = Scope


class _Cursor:
    """The tokens of one line, taken left to right.  Positions are kept as indices and put
    into words (`line 3, token 2`) only for a message: formatting every token's place
    would double the time to read 2*10^5 of them."""

    def __init__(self, tokens: list[str], number: int, past_end: bool = False) -> None:
        self.tokens, self.number, self.past_end, self.pos = tokens, number, past_end, 0

    def at(self, index: int) -> str:
        """`line 3, token 2` for the token at `index` (0-based) of this line."""
        return f"line {self.number}, token {index + 1}"

    def _missing(self, what: str) -> SpecMismatch:
        if self.past_end:
            return SpecMismatch(f"line {self.number}: missing {what} (the input has ended)")
        return SpecMismatch(f"{self.at(len(self.tokens))}: missing {what} (the line ends)")

    def take(self, what: str) -> tuple[str, Spot]:
        if self.pos >= len(self.tokens):
            raise self._missing(what)
        self.pos += 1
        return self.tokens[self.pos - 1], (self, self.pos - 1)

    def take_many(self, k: int, what: str) -> tuple[list[str], int]:
        """k tokens and the index of the first; names the first missing one."""
        start = self.pos
        if start + k > len(self.tokens):
            self.pos = len(self.tokens)
            raise self._missing(f"{what}[{len(self.tokens) - start + 1}] of {k}")
        self.pos += k
        return self.tokens[start : start + k], start

    def end(self) -> None:
        if self.pos < len(self.tokens):
            raise SpecMismatch(
                f"{self.at(self.pos)}: unexpected extra token {self.tokens[self.pos]!r}"
            )


Spot = tuple[_Cursor, int]  # a token's place: its line and index, put into words on error


def _at(spot: Spot) -> str:
    return spot[0].at(spot[1])


class _Reader:
    def __init__(self, text: str) -> None:
        lines = text.split("\n")
        while lines and not lines[-1].strip():  # the final newline, and stray blank lines
            lines.pop()
        self.lines = lines
        self.row = 0

    def line(self) -> _Cursor:
        self.row += 1
        if self.row > len(self.lines):
            return _Cursor([], self.row, past_end=True)
        return _Cursor(self.lines[self.row - 1].split(), self.row)

    @property
    def next_line(self) -> int:
        return self.row + 1

    def finish(self) -> None:
        if self.row < len(self.lines):
            extra = self.lines[self.row].strip()[:30]
            raise SpecMismatch(f"line {self.row + 1}: unexpected extra line {extra!r}")


def _range_check(x: Any, lo: Any, hi: Any, lo_e: Expr, hi_e: Expr, spot: Spot, label: str) -> None:
    if x < lo:
        where = _at(spot)
        raise SpecMismatch(f"{where}: {x} is below the minimum {lo_e.describe(lo)} of {label}")
    if x > hi:
        where = _at(spot)
        raise SpecMismatch(f"{where}: {x} is above the maximum {hi_e.describe(hi)} of {label}")


class _Parser:
    def __init__(self, plan: Plan, text: str) -> None:
        self.plan = plan
        self.reader = _Reader(text)
        self.prefix = ""  # path of the enclosing blocks, for labels

    def run(self, elements: Sequence[object]) -> dict[str, Any]:
        scope = Scope()
        self.block(elements, scope)
        self.reader.finish()
        return scope.own

    def label(self, name: str | None) -> str:
        return f"{self.prefix}{name}"

    # -- scalars -------------------------------------------------------------------

    def integer(self, tok: str, spot: Spot, scalar: Int | Count, env: Env, label: str) -> int:
        if not _INT.match(tok) or tok == "-0":
            raise SpecMismatch(f"{_at(spot)}: {tok!r} is not an integer ({label})")
        x = int(tok)
        _range_check(
            x, scalar.min.integer(env), scalar.max.integer(env), scalar.min, scalar.max, spot, label
        )
        return x

    def real(self, tok: str, spot: Spot, real: Real, env: Env, label: str) -> float:
        match = _REAL.match(tok)
        if not match:
            raise SpecMismatch(f"{_at(spot)}: {tok!r} is not a number ({label})")
        if match.group(1) is not None and len(match.group(1)) > real.decimals:
            raise SpecMismatch(
                f"{_at(spot)}: {tok} has more than {real.decimals} decimals ({label})"
            )
        lo, hi = exact(real.min(env)), exact(real.max(env))
        _range_check(Fraction(Decimal(tok)), lo, hi, real.min, real.max, spot, label)
        return float(tok)

    def string(self, tok: str, spot: Spot, s: String, env: Env, label: str) -> str:
        k = len(tok)
        if s.length is not None:
            want = s.length.integer(env)
            if k != want:
                raise SpecMismatch(
                    f"{_at(spot)}: {label} has length {k}, not {s.length.describe(want)}"
                )
        else:
            assert s.min_length is not None and s.max_length is not None
            lo, hi = s.min_length.integer(env), s.max_length.integer(env)
            if not lo <= k <= hi:
                raise SpecMismatch(f"{_at(spot)}: {label} has length {k}, outside [{lo}, {hi}]")
        chars = s.chars
        if not set(tok) <= set(chars):
            bad = next(c for c in tok if c not in chars)
            raise SpecMismatch(f"{_at(spot)}: {label} has {bad!r}, not in alphabet {s.alphabet!r}")
        if s.first is not None and tok and tok[0] not in s.first_chars:
            raise SpecMismatch(f"{_at(spot)}: {label} starts with {tok[0]!r}, not in {s.first!r}")
        if s.number and k > 1 and tok[0] == "0":
            raise SpecMismatch(f"{_at(spot)}: {label} has a leading zero")
        return tok

    def scalar(
        self, tok: str, spot: Spot, scalar: Int | Real | String, env: Env, label: str
    ) -> Any:
        if isinstance(scalar, Int):
            return self.integer(tok, spot, scalar, env, label)
        if isinstance(scalar, Real):
            return self.real(tok, spot, scalar, env, label)
        return self.string(tok, spot, scalar, env, label)

    def values(
        self, toks: list[str], spot: Callable[[int], Spot], of: Any, env: Env, label: str
    ) -> list:
        """Many values at once.  Integers take one regex pass and min/max, then a slow pass
        naming the first bad token only when there is one: 2*10^5 tokens in milliseconds."""
        if isinstance(of, Int):
            lo, hi = of.min.integer(env), of.max.integer(env)
            if all(map(_INT.match, toks)) and "-0" not in toks:
                values = list(map(int, toks))
                if not values or (min(values) >= lo and max(values) <= hi):
                    return values
        return [
            self.scalar(tok, spot(i), of, env, f"{label}[{i + 1}]") for i, tok in enumerate(toks)
        ]

    # -- arrays --------------------------------------------------------------------

    def length(self, expr: Expr, env: Env, what: str) -> int:
        k = expr.integer(env)
        if k < 0:
            raise SpecMismatch(
                f"line {self.reader.next_line}: {what} is {expr.describe(k)}, below 0"
            )
        return k

    def sequence(self, item: Array | Permutation, env: Env, cursor: _Cursor | None) -> list:
        """The tokens of an array or permutation: from `cursor` (inline) or one per line."""
        label = self.label(item.name)
        size = item.length if isinstance(item, Array) else item.n
        k = self.length(size, env, f"length of {label}")
        spot: Callable[[int], Spot]
        if cursor is not None:
            toks, start = cursor.take_many(k, label)
            line = cursor
            spot = lambda i: (line, start + i)  # noqa: E731 - a place, only for messages
        else:
            toks, cursors = [], []
            for i in range(k):
                own = self.reader.line()
                toks.append(own.take(f"{label}[{i + 1}]")[0])
                own.end()
                cursors.append(own)
            spot = lambda i: (cursors[i], 0)  # noqa: E731
        if isinstance(item, Permutation):
            return self.permutation(item, toks, spot, env, label)
        values = self.values(toks, spot, item.of, env, label)
        self.order(item, values, spot, label)
        if item.total is not None:
            _check_total(item, values, env, label)
        return values

    def order(self, a: Array, values: list, spot: Callable[[int], Spot], label: str) -> None:
        if a.strict and len(set(values)) != len(values):
            seen: set[Any] = set()
            for i, x in enumerate(values):
                if x in seen:
                    raise SpecMismatch(f"{_at(spot(i))}: {x} repeats an earlier value of {label}")
                seen.add(x)
        if a.sorted is None:
            return
        ok = _ORDERS[a.sorted]
        for i in range(1, len(values)):
            if not ok(values[i - 1], values[i]):
                raise SpecMismatch(
                    f"{_at(spot(i))}: {values[i]} after {values[i - 1]} breaks the order of "
                    f"{label} ({a.sorted})"
                )

    def permutation(
        self, p: Permutation, toks: list[str], spot: Callable[[int], Spot], env: Env, label: str
    ) -> list[int]:
        k = len(toks)
        values = self.values(toks, spot, Int(min=p.base, max=p.base + k - 1), env, label)
        if len(set(values)) != k:
            seen: set[int] = set()
            for i, x in enumerate(values):
                if x in seen:
                    raise SpecMismatch(f"{_at(spot(i))}: {x} repeats in permutation {label}")
                seen.add(x)
        return values

    # -- elements ------------------------------------------------------------------

    def inline(self, item: object, cursor: _Cursor, env: Env) -> None:
        if isinstance(item, Int | Real | String):
            label = self.prefix + item.name if self.prefix else item.name  # type: ignore[operator]
            tok, spot = cursor.take(label)  # type: ignore[arg-type]
            env[item.name] = self.scalar(tok, spot, item, env, label)  # type: ignore[index]
        elif isinstance(item, Array | Permutation):
            env[item.name] = self.sequence(item, env, cursor)
        else:  # pragma: no cover - the schema admits nothing else
            raise AssertionError(item)

    def block(self, elements: Sequence[object], env: Env) -> None:
        for element in elements:
            if isinstance(element, Array | Permutation) and element.layout == "lines":
                env[element.name] = self.sequence(element, env, None)
            elif isinstance(element, Int | Real | String | Array | Permutation):
                self.line([element], env)
            elif isinstance(element, Line):
                self.line(element.items, env)
            elif isinstance(element, Matrix):
                self.matrix(element, env)
            elif isinstance(element, Grid):
                self.grid(element, env)
            elif isinstance(element, Tree) and element.format == "parents":
                self.parents(element, env)
            elif isinstance(element, Tree | Graph):
                self.edges(element, env)
            elif isinstance(element, Repeat):
                count = self.length(element.count, env, f"count of {self.label(element.name)}")
                flat = self.plan.flat.get(id(element))
                if flat is not None and all(isinstance(i, Int) for line in flat for i in line):
                    env[element.name] = self.flat_copies(element, flat, count, env)
                else:
                    env[element.name] = self.copies(element, element.body, count, env)
            elif isinstance(element, Choice):
                self.choice(element, env)
            elif isinstance(element, TestCases):
                self.testcases(element, env)
            else:  # pragma: no cover
                raise AssertionError(element)

    def line(self, items: Sequence[object], env: Env) -> None:
        cursor = self.reader.line()
        for item in items:
            self.inline(item, cursor, env)
        cursor.end()

    def matrix(self, m: Matrix, env: Env) -> None:
        label = self.label(m.name)
        rows = self.length(m.rows, env, f"rows of {label}")
        cols = self.length(m.cols, env, f"cols of {label}")
        out = []
        for r in range(rows):
            cursor = self.reader.line()
            row_label = f"{label}[{r + 1}]"
            toks, start = cursor.take_many(cols, row_label)
            cursor.end()
            out.append(self.values(toks, lambda i: (cursor, start + i), m.of, env, row_label))  # noqa: B023
        env[m.name] = out

    def grid(self, g: Grid, env: Env) -> None:
        label = self.label(g.name)
        rows = self.length(g.rows, env, f"rows of {label}")
        cols = self.length(g.cols, env, f"cols of {label}")
        row_spec = String(type="string", alphabet=g.alphabet, length=cols)
        out = []
        for r in range(rows):
            cursor = self.reader.line()
            row_label = f"row {r + 1} of {label}"
            tok, spot = cursor.take(row_label) if cols else ("", (cursor, 0))
            cursor.end()
            out.append(self.string(tok, spot, row_spec, env, row_label))
        for c in g.must_contain:
            if not any(c in row for row in out):
                raise SpecMismatch(f"line {self.reader.row}: {label} has no {c!r}")
        env[g.name] = out

    def parents(self, t: Tree, env: Env) -> None:
        label = self.label(t.name)
        n = self.length(t.n, env, f"n of {label}")
        if n < 1:
            raise SpecMismatch(f"line {self.reader.next_line}: tree {label} has n = {n} nodes")
        cursor = self.reader.line()
        toks, start = cursor.take_many(n - 1, f"{label} (parents p_2..p_n)")
        cursor.end()
        out = []
        for i, tok in enumerate(toks):
            node = i + 1 + t.base  # the (i+2)-th node, labelled from base
            if not _INT.match(tok) or not t.base <= int(tok) < node:
                raise SpecMismatch(
                    f"{cursor.at(start + i)}: parent {tok} of node {node} in {label} is not in "
                    f"{t.base}..{node - 1}"
                )
            out.append(int(tok))
        env[t.name] = out

    def edge(
        self, cursor: _Cursor, n: int, base: int, weights: Int | Real | None, env: Env, label: str
    ) -> list:
        """`u v` or `u v w`, read token by token to name whatever is wrong."""
        ends = []
        for end in ("u", "v"):
            tok, spot = cursor.take(f"{end} of an edge of {label}")
            if not _INT.match(tok):
                raise SpecMismatch(f"{_at(spot)}: {tok!r} is not a node of {label}")
            x = int(tok)
            if not base <= x < base + n:
                raise SpecMismatch(
                    f"{_at(spot)}: node {x} of {label} is outside {base}..{base + n - 1}"
                )
            ends.append(x)
        if ends[0] == ends[1]:
            raise SpecMismatch(f"{cursor.at(1)}: loop {ends[0]} {ends[1]} in {label}")
        if weights is not None:
            tok, spot = cursor.take(f"weight of an edge of {label}")
            ends.append(self.scalar(tok, spot, weights, env, f"a weight of {label}"))
        cursor.end()
        return ends

    def edges(self, g: Tree | Graph, env: Env) -> None:
        """The edge lines of a tree or graph.  A line of plain integers in range is read
        straight from the text; anything else goes through `edge`, which names the fault."""
        label = self.label(g.name)
        n = self.length(g.n, env, f"n of {label}")
        is_tree = isinstance(g, Tree)
        if is_tree and n < 1:
            raise SpecMismatch(f"line {self.reader.next_line}: tree {label} has n = {n} nodes")
        m = n - 1 if is_tree else self.length(g.m, env, f"m of {label}")  # type: ignore[union-attr]
        directed = isinstance(g, Graph) and g.directed
        base, weights = g.base, g.weights
        lo, hi = base, base + n - 1
        w_lo = w_hi = 0
        fast_weights = weights is None or isinstance(weights, Int)
        if isinstance(weights, Int):
            w_lo, w_hi = weights.min.integer(env), weights.max.integer(env)
        width = 2 if weights is None else 3
        parent = list(range(n))

        def root(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        seen: dict[tuple[int, int], int] = {}
        raw = self.reader.lines
        out = []
        for _ in range(m):
            row = self.reader.row
            toks = raw[row].split() if row < len(raw) else []
            edge = None
            if fast_weights and len(toks) == width and all(map(_INT.match, toks)):
                edge = [int(tok) for tok in toks]
                u, v = edge[0], edge[1]
                if not (lo <= u <= hi and lo <= v <= hi and u != v) or "-0" in toks:
                    edge = None
                elif width == 3 and not w_lo <= edge[2] <= w_hi:
                    edge = None
            if edge is None:
                edge = self.edge(self.reader.line(), n, base, weights, env, label)
            else:
                self.reader.row += 1
            u, v = edge[0], edge[1]
            line_no = self.reader.row
            if not is_tree:  # in a tree, a repeated edge closes a cycle below
                key = (u, v) if directed or u < v else (v, u)
                if key in seen:
                    raise SpecMismatch(
                        f"line {line_no}: edge {u} {v} of {label} repeats line {seen[key]}"
                    )
                seen[key] = line_no
            ru, rv = root(u - base), root(v - base)
            if is_tree and ru == rv:
                raise SpecMismatch(f"line {line_no}: edge {u} {v} closes a cycle in {label}")
            parent[ru] = rv
            out.append(edge)
        # A tree of n-1 edges without a cycle is connected; a graph must be checked.
        if isinstance(g, Graph) and g.connected and len({root(x) for x in range(n)}) > 1:
            raise SpecMismatch(f"line {self.reader.row}: {label} is not connected")
        env[g.name] = out

    def copies(
        self, owner: Repeat | TestCases, body: Sequence[object], count: int, env: Env
    ) -> list:
        rules = self.plan.sums[id(owner)]
        totals = [0] * len(rules)
        limits = [rule.limit.integer(env) for rule in rules]
        outer = self.prefix
        out = []
        for i in range(count):
            first_line = self.reader.next_line
            self.prefix = f"{outer}{owner.name}[{i + 1}]."
            child = env.child()
            self.block(body, child)
            for j, rule in enumerate(rules):
                totals[j] += rule.expr.integer(child)
                if totals[j] > limits[j]:
                    raise SpecMismatch(
                        f"line {first_line}: the sum of {rule.key} over {outer}{owner.name} "
                        f"reaches {totals[j]}, above the maximum {rule.limit.describe(limits[j])}"
                    )
            out.append(child.own)
        self.prefix = outer
        return out

    def flat_copies(self, r: Repeat, lines: list[list[Any]], count: int, env: Env) -> list:
        """Copies of a body of integer lines with constant bounds, read straight from the
        text; a copy that does not fit goes through `block`, which names the fault."""
        specs = [
            ([i.name for i in line], [(i.min.constant, i.max.constant) for i in line])
            for line in lines
        ]
        raw = self.reader.lines
        out = []
        for i in range(count):
            start = self.reader.row
            copy = _flat_copy(raw, start, specs)
            if copy is None:
                outer, self.prefix = self.prefix, f"{self.prefix}{r.name}[{i + 1}]."
                child = env.child()
                self.block(r.body, child)
                self.prefix = outer
                copy = child.own
            else:
                self.reader.row = start + len(specs)
            out.append(copy)
        return out

    def choice(self, c: Choice, env: Env) -> None:
        label = self.label(c.name)
        cursor = self.reader.line()
        tag, spot = cursor.take(f"the kind of {label}")
        option = next((o for o in c.options if o.tag == tag), None)
        if option is None:
            kinds = ", ".join(o.tag for o in c.options)
            raise SpecMismatch(f"{_at(spot)}: {tag!r} is not a kind of {label} (one of {kinds})")
        child = env.child({"tag": tag})
        outer, self.prefix = self.prefix, f"{label}."
        for item in option.items:
            self.inline(item, cursor, child)
        self.prefix = outer
        cursor.end()
        env[c.name] = child.own

    def testcases(self, tc: TestCases, env: Env) -> None:
        cursor = self.reader.line()
        label = self.label(tc.count.name)
        tok, spot = cursor.take(f"the number of test cases {label}")
        t = self.integer(tok, spot, tc.count, env, label)
        cursor.end()
        env[tc.count.name] = t
        env[tc.name] = self.copies(tc, tc.body, t, env)


_ORDERS: dict[str, Callable[[Any, Any], bool]] = {
    "non-decreasing": lambda x, y: x <= y,
    "increasing": lambda x, y: x < y,
    "non-increasing": lambda x, y: x >= y,
    "decreasing": lambda x, y: x > y,
}


def _flat_copy(raw: list[str], start: int, specs: list) -> dict[str, int] | None:
    """One copy of a flat body read from `raw` lines, or None if anything is off."""
    if start + len(specs) > len(raw):
        return None
    copy = {}
    for j, (names, bounds) in enumerate(specs):
        toks = raw[start + j].split()
        if len(toks) != len(names):
            return None
        for name, tok, (lo, hi) in zip(names, toks, bounds, strict=True):
            if not _INT.match(tok) or tok == "-0":
                return None
            x = int(tok)
            if not lo <= x <= hi:
                return None
            copy[name] = x
    return copy


def parse_values(elements: Sequence[object], plan: Plan, text: str) -> dict[str, Any]:
    return _Parser(plan, text).run(elements)


def _check_total(a: Array, values: list, env: Env, label: str) -> None:
    total, bounds = sum(values), a.total
    assert bounds is not None
    if bounds.min is not None and total < bounds.min(env):
        raise SpecMismatch(f"the values of {label} sum to {total}, below {bounds.min}")
    if bounds.max is not None and total > bounds.max(env):
        raise SpecMismatch(f"the values of {label} sum to {total}, above {bounds.max}")
