"""The statement's bounds on a spec read off the samples, so that timing has largest inputs.

A spec inferred from the samples keeps to the values they show (see `infer`): its largest
input is a sample's size, and timing on it would claim a fit it never measured. The
statement says how large the values may be: "1 ≤ n ≤ 2·10^5", "$1 \\le a_i \\le 10^9$",
"1 ≤ k ≤ n", "the sum of n over all test cases does not exceed 2·10^5". Where the spec's
names are the statement's (see `naming`), each value a chain of inequalities bounds takes
those bounds, and a test-case block takes the sum bound.

The result is for timing only: stress keeps to the samples' small values, which a brute
force can take. It must still accept every sample, must differ from the spec it started
from, and its largest input must be of a size a judge would give; otherwise there is none.
A wrong bound is worse than no timing: a false "too slow" sends a right program back.
Hence the check on the largest input, and the measure in `benchmarks/statement_bounds.py`:
the record's own tests must fit the sized spec, and its accepted solution must fit the time
limit on the largest inputs drawn from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from cpagent.problems.spec.errors import SpecError
from cpagent.problems.spec.inputspec import InputSpec
from cpagent.problems.spec.naming import plain_text
from cpagent.problems.spec.words import WordBound, worded_bounds

__all__ = ["Bound", "bounded_spec", "number_value", "statement_bounds", "sum_bounds",
           "timeable", "with_statement_bounds"]

# Larger than any judge's input we time against (2*10^5 numbers up to 10^18 is 4*10^6).
MAX_CHARS = 2 * 10**7
SMALLEST_SCALE = 2.0**-9

_RELATIONS = [(r"\\leqslant|\\leq|\\le\b|≤|⩽|<=", "≤"), (r"\\lt\b|<", "<"),
              (r"\\geqslant|\\geq|\\ge\b|≥|⩾|>=", "≥"), (r"\\gt\b|>", ">"),
              (r"\\cdot|\\times|[·⋅×∙*]", "*")]
# 10^5, 2*10^5, 10^{18}, 100 000 and 100,000 (digit groups), -10^9.
_NUMBER = (r"-?\s*(?:(?:\d+\s*\*\s*)?10\s*\^\s*\{?\s*\d+\s*\}?"
           r"|\d{1,3}(?:(?:,|\s)\d{3})+(?!\d)|\d+)")
# n, a_i, a_{i}, ai (CodeContests' a_i), |s| (a length, or an absolute value); then maybe
# "- 1".
_NAME = (r"(?:\|[A-Za-z](?:_\{?[A-Za-z0-9]+\}?|i)?\||[A-Za-z](?:_\{?[A-Za-z0-9]+\}?|i\b)?)"
         r"(?!\w)")
# A term that goes on as an expression ("n + m", "a_1 + a_2", "n2" for n squared) bounds
# nothing we can use; "n - 1" is the one kept.
_GOES_ON = r"(?!\s*[-+*/^]\s*(?:\d|[A-Za-z](?![A-Za-z]{2})))"
_TERM = (rf"(?:(?:{_NUMBER})(?![\d^]){_GOES_ON}"
         rf"|{_NAME}(?:\s*[-+]\s*\d+)?{_GOES_ON}(?:\s*,\s*{_NAME})*)")
# Not the tail of an expression: "a_1 + ... + a_n ≤ 3·10^5" bounds a sum, not a_n.
_CHAIN = re.compile(rf"(?<![\w|^+*/])(?<![+*/]\s){_TERM}(?:\s*[≤<≥>]\s*{_TERM})+")
_SPLIT = re.compile(r"\s*([≤<≥>])\s*")
_SUM = re.compile(
    r"\bsum\s+of\s+(?:all\s+|the\s+)*(?:values\s+of\s+)?\$?\s*(" + _NAME + r")"
    r"[^.]{0,80}?(?:≤|does\s*n[o']t\s+exceed|do\s*n[o']t\s+exceed|not\s+exceed|is\s+at\s+most"
    r"|is\s+not\s+greater\s+than)\s*(" + _NUMBER + ")", re.I)
_NOT_NAMES = {"i", "j"}  # loop indices: "1 ≤ i ≤ n" bounds no input value


@dataclass
class Bound:
    """What the statement says of one name: numbers, and the names it is bounded by."""

    name: str
    length: bool = False  # |s|: on a string's length; on a number, its absolute value
    lo: int | None = None
    hi: int | None = None
    # "1 ≤ l ≤ r ≤ n": l's upper references are ("r", "n"), nearest first; the first one
    # read before l bounds it.
    lo_refs: tuple[str, ...] = ()
    hi_refs: tuple[str, ...] = ()


def _normal(text: str) -> str:
    text = plain_text(text)
    for pattern, symbol in _RELATIONS:
        text = re.sub(pattern, symbol, text)
    return text


def number_value(term: str) -> int | None:
    """The term's value; None for anything else, and for numbers no input holds (a
    statement could write 10^999999999, whose value alone would take the machine)."""
    term = re.sub(r"\s+|[{}]", "", term)
    if m := re.fullmatch(r"(-?)(?:(\d{1,19})\*)?10\^(\d{1,2})", term):
        return (-1 if m[1] else 1) * int(m[2] or 1) * 10 ** int(m[3])
    term = term.replace(",", "")
    return int(term) if re.fullmatch(r"-?\d{1,30}", term) else None


def _key(name: str) -> tuple[str, bool]:
    """The letter a name stands for, and whether it is a string's length."""
    if name.startswith("|"):
        return name[1], True
    return name[0], False


