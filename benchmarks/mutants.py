"""AST mutation of Python solutions: one small, plausible bug per mutant.

    from benchmarks.mutants import mutants
    for m in mutants(source, limit=15):
        print(m.kind, m.line, m.description)

Operators, one change each (the kinds):

    flip_comparison   `<`<->`<=`, `>`<->`>=`, `==`<->`!=`, `in`<->`not in`
    off_by_one        +1 / -1 on a range() argument, a slice bound or a subscript index
    constant          an integer constant k becomes k+1 or k-1 (so 0<->1)
    arithmetic        `+`<->`-` (binary operators and augmented assignments)
    logical           `and`<->`or`
    drop_branch       the body of an `if` becomes `pass`
    drop_else         the `else` (or `elif` chain) of an `if` is removed
    min_max           `min(...)`<->`max(...)`

Mutants are produced in a deterministic order (operator by operator, each in source order),
deduplicated by their source text (the first operator to produce a text names its kind), and
never equal to the original.  Sources are `ast.unparse` output: comments and formatting are
gone, which a judge does not mind.
"""

from __future__ import annotations

import ast
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

__all__ = ["KINDS", "Mutant", "all_mutants", "mutants", "ranked", "spread"]

KINDS = (
    "flip_comparison",
    "off_by_one",
    "constant",
    "arithmetic",
    "logical",
    "drop_branch",
    "drop_else",
    "min_max",
)


@dataclass(frozen=True)
class Mutant:
    source: str
    kind: str
    line: int
    description: str


# A site is a place in the tree where a child may be replaced: parent, field, list index.
@dataclass(frozen=True)
class _Site:
    parent: ast.AST
    field: str
    index: int | None

    def get(self) -> object:
        value = getattr(self.parent, self.field)
        return value if self.index is None else value[self.index]

    def set(self, node: object) -> None:
        if self.index is None:
            setattr(self.parent, self.field, node)
        else:
            getattr(self.parent, self.field)[self.index] = node


# One candidate change: where, what to put there, and how to describe it.
@dataclass(frozen=True)
class _Change:
    site: _Site
    replacement: object
    line: int
    description: str


def _child_sites(node: ast.AST) -> list[_Site]:
    sites = []
    for name, value in ast.iter_fields(node):
        if isinstance(value, ast.AST):
            sites.append(_Site(node, name, None))
        elif isinstance(value, list):
            sites += [_Site(node, name, i) for i, item in enumerate(value)
                      if isinstance(item, ast.AST)]
    return sites


def _sites(tree: ast.AST) -> Iterator[_Site]:
    """Every child slot of every node, depth-first in source order (deterministic)."""
    stack = list(reversed(_child_sites(tree)))
    while stack:
        site = stack.pop()
        yield site
        child = site.get()
        assert isinstance(child, ast.AST)
        stack.extend(reversed(_child_sites(child)))


def _line(site: _Site) -> int:
    node = site.get()
    return getattr(node, "lineno", None) or getattr(site.parent, "lineno", 0)


def _text(node: ast.AST) -> str:
    text = ast.unparse(node)
    return text if len(text) <= 60 else text[:57] + "..."


def _is_int(node: object) -> bool:
    return (isinstance(node, ast.Constant) and isinstance(node.value, int)
            and not isinstance(node.value, bool))


def _shift(expr: ast.expr, delta: int) -> ast.expr:
    """`expr + delta`, folded into a trailing constant: `n + 1` shifted by -1 is `n`."""
    if _is_int(expr):
        return ast.Constant(expr.value + delta)  # type: ignore[attr-defined]
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add | ast.Sub) \
            and _is_int(expr.right):
        sign = 1 if isinstance(expr.op, ast.Add) else -1
        total = sign * expr.right.value + delta  # type: ignore[attr-defined]
        if total == 0:
            return expr.left
        op = ast.Add() if total > 0 else ast.Sub()
        return ast.BinOp(expr.left, op, ast.Constant(abs(total)))
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add) and _is_int(expr.left):
        total = expr.left.value + delta  # type: ignore[attr-defined]
        return expr.right if total == 0 else ast.BinOp(ast.Constant(total), expr.op, expr.right)
    op = ast.Add() if delta > 0 else ast.Sub()
    return ast.BinOp(expr, op, ast.Constant(abs(delta)))


