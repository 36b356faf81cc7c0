"""Draw the values of an input, in one of four modes, from any `Source`.

- `tiny`: every size at most 6 (test case counts at most 3), values within 10 of their
  lower bound (or within 5 of 0 when the range holds 0): inputs a brute force can take.
- `edge`: the corners a contestant checks first. Sizes from their lower bound to 3 more
  (n = 1 where the bounds allow it), values at the edges of their range (0, -1, 1, the
  lower and the upper bound, one inside each) or small, arrays all equal, sorted, reversed
  or with one odd value out, strings of one repeated character, numbers written in digits
  as long as their bound allows. Still inside every bound: an edge is an input a judge
  may give.
- `random`: values over their full range; sizes biased toward moderate and capped so that
  the product of the sizes drawn so far stays near `scale` (default 1000 elements): a
  2*10^5 array through hypothesis would be slow and overrun its buffer.  Pass a larger
  `scale` (or `math.inf`) for larger inputs.
- `max`: every size at its upper bound, within the `sum` bounds, which are met exactly
  where the sizes allow: test cases are added, each as large as the rest of the sum
  permits, until the sum or the count runs out.  Values are random over their range, or
  in one of the `SHAPES` slow programs meet: sorted, reversed or all-equal arrays and
  strings of one character, ranges that span everything (`l` at its lowest, `r` at its
  highest), every value at its lowest (a step of 1), trees that are one long path.

Sizes are drawn inside the bounds other elements imply (see `analysis`) and inside what
the `sum` bounds leave; a draw that still cannot be completed raises `Unsatisfiable`, and
the caller tries again (hypothesis: `reject()`).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import Any, Literal

from cpagent.problems.spec.analysis import Plan, SumRule
from cpagent.problems.spec.errors import SpecError
from cpagent.problems.spec.expr import Expr, Unbound, exact
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
from cpagent.problems.spec.render import render_values
from cpagent.problems.spec.scope import Scope
from cpagent.problems.spec.source import RandomSource, Source

__all__ = [
    "DEFAULT_SCALE",
    "MAX_VALUES",
    "MODES",
    "SHAPES",
    "TINY_COUNT",
    "TINY_SIZE",
    "Generator",
    "Mode",
    "Shape",
    "Unsatisfiable",
    "generate_text",
]

Mode = Literal["random", "tiny", "max", "edge"]
Shape = Literal["random", "sorted", "reversed", "equal", "wide", "low", "line"]
SHAPES: tuple[Shape, ...] = ("random", "sorted", "reversed", "equal", "wide", "low", "line")
MODES: tuple[Mode, ...] = ("random", "tiny", "max", "edge")
TINY_SIZE = 6
TINY_COUNT = 3
TINY_SPAN = 10
EDGE_SIZE = 3  # sizes from their lower bound to this much more
# Array shapes in edge mode, simplest first (hypothesis shrinks toward the first).
_SHAPES = ("mixed", "equal", "sorted", "reversed", "one-out")
DEFAULT_SCALE = 1000.0
MAX_VALUES = 5 * 10**7  # a spec that forgot its sum bound must not eat the host's memory
_ATTEMPTS = 50

Env = Scope


class Unsatisfiable(Exception):
    """This attempt drew values that the rest of the spec cannot live with."""


def _small(lo: int, hi: int, span: int) -> tuple[int, int]:
    """The part of [lo, hi] a brute force likes: near 0 when it can be, else near an end."""
    if lo <= 0 <= hi:
        return max(lo, -(span // 2)), min(hi, span // 2)
    if lo > 0:
        return lo, min(hi, lo + span)
    return max(lo, hi - span), hi


def _edges(lo: int, hi: int) -> list[int]:
    """The values of [lo, hi] bugs live at, simplest first: 0 and the numbers beside it
    where the range holds them, then the bounds and one step inside each."""
    around = [0, -1, 1] if lo <= 0 <= hi else []
    picks = [*around, lo, hi, lo + 1, hi - 1] if around else [lo, lo + 1, hi, hi - 1]
    return list(dict.fromkeys(x for x in picks if lo <= x <= hi))


def _shuffled(rng: random.Random, items: list) -> list:
    """A random order of `items`; sorting by random keys is 3x faster than rng.shuffle."""
    keys = [rng.random() for _ in items]
    return [items[i] for i in sorted(range(len(items)), key=keys.__getitem__)]


class _Budget:
    """What one `sum` rule leaves for the copy being drawn and the copies after it."""

    def __init__(self, rule: SumRule, env: Env, fraction: float = 1.0) -> None:
        self.rule = rule
        self.remaining = int(rule.limit.integer(env) * fraction)
        self.ids = {id(d) for d in rule.defs.values()}
        self.reserve = 0  # kept back for the copies still to come
        self.each = max(0, self._at_lowest({}, env))  # what each copy needs at least

    def _lowest(self, definition: Int | String, env: Env) -> int:
        bound = definition.min if isinstance(definition, Int) else definition.min_length
        assert bound is not None
        try:
            return bound.integer(env)
        except Unbound:  # depends on a value of the copy not yet drawn
            return 0

    def _at_lowest(self, known: dict[str, int], env: Env) -> int:
        probe = {
            name: self._lowest(d, env)
            for name, d in self.rule.defs.items()
            if name not in known and name not in env
        }
        try:
            return self.rule.expr.integer({**env, **probe, **known})
        except Unbound:
            return 0

    def cap(self, name: str, lo: int, hi: int, env: Env) -> int:
        """The largest value in [lo, hi] for `name` that leaves room (lo-1 if none does).
        Assumes the summed expression grows with each of its names, as sizes do."""
        allowed = self.remaining - self.reserve
        if self.rule.expr.source == name:
            return min(hi, allowed)
        if self._at_lowest({name: lo}, env) > allowed:
            return lo - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self._at_lowest({name: mid}, env) <= allowed:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def spend(self, env: Env) -> None:
        self.remaining -= self.rule.expr.integer(env)
        if self.remaining < 0:
            raise Unsatisfiable(f"sum of {self.rule.key} overshoots its bound")


class Generator:
    """Draws the values of one input; `run` returns them as `parse` would."""

    def __init__(self, plan: Plan, mode: Mode, source: Source, scale: float | None = None,
                 shape: Shape = "random") -> None:
        if mode not in MODES:
            raise SpecError(f"unknown mode {mode!r}; use one of {', '.join(MODES)}")
        if shape not in SHAPES or (shape != "random" and mode != "max"):
            raise SpecError(f"shape {shape!r}: one of {', '.join(SHAPES)}, in max mode")
        self.plan, self.mode, self.src, self.shape = plan, mode, source, shape
        self.lower_ends: set[str] = set()  # values other values' lower bounds name
        self.upper_ends: set[str] = set()  # values other values' upper bounds name
        self.scale = DEFAULT_SCALE if scale is None else float(scale)
        if not self.scale > 0:
            raise SpecError(f"scale must be positive, not {scale}")
        # In max mode a scale below 1 is a fraction of every bound (sizes and sums), for
        # timing how a program grows on inputs of the same shape at a smaller size.
        self.fraction = min(1.0, self.scale) if mode == "max" and scale is not None else 1.0
        self.mass = 1.0  # product of the sizes drawn in enclosing blocks (random mode)
        self.count = 0  # values drawn so far, against MAX_VALUES
        self.budgets: list[_Budget] = []
        self._dispatch = {
            Int: self._int,
            Real: self._real_element,
            String: self._string_element,
            Array: self._array,
            Permutation: self._permutation,
            Line: self._line,
            Matrix: self._matrix,
            Grid: self._grid,
            Tree: self._tree,
            Graph: self._graph,
            Repeat: self._repeat,
            Choice: self._choice,
            TestCases: self._testcases,
        }

    def run(self, elements: Sequence[object]) -> dict[str, Any]:
        if self.shape == "wide":
            self.lower_ends = _bounding(elements, "min")
        if self.shape == "low":
            self.upper_ends = _bounding(elements, "max")
        scope = Scope()
        self._block(elements, scope)
        return scope.own

    def _block(self, elements: Sequence[object], env: Env) -> None:
        for element in elements:
            self._dispatch[type(element)](element, env)

    # -- sizes and values ------------------------------------------------------------

    def _spend(self, k: int) -> None:
        self.count += k
        if self.count > MAX_VALUES:
            raise SpecError(f"an input would exceed {MAX_VALUES} values; is a sum bound missing?")

    def _bounds(self, d: Int | Count | String, env: Env, lo: int, hi: int) -> tuple[int, int]:
        """[lo, hi] narrowed by implied bounds and by what the sum bounds leave."""
        for kind, bound in self.plan.implied.get(id(d), ()):
            try:
                value = bound.integer(env)
            except Unbound:  # names a value drawn later; checked when that is drawn
                continue
            lo, hi = (max(lo, value), hi) if kind == "min" else (lo, min(hi, value))
        for budget in self.budgets:
            if id(d) in budget.ids and d.name is not None:
                hi = min(hi, budget.cap(d.name, lo, hi, env))
        if lo > hi:
            raise Unsatisfiable(f"{d.name}: nothing fits in [{lo}, {hi}]")
        return lo, hi

    def _size(self, lo: int, hi: int, tiny: int = TINY_SIZE) -> int:
        if self.mode == "max":
            x = max(lo, int(hi * self.fraction))
        elif self.mode == "edge":
            x = self.src.integer(lo, min(hi, lo + EDGE_SIZE))
        elif self.mode == "tiny":
            x = self.src.integer(lo, min(hi, max(lo, tiny)))
        else:
            soft = self.scale / self.mass
            x = self.src.size(lo, hi if soft >= hi else max(lo, int(soft)))
        self.mass *= max(1, x)
        return x

    def _integer(self, d: Int | Count, env: Env) -> int:
        lo, hi = self._bounds(d, env, d.min.integer(env), d.max.integer(env))
        if id(d) in self.plan.sizes:
            return self._size(lo, hi, TINY_COUNT if isinstance(d, Count) else TINY_SIZE)
        if self.mode == "edge":
            return self._edge(lo, hi)
        if self.mode == "tiny":
            lo, hi = _small(lo, hi, TINY_SPAN)
        if self.shape == "wide":  # l at its lowest and r at its highest: [1, n] each time
            return lo if d.name in self.lower_ends else hi
        if self.shape == "low":  # values at their lowest (a step of 1) below the ones at
            return hi if d.name in self.upper_ends else lo  # their highest that bound them
        return self.src.integer(lo, hi)

    def _edge(self, lo: int, hi: int) -> int:
        """An edge of [lo, hi], or (the last choice) a small value of it."""
        edges = _edges(lo, hi)
        i = self.src.integer(0, len(edges))
        return edges[i] if i < len(edges) else self.src.integer(*_small(lo, hi, TINY_SPAN))

    def _edge_values(self, lo: int, hi: int, k: int) -> list[int]:
        """k values of [lo, hi] in one of the shapes bugs live at."""
        if k < 2:
            return [self._edge(lo, hi) for _ in range(k)]
        shape = _SHAPES[self.src.integer(0, len(_SHAPES) - 1)]
        if shape == "equal":
            return [self._edge(lo, hi)] * k
        if shape == "one-out":
            values = [self._edge(lo, hi)] * k
            values[self.src.integer(0, k - 1)] = self._edge(lo, hi)
            return values
        values = [self._edge(lo, hi) for _ in range(k)]
        if shape == "mixed":
            return values
        return sorted(values, reverse=shape == "reversed")

    def _length(self, expr: Expr, env: Env, what: str) -> int:
        value = expr.integer(env)
        if value < 0:
            raise Unsatisfiable(f"{what} is {value}")
        return value

    def _scalars(self, of: Int | Real | String, env: Env, k: int, strict: bool = False) -> list:
        """k values of an unnamed scalar type (array elements, weights, matrix cells)."""
        if isinstance(of, String):
            return [self._string(of, env) for _ in range(k)]
        if isinstance(of, Real):
            lo, hi, unit = self._real_range(of, env)
            if self.mode == "edge":
                return [x / unit for x in self._edge_values(lo, hi, k)]
            return [x / unit for x in self.src.integers(lo, hi, k)]
        full = of.min.integer(env), of.max.integer(env)
        if self.mode == "edge" and not strict:
            if full[0] > full[1]:
                raise Unsatisfiable(f"no integer in [{full[0]}, {full[1]}]")
            return self._edge_values(*full, k)
        lo, hi = _small(*full, TINY_SPAN) if self.mode in ("tiny", "edge") else full
        if not strict:
            if lo > hi:
                raise Unsatisfiable(f"no integer in [{lo}, {hi}]")
            if self.shape in ("equal", "low"):
                return [lo if self.shape == "low" else self.src.integer(lo, hi)] * k
            values = self.src.integers(lo, hi, k)
            if self.shape in ("sorted", "reversed"):
                values.sort(reverse=self.shape == "reversed")
            return values
        if hi - lo + 1 < k:  # tiny range too narrow for k different values: widen it
            hi = min(full[1], lo + k - 1)
            lo = max(full[0], hi - k + 1)
        if hi - lo + 1 < k:
            raise Unsatisfiable(f"{k} different values do not fit in [{lo}, {hi}]")
        return self.src.distinct(lo, hi, k)

    def _real_range(self, real: Real, env: Env) -> tuple[int, int, int]:
        """The range in units of 10**-decimals, so reals are drawn (and shrink) as integers."""
        unit = 10**real.decimals
        lo = math.ceil(exact(real.min(env)) * unit)
        hi = math.floor(exact(real.max(env)) * unit)
        if self.mode == "tiny":  # (edge mode keeps the whole range: its edges are the point)
            lo, hi = _small(lo, hi, TINY_SPAN * unit)
        if lo > hi:
            raise Unsatisfiable(f"no real in [{real.min}, {real.max}]")
        return lo, hi, unit

    def _string(self, s: String, env: Env) -> str:
        if s.length is not None:
            k = self._length(s.length, env, "a string length")
        else:
            assert s.min_length is not None and s.max_length is not None
            lo, hi = s.min_length.integer(env), s.max_length.integer(env)
            lo, hi = self._bounds(s, env, max(lo, 0), hi)
            # A number's length is its magnitude: its edges include the longest.
            k = self._edge(lo, hi) if s.number and self.mode == "edge" else self._size(lo, hi)
        self._spend(k)
        if k == 0:
            return ""
        if self.shape == "equal":  # the alphabet's first character: `aaaa`, `1111`
            return s.first_chars[0] * k
        if self.mode == "edge" and k > 1 and self.src.integer(0, 1):
            return self.src.text(s.first_chars, 1) * k  # one character repeated: "zzzz"
        if s.first is None and not (s.number and k > 1):
            return self.src.text(s.chars, k)
        return self.src.text(s.first_chars, 1) + self.src.text(s.chars, k - 1)

    # -- elements --------------------------------------------------------------------

    def _int(self, d: Int, env: Env) -> None:
        env[d.name] = self._integer(d, env)  # type: ignore[index]

    def _real_element(self, d: Real, env: Env) -> None:
        lo, hi, unit = self._real_range(d, env)
        x = self._edge(lo, hi) if self.mode == "edge" else self.src.integer(lo, hi)
        env[d.name] = x / unit  # type: ignore[index]

    def _string_element(self, d: String, env: Env) -> None:
        env[d.name] = self._string(d, env)  # type: ignore[index]

    def _line(self, line: Line, env: Env) -> None:
        self._block(line.items, env)

    def _array(self, a: Array, env: Env) -> None:
        k = self._length(a.length, env, f"length of {a.name}")
        self._spend(k)
        values = self._scalars(a.of, env, k, strict=a.strict)
        if a.sorted is not None:
            values.sort(reverse=a.sorted in ("non-increasing", "decreasing"))
        if a.total is not None:
            total = sum(values)
            if (a.total.min is not None and total < a.total.min(env)) or (
                    a.total.max is not None and total > a.total.max(env)):
                raise Unsatisfiable(f"the values of {a.name} sum to {total}, outside its total")
        env[a.name] = values

    def _permutation(self, p: Permutation, env: Env) -> None:
        n = self._length(p.n, env, f"n of {p.name}")
        self._spend(n)
        env[p.name] = [x + p.base for x in self.src.permutation(n)]

    def _matrix(self, m: Matrix, env: Env) -> None:
        rows = self._length(m.rows, env, f"rows of {m.name}")
        cols = self._length(m.cols, env, f"cols of {m.name}")
        self._spend(rows * cols)
        env[m.name] = [self._scalars(m.of, env, cols) for _ in range(rows)]

    def _grid(self, g: Grid, env: Env) -> None:
        rows = self._length(g.rows, env, f"rows of {g.name}")
        cols = self._length(g.cols, env, f"cols of {g.name}")
        self._spend(rows * cols)
        cells = self.src.text(g.chars, rows * cols)  # one draw, sliced: fast for 1-wide grids
        grid = [cells[r * cols : (r + 1) * cols] for r in range(rows)]
        must = g.must_contain
        if must and not all(any(c in row for row in grid) for c in must):
            if rows * cols < len(must):
                raise Unsatisfiable(f"grid {g.name} is too small for {must!r}")
            # Each required character gets its own cell, so none overwrites another.
            for c, cell in zip(must, self.src.distinct(0, rows * cols - 1, len(must)), strict=True):
                r, col = divmod(cell, cols)
                grid[r] = grid[r][:col] + c + grid[r][col + 1 :]
        env[g.name] = grid

    def _parents(self, n: int) -> list[int]:
        """p_i < i for i = 2..n, 1-based.  A drawn width mixes shapes: width 1 is a path
        (deep recursion), width n a random recursive tree (shallow); shrinks to a path."""
        if n < 2:
            return []
        width = 1 if self.shape == "line" else self.src.size(1, n - 1)
        offsets = self.src.integers(0, width - 1, n - 1) if width > 1 else [0] * (n - 1)
        return [max(1, i - 1 - off) for i, off in zip(range(2, n + 1), offsets, strict=True)]

    def _relabel(self, n: int, edges: list[tuple[int, int]], directed: bool) -> list[list[int]]:
        rng = self.src.rng()
        if rng is None:
            return [[u, v] for u, v in edges]
        label = [0, *_shuffled(rng, list(range(1, n + 1)))]
        r = rng.random
        if directed:
            out = [[label[u], label[v]] for u, v in edges]
        else:
            out = [[label[u], label[v]] if r() < 0.5 else [label[v], label[u]] for u, v in edges]
        return _shuffled(rng, out)

    def _weigh(self, edges: list[list[int]], weights: Int | Real | None, env: Env) -> None:
        if weights is not None:
            for edge, w in zip(edges, self._scalars(weights, env, len(edges)), strict=True):
                edge.append(w)

    def _rebase(self, edges: list[list[int]], base: int) -> None:
        if base == 0:
            for edge in edges:
                edge[0] -= 1
                edge[1] -= 1

    def _tree(self, t: Tree, env: Env) -> None:
        n = self._length(t.n, env, f"n of {t.name}")
        if n < 1:
            raise Unsatisfiable(f"tree {t.name} needs a node")
        self._spend(n)
        parents = self._parents(n)
        if t.format == "parents":
            env[t.name] = [p - 1 + t.base for p in parents]
            return
        edges = self._relabel(n, [(p, i) for i, p in enumerate(parents, start=2)], False)
        self._weigh(edges, t.weights, env)
        self._rebase(edges, t.base)
        env[t.name] = edges

    def _graph(self, g: Graph, env: Env) -> None:
        n = self._length(g.n, env, f"n of {g.name}")
        m = self._length(g.m, env, f"m of {g.name}")
        pairs = n * (n - 1) if g.directed else n * (n - 1) // 2
        if m > pairs or (g.connected and (n < 1 or m < n - 1)):
            raise Unsatisfiable(f"graph {g.name}: no simple graph with n={n}, m={m}")
        self._spend(m)
        edges: list[tuple[int, int]] = []
        if g.connected:
            edges = [(p, i) for i, p in enumerate(self._parents(n), start=2)]
        edges += self._extra_edges(n, m - len(edges), set(edges), g.directed, pairs)
        out = self._relabel(n, edges, g.directed)
        self._weigh(out, g.weights, env)
        self._rebase(out, g.base)
        env[g.name] = out

    def _extra_edges(
        self, n: int, k: int, used: set[tuple[int, int]], directed: bool, pairs: int
    ) -> list[tuple[int, int]]:
        def ok(u: int, v: int) -> bool:
            return u != v and (directed or u < v) and (u, v) not in used

        if k <= 0:
            return []
        if 2 * k > pairs - len(used):
            # Dense: list what is free and pick k of it; probing would crawl.
            free = [(u, v) for u in range(1, n + 1) for v in range(1, n + 1) if ok(u, v)]
            return [free[i] for i in self.src.distinct(0, len(free) - 1, k)]
        out = []
        for _ in range(k):
            # One draw per edge over all ordered pairs, an undirected one read either way
            # round; then step to the next free pair. (Stepping from (u, v) with u > v
            # instead would walk the rest of row u: quadratic, minutes for 10^5 edges.)
            x = self.src.integer(0, n * n - 1)
            while True:
                u, v = x // n + 1, x % n + 1
                if not directed and u > v:
                    u, v = v, u
                if ok(u, v):
                    break
                x = (x + 1) % (n * n)
            used.add((u, v))
            out.append((u, v))
        return out

    def _copies(
        self,
        body: Sequence[object],
        env: Env,
        budgets: list[_Budget],
        *,
        count: int | None,
        at_least: int = 0,
        at_most: int = 0,
    ) -> list[dict[str, Any]]:
        """`count` copies of `body`; with `count=None` (max mode) as many as the budgets
        allow, from `at_least` to `at_most`, each as large as what is left allows."""
        self.budgets.extend(budgets)
        copies: list[dict[str, Any]] = []
        while True:
            i = len(copies)
            if count is not None:
                if i >= count:
                    break
                later = count - i - 1
            else:
                room = all(b.remaining >= max(b.each, 1) for b in budgets)
                if i >= at_most or (i >= at_least and not room):
                    break
                later = max(0, at_least - i - 1)
            for budget in budgets:
                budget.reserve = later * budget.each
            child = env.child()
            saved = self.mass
            self._block(body, child)
            self.mass = saved
            for budget in budgets:
                budget.spend(child)
            copies.append(child.own)
        del self.budgets[len(self.budgets) - len(budgets) :]
        return copies

    def _repeat(self, r: Repeat, env: Env) -> None:
        count = self._length(r.count, env, f"count of {r.name}")
        self._spend(count)
        flat = self.plan.flat.get(id(r))
        if flat is not None:  # column by column: 2*10^5 lines in a blink
            items = [item for line in flat for item in line]
            columns = [self._scalars(item, env, count) for item in items]
            names = [item.name for item in items]
            env[r.name] = [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]
            return
        budgets = [_Budget(rule, env, self.fraction) for rule in self.plan.sums[id(r)]]
        env[r.name] = self._copies(r.body, env, budgets, count=count)

    def _choice(self, c: Choice, env: Env) -> None:
        option = c.options[self.src.integer(0, len(c.options) - 1)]
        child = env.child({"tag": option.tag})
        saved = self.mass
        self._block(option.items, child)
        self.mass = saved
        env[c.name] = child.own

    def _testcases(self, tc: TestCases, env: Env) -> None:
        count = tc.count
        budgets = [_Budget(rule, env, self.fraction) for rule in self.plan.sums[id(tc)]]
        lo, hi = count.min.integer(env), count.max.integer(env)
        for budget in budgets:
            if budget.each > 0:
                hi = min(hi, budget.remaining // budget.each)
        lo, hi = self._bounds(count, env, lo, hi)
        if self.mode == "max" and budgets:
            # As many cases as the sums allow, each as large as what is left allows.
            env[count.name] = hi  # provisional: the body may not name t in max mode
            cases = self._copies(tc.body, env, budgets, count=None, at_least=lo, at_most=hi)
        else:
            t = self._size(lo, hi, TINY_COUNT)
            env[count.name] = t
            cases = self._copies(tc.body, env, budgets, count=t)
        self._spend(len(cases))
        env[count.name] = len(cases)
        env[tc.name] = cases


def _bounding(elements: Sequence[object], side: Literal["min", "max"]) -> set[str]:
    """Names that some integer's bound on `side` is made of: `l` of `l <= r` (min), `n` of
    `m <= n` (max)."""
    found: set[str] = set()
    for e in elements:
        if isinstance(e, Int):
            found |= getattr(e, side).names
        for key in ("items", "body", "options"):
            found |= _bounding(getattr(e, key, ()), side)
        if isinstance(e, Array | Matrix) and isinstance(e.of, Int):
            found |= getattr(e.of, side).names
    return found


def generate_text(
    elements: Sequence[object], plan: Plan, mode: Mode, seed: int, scale: float | None,
    shape: Shape = "random",
) -> str:
    """The `random.Random(seed)` path: fast enough for 2*10^5-size inputs."""
    rnd = random.Random(seed)
    last = None
    for _ in range(_ATTEMPTS):
        try:
            values = Generator(plan, mode, RandomSource(rnd), scale, shape).run(elements)
        except Unsatisfiable as exc:
            last = exc
            continue
        return render_values(elements, values)
    raise SpecError(f"cannot generate a {mode} input in {_ATTEMPTS} attempts: {last}")