def statement_bounds(statement: str) -> dict[str, Bound]:
    """Each name's bounds from the statement's chains of inequalities; on each side the
    first chain that bounds a name wins (later ones are often a subtask's or an example's)."""
    found: dict[str, Bound] = {}
    for chain in _CHAIN.finditer(_normal(statement)):
        parts = _SPLIT.split(chain[0].strip())
        terms, relations = parts[0::2], parts[1::2]
        if set(relations) & {"≥", ">"}:
            if set(relations) & {"≤", "<"}:
                continue  # "a ≤ b ≥ c" says nothing usable
            terms, relations = terms[::-1], [{"≥": "≤", ">": "<"}[r] for r in relations[::-1]]
        numbers = [number_value(t) for t in terms]
        for j, term in enumerate(terms):
            if numbers[j] is not None:
                continue
            for name in re.split(r"\s*,\s*", term):
                letter, length = _key(name)
                if letter in _NOT_NAMES or not re.fullmatch(_NAME, name):
                    continue
                bound = _bound(letter, length, terms, numbers, relations, j)
                if letter in found:
                    _fill(found[letter], bound)
                elif bound.lo is not None or bound.hi is not None:
                    found[letter] = bound
    for worded in worded_bounds(_normal(statement)):
        if worded.name is None or worded.what == "digits":
            continue  # applied to the element it can be about: `_with_words`
        bound = Bound(name=worded.name, length=worded.what == "length", lo=worded.lo,
                      hi=worded.hi)
        if worded.name in found:
            _fill(found[worded.name], bound)
        else:
            found[worded.name] = bound
    return found


def _fill(first: Bound, later: Bound) -> None:
    """What a later chain adds to a name's bound: only what the first left open, so that
    "1 ≤ l ≤ r ≤ n" then "n ≤ 10^5" bound n on both sides."""
    if first.lo is None and not first.lo_refs:
        first.lo, first.lo_refs = later.lo, later.lo_refs
    if first.hi is None and not first.hi_refs:
        first.hi, first.hi_refs = later.hi, later.hi_refs


def _bound(letter: str, length: bool, terms: list[str], numbers: list[int | None],
           relations: list[str], j: int) -> Bound:
    """The bound of the name at terms[j]: the nearest number on each side (one more or less
    across a strict `<` right beside it), and the single values named between."""
    bound = Bound(name=letter, length=length)
    lo_refs: list[str] = []
    for k in range(j - 1, -1, -1):
        if numbers[k] is not None:
            # "1 ≤ x < y ≤ n" bounds n by 1, not 2: with no x and y at all (m = 0) it
            # says nothing more.
            bound.lo = numbers[k] + (1 if k == j - 1 and relations[k] == "<" else 0)
            break
        if "<" not in relations[k:j]:
            lo_refs += _refs(terms[k])
    hi_refs: list[str] = []
    for k in range(j + 1, len(terms)):
        if numbers[k] is not None:
            bound.hi = numbers[k] - (1 if k == j + 1 and relations[j] == "<" else 0)
            break
        if "<" not in relations[j:k]:
            hi_refs += _refs(terms[k])
    bound.lo_refs, bound.hi_refs = tuple(lo_refs), tuple(hi_refs)
    return bound


_REF = re.compile(r"([A-Za-z])(?:_\{?[A-Za-z0-9]+\}?|i\b)?(\s*[-+]\s*\d+)?")


def _refs(term: str) -> list[str]:
    """A term naming one value (n, r_i, n - 1) as a bound expression; none for a list."""
    m = _REF.fullmatch(term)
    if m is None or m[1] in _NOT_NAMES:
        return []
    return [m[1] + re.sub(r"\s+", "", m[2] or "")]


