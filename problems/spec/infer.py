"""An InputSpec inferred from sample inputs alone, with no model.

A small model asked for a spec copies the example it was shown more often than it
describes the problem; the samples, on the other hand, always show the layout.  From the
first sample we search structures (a count then that many lines, an array whose length is
an earlier number, a tree of n-1 edges, test cases to the end...), most plausible first;
the parser is the judge, and the first structure every sample fits wins.

Bounds come from the samples too, and stay inside what they show: a value seen between 1
and 7 is drawn from 1..7, a string over `abc` stays over `abc`.  Generated inputs are then
small but valid, which is what stress testing against a brute force needs; what a sample
cannot show (a limit of 10^5, distinct values) is left out rather than guessed, and the
timing check on such a spec measures nothing larger than the samples.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterator
from itertools import islice
from typing import Any

from cpagent.problems.spec.errors import SpecError, SpecMismatch
from cpagent.problems.spec.inputspec import InputSpec

__all__ = ["infer_spec"]

_INT = re.compile(r"-?(?:0|[1-9]\d*)$")
_REAL = re.compile(r"-?\d+\.\d+$")
_LOOSE = "10**18"
_ANY_CHAR = "".join(c for c in string.printable if not c.isspace())
_MAX_CANDIDATES = 400  # structures checked against the samples before giving up
_MAX_LINES = 400  # a sample this long is not worth a structure search
_MAX_CHECKS = 10_000  # prefixes parsed in all: the search is exponential at worst

Element = dict[str, Any]
Env = dict[str, int]  # integer values by name, in the first sample


def infer_spec(samples: list[str], graphs: bool = True) -> InputSpec | None:
    """The first structure that every sample fits, with bounds taken from the samples;
    None when there is no sample or nothing fits. Without `graphs`, pairs of numbers are
    never read as a graph's edges (the statement may say they are ranges, `l <= r`)."""
    texts = [s for s in samples if s.strip()]
    if not texts:
        return None
    fits = _prefix_check(texts)
    # Each sample in turn shows the structure: one with m = 0 shows no edges.
    for source in texts:
        lines = [line.split() for line in source.rstrip("\n").split("\n")]
        if len(lines) > _MAX_LINES or any(not line for line in lines):
            continue  # blank lines inside an input: no element describes them
        search = _sequence(lines, 0, len(lines), {}, _Names(graphs), fits)
        try:
            for elements in islice(search, _MAX_CANDIDATES):
                spec = _fitting(elements, texts)
                if spec is not None:
                    return spec
        except _OutOfChecks:
            return None
    return None


class _OutOfChecks(Exception):
    pass


def _fitting(elements: list[Element], texts: list[str]) -> InputSpec | None:
    try:
        loose = InputSpec.model_validate({"input": elements})
        values = [loose.parse(text) for text in texts]
    except SpecError:
        return None
    seen = _Seen()
    for parsed in values:
        _observe(elements, parsed, seen)
    seen.sizes = _sizes_named(elements)
    tight = _connected_floor([_tighten(e, seen) for e in elements])
    try:
        spec = InputSpec.model_validate({"input": tight})
        for text in texts:
            spec.validate(text)
    except SpecError:
        return None
    return spec


class _Names:
    """Fresh names for the search, and what it may build (`graphs`)."""

    def __init__(self, graphs: bool = True) -> None:
        self.count = 0
        self.graphs = graphs

    def __call__(self, prefix: str = "v") -> str:
        self.count += 1
        return f"{prefix}{self.count}"


def _kind(token: str) -> str:
    # An integer past 10^18 is a number given by its digits ("up to 10^5 digits"): a token.
    if _INT.match(token):
        return "int" if len(token) <= 19 and abs(int(token)) <= 10**18 else "string"
    return "real" if _REAL.match(token) else "string"


# --- structure search -------------------------------------------------------------------


