"""A method's arguments sized by the statement's constraints, so that timing has largest
inputs for problems whose tests call a method (LeetCode style).

LeetCode states its limits one chain a line, on the arguments' own names:
"1 <= nums.length <= 10^5", "-10^9 <= nums[i] <= 10^9", "1 <= k <= nums.length",
"1 <= s.length <= 500", "1 <= words[i].length <= 10", and aliases such as
"n == nums.length" with "1 <= n <= 10^5". The names come from the starter code's signature.

As for stdin problems (`bounds`), a wrong bound is worse than none: a false "too slow" sends
a right program back. So the arguments are sized only when every list and string among them
has a stated length bound, lists of lists are left out, every sample must still fit, and the
largest input must be of a size a judge would give. A value the constraints do not bound
keeps the samples' range. Lists stated as long as each other ("nums1.length ==
nums2.length") stay so; otherwise each list's length is drawn on its own.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from cpagent.problems.spec.bounds import number_value, timeable
from cpagent.problems.spec.call_args import ArgShape, CallSpec
from cpagent.problems.spec.errors import SpecError
from cpagent.problems.spec.inputspec import InputSpec

__all__ = ["Constraints", "argument_names", "constraint_bounds", "sized_call_spec"]

_IDENT = r"[A-Za-z_]\w*"
# nums, nums.length, nums[i], nums[i].length, grid[i][j] (whose name is kept whole).
_TERM_NAME = re.compile(rf"({_IDENT})((?:\[\w+\])*)(\.length)?$")
_RELATION = re.compile(r"\s*(<=|≤|<|>=|≥|>|==)\s*")


def argument_names(starter: str, method: str) -> list[str] | None:
    """The parameters of `method` in the starter code, without `self`; None when the
    signature is not found."""
    m = re.search(rf"def\s+{re.escape(method)}\s*\((.*?)\)\s*(?:->[^:]*)?:", starter, re.S)
    if m is None:
        return None
    params, depth, current = [], 0, ""
    for ch in m[1] + ",":
        if ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        if ch == "," and depth == 0:
            params.append(current.strip())
            current = ""
        else:
            current += ch
    names = [re.split(r"[:=]", p)[0].strip() for p in params if p.strip()]
    names = [n for n in names if n not in ("self", "/", "*")]
    return names if all(re.fullmatch(_IDENT, n) for n in names) else None


def _key(term: str) -> str | None:
    """`nums.length`, `nums[]` (an element), `words[].length`, or a plain name."""
    m = _TERM_NAME.fullmatch(term.strip())
    if m is None:
        return None
    depth = m[2].count("[")
    if depth > 1:
        return None
    return m[1] + ("[]" if depth else "") + (".length" if m[3] else "")


@dataclass
class Constraints:
    """What the constraints say: each term's [lo, hi] (the first chain wins on each side),
    the terms a side is bounded by instead (`k <= nums.length`), and which terms their
    equalities make one (`n == nums.length`: each maps to its group's first term)."""

    bounds: dict[str, list[int | None]] = field(default_factory=dict)
    refs: dict[str, list[str | None]] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)

    def root(self, key: str) -> str:
        return self.aliases.get(key, key)

    def _numbers(self, key: str) -> list[int | None]:
        """Each side's number, from the term or else from a term it equals."""
        group = [key] + [k for k, r in self.aliases.items() if r == self.root(key) and k != key]
        sides = [self.bounds.get(k, [None, None]) for k in group]
        return [next((s[i] for s in sides if s[i] is not None), None) for i in (0, 1)]

    def stated(self, key: str) -> tuple[int | None, int | None]:
        """The term's range; a side bounded by another term takes that term's number."""
        found = self._numbers(key)
        for i, ref in enumerate(self.refs.get(key, [None, None])):
            if found[i] is None and ref is not None:
                found[i] = self._numbers(ref)[i]
        return found[0], found[1]

    def range(self, key: str, seen: list[int]) -> tuple[int, int] | None:
        """The stated range, the samples' on a side it leaves open; None if it states none."""
        lo, hi = self.stated(key)
        if lo is None and hi is None:
            return None
        return (min(seen) if lo is None else lo, max(seen) if hi is None else hi)

    def join(self, keys: list[str]) -> None:
        root = self.root(keys[0])
        merged = {self.root(k) for k in keys} | set(keys)
        for key, value in list(self.aliases.items()):
            if value in merged:
                self.aliases[key] = root
        for key in merged:
            self.aliases[key] = root


