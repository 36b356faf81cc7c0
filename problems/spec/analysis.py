"""Static checks of a spec, and the facts generation needs that the schema alone does not say.

Checks: every name is defined once, bounds name only earlier integers, strings or arrays
of the same or an enclosing block, `sum` keys name integers of their body, and so on.

Facts (the `Plan`):
- which integers are *sizes* (they appear in a length, count, `n`, `m` or `sum`): these
  are the values that `tiny` keeps small and `max` pushes to their upper bound;
- *implied* bounds that other elements put on a size: a simple graph caps `m` at
  n(n-1)/2, a connected one needs m >= n-1, a distinct array of values in [lo, hi] is at
  most hi-lo+1 long.  Generation draws the size inside them rather than failing later;
- the `sum` rules of each `repeat` and `testcases` block, parsed;
- which `repeat` blocks are *flat*: lines of numbers with constant bounds, like the
  `d p` lines of n orders.  Their 2*10^5 copies are drawn, parsed and printed by column,
  not one dict at a time.

Definitions are keyed by `id()`: the plan lives beside the spec that owns them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from cpagent.problems.spec.errors import SpecError
from cpagent.problems.spec.expr import Expr
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

__all__ = ["Plan", "SumRule", "analyse"]

_RESERVED = {"min", "max"}
_REFERABLE = (Int, Count, String, Array, Permutation)  # what a bound may name
Definition = object


@dataclass
class SumRule:
    """`sum: {key: limit}` of a block: `expr` summed over its copies is at most `limit`."""

    key: str
    expr: Expr
    limit: Expr
    defs: dict[str, Int | String]  # the body's definitions of the names in `expr`


@dataclass
class Plan:
    """What generation and parsing need beyond the schema, keyed by `id()` of elements."""

    sizes: set[int] = field(default_factory=set)  # Int / Count definitions that are sizes
    implied: dict[int, list[tuple[str, Expr]]] = field(default_factory=dict)  # ("min", bound)
    sums: dict[int, list[SumRule]] = field(default_factory=dict)  # per repeat / testcases
    flat: dict[int, list[list[Int | Real]]] = field(default_factory=dict)  # per flat repeat


class _Scope:
    def __init__(self, parent: _Scope | None = None) -> None:
        self.parent = parent
        self.names: dict[str, Definition] = {}

    def find(self, name: str) -> Definition | None:
        scope: _Scope | None = self
        while scope is not None:
            if name in scope.names:
                return scope.names[name]
            scope = scope.parent
        return None


def _kind(definition: Definition) -> str:
    return getattr(definition, "type", "test case count")


def _bare(expr: Expr) -> str | None:
    """The name, when the expression is just a name (`n`, not `n-1`)."""
    return expr.source if expr.names == {expr.source} else None


class _Analysis:
    def __init__(self) -> None:
        self.plan = Plan()

    # -- names and bounds ------------------------------------------------------------

    def define(self, scope: _Scope, name: str | None, definition: Definition, what: str) -> None:
        if name is None:
            raise SpecError(f"{what} needs a name")
        if name in _RESERVED:
            raise SpecError(f"{what}: {name} is reserved for bounds; pick another name")
        if scope.find(name) is not None:
            raise SpecError(f"{what}: the name {name} is used twice")
        scope.names[name] = definition

    def expr(
        self, expr: Expr, scope: _Scope, where: str, *, integer: bool = True, size: bool = False
    ) -> None:
        if integer and not expr.is_integer:
            raise SpecError(f"{where}: {expr.source} is not an integer")
        for name in sorted(expr.names):
            definition = scope.find(name)
            if definition is None:
                raise SpecError(
                    f"{where}: {expr.source!r} names {name}, which is not defined before it"
                )
            if not isinstance(definition, _REFERABLE):
                raise SpecError(
                    f"{where}: {name} is a {_kind(definition)}; a bound may name only an "
                    "integer, or a string or array (for its length)"
                )
            if size and isinstance(definition, Int | Count):
                self.plan.sizes.add(id(definition))

    def imply(self, scope: _Scope, target: Expr, bound: str, source: str) -> None:
        """Record `bound` ("min"/"max") `source` on the integer that `target` names."""
        name = _bare(target)
        definition = scope.find(name) if name else None
        if isinstance(definition, Int | Count):
            self.plan.implied.setdefault(id(definition), []).append((bound, Expr(source)))

    def unnamed(self, scalar: Int | Real | String, scope: _Scope, where: str) -> None:
        if scalar.name is not None:
            raise SpecError(f"{where}: an element type takes no name (got {scalar.name})")
        self.scalar(scalar, scope, where)

    def scalar(self, scalar: Int | Real | String, scope: _Scope, where: str) -> None:
        if isinstance(scalar, String):
            for bound in (scalar.length, scalar.min_length, scalar.max_length):
                if bound is not None:
                    self.expr(bound, scope, f"{where}.length", size=True)
        else:
            real = isinstance(scalar, Real)
            self.expr(scalar.min, scope, f"{where}.min", integer=not real)
            self.expr(scalar.max, scope, f"{where}.max", integer=not real)

    # -- elements --------------------------------------------------------------------

    def block(self, elements: Sequence[object], scope: _Scope) -> None:
        for element in elements:
            self.element(element, scope)

    def element(self, element: object, scope: _Scope, *, inline: bool = False) -> None:
        if isinstance(element, Int | Real | String):
            what = f"{element.type} {element.name or ''}".strip()
            self.scalar(element, scope, element.name or element.type)
            self.define(scope, element.name, element, what)
        elif isinstance(element, Array):
            self.array(element, scope, inline)
        elif isinstance(element, Permutation):
            if inline and element.layout == "lines":
                raise SpecError(f"permutation {element.name}: layout lines inside a line")
            self.expr(element.n, scope, f"{element.name}.n", size=True)
            self.define(scope, element.name, element, f"permutation {element.name}")
        elif isinstance(element, Line):
            for item in element.items:
                self.element(item, scope, inline=True)
        elif isinstance(element, Matrix | Grid):
            self.expr(element.rows, scope, f"{element.name}.rows", size=True)
            self.expr(element.cols, scope, f"{element.name}.cols", size=True)
            if isinstance(element, Matrix):
                self.unnamed(element.of, scope, f"{element.name}.of")
            self.define(scope, element.name, element, f"{element.type} {element.name}")
        elif isinstance(element, Tree):
            self.tree(element, scope)
        elif isinstance(element, Graph):
            self.graph(element, scope)
        elif isinstance(element, Repeat):
            self.expr(element.count, scope, f"{element.name}.count", size=True)
            self.define(scope, element.name, element, f"repeat {element.name}")
            self.body(element, element.body, element.sum, scope)
        elif isinstance(element, Choice):
            self.choice(element, scope)
        elif isinstance(element, TestCases):
            count = element.count
            self.expr(count.min, scope, f"{count.name}.min")
            self.expr(count.max, scope, f"{count.name}.max")
            self.define(scope, count.name, count, "test case count")
            self.plan.sizes.add(id(count))
            self.define(scope, element.name, element, f"testcases {element.name}")
            self.body(element, element.body, element.sum, scope)
        else:  # pragma: no cover - the schema admits nothing else
            raise SpecError(f"unknown element {element!r}")

    def array(self, array: Array, scope: _Scope, inline: bool) -> None:
        if inline and array.layout == "lines":
            raise SpecError(f"array {array.name}: layout lines inside a line")
        self.expr(array.length, scope, f"{array.name}.length", size=True)
        self.unnamed(array.of, scope, f"{array.name}.of")
        if array.total is not None:
            if isinstance(array.of, String):
                raise SpecError(f"array {array.name}: a total needs numbers")
            for bound in (array.total.min, array.total.max):
                if bound is not None:
                    self.expr(bound, scope, f"{array.name}.total")
        if array.strict and isinstance(array.of, Int):
            self.imply(scope, array.length, "max", f"({array.of.max})-({array.of.min})+1")
        self.define(scope, array.name, array, f"array {array.name}")

    def tree(self, tree: Tree, scope: _Scope) -> None:
        self.expr(tree.n, scope, f"{tree.name}.n", size=True)
        self.imply(scope, tree.n, "min", "1")
        if tree.weights is not None:
            self.unnamed(tree.weights, scope, f"{tree.name}.weights")
        self.define(scope, tree.name, tree, f"tree {tree.name}")

    def graph(self, graph: Graph, scope: _Scope) -> None:
        self.expr(graph.n, scope, f"{graph.name}.n", size=True)
        self.expr(graph.m, scope, f"{graph.name}.m", size=True)
        n = f"({graph.n})"
        pairs = f"{n}*({n}-1)" if graph.directed else f"{n}*({n}-1)//2"
        self.imply(scope, graph.m, "max", pairs)
        if graph.connected:
            self.imply(scope, graph.n, "min", "1")
            self.imply(scope, graph.m, "min", f"{n}-1")
        if graph.weights is not None:
            self.unnamed(graph.weights, scope, f"{graph.name}.weights")
        self.define(scope, graph.name, graph, f"graph {graph.name}")

    def choice(self, choice: Choice, scope: _Scope) -> None:
        self.define(scope, choice.name, choice, f"choice {choice.name}")
        tags = [option.tag for option in choice.options]
        for tag in tags:
            if not tag or any(c.isspace() for c in tag):
                raise SpecError(f"choice {choice.name}: tag {tag!r} must be one token")
        if len(set(tags)) != len(tags):
            raise SpecError(f"choice {choice.name}: a tag is listed twice")
        for option in choice.options:
            inner = _Scope(scope)
            for item in option.items:
                if getattr(item, "name", None) == "tag":
                    raise SpecError(f"choice {choice.name}: `tag` names the option already")
                self.element(item, inner, inline=True)

    def body(
        self,
        owner: Repeat | TestCases,
        body: Sequence[object],
        sums: dict[str, Expr],
        scope: _Scope,
    ) -> None:
        inner = _Scope(scope)
        self.block(body, inner)
        rules = []
        for key, limit in sums.items():
            where = f"{owner.name}.sum[{key}]"
            self.expr(limit, scope, where)
            expr = Expr(key)
            defs: dict[str, Int | String] = {}
            for name in expr.names:
                definition = inner.names.get(name)
                ranged = isinstance(definition, String) and definition.ranged
                if not (isinstance(definition, Int) or ranged):
                    raise SpecError(
                        f"{where}: {name} must be an integer (or a string of ranged length) "
                        f"defined directly in the body of {owner.name}"
                    )
                assert isinstance(definition, Int | String)
                defs[name] = definition
                if isinstance(definition, Int):
                    self.plan.sizes.add(id(definition))
            if not defs:
                raise SpecError(f"{where}: the key must name a value of the body")
            rules.append(SumRule(key=key, expr=expr, limit=limit, defs=defs))
        self.plan.sums[id(owner)] = rules
        if isinstance(owner, Repeat) and not rules:
            lines = self.flat(body)
            if lines is not None:
                self.plan.flat[id(owner)] = lines

    def flat(self, body: Sequence[object]) -> list[list[Int | Real]] | None:
        """The body as lines of numbers, if it is only that and no bound names a value."""
        lines: list[list[Int | Real]] = []
        for element in body:
            items = element.items if isinstance(element, Line) else [element]
            line = [item for item in items if isinstance(item, Int | Real)]
            if len(line) != len(items):
                return None
            for item in line:
                if item.min.constant is None or item.max.constant is None:
                    return None
                if id(item) in self.plan.sizes:
                    return None
            lines.append(line)
        return lines


def analyse(elements: Sequence[object]) -> Plan:
    """Check `elements` (the top level of a spec) and return what generation needs."""
    analysis = _Analysis()
    analysis.block(elements, _Scope())
    return analysis.plan