def _sequence(lines: list[list[str]], i: int, stop: int, env: Env, names: _Names,
              fits: Callable[[list[Element]], bool] = lambda _: True,
              before: tuple[Element, ...] = ()) -> Iterator[list[Element]]:
    """Element lists that read exactly lines[i:stop] of the source sample. `fits` prunes a
    prefix (`before` plus the elements so far) that some sample already contradicts."""
    if i == stop:
        yield []
        return
    for element, j, defined in _element(lines, i, stop, env, names):
        if not fits([*before, element]):
            continue
        for rest in _sequence(lines, j, stop, {**env, **defined}, names, fits,
                              (*before, element)):
            yield [element, *rest]


def _prefix_check(texts: list[str]) -> Callable[[list[Element]], bool]:
    """True when every sample starts the way the elements say (more lines may follow).
    Raises _OutOfChecks after _MAX_CHECKS calls."""
    calls = 0

    def fits(elements: list[Element]) -> bool:
        nonlocal calls
        calls += 1
        if calls > _MAX_CHECKS:
            raise _OutOfChecks
        try:
            spec = InputSpec.model_validate({"input": elements})
            for text in texts:
                try:
                    spec.validate(text)
                except SpecMismatch as exc:
                    if "unexpected extra line" not in str(exc):
                        return False
        except SpecError:
            return False
        return True
    return fits


def _element(lines: list[list[str]], i: int, stop: int, env: Env,
             names: _Names) -> Iterator[tuple[Element, int, Env]]:
    """One element starting at line i: (element, the line after it, the integers it names)."""
    tokens = lines[i]
    kinds = [_kind(t) for t in tokens]
    # Blocks first: edges counted by an earlier m are a graph even when m = n-1 in a sample.
    for size, count in _sizes(env).items():
        if 2 <= count <= stop - i:
            yield from _blocks(lines, i, stop, env, names, size, count)
    for element, defined in _line(tokens, kinds, env, names):
        yield element, i + 1, defined
    # A block of one line reads like a plain line: tried after it.
    for size, count in _sizes(env).items():
        if count == 1:
            yield from _blocks(lines, i, stop, env, names, size, count)
    if kinds == ["int"] and int(tokens[0]) >= 1 and i + 1 < stop:
        yield from _test_cases(lines, i, stop, env, names)
    rest = lines[i:stop]
    if len(rest) > 1 and len({tuple(map(_kind, row)) for row in rest}) == 1:
        # A fixed number of alike lines to the end (eight points, four sides...).
        for body, _ in _line(tokens, kinds, env, names):
            yield ({"type": "repeat", "name": names("r"), "count": len(rest), "body": [body]},
                   stop, {})


def _test_cases(lines: list[list[str]], i: int, stop: int, env: Env,
                names: _Names) -> Iterator[tuple[Element, int, Env]]:
    """A count t, then t cases to the end of the block; the body is read off the first."""
    t = int(lines[i][0])
    count = names("t")
    if t > 1 and (stop - i - 1) < t:
        return  # fewer lines left than cases: each case takes one at least
    ends = [stop] if t == 1 else range(i + 2, stop + 1)
    for end in ends:
        for body in islice(_sequence(lines, i + 1, end, {**env, count: t}, names), 20):
            element = {"type": "testcases", "name": names("cases"),
                       "count": {"name": count, "min": 1, "max": _LOOSE}, "body": body}
            yield element, stop, {}