# -- operators: each maps a site to the changes it proposes there ---------------------------

_COMPARE_FLIPS: dict[type, type] = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In,
}
_SYMBOLS: dict[type, str] = {
    ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=",
    ast.In: "in", ast.NotIn: "not in", ast.Add: "+", ast.Sub: "-", ast.And: "and",
    ast.Or: "or",
}


def _flip_comparison(site: _Site) -> Iterator[_Change]:
    node = site.get()
    if isinstance(site.parent, ast.Compare) and site.field == "ops":
        flipped = _COMPARE_FLIPS.get(type(node))
        if flipped is not None:
            desc = f"`{_SYMBOLS[type(node)]}` -> `{_SYMBOLS[flipped]}` in `{_text(site.parent)}`"
            yield _Change(site, flipped(), _line(site), desc)


def _is_range_arg(site: _Site) -> bool:
    call = site.parent
    return (isinstance(call, ast.Call) and site.field == "args"
            and isinstance(call.func, ast.Name) and call.func.id == "range")


def _is_bound(site: _Site) -> bool:
    """A slice bound, or a plain subscript index (not a slice, not a constant: those are
    the constant operator's)."""
    if isinstance(site.parent, ast.Slice):
        return site.field in ("lower", "upper")
    return (isinstance(site.parent, ast.Subscript) and site.field == "slice"
            and isinstance(site.parent.ctx, ast.Load)
            and not isinstance(site.get(), ast.Slice | ast.Tuple | ast.Constant))


def _off_by_one(site: _Site) -> Iterator[_Change]:
    if not (_is_range_arg(site) or _is_bound(site)):
        return
    node = site.get()
    assert isinstance(node, ast.expr)
    where = "range() argument" if _is_range_arg(site) else "bound"
    for delta in (1, -1):
        new = _shift(node, delta)
        desc = f"{where} `{_text(node)}` -> `{_text(new)}`"
        yield _Change(site, new, _line(site), desc)


def _constant(site: _Site) -> Iterator[_Change]:
    node = site.get()
    if _is_int(node):
        assert isinstance(node, ast.Constant)
        where = f" in `{_text(site.parent)}`" if isinstance(site.parent, ast.expr) else ""
        for delta in (1, -1):
            new = ast.Constant(node.value + delta)
            desc = f"constant {node.value} -> {new.value}{where}"
            yield _Change(site, new, _line(site), desc)


def _arithmetic(site: _Site) -> Iterator[_Change]:
    node = site.get()
    if site.field != "op" or not isinstance(site.parent, ast.BinOp | ast.AugAssign):
        return
    swap = {ast.Add: ast.Sub, ast.Sub: ast.Add}.get(type(node))
    if swap is not None:
        desc = f"`{_SYMBOLS[type(node)]}` -> `{_SYMBOLS[swap]}` in `{_text(site.parent)}`"
        yield _Change(site, swap(), _line(site), desc)


def _logical(site: _Site) -> Iterator[_Change]:
    node = site.get()
    if isinstance(site.parent, ast.BoolOp) and site.field == "op":
        swap = ast.Or if isinstance(node, ast.And) else ast.And
        desc = f"`{_SYMBOLS[type(node)]}` -> `{_SYMBOLS[swap]}` in `{_text(site.parent)}`"
        yield _Change(site, swap(), _line(site), desc)


def _without(node: ast.If, **fields: list[ast.stmt]) -> ast.If:
    """A shallow copy of an `if` with some fields replaced (children are shared)."""
    return ast.If(test=fields.get("test", node.test), body=fields.get("body", node.body),
                  orelse=fields.get("orelse", node.orelse), lineno=node.lineno)


def _drop_branch(site: _Site) -> Iterator[_Change]:
    node = site.get()
    if isinstance(node, ast.If) and not (len(node.body) == 1
                                         and isinstance(node.body[0], ast.Pass)):
        new = _without(node, body=[ast.Pass()])
        yield _Change(site, new, node.lineno, f"drop the body of `if {_text(node.test)}:`")


def _drop_else(site: _Site) -> Iterator[_Change]:
    node = site.get()
    if isinstance(node, ast.If) and node.orelse:
        what = "elif" if len(node.orelse) == 1 and isinstance(node.orelse[0], ast.If) \
            else "else"
        new = _without(node, orelse=[])
        yield _Change(site, new, node.lineno, f"drop the {what} of `if {_text(node.test)}:`")