def constraint_bounds(statement: str) -> Constraints:
    """The chains and equalities of the statement's constraints section."""
    found = Constraints()
    # The constraints section when there is one: a chain in the story ("0 <= i < j < n")
    # bounds loop indices, not arguments.
    for raw in statement.rpartition("Constraints")[2].splitlines():
        # A bullet ("- ", "* ") goes, a minus sign stays.
        line = re.sub(r"^(?:[-*•]\s+)", "", raw.strip()).strip("$`").rstrip(".").strip()
        parts = _RELATION.split(line)
        if len(parts) < 3:
            continue
        terms, relations = parts[0::2], parts[1::2]
        if relations == ["=="] * len(relations):
            keys = [_key(t) for t in terms]
            if None not in keys:
                found.join(keys)  # type: ignore[arg-type]
            continue
        if set(relations) & {">=", "≥", ">"}:
            if set(relations) & {"<=", "≤", "<", "=="}:
                continue
            terms, relations = terms[::-1], [{"≥": "<=", ">=": "<=", ">": "<"}[r]
                                             for r in relations[::-1]]
        _read_chain(terms, relations, found)
    return found


def _read_chain(terms: list[str], relations: list[str], found: Constraints) -> None:
    numbers = [number_value(t) for t in terms]
    for j, term in enumerate(terms):
        if numbers[j] is not None:
            continue
        for name in re.split(r"\s*,\s*", term):
            key = _key(name)
            if key is None:
                continue
            bound = found.bounds.setdefault(key, [None, None])
            ref = found.refs.setdefault(key, [None, None])
            if j > 0 and bound[0] is None and ref[0] is None:
                if numbers[j - 1] is not None:
                    bound[0] = numbers[j - 1] + (relations[j - 1] == "<")  # type: ignore[operator]
                else:
                    ref[0] = _key(terms[j - 1])
            if j + 1 < len(terms) and bound[1] is None and ref[1] is None:
                if numbers[j + 1] is not None:
                    bound[1] = numbers[j + 1] - (relations[j] == "<")  # type: ignore[operator]
                else:
                    ref[1] = _key(terms[j + 1])


def _seen(samples: list[list[Any]], i: int) -> tuple[list[Any], list[int]]:
    """The i-th argument's leaves, and its lengths if it is a list, across the samples."""
    leaves: list[Any] = []
    lengths: list[int] = []
    for args in samples:
        value = args[i]
        if isinstance(value, list):
            lengths.append(len(value))
            leaves += value
        else:
            leaves.append(value)
    return leaves, lengths


class _Layout:
    """The sized elements of the encoded layout, argument by argument, and the count each
    list's length (or a term equal to it) goes by, for later bounds to refer to."""

    def __init__(self, found: Constraints) -> None:
        self.found = found
        self.elements: list[dict[str, Any]] = []
        self.counts: dict[str, str] = {}  # a length's group -> the count naming it

    def _int(self, key: str, seen: list[int]) -> dict[str, Any]:
        """An integer's min and max: stated, else the samples'; a side bounded by a list
        read before is that list's count (so `k <= nums.length` holds at every size)."""
        lo, hi = self.found.range(key, seen) or (min(seen), max(seen))
        refs = self.found.refs.get(key, [None, None])
        named = [self.counts.get(self.found.root(r)) if r else None for r in refs]
        return {"type": "int", "min": named[0] or lo, "max": named[1] or hi}

    def add(self, name: str, shape: ArgShape, leaves: list[Any], lengths: list[int]) -> bool:
        """Whether the argument could be sized (a list's or string's length is stated)."""
        if shape.depth == 2:
            return False
        if shape.leaf == "str":
            key = f"{name}[].length" if shape.depth else f"{name}.length"
            size = self.found.range(key, [len(s) for s in leaves])
            if size is None:
                return False
            of = {"type": "string", "alphabet": "".join(sorted({c for s in leaves for c in s})),
                  "min_length": max(1, size[0]), "max_length": size[1]}
        elif shape.leaf == "bool":
            of = {"type": "int", "min": 0, "max": 1}
        else:
            of = self._int(f"{name}[]" if shape.depth else name, leaves)
        if shape.depth == 0:
            self.elements.append({**of, "name": name})
            return True
        size = self.found.range(f"{name}.length", lengths)
        if size is None:
            return False
        # Lists whose lengths the constraints equate share the first one's count.
        count = f"{name}_len"
        tied = self.counts.setdefault(self.found.root(f"{name}.length"), count)
        lo, hi = (tied, tied) if tied != count else (max(1, size[0]), size[1])
        self.elements += [{"type": "int", "name": count, "min": lo, "max": hi},
                          {"type": "array", "name": name, "length": count, "of": of}]
        return True


def sized_call_spec(spec: CallSpec, statement: str, names: list[str],
                    samples: list[str]) -> CallSpec | None:
    """`spec`'s arguments sized by the constraints (module docstring), or None."""
    if len(names) != len(spec.shapes):
        return None
    layout = _Layout(constraint_bounds(statement))
    parsed = [[json.loads(line) for line in s.splitlines() if line.strip()] for s in samples
              if s.strip()]
    for i, (name, shape) in enumerate(zip(names, spec.shapes, strict=True)):
        if not layout.add(name, shape, *_seen(parsed, i)):
            return None
    try:
        sized = CallSpec(InputSpec.model_validate({"input": layout.elements}), spec.shapes)
    except (SpecError, ValueError):
        return None
    return sized if timeable(sized, spec, samples) else None