def _blocks(lines: list[list[str]], i: int, stop: int, env: Env, names: _Names,
            var: str, count: int) -> Iterator[tuple[Element, int, Env]]:
    """Blocks whose size is the earlier integer `var`: edges, a grid, a matrix, an array
    one per line, copies of a line, or copies of a longer body to the end."""
    rows = lines[i:i + count]
    kinds = [[_kind(t) for t in row] for row in rows]
    widths = {len(row) for row in rows}
    all_int = all(k == "int" for row in kinds for k in row)
    if var.endswith("-1") and var[:-2] in env:
        yield from _tree(rows, env, names, var[:-2], i)
    if names.graphs:
        yield from _graph(rows, env, names, var, i)
    if widths == {1} and all(k == ["string"] for k in kinds):
        lengths = {len(row[0]) for row in rows}
        cols = _length(env, lengths.pop()) if len(lengths) == 1 else None
        if cols is not None:
            yield ({"type": "grid", "name": names("g"), "rows": var, "cols": cols,
                    "alphabet": _ANY_CHAR}, i + count, {})
    if widths == {1} and all_int:
        yield ({"type": "array", "name": names("a"), "length": var, "layout": "lines",
                "of": _loose_int()}, i + count, {})
    if len(widths) == 1 and all_int and max(widths) >= 3:  # a pair per line is not n x n
        cols = _length(env, widths.pop())
        if cols is not None:
            yield ({"type": "matrix", "name": names("m"), "rows": var, "cols": cols,
                    "of": _loose_int()}, i + count, {})
    first = lines[i]
    for body_line, _ in _line(first, [_kind(t) for t in first], env, names):
        yield ({"type": "repeat", "name": names("r"), "count": var, "body": [body_line]},
               i + count, {})
    if count > 1 and stop - i > count:  # copies of several lines each, to the end
        for end in range(i + 2, stop - count + 2):
            for body in islice(_sequence(lines, i, end, env, names), 10):
                yield ({"type": "repeat", "name": names("r"), "count": var, "body": body},
                       stop, {})


def _edge_rows(rows: list[list[str]]) -> tuple[list[int], Element | None] | None:
    """The endpoints and the loose weight element of rows `u v` or `u v w`, if they are."""
    widths = {len(row) for row in rows}
    if widths not in ({2}, {3}) or any(not (_INT.match(r[0]) and _INT.match(r[1])) for r in rows):
        return None
    ends = [int(x) for row in rows for x in row[:2]]
    if widths == {2}:
        return ends, None
    kinds = {_kind(row[2]) for row in rows}
    return ends, _loose_int() if kinds == {"int"} else _loose("real") if "string" not in kinds \
        else None


def _tree(rows: list[list[str]], env: Env, names: _Names, n_var: str,
          i: int) -> Iterator[tuple[Element, int, Env]]:
    """n-1 edges on the earlier n."""
    edges = _edge_rows(rows)
    if edges is None:
        return
    ends, weights = edges
    n = env[n_var]
    for base in (1, 0):
        if all(base <= x < base + n for x in ends):
            extra = {"weights": weights} if weights else {}
            yield ({"type": "tree", "name": names("tree"), "n": n_var, "base": base, **extra},
                   i + len(rows), {})


def _graph(rows: list[list[str]], env: Env, names: _Names, m_var: str,
           i: int) -> Iterator[tuple[Element, int, Env]]:
    """m edges on an earlier n; connected first, since a statement that promises it is
    broken by inputs that are not."""
    edges = _edge_rows(rows)
    if edges is None:
        return
    ends, weights = edges
    extra = {"weights": weights} if weights else {}
    for n_var, n in env.items():
        for base in (1, 0):
            # m is a plain earlier integer: n-1 edges are the tree rule's.
            if m_var in env and n_var != m_var and all(base <= x < base + n for x in ends):
                for connected in (True, False):
                    yield ({"type": "graph", "name": names("graph"), "n": n_var, "m": m_var,
                            "base": base, "connected": connected, **extra}, i + len(rows), {})


def _line(tokens: list[str], kinds: list[str], env: Env,
          names: _Names) -> Iterator[tuple[Element, Env]]:
    """One line: a lone value, an array of an earlier length, `k a_1..a_k`, or several
    named values."""
    width = len(tokens)
    of = _loose_scalar(kinds)
    lengths = [size for size, value in _sizes(env).items() if value == width]
    arrays = [{"type": "array", "name": names("a"), "length": var, "of": of} for var in lengths]
    if of is not None and width >= 3:
        for array in arrays:
            yield array, {}
    if kinds[0] == "int" and width >= 3 and int(tokens[0]) == width - 1:
        k = names("k")
        rest = _loose_scalar(kinds[1:])
        if rest is not None:
            yield ({"type": "line", "items": [
                {"name": k, "min": 0, "max": _LOOSE},
                {"type": "array", "name": names("a"), "length": k, "of": rest}]},
                {})
    values: Env = {}
    items = []
    for token, kind in zip(tokens, kinds, strict=True):
        name = names()
        items.append({**_loose(kind), "name": name})
        if kind == "int":
            values[name] = int(token)
    yield (items[0] if width == 1 else {"type": "line", "items": items}), values
    if of is not None and width < 3:
        for array in arrays:
            yield array, {}


