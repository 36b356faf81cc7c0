"""Names for an inferred spec, taken from the statement's Input section.

A spec read off the samples knows the layout but not the names (`v1`, `a2`, `r5`). The
Input section usually declares them in order: "The first line contains two integers n and
k", "the second line contains n integers a_1, ..., a_n", "each of the next m lines
contains x_i and y_i". Two kinds of name come out of it, in order of first mention:
single values (n, k) and indexed ones (a, x, y: arrays or the fields of repeated lines).
Each kind renames the spec's values of that kind only when the counts match exactly, with
one exception: a graph, tree, grid or matrix holds values the statement declares as single
ones ("each of the next m lines contains x, y and w"), so there the spec's single values
take the first names declared. The result must still parse every sample the same way;
otherwise the spec is returned as it was. A wrong name is worse than a neutral one.
"""

from __future__ import annotations

import keyword
import re
from typing import Any

from cpagent.problems.spec.errors import SpecError
from cpagent.problems.spec.infer import infer_spec
from cpagent.problems.spec.inputspec import InputSpec

__all__ = ["infer_named", "name_from_statement", "plain_text", "statement_names"]

_HEADING = re.compile(r"^\s*(?:#+\s*)?(input|output)(?:\s+(?:format|specification))?\s*:?\s*$",
                      re.I)
# A sentence declares values when it says what a line holds.
_DECLARES = re.compile(r"\b(contain|contains|consist|consists|given|line|lines)\b", re.I)
# Where the names end and the constraints or explanations begin.
_CUT = re.compile(r"\(|—|–|≤|<=|\\le|\bwhere\b|\bsuch that\b|\bdenoting\b", re.I)
_NAME = re.compile(r"(?<![\w\\'’])([A-Za-z])(?:_\{?([A-Za-z0-9]+)\}?)?(?![\w'’])")
# a1, a2, ..., an (CodeContests drops the underscores): the letter names a row.
_SEQUENCE = re.compile(r"(?<![\w\\])([A-Za-z])(?:\d+|[a-z])\s*,\s*(?:\1(?:\d+|[a-z])\s*,\s*)*"
                       r"(?:\.\.\.|…)\s*,?\s*\1(?:\d+|[a-z]|\{[^}]*\})", re.I)
# "each of the next m lines contains x and y", "the i-th line contains": values per row.
_ROWS = re.compile(r"\b(?:each|following|next)\b[^.]*\blines\b|\bi-th\b", re.I)
# xi, yi, ai: a letter indexed by i without the underscore (as CodeContests prints a_i).
_ROW_LETTER = re.compile(r"(?<![\w\\'’])([A-Za-z])i(?![\w'’])")
# Letters that are words or loop indices when they stand alone.
_NOT_NAMES = {"a", "A", "I", "i", "j"}


def _input_section(statement: str) -> str:
    lines = statement.splitlines()
    start = next((k for k, line in enumerate(lines)
                  if (m := _HEADING.match(line)) and m[1].lower() == "input"), None)
    if start is None:
        return ""
    end = next((k for k in range(start + 1, len(lines))
                if (m := _HEADING.match(lines[k])) and m[1].lower() == "output"), len(lines))
    return "\n".join(lines[start + 1:end])


def plain_text(text: str) -> str:
    text = re.sub(r"\\(?:texttt|mathit|mathrm|textit|mathbf)\{([^{}]*)\}", r"\1", text)
    text = re.sub(r"\\[lc]?dots,?", " ", text)
    return text.replace("$", " ")