# "1 ≤ a_1 + a_2 + ... + a_n ≤ 3·10^5": a bound on the sum of an array's values.
_TOTAL = re.compile(
    rf"(?:({_NUMBER})\s*(≤|<)\s*)?([A-Za-z])_\{{?1\}}?\s*\+[^≤<>≥;]{{0,60}}?\+\s*\3_?\{{?"
    rf"[A-Za-z]\}}?\s*(?:(≤|<)\s*({_NUMBER}))?")


def total_bounds(statement: str) -> dict[str, tuple[int | None, int | None]]:
    """{"a": (1, 300000)} for "1 ≤ a_1 + a_2 + ... + a_n ≤ 300000"."""
    found: dict[str, tuple[int | None, int | None]] = {}
    for m in _TOTAL.finditer(_normal(statement)):
        lo = number_value(m[1]) if m[1] else None
        hi = number_value(m[5]) if m[5] else None
        if lo is not None and m[2] == "<":
            lo += 1
        if hi is not None and m[4] == "<":
            hi -= 1
        if lo is not None or hi is not None:
            found.setdefault(m[3], (lo, hi))
    return found


def sum_bounds(statement: str) -> dict[str, int]:
    """"The sum of n over all test cases does not exceed 2·10^5": {"n": 200000}."""
    found: dict[str, int] = {}
    for m in _SUM.finditer(_normal(statement)):
        letter = _key(m[1])[0]
        value = number_value(m[2])
        if value is not None and value > 0:
            found.setdefault(letter, value)
    return found


def bounded_spec(spec: InputSpec, statement: str, samples: list[str]) -> InputSpec | None:
    """`spec` with every bound the statement states on the values it names, both ends,
    and the worded ones (`words`): the domain stress and edge inputs are drawn from. None
    when no bound applies, or the result rejects a sample."""
    data = spec.model_dump(mode="json", exclude_none=True)
    text = _normal(statement)
    worded = worded_bounds(text) + _lengths_named(text, statement_bounds(statement),
                                                  _names(data["input"]))
    elements = _with_words(data["input"], worded)
    bounded = _apply(elements, statement_bounds(statement), sum_bounds(statement),
                     defined=set(), unseen=_unseen_sizes(elements),
                     totals=total_bounds(statement), sizes=frozenset(_sized(elements)))
    if bounded == data["input"]:
        return None
    try:
        result = InputSpec.model_validate({"input": bounded})
        for text in samples:
            result.validate(text)
    except SpecError:
        return None
    return result


def with_statement_bounds(spec: InputSpec, statement: str,
                          samples: list[str]) -> InputSpec | None:
    """`bounded_spec`, when it is fit to time on (module docstring); else None."""
    bounded = bounded_spec(spec, statement, samples)
    if bounded is None:
        return None
    data = bounded.model_dump(mode="json", exclude_none=True)
    if not _plain_sizes(data["input"]):
        return None
    return bounded if timeable(bounded, spec, samples) else None


def timeable(sized: Any, unsized: Any, samples: list[str]) -> bool:
    """Whether a sized spec (an `InputSpec`, or a method's `CallSpec`) is fit to time on:
    every sample fits it, it draws at every scale timing uses, and its largest input is
    larger than the unsized spec's and of a size a judge would give."""
    try:
        for text in samples:
            sized.validate(text)
        # A hundredth of every bound first: a spec missing a sum bound is refused in
        # milliseconds, not after drawing millions of values.
        if len(sized.generate("max", seed=0, scale=0.01)) * 100 > MAX_CHARS:
            return False
        # Timing starts at 1/512 of every bound (`sandbox.timing.SCALES`), where a graph of
        # n = 1 cannot have the edges the statement asks of it.
        sized.generate("max", seed=0, scale=SMALLEST_SCALE)
        largest = len(sized.generate("max", seed=0, scale=1.0))
    except (SpecError, ValueError):
        return False
    # A bound that only raised a minimum leaves timing nothing larger than the samples.
    return len(unsized.generate("max", seed=0, scale=1.0)) < largest <= MAX_CHARS