def _sizes(env: Env) -> dict[str, int]:
    """Lengths an earlier integer n can give: n, n-1 (a tree's parents), 2n."""
    sizes = {var: value for var, value in env.items()}
    sizes |= {f"{var}-1": value - 1 for var, value in env.items() if value >= 2}
    sizes |= {f"2*{var}": 2 * value for var, value in env.items() if value >= 1}
    return sizes


def _length(env: Env, value: int) -> str | None:
    return next((size for size, v in _sizes(env).items() if v == value), None)


def _loose(kind: str) -> Element:
    if kind == "int":
        return _loose_int()
    if kind == "real":
        return {"type": "real", "min": f"-{_LOOSE}", "max": _LOOSE, "decimals": 12}
    return {"type": "string", "alphabet": _ANY_CHAR, "min_length": 1, "max_length": _LOOSE}


def _loose_int() -> Element:
    return {"type": "int", "min": f"-{_LOOSE}", "max": _LOOSE}


def _loose_scalar(kinds: list[str]) -> Element | None:
    """The element type of a run of tokens, if they share one (ints pass as reals)."""
    kinds_seen = set(kinds)
    if kinds_seen == {"int"}:
        return _loose_int()
    if kinds_seen <= {"int", "real"}:
        return _loose("real")
    if kinds_seen == {"string"}:
        return _loose("string")
    return None


# --- bounds from the samples --------------------------------------------------------------


class _Seen:
    """What the samples show of each scalar element (keyed by id): its values, and the
    earlier integers of its scope it never exceeded (`k <= n` in every sample)."""

    def __init__(self) -> None:
        self.values: dict[int, list[Any]] = {}
        self.below: dict[int, set[str]] = {}
        self.by_name: dict[str, list[Any]] = {}
        self.sizes: set[str] = set()  # integers that give a length, a count or a node count

    def add(self, e: Element, xs: list[Any], scope: dict[str, Any]) -> None:
        self.values.setdefault(id(e), []).extend(xs)
        if "name" in e:
            self.by_name.setdefault(e["name"], []).extend(xs)
        if e.get("type", "int") != "int":
            return
        fits = {name for name, v in scope.items() if all(x <= v for x in xs)}
        self.below[id(e)] = self.below.get(id(e), fits) & fits


def _observe(elements: list[Element], values: dict[str, Any], seen: _Seen,
             scope: dict[str, Any] | None = None) -> None:
    """Walk the parsed values of one sample alongside the elements that read them."""
    scope = dict(scope or {})  # earlier integers, outer blocks included
    for e in elements:
        kind = e.get("type", "int")
        if kind in ("int", "real", "string"):
            seen.add(e, [values[e["name"]]], scope)
            if kind == "int":
                scope[e["name"]] = values[e["name"]]
        elif kind == "array":
            seen.add(e["of"], list(values[e["name"]]), scope)
        elif kind == "line":
            _observe(e["items"], values, seen, scope)
            scope.update({i["name"]: values[i["name"]] for i in e["items"]
                          if i.get("type", "int") == "int"})
        elif kind == "matrix":
            seen.add(e["of"], [x for row in values[e["name"]] for x in row], scope)
        elif kind == "grid":
            seen.add(e, list(values[e["name"]]), {})
        elif kind in ("tree", "graph") and e.get("weights"):
            seen.add(e["weights"], [edge[2] for edge in values[e["name"]]], {})
        elif kind in ("repeat", "testcases"):
            if kind == "testcases":
                seen.add(e["count"], [values[e["count"]["name"]]], {})
            for copy in values[e["name"]]:
                _observe(e["body"], copy, seen, scope)