def _min_max(site: _Site) -> Iterator[_Change]:
    node = site.get()
    if (isinstance(node, ast.Name) and node.id in ("min", "max")
            and isinstance(site.parent, ast.Call) and site.field == "func"):
        other = "max" if node.id == "min" else "min"
        desc = f"`{node.id}` -> `{other}` in `{_text(site.parent)}`"
        yield _Change(site, ast.Name(other, ast.Load()), _line(site), desc)


_OPERATORS: dict[str, Callable[[_Site], Iterator[_Change]]] = {
    "flip_comparison": _flip_comparison,
    "off_by_one": _off_by_one,
    "constant": _constant,
    "arithmetic": _arithmetic,
    "logical": _logical,
    "drop_branch": _drop_branch,
    "drop_else": _drop_else,
    "min_max": _min_max,
}
assert tuple(_OPERATORS) == KINDS


def _is_docstring(site: _Site) -> bool:
    return isinstance(site.parent, ast.Expr) and isinstance(site.get(), ast.Constant)


def _apply(tree: ast.Module, change: _Change) -> str | None:
    """The source with `change` made, or None if it does not compile. The tree is restored."""
    old = change.site.get()
    change.site.set(change.replacement)
    try:
        source = ast.unparse(ast.fix_missing_locations(tree)) + "\n"
    finally:
        change.site.set(old)
    try:
        compile(source, "<mutant>", "exec")
    except SyntaxError:
        return None
    return source


def all_mutants(source: str) -> list[Mutant]:
    """Every mutant, deduplicated, in the deterministic order of the module docstring."""
    tree = ast.parse(source)
    original = ast.unparse(tree) + "\n"
    sites = [s for s in _sites(tree) if not _is_docstring(s)]
    seen = {original}
    found: list[Mutant] = []
    for kind, operator in _OPERATORS.items():
        for site in sites:
            for change in operator(site):
                text = _apply(tree, change)
                if text is None or text in seen:
                    continue
                seen.add(text)
                found.append(Mutant(text, kind, change.line, change.description))
    return found


def _lines_first(ids: list[int], found: list[Mutant]) -> list[int]:
    """`ids` reordered so that each line's first mutant comes before any line's second:
    six variants of `MOD = 10**9 + 7` must not stand for six different bugs."""
    rank: dict[int, int] = {}
    keyed = []
    for i in ids:
        line = found[i].line
        rank[line] = rank.get(line, -1) + 1
        keyed.append((rank[line], i))
    return [i for _, i in sorted(keyed, key=lambda pair: pair[0])]  # stable within a rank


def _draw_order(found: list[Mutant], seed: int) -> list[int]:
    """Indices of `found`: round-robin over the kinds (in KINDS order); within a kind, a
    seeded random order that visits every line once before any line twice."""
    rng = random.Random(seed)
    by_kind: dict[str, list[int]] = {}
    for i, m in enumerate(found):
        by_kind.setdefault(m.kind, []).append(i)
    queues = [_lines_first(rng.sample(by_kind[kind], len(by_kind[kind])), found)
              for kind in KINDS if kind in by_kind]
    order: list[int] = []
    while any(queues):
        for q in queues:
            if q:
                order.append(q.pop(0))
    return order


def spread(found: list[Mutant], limit: int, seed: int = 0) -> list[Mutant]:
    """`limit` mutants spread over the kinds and lines, so that the 40 constants of a program
    do not crowd out its one `and`. The result keeps the order of `found`."""
    return [found[i] for i in sorted(_draw_order(found, seed)[:limit])]


def ranked(found: list[Mutant], seed: int = 0) -> list[Mutant]:
    """All of `found` in the order `spread` draws them: `spread(found, k)` holds exactly
    `ranked(found)[:k]`. For a caller that draws until enough mutants pass a filter."""
    return [found[i] for i in _draw_order(found, seed)]


def mutants(source: str, limit: int | None = None, seed: int = 0) -> list[Mutant]:
    """Mutants of `source`, each with exactly one change; at most `limit`, spread over the
    kinds by a `seed`ed draw (see `spread`). Raises SyntaxError if `source` is not Python."""
    found = all_mutants(source)
    return found if limit is None else spread(found, limit, seed)