def _mentions(head: str, rows: bool, math: frozenset[str] = frozenset()
              ) -> list[tuple[str, bool]]:
    """(letter, names a row) for each name in `head`, in the order written: sequences
    (a1, ..., an) first claim their span, then xi-style names, then the rest. A letter that
    is also a word ("a", "I") names a value only where the statement sets it as math."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, str, bool]] = []
    for pattern in (_SEQUENCE, _ROW_LETTER, _NAME):
        for match in pattern.finditer(head):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            letter = match[1]
            if pattern is _NAME:
                indexed = bool(match[2])
                if not indexed and letter in _NOT_NAMES and letter not in math:
                    continue
                is_row = indexed or rows
            else:
                is_row = True
            taken.append((start, end))
            found.append((start, letter, is_row))
    return [(letter, is_row) for _, letter, is_row in sorted(found)]


def statement_names(statement: str) -> tuple[list[str], list[str]]:
    """(single values, indexed values) the Input section declares, in order of first
    mention; both empty when there is no Input section."""
    singles: list[str] = []
    indexed: list[str] = []
    section = _input_section(statement)
    # `$a$` is a value, whereas "a" in prose is the article.
    math = frozenset(re.findall(r"\$\s*([aAI])\s*\$", section)) - {"i", "j"}
    text = plain_text(section)
    for sentence in re.split(r"(?<=[.;])\s+|\n\s*\n", text):
        if not _DECLARES.search(sentence):
            continue
        head = _CUT.split(sentence, maxsplit=1)[0]
        for letter, is_row in _mentions(head, rows=bool(_ROWS.search(sentence)), math=math):
            if letter not in singles and letter not in indexed:
                (indexed if is_row else singles).append(letter)
    return singles, indexed


_SCALARS = {"int", "real", "string"}


def _kinds(elements: list[dict[str, Any]], singles: list[str], rows: list[str],
           in_rows: bool = False) -> None:
    """The spec's own names of each kind, in reading order: values read once are singles,
    arrays and the values of a repeated line are rows; trees, graphs and grids keep theirs."""
    for e in elements:
        kind = e.get("type", "int")
        if kind in _SCALARS:
            (rows if in_rows else singles).append(e["name"])
        elif kind == "line":
            _kinds(e["items"], singles, rows, in_rows)
        elif kind in ("array", "permutation"):
            rows.append(e["name"])
        elif kind == "repeat":
            # Copies of one line hold a row each ("each of the next m lines contains x_i and
            # y_i"); copies of a block of lines are test cases, whose values the statement
            # names as singles ("each test case starts with a line containing n").
            _kinds(e["body"], singles, rows, in_rows=len(e["body"]) == 1)
        elif kind == "testcases":
            singles.append(e["count"]["name"])
            _kinds(e["body"], singles, rows, in_rows)


def _rename(value: Any, names: dict[str, str]) -> Any:
    """Every name and every expression naming one, renamed; other text untouched."""
    if isinstance(value, dict):
        return {k: (names.get(v, v) if k == "name" and isinstance(v, str) else
                    _rename(v, names) if k not in ("type", "alphabet", "tag") else v)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_rename(v, names) for v in value]
    if isinstance(value, str) and names:
        return re.sub(r"\b[A-Za-z_]\w*\b", lambda m: names.get(m[0], m[0]), value)
    return value


def name_from_statement(spec: InputSpec, statement: str,
                        samples: list[str] | None = None) -> InputSpec:
    """`spec` with the statement's names where they can be matched to it (see the module
    docstring); `samples` must parse to the same values under the renamed spec."""
    singles, indexed = statement_names(statement)
    data = spec.model_dump(mode="json", exclude_none=True)
    own_singles: list[str] = []
    own_rows: list[str] = []
    _kinds(data["input"], own_singles, own_rows)
    names: dict[str, str] = {}
    for own, theirs in ((own_singles, singles), (own_rows, indexed)):
        if own and len(own) == len(theirs):
            names.update(zip(own, theirs, strict=True))
    if own_singles and len(own_singles) < len(singles) and _holds_values(data["input"]):
        names.update(zip(own_singles, singles, strict=False))
    taken = set(_all_names(data)) - set(names)
    wanted = list(names.values())
    if (not names or len(set(wanted)) != len(wanted) or taken & set(wanted)
            or any(keyword.iskeyword(n) for n in wanted)):
        return spec
    try:
        renamed = InputSpec.model_validate(_rename(data, names))
        for text in samples or []:
            if _unnamed(spec.parse(text)) != _unnamed(renamed.parse(text)):
                return spec
    except SpecError:
        return spec
    return renamed


def infer_named(samples: list[str], statement: str = "") -> InputSpec | None:
    """The spec the samples show (`infer_spec`), named as the statement names its values
    where that can be matched."""
    spec = infer_spec(samples)
    if spec is None or not statement:
        return spec
    if _holds_graph(spec.model_dump(mode="json")["input"]) and _ordered_rows(statement):
        # "l and r (1 <= l <= r <= n)": queries, not edges, whatever the samples look like
        # (a graph would never draw l = r).
        spec = infer_spec(samples, graphs=False) or spec
    return name_from_statement(spec, statement, samples)


def _holds_graph(elements: list[dict[str, Any]]) -> bool:
    return any(e.get("type") == "graph" or _holds_graph(e.get("items", []) + e.get("body", []))
               for e in elements)


_ORDER = r"\s*(?:≤|<=|<|\\leq?\b|\\lt\b)\s*"


def _ordered_rows(statement: str) -> bool:
    """Whether the Input section orders two values of a row (`l_i <= r_i`, `a < b`)."""
    _, rows = statement_names(statement)
    text = plain_text(_input_section(statement))
    return any(re.search(rf"(?<![\w\\]){x}(?:_\{{?i\}}?|i)?{_ORDER}{y}(?:_\{{?i\}}?|i)?(?!\w)",
                         text)
               for x in rows for y in rows if x != y)


_HOLDERS = {"graph", "tree", "grid", "matrix"}


def _holds_values(elements: list[dict[str, Any]]) -> bool:
    """Whether some element reads values the statement may name one by one."""
    return any(e.get("type") in _HOLDERS or _holds_values(e.get("items", []) + e.get("body", []))
               for e in elements)


def _unnamed(value: Any) -> Any:
    """Parsed values with the names dropped: what must not change when names do."""
    if isinstance(value, dict):
        return [_unnamed(v) for v in value.values()]
    if isinstance(value, list):
        return [_unnamed(v) for v in value]
    return value


def _all_names(value: Any) -> list[str]:
    if isinstance(value, dict):
        own = [value["name"]] if isinstance(value.get("name"), str) else []
        return own + [n for k, v in value.items() if k != "name" for n in _all_names(v)]
    if isinstance(value, list):
        return [n for v in value for n in _all_names(v)]
    return []