def _tighten(e: Element, seen: _Seen) -> Element:
    kind = e.get("type", "int")
    observed = seen.values.get(id(e), [])
    if kind in ("int", "real"):
        return {**e, **_bounds(e, observed, seen)} if observed else e
    if kind == "string":
        return {**e, **_string_bounds(e, observed)}
    if kind == "grid":
        return {**e, "alphabet": _alphabet("".join(observed), exact=True)}
    out = dict(e)
    for key in ("of", "weights"):
        if isinstance(e.get(key), dict):
            out[key] = _tighten(e[key], seen)
    if kind == "line":
        out["items"] = [_tighten(item, seen) for item in e["items"]]
    if kind in ("repeat", "testcases"):
        out["body"] = [_tighten(item, seen) for item in e["body"]]
    if kind == "testcases":
        out["count"] = {**e["count"], **_range(seen.values.get(id(e["count"]), [1])), "min": 1}
    return out


def _bounds(e: Element, observed: list[Any], seen: _Seen) -> Element:
    """The samples' range; capped by an earlier integer the value never exceeded, so that
    `k <= n` holds in generated inputs too (it may be a rule the statement states)."""
    bounds = _range(observed, size=e.get("name") in seen.sizes)
    for name in sorted(seen.below.get(id(e), ()), key=_order):
        cap_lo = _range(seen.by_name.get(name, [0]), size=name in seen.sizes)["min"]
        if cap_lo >= bounds["min"]:
            bounds["max"] = f"min({bounds['max']}, {name})"
            break
    return bounds


def _sizes_named(elements: list[Element]) -> set[str]:
    names: set[str] = set()
    for e in elements:
        for key in ("length", "count", "rows", "cols", "n", "m"):
            if isinstance(e.get(key), str):
                names.update(re.findall(r"[A-Za-z_]\w*", e[key]))
        for key in ("items", "body"):
            names |= _sizes_named(e.get(key, []))
        if isinstance(e.get("of"), dict):
            names |= _sizes_named([e["of"]])
    return names


def _connected_floor(elements: list[Element]) -> list[Element]:
    """A connected graph needs m >= n-1: raise the floor of m (every sample met it)."""
    for g in elements:
        if g.get("type") != "graph" or not g.get("connected"):
            continue
        for e in elements:
            for item in e.get("items", [e]):
                if item.get("name") == g["m"] and item.get("type", "int") == "int":
                    item["min"] = f"max({item['min']}, {g['n']}-1)"
    return elements


def _order(name: str) -> int:
    return int(re.sub(r"\D", "", name) or 0)  # names are numbered as the search made them


def _range(observed: list[Any], size: bool = False) -> Element:
    """From the smallest natural floor up to the largest value seen. A value seen from 3
    up is drawn from 1 (statements say 1 <= a_i far more often than 3 <= a_i); a size
    seen from 3 up is drawn from 2, since "2 <= n" is as common as "1 <= n"."""
    lo, hi = min(observed), max(observed)
    if lo >= 0:
        floor = 2 if size and lo >= 2 else 1 if lo >= 1 else 0
        return {"min": _number(floor), "max": _number(hi)}
    reach = max(abs(lo), abs(hi))
    return {"min": _number(-reach), "max": _number(reach)}


def _number(x: Any) -> Any:
    return int(x) if isinstance(x, int) else float(x)


def _string_bounds(e: Element, observed: list[str]) -> Element:
    out: Element = {"alphabet": _alphabet("".join(observed), exact=False)}
    if "length" not in e:
        lengths = [len(s) for s in observed] or [1]
        out |= {"min_length": 1, "max_length": max(lengths)}
    return out


def _alphabet(chars: str, exact: bool) -> str:
    """A named alphabet when the samples use a good part of it, else exactly their
    characters: `abc` alone may be all the problem allows."""
    used = set(chars) or {"a"}
    if not exact and len(used) >= 5:
        for name in ("digits", "lowercase", "uppercase", "letters", "alnum"):
            pool = set(string.digits if name == "digits" else
                       string.ascii_lowercase if name == "lowercase" else
                       string.ascii_uppercase if name == "uppercase" else
                       string.ascii_letters if name == "letters" else
                       string.ascii_letters + string.digits)
            if used <= pool:
                return name
    return "".join(sorted(used))