def _apply(elements: list[dict[str, Any]], bounds: dict[str, Bound], sums: dict[str, int],
           defined: set[str], unseen: frozenset[str] = frozenset(),
           totals: dict[str, tuple[int | None, int | None]] | None = None,
           rows: bool = False, sizes: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """The elements with the statement's bounds on each value they name, in reading order,
    so that a bound by another value is used only when that value is read before. Sizes in
    `unseen` keep their upper bound (see `_unseen_sizes`); arrays in `totals` take the
    bounds on their sum. `rows`: the elements are a repeated line's, data rather than the
    single values a layout rests on; `sizes`: the values the layout counts with (both as
    `_range` needs them)."""
    totals = totals or {}
    out = []
    for element in elements:
        e = dict(element)
        kind = e.get("type", "int")
        name = e.get("name")
        if kind == "int" and name in bounds:
            e.update(_range(_number_bound(bounds[name]), e, defined,
                            keep_rule=not rows and name not in sizes))
            if name in unseen:
                e["max"] = element["max"]
        elif kind == "string" and name in bounds and bounds[name].length and "length" not in e:
            r = _range(bounds[name], {"min": e.get("min_length", 1), "max": e["max_length"]},
                       defined)
            e["min_length"], e["max_length"] = r["min"], r["max"]
        elif kind == "array":
            if name in bounds and e["of"].get("type", "int") == "int":
                e["of"] = {**e["of"], **_range(_number_bound(bounds[name]), e["of"], defined)}
            if name in totals and e["of"].get("type", "int") != "string":
                lo, hi = totals[name]
                e["total"] = {k: v for k, v in (("min", lo), ("max", hi)) if v is not None}
        elif kind == "line":
            e["items"] = _apply(e["items"], bounds, sums, defined, unseen, totals, rows, sizes)
        elif kind in ("repeat", "testcases"):
            if kind == "testcases":
                count = e["count"]
                if count.get("name", "t") in bounds:
                    e["count"] = {**count, **_range(bounds[count.get("name", "t")], count, set())}
                defined.add(count.get("name", "t"))
            e["body"] = _apply(e["body"], bounds, sums, set(defined), unseen, totals,
                               rows=kind == "repeat" and len(e["body"]) == 1, sizes=sizes)
            # A block of lines repeated is the test cases the sum bound is over.
            if kind == "testcases" or len(e["body"]) > 1:
                inner = _names(e["body"])
                e["sum"] = {**e.get("sum", {}), **{n: v for n, v in sums.items() if n in inner}}
        if isinstance(name, str):
            defined.add(name)
        out.append(e)
    return out


def _number_bound(bound: Bound) -> Bound:
    """On a number, |x| ≤ 1000 is an absolute value: -1000 ≤ x ≤ 1000."""
    if not bound.length:
        return bound
    hi = bound.hi
    return Bound(name=bound.name, lo=None if hi is None else -hi, hi=hi)


def _range(bound: Bound, element: dict[str, Any], defined: set[str],
           keep_rule: bool = False) -> dict[str, Any]:
    """min and max from the bound: a reference to a value read before where there is one,
    else the number; what the statement leaves open stays as it was."""
    lo = next((r for r in bound.lo_refs if r[0] in defined), bound.lo)
    hi = next((r for r in bound.hi_refs if r[0] in defined), bound.hi)
    top = element["max"] if hi is None else hi
    # On a single value the layout does not count with (`keep_rule`), a rule the samples
    # kept between it and an earlier one (m never above n) may be one the statement states
    # in words, or one the layout read off the samples rests on (n lines read where the
    # statement says m, since every sample had m = n): it stays under the statement's
    # number. A value that counts its own lines (q queries) shows in the layout what it
    # is; array elements and rows are data, where a_i <= n is a coincidence of small
    # numbers.
    if keep_rule and isinstance(hi, int) and (rule := _CAP.fullmatch(str(element["max"]))):
        top = f"min({hi}, {rule[1]})"
    return {"min": element["min"] if lo is None else lo, "max": top}


_CAP = re.compile(r"min\(.+, ([A-Za-z_]\w*)\)")


_SIZES = ("length", "count", "rows", "cols", "n", "m")
_PLAIN_SIZE = re.compile(r"\s*[A-Za-z_]\w*\s*(?:[-+]\s*1\s*)?|\s*\d+\s*")


def _plain_sizes(elements: list[dict[str, Any]]) -> bool:
    """Whether every size is a number or a value read before (n, or n-1 for a tree's
    edges). The statement says "n lines follow"; a size the samples alone suggested, such
    as 2*l rows where l was 1, is a coincidence that its largest inputs would magnify."""
    for e in elements:
        for key in _SIZES:
            if isinstance(e.get(key), str) and not _PLAIN_SIZE.fullmatch(e[key]):
                return False
        if not _plain_sizes(e.get("items", []) + e.get("body", [])):
            return False
    return True


def _names(elements: list[dict[str, Any]]) -> set[str]:
    names: set[str] = set()
    for e in elements:
        if isinstance(e.get("name"), str):
            names.add(e["name"])
        for key in ("items", "body"):
            names |= _names(e.get(key, []))
    return names


def _with_words(elements: list[dict[str, Any]], worded: list[WordBound]) -> list[dict[str, Any]]:
    """The elements with the worded bounds no chain of inequalities gives: a number's
    digits ("up to 100000 digits") and a length said of no name ("each word is no longer
    than 10 characters"), each applied to the one element it can be about, or to none."""
    out = [dict(e) for e in elements]
    for bound in worded:
        if bound.what == "digits":
            slots = [e for e in _scalars(out) if _a_number(e)
                     and (bound.name is None or e.get("name") == bound.name)
                     and e.get("name") not in _sized(out)]
            if len(slots) == 1:
                _as_number(slots[0], bound)
        elif bound.what == "length" and bound.name is None:
            slots = [e for e in _scalars(out) if e.get("type") == "string" and "length" not in e]
            if len(slots) == 1:
                slots[0]["max_length"] = bound.hi
                if bound.lo is not None:
                    slots[0]["min_length"] = bound.lo
    return out


def _scalars(elements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The scalar elements (array elements among them), as the dicts to change in place:
    every container on the way is copied first, so the caller's spec stays as it was."""
    found = []
    for e in elements:
        kind = e.get("type", "int")
        if kind in ("int", "real", "string"):
            found.append(e)
        elif kind == "array":
            e["of"] = dict(e["of"])
            found.append(e["of"])
        for key in ("items", "body"):
            if key in e:
                e[key] = [dict(x) for x in e[key]]
                found += _scalars(e[key])
    return found


# "a string of decimal digits of length n (2 ≤ n ≤ 10^5)": the length has a name of its own.
_OF_LENGTH = re.compile(r"\b(string|word|number|integer)\b[^.;]{0,60}?\bof\s+length\s+"
                        r"([A-Za-z])(?![\w'’])", re.I)


def _lengths_named(text: str, chains: dict[str, Bound], names: set[str]) -> list[WordBound]:
    """A token's length bounded through a name the input never gives ("of length n", then
    "2 ≤ n ≤ 10^5"): the chain's bound, as a worded one on the token."""
    found = []
    for m in _OF_LENGTH.finditer(text):
        bound = chains.get(m[2])
        if bound is None or m[2] in names or (bound.lo is None and bound.hi is None):
            continue
        what = "digits" if re.search(r"\bdigits?\b", m[0], re.I) else "length"
        found.append(WordBound(what, None, bound.lo, bound.hi))
    return found


def _unseen_sizes(elements: list[dict[str, Any]]) -> frozenset[str]:
    """Sizes no sample shows above 1. With m = 1 every sample reads the same as one line
    `u v` or as m lines of `u v`, and the layout inferred may be the wrong one of the two:
    a larger m would draw inputs of another layout, so m keeps the samples' bound."""
    sized = _sized(elements)
    def seen_max(bound: Any) -> int | None:
        if isinstance(bound, int):
            return bound
        m = re.fullmatch(r"min\((\d+), .+\)", str(bound))
        return int(m[1]) if m else None

    return frozenset(e["name"] for e in _scalars([dict(x) for x in elements])
                     if e.get("name") in sized and (seen_max(e.get("max")) or 2) <= 1)


def _a_number(e: dict[str, Any]) -> bool:
    """A non-negative integer, or a token of digits (one past 10^18 is read as one)."""
    if e.get("type", "int") == "int":
        return isinstance(e.get("min"), int) and e["min"] >= 0
    alphabet = e.get("alphabet", "")
    return e.get("type") == "string" and "length" not in e and (
        alphabet == "digits" or bool(alphabet) and set(alphabet) <= set("0123456789"))


def _sized(elements: list[dict[str, Any]]) -> set[str]:
    """Names some length, count or node number is made of."""
    names: set[str] = set()
    for e in elements:
        for key in _SIZES:
            if isinstance(e.get(key), str):
                names.update(re.findall(r"[A-Za-z_]\w*", e[key]))
        names |= _sized(e.get("items", []) + e.get("body", []))
    return names


def _as_number(e: dict[str, Any], bound: WordBound) -> None:
    """An integer of up to N digits, as its digits: an int of 10^5 digits is past what
    CPython converts to text, and a model's program that reads it with int() must meet one."""
    name = e.get("name")
    e.clear()
    e.update({"type": "string", "alphabet": "digits", "number": True,
              "min_length": max(1, bound.lo or 1), "max_length": bound.hi})
    if name is not None:
        e["name"] = name
