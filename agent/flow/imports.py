"""Imports a program uses but never wrote. A small model calls `sys.stdin`, `heappop` or
`defaultdict` without importing them in about one crashed program of seven; each such name
has exactly one right import, so the harness adds it instead of spending a sample on it."""

from __future__ import annotations

import ast
import builtins

from cpagent.agent.flow.code import prepend

_MODULES = ("sys", "math", "heapq", "itertools", "collections", "bisect", "functools",
            "string", "re", "random", "operator", "fractions", "decimal", "statistics",
            "copy", "array", "io", "os", "time", "threading")

_FROM = {
    "collections": ("defaultdict", "deque", "Counter", "OrderedDict", "namedtuple"),
    "heapq": ("heappush", "heappop", "heapify", "heappushpop", "heapreplace", "nlargest",
              "nsmallest"),
    "math": ("gcd", "lcm", "sqrt", "isqrt", "ceil", "floor", "inf", "pi", "log", "log2",
             "log10", "comb", "perm", "factorial", "hypot", "atan2", "cos", "sin", "tan",
             "prod", "fsum"),
    "itertools": ("permutations", "combinations", "combinations_with_replacement",
                  "product", "accumulate", "groupby", "chain", "count", "cycle", "repeat",
                  "islice", "zip_longest", "pairwise", "starmap"),
    "functools": ("lru_cache", "cache", "reduce", "cmp_to_key", "partial"),
    "bisect": ("bisect_left", "bisect_right", "bisect", "insort", "insort_left",
               "insort_right"),
    "fractions": ("Fraction",),
    "decimal": ("Decimal", "getcontext"),
    "string": ("ascii_lowercase", "ascii_uppercase", "ascii_letters", "digits"),
    "typing": ("List", "Tuple", "Dict", "Set", "Optional", "Deque", "DefaultDict"),
}

KNOWN: dict[str, str] = {name: f"import {name}" for name in _MODULES}
KNOWN.update({name: f"from {module} import {name}"
              for module, names in _FROM.items() for name in names})


def _bound_and_used(tree: ast.AST) -> tuple[set[str], set[str]]:
    bound: set[str] = set()
    used: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (used if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bound.update(node.names)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            bound.add(node.name)
    return bound, used


def missing_imports(code: str) -> list[str]:
    """The import lines for names `code` reads, binds nowhere, and that name exactly one
    standard-library module or function. Scope-blind on purpose: a name bound anywhere is
    left alone, so a program that defines its own `gcd` is never touched."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return []
    bound, used = _bound_and_used(tree)
    free = used - bound - set(dir(builtins))
    return sorted({KNOWN[name] for name in free if name in KNOWN})


def add_missing_imports(code: str) -> tuple[str, list[str]]:
    """`code` with its missing imports on top, and the lines added."""
    lines = missing_imports(code)
    if not lines:
        return code, []
    return prepend(code, "".join(f"{line}\n" for line in lines)), lines
