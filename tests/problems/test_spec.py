"""InputSpec: schema checks, generation in every mode, parsing, rendering, and the library's
specs against its tests and brute forces.

Most tests are properties: every generated input parses back under its own spec, renders
back to itself, and has the structure its elements promise (checked here independently of
`parse`, so a lenient parser could not hide a bad generator)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

from cpagent.problems.load import load_problem
from cpagent.problems.model import Problem, TestCase
from cpagent.problems.spec import InputSpec, SpecError, SpecMismatch, load_spec
from cpagent.problems.spec.expr import Expr
from cpagent.sandbox import Program, Verdict
from cpagent.sandbox.interactive import interactor_of, run_interactive, verdict_of
from cpagent.sandbox.local import LocalSandbox

LIBRARY = Path(__file__).resolve().parents[2] / "problems" / "library"
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# One spec per family of elements; together they use every element kind and option.
SPECS: dict[str, str] = {
    "scalars": """
input:
  - type: line
    items:
      - {name: n, min: 1, max: 20}
      - {name: k, min: n, max: 2*n}
      - {name: z, min: -10**18, max: 10**18}
  - {type: real, name: x, min: -1.5, max: 10**3, decimals: 2}
  - {type: string, name: s, alphabet: digits, first: "123456789", min_length: 1, max_length: k}
  - {type: string, name: w, alphabet: ab, length: n}
""",
    "arrays": """
input:
  - {name: n, min: 1, max: 30}
  - {type: array, name: a, length: n, of: {min: -10**9, max: 10**9}}
  - {type: array, name: inc, length: n, of: {min: 1, max: 3*n}, sorted: increasing}
  - {type: array, name: dis, length: n, of: {min: 1, max: 40}, distinct: true}
  - {type: array, name: nd, length: n, of: {min: 0, max: 5}, sorted: non-decreasing,
     layout: lines}
  - {type: array, name: r, length: 2, of: {type: real, min: 0, max: 1, decimals: 3}}
  - {type: array, name: words, length: 3,
     of: {type: string, alphabet: uppercase, min_length: 1, max_length: 4}}
  - {type: permutation, name: p, n: n}
  - type: line
    items:
      - {name: k, min: 0, max: n}
      - {type: array, name: b, length: k, of: {min: 1, max: n}}
""",
    "grids": """
input:
  - type: line
    items:
      - {name: n, min: 1, max: 40}
      - {name: m, min: 1, max: 400 // n}
  - {type: grid, name: g, rows: n, cols: m, alphabet: ".#C", must_contain: C}
  - {type: matrix, name: mat, rows: m, cols: n, of: {min: -5, max: 5}}
""",
    "trees": """
input:
  - {name: n, min: 1, max: 60}
  - {type: tree, name: plain, n: n}
  - {type: tree, name: weighted, n: n, weights: {min: 1, max: 10**9}}
  - {type: tree, name: rooted, n: n, format: parents}
  - {type: tree, name: zero, n: n, base: 0}
""",
    "graphs": """
input:
  - type: line
    items:
      - {name: n, min: 1, max: 30}
      - {name: m, min: 0, max: 100}
  - {type: graph, name: simple, n: n, m: m}
  - {name: c, min: 0, max: 100}
  - {type: graph, name: joined, n: n, m: c, connected: true, weights: {min: 1, max: 9}}
  - {name: d, min: 0, max: 100}
  - {type: graph, name: arcs, n: n, m: d, directed: true}
""",
    "queries": """
input:
  - type: line
    items:
      - {name: n, min: 1, max: 10}
      - {name: q, min: 1, max: 50}
  - {type: array, name: a, length: n, of: {min: 1, max: 10**9}}
  - type: repeat
    name: queries
    count: q
    body:
      - type: choice
        name: query
        options:
          - tag: 1
            items: [{name: i, min: 1, max: n}, {name: x, min: 1, max: 10**9}]
          - tag: 2
            items: [{name: l, min: 1, max: n}, {name: r, min: l, max: n}]
          - tag: 3
""",
    "cases": """
input:
  - type: testcases
    count: {max: 5}
    sum: {n: 50}
    body:
      - {name: n, min: 1, max: 20}
      - {type: array, name: a, length: n, of: {min: 1, max: n}}
      - {type: string, name: s, alphabet: binary, length: n}
""",
    "cases_product": """
input:
  - type: testcases
    count: {name: T, min: 2, max: 100}
    sum: {"n*m": 60}
    body:
      - type: line
        items:
          - {name: n, min: 1, max: 10}
          - {name: m, min: 1, max: 10}
      - {type: grid, name: g, rows: n, cols: m, alphabet: lowercase}
""",
    "repeat_sum": """
input:
  - {name: q, min: 1, max: 10}
  - type: repeat
    name: lists
    count: q
    sum: {k: 25}
    body:
      - type: line
        items:
          - {name: k, min: 1, max: 10}
          - {type: array, name: xs, length: k, of: {min: 1, max: 100}}
""",
}


def spec_of(name: str) -> InputSpec:
    return InputSpec.model_validate(yaml.safe_load(SPECS[name]))


# -- structure, checked independently of parse ------------------------------------------


def components(n: int, edges: list[list[int]], base: int = 1) -> int:
    parent = list(range(n))

    def root(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for u, v, *_ in edges:
        parent[root(u - base)] = root(v - base)
    return len({root(x) for x in range(n)})


def is_tree(n: int, edges: list[list[int]], base: int = 1) -> bool:
    ends_ok = all(base <= e <= n - 1 + base for u, v, *_ in edges for e in (u, v))
    return len(edges) == n - 1 and ends_ok and components(n, edges, base) == 1


def is_simple(n: int, edges: list[list[int]], directed: bool = False) -> bool:
    keys = [(u, v) if directed else (min(u, v), max(u, v)) for u, v, *_ in edges]
    in_range = all(1 <= e <= n for key in keys for e in key)
    return in_range and all(u != v for u, v in keys) and len(set(keys)) == len(keys)


def check_scalars(v: dict[str, Any]) -> None:
    n, k = v["n"], v["k"]
    assert 1 <= n <= 20 and n <= k <= 2 * n and -(10**18) <= v["z"] <= 10**18
    assert -1.5 <= v["x"] <= 1000 and round(v["x"], 2) == v["x"]
    assert 1 <= len(v["s"]) <= k and v["s"][0] != "0" and v["s"].isdigit()
    assert len(v["w"]) == n and set(v["w"]) <= set("ab")


def check_arrays(v: dict[str, Any]) -> None:
    n = v["n"]
    assert len(v["a"]) == n and all(-(10**9) <= x <= 10**9 for x in v["a"])
    inc = v["inc"]
    assert sorted(set(inc)) == inc and all(1 <= x <= 3 * n for x in inc)
    assert len(set(v["dis"])) == n and all(1 <= x <= 40 for x in v["dis"])
    assert v["nd"] == sorted(v["nd"]) and len(v["nd"]) == n
    assert len(v["r"]) == 2 and all(0 <= x <= 1 for x in v["r"])
    assert all(1 <= len(w) <= 4 and w.isupper() for w in v["words"])
    assert sorted(v["p"]) == list(range(1, n + 1))
    assert len(v["b"]) == v["k"] <= n and all(1 <= x <= n for x in v["b"])


def check_grids(v: dict[str, Any]) -> None:
    n, m = v["n"], v["m"]
    assert n * m <= 400 and len(v["g"]) == n and all(len(row) == m for row in v["g"])
    assert any("C" in row for row in v["g"]) and set("".join(v["g"])) <= set(".#C")
    assert len(v["mat"]) == m and all(len(row) == n for row in v["mat"])
    assert all(-5 <= x <= 5 for row in v["mat"] for x in row)


def check_trees(v: dict[str, Any]) -> None:
    n = v["n"]
    assert is_tree(n, v["plain"]) and is_tree(n, v["weighted"]) and is_tree(n, v["zero"], 0)
    assert all(1 <= w <= 10**9 for *_, w in v["weighted"])
    assert len(v["rooted"]) == n - 1 and all(1 <= p < i for i, p in enumerate(v["rooted"], 2))


def check_graphs(v: dict[str, Any]) -> None:
    n = v["n"]
    assert len(v["simple"]) == v["m"] <= n * (n - 1) // 2 and is_simple(n, v["simple"])
    joined = v["joined"]
    assert len(joined) == v["c"] and is_simple(n, joined) and components(n, joined) == 1
    assert all(1 <= w <= 9 for *_, w in joined)
    assert len(v["arcs"]) == v["d"] <= n * (n - 1) and is_simple(n, v["arcs"], directed=True)


def check_queries(v: dict[str, Any]) -> None:
    n = v["n"]
    assert len(v["queries"]) == v["q"]
    for copy in v["queries"]:
        query = copy["query"]
        assert query["tag"] in ("1", "2", "3")
        if query["tag"] == "1":
            assert 1 <= query["i"] <= n
        if query["tag"] == "2":
            assert 1 <= query["l"] <= query["r"] <= n


def check_cases(v: dict[str, Any]) -> None:
    assert 1 <= v["t"] == len(v["cases"]) <= 5
    assert sum(case["n"] for case in v["cases"]) <= 50
    for case in v["cases"]:
        assert len(case["a"]) == case["n"] and all(1 <= x <= case["n"] for x in case["a"])
        assert len(case["s"]) == case["n"] and set(case["s"]) <= set("01")


def check_cases_product(v: dict[str, Any]) -> None:
    assert 2 <= v["T"] == len(v["cases"]) <= 100
    assert sum(case["n"] * case["m"] for case in v["cases"]) <= 60


def check_repeat_sum(v: dict[str, Any]) -> None:
    assert len(v["lists"]) == v["q"] and sum(copy["k"] for copy in v["lists"]) <= 25
    assert all(len(copy["xs"]) == copy["k"] for copy in v["lists"])


CHECKS = {
    "scalars": check_scalars,
    "arrays": check_arrays,
    "grids": check_grids,
    "trees": check_trees,
    "graphs": check_graphs,
    "queries": check_queries,
    "cases": check_cases,
    "cases_product": check_cases_product,
    "repeat_sum": check_repeat_sum,
}


def roundtrip(spec: InputSpec, text: str) -> dict[str, Any]:
    assert text.endswith("\n") and "  " not in text and " \n" not in text
    values = spec.parse(text)
    assert spec.render(values) == text
    assert spec.parse(spec.render(values)) == values
    return values


# -- generation: every mode, every element kind -----------------------------------------


@pytest.mark.parametrize("mode", ["tiny", "random"])
@pytest.mark.parametrize("name", sorted(SPECS))
def test_generated_inputs_parse_back_and_keep_their_promises(name: str, mode: str) -> None:
    spec = spec_of(name)

    @PROPERTY
    @given(spec.strategy(mode))  # type: ignore[arg-type]
    def check(text: str) -> None:
        CHECKS[name](roundtrip(spec, text))

    check()


@pytest.mark.parametrize("name", sorted(SPECS))
def test_seeded_generation_keeps_the_same_promises(name: str) -> None:
    spec = spec_of(name)
    for mode in ("tiny", "random", "max"):
        for seed in range(15):
            text = spec.generate(mode, seed)  # type: ignore[arg-type]
            CHECKS[name](roundtrip(spec, text))
            assert text == spec.generate(mode, seed)  # type: ignore[arg-type]


def test_max_strategy_draws_max_inputs() -> None:
    spec = spec_of("cases")

    @settings(max_examples=5, deadline=None)
    @given(spec.strategy("max"))
    def check(text: str) -> None:
        assert sum(case["n"] for case in roundtrip(spec, text)["cases"]) == 50

    check()


MAX_EXPECTED: dict[str, Any] = {
    "scalars": lambda v: v["n"] == 20 and v["k"] == 40 and len(v["s"]) == 40,
    "arrays": lambda v: v["n"] == 30 == v["k"] and all(len(w) == 4 for w in v["words"]),
    "grids": lambda v: (v["n"], v["m"]) == (40, 10),
    "trees": lambda v: v["n"] == 60,
    "graphs": lambda v: (v["n"], v["m"], v["c"], v["d"]) == (30, 100, 100, 100),
    "queries": lambda v: (v["n"], v["q"]) == (10, 50),
    # 20 + 20 + 10: as many cases as the sum allows, each as large as allowed
    "cases": lambda v: [c["n"] for c in v["cases"]] == [20, 20, 10],
    "cases_product": lambda v: sum(c["n"] * c["m"] for c in v["cases"]) == 60,
    "repeat_sum": lambda v: v["q"] == 10 and sum(c["k"] for c in v["lists"]) == 25,
}


@pytest.mark.parametrize("name", sorted(SPECS))
def test_max_mode_reaches_every_bound(name: str) -> None:
    spec = spec_of(name)
    for seed in range(5):
        values = roundtrip(spec, spec.generate("max", seed))
        assert MAX_EXPECTED[name](values), values


def test_max_mode_fills_the_sum_with_the_fewest_largest_cases() -> None:
    spec = load_spec(LIBRARY / "birdwatch-windows" / "input_spec.yaml")
    values = spec.parse(spec.generate("max", 3))
    assert values["t"] == 1 and values["cases"][0]["n"] == 2 * 10**5


def test_max_mode_keeps_the_minimum_number_of_cases() -> None:
    spec = InputSpec.model_validate(
        {
            "input": [
                {
                    "type": "testcases",
                    "count": {"min": 4, "max": 10},
                    "sum": {"n": 50},
                    "body": [{"name": "n", "min": 1, "max": 20}],
                }
            ]
        }
    )
    sizes = [case["n"] for case in spec.parse(spec.generate("max", 0))["cases"]]
    assert sizes == [20, 20, 9, 1]


@pytest.mark.parametrize("name", sorted(SPECS))
def test_tiny_inputs_are_tiny(name: str) -> None:
    spec = spec_of(name)
    for seed in range(30):
        text = spec.generate("tiny", seed)
        assert len(text) < 300, text
        values = spec.parse(text)
        sizes = [values.get(key) for key in ("n", "m", "k", "q", "c", "d")]
        assert all(size is None or size <= 6 for size in sizes), values
        assert values.get("t", 0) <= 3 and values.get("T", 0) <= 3


def test_tiny_values_stay_near_zero_or_the_lower_bound() -> None:
    values = spec_of("arrays").parse(spec_of("arrays").generate("tiny", 1))
    assert all(-5 <= x <= 5 for x in values["a"])  # the range holds 0
    spec = spec_of("trees")
    for seed in range(10):
        weights = [w for *_, w in spec.parse(spec.generate("tiny", seed))["weighted"]]
        assert all(1 <= w <= 11 for w in weights)  # [1, 10**9] -> [1, 11]


def test_random_mode_sizes_follow_the_scale() -> None:
    spec = load_spec(LIBRARY / "fair-shipment" / "input_spec.yaml")
    small = [spec.parse(spec.generate("random", s, scale=5))["n"] for s in range(30)]
    assert max(small) <= 5
    large = [spec.parse(spec.generate("random", s, scale=10**6))["n"] for s in range(60)]
    assert max(large) > 1000


def test_sizes_respect_implied_bounds() -> None:
    # m's own bound (100) exceeds n(n-1)/2 for small n; distinct values cap the length.
    spec = InputSpec.model_validate(
        yaml.safe_load("""
input:
  - type: line
    items: [{name: n, min: 1, max: 8}, {name: m, min: 0, max: 100}]
  - {type: graph, name: g, n: n, m: m, connected: true}
  - {name: k, min: 1, max: 100}
  - {type: array, name: a, length: k, of: {min: 1, max: 7}, distinct: true}
""")
    )
    for mode in ("tiny", "random", "max"):
        for seed in range(20):
            v = spec.parse(spec.generate(mode, seed))  # type: ignore[arg-type]
            assert v["n"] - 1 <= v["m"] <= v["n"] * (v["n"] - 1) // 2 and v["k"] <= 7
    v = spec.parse(spec.generate("max", 0))
    assert (v["n"], v["m"], v["k"]) == (8, 28, 7)


def test_sum_over_string_lengths() -> None:
    spec = InputSpec.model_validate(
        yaml.safe_load("""
input:
  - type: testcases
    count: {max: 10}
    sum: {s: 30}
    body: [{type: string, name: s, alphabet: lowercase, min_length: 1, max_length: 12}]
""")
    )
    assert [len(c["s"]) for c in spec.parse(spec.generate("max", 0))["cases"]] == [12, 12, 6]
    for mode in ("tiny", "random"):
        for seed in range(20):
            cases = spec.parse(spec.generate(mode, seed))["cases"]  # type: ignore[arg-type]
            assert sum(len(c["s"]) for c in cases) <= 30
    with pytest.raises(SpecMismatch, match="the sum of s over cases reaches 36"):
        spec.parse("3\n" + ("a" * 12 + "\n") * 3)


def test_the_example_spec_uses_every_element_and_works() -> None:
    spec = load_spec(Path(__file__).resolve().parents[2] / "problems" / "spec" / "example.yaml")
    kinds: set[str] = set()

    def walk(elements: list[Any]) -> None:
        for element in elements:
            kinds.add(element["type"])
            walk(element.get("items", []) + element.get("body", []))
            for option in element.get("options", []):
                walk(option["items"])

    walk(spec.model_dump(mode="json")["input"])
    assert kinds == {
        "int", "real", "string", "array", "permutation", "line", "matrix", "grid", "tree",
        "graph", "repeat", "choice", "testcases",
    }  # fmt: skip

    @settings(max_examples=15, deadline=None)
    @given(st.sampled_from(["tiny", "random"]).flatmap(spec.strategy))
    def check(text: str) -> None:
        roundtrip(spec, text)

    check()


def test_copies_keep_working() -> None:
    import copy

    spec = spec_of("cases")
    for other in (copy.deepcopy(spec), spec.model_copy(deep=True), spec.model_copy()):
        assert other == spec and other.generate("max", 2) == spec.generate("max", 2)
    assert spec.validate(spec.generate("tiny", 0)) is None


# -- shrinking ------------------------------------------------------------------------


SHRINK = settings(database=None, max_examples=500, deadline=None)


def test_a_failing_input_shrinks_to_a_minimal_one() -> None:
    spec = load_spec(LIBRARY / "fair-shipment" / "input_spec.yaml")
    text = find(spec.strategy("random"), lambda x: max(spec.parse(x)["a"]) >= 1000, settings=SHRINK)
    assert text == "1\n1000\n"


def test_test_cases_shrink_to_one_small_case() -> None:
    spec = spec_of("cases")
    found = find(
        spec.strategy("tiny"),
        lambda x: any(c["n"] >= 3 for c in spec.parse(x)["cases"]),
        settings=SHRINK,
    )
    assert found == "1\n3\n1 1 1\n000\n"


def test_trees_shrink_to_canonical_labels() -> None:
    spec = InputSpec.model_validate(
        yaml.safe_load("input: [{name: n, min: 1, max: 50}, {type: tree, name: e, n: n}]")
    )

    def has_branch(text: str) -> bool:
        degree = Counter(x for edge in spec.parse(text)["e"] for x in edge)
        return max(degree.values(), default=0) >= 3

    # The fewest nodes with a branch, in canonical order: node i hangs below p_i < i.
    edges = spec.parse(find(spec.strategy("random"), has_branch, settings=SHRINK))["e"]
    assert len(edges) == 3 and [child for _, child in edges] == [2, 3, 4]
    assert all(parent < child for parent, child in edges)


# -- parsing: mismatches name the line, the token and the rule ------------------------

ARRAY = {
    "input": [
        {"name": "n", "min": 1, "max": 5},
        {"type": "array", "name": "a", "length": "n", "of": {"min": 1, "max": 10}},
    ]
}


@pytest.mark.parametrize(
    ("spec", "text", "message"),
    [
        (ARRAY, "3\n1 2 0\n", "line 2, token 3: 0 is below the minimum 1 of a[3]"),
        (ARRAY, "3\n1 2 11\n", "line 2, token 3: 11 is above the maximum 10 of a[3]"),
        (ARRAY, "6\n", "line 1, token 1: 6 is above the maximum 5 of n"),
        (ARRAY, "3\n1 2 3 4\n", "line 2, token 4: unexpected extra token '4'"),
        (ARRAY, "3\n1 2\n", "line 2, token 3: missing a[3] of 3 (the line ends)"),
        (ARRAY, "3\n", "line 2: missing a[1] of 3 (the input has ended)"),
        (ARRAY, "3\n1 2 3\n4\n", "line 3: unexpected extra line '4'"),
        (ARRAY, "3\n1 x 3\n", "line 2, token 2: 'x' is not an integer (a[2])"),
        (ARRAY, "3\n1 02 3\n", "line 2, token 2: '02' is not an integer (a[2])"),
        (ARRAY, "2 1\n1 2\n", "line 1, token 2: unexpected extra token '1'"),
        (
            "cases",
            "2\n3\n1 1 1\n000\n2\n3 1\n01\n",
            "line 6, token 1: 3 is above the maximum n = 2 of cases[2].a[1]",
        ),
        (
            {
                "input": [
                    {
                        "type": "testcases",
                        "count": {"max": 9},
                        "sum": {"n": 4},
                        "body": [{"name": "n", "min": 1, "max": 3}],
                    }
                ]
            },
            "3\n2\n2\n1\n",
            "line 4: the sum of n over cases reaches 5, above the maximum 4",
        ),
        ("arrays", "2\n1 2\n1 1\n", "line 3, token 2: 1 repeats an earlier value of inc"),
        (
            {
                "input": [
                    {
                        "type": "array",
                        "name": "a",
                        "length": 3,
                        "of": {"min": 1, "max": 9},
                        "sorted": "increasing",
                    }
                ]
            },
            "1 3 3\n",
            "line 1, token 3: 3 repeats an earlier value of a",
        ),
        (
            {
                "input": [
                    {
                        "type": "array",
                        "name": "a",
                        "length": 3,
                        "of": {"min": 1, "max": 9},
                        "sorted": "non-decreasing",
                    }
                ]
            },
            "1 3 2\n",
            "line 1, token 3: 2 after 3 breaks the order of a (non-decreasing)",
        ),
        (
            {"input": [{"type": "permutation", "name": "p", "n": 3}]},
            "1 3 3\n",
            "line 1, token 3: 3 repeats in permutation p",
        ),
        (
            {"input": [{"type": "string", "name": "s", "alphabet": "lowercase", "length": 3}]},
            "abC\n",
            "line 1, token 1: s has 'C', not in alphabet 'lowercase'",
        ),
        ("grids", "1 2\n..\n00\n11\n", "line 2: g has no 'C'"),
        (
            {"input": [{"type": "tree", "name": "t", "n": 4}]},
            "1 2\n2 3\n3 1\n",
            "line 3: edge 3 1 closes a cycle in t",
        ),
        (
            {"input": [{"type": "tree", "name": "t", "n": 3}]},
            "1 2\n2 4\n",
            "line 2, token 2: node 4 of t is outside 1..3",
        ),
        (
            {"input": [{"type": "graph", "name": "g", "n": 3, "m": 2}]},
            "1 2\n2 1\n",
            "line 2: edge 2 1 of g repeats line 1",
        ),
        (
            {"input": [{"type": "graph", "name": "g", "n": 3, "m": 1}]},
            "2 2\n",
            "line 1, token 2: loop 2 2 in g",
        ),
        (
            {"input": [{"type": "graph", "name": "g", "n": 4, "m": 2, "connected": True}]},
            "1 2\n3 4\n",
            "line 2: g is not connected",
        ),
        (
            "queries",
            "1 1\n5\n4 1\n",
            "line 3, token 1: '4' is not a kind of queries[1].query (one of 1, 2, 3)",
        ),
        ("queries", "2 1\n5 6\n2 2 1\n", "line 3, token 3: 1 is below the minimum l = 2 of"),
    ],
)
def test_mismatches_name_line_token_and_rule(spec: Any, text: str, message: str) -> None:
    spec = spec_of(spec) if isinstance(spec, str) else InputSpec.model_validate(spec)
    with pytest.raises(SpecMismatch) as info:
        spec.validate(text)
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


def test_parse_is_lenient_about_spaces_and_line_endings_only() -> None:
    spec = InputSpec.model_validate(ARRAY)
    assert spec.parse("3\r\n 1  2\t3 \r\n\n") == {"n": 3, "a": [1, 2, 3]}
    assert spec.parse("3\n1 2 3") == {"n": 3, "a": [1, 2, 3]}
    with pytest.raises(SpecMismatch, match="line 2, token 3: missing a"):
        spec.parse("3\n1 2\n3\n")


def test_values_have_the_documented_shape() -> None:
    values = spec_of("queries").parse("3 3\n7 8 9\n1 2 5\n2 1 3\n3\n")
    assert values == {
        "n": 3,
        "q": 3,
        "a": [7, 8, 9],
        "queries": [
            {"query": {"tag": "1", "i": 2, "x": 5}},
            {"query": {"tag": "2", "l": 1, "r": 3}},
            {"query": {"tag": "3"}},
        ],
    }
    real = InputSpec.model_validate(
        {"input": [{"type": "real", "name": "x", "min": 0, "max": 5, "decimals": 2}]}
    )
    assert real.parse("1.5\n") == {"x": 1.5} and real.render({"x": 1.5}) == "1.50\n"
    with pytest.raises(SpecMismatch, match="more than 2 decimals"):
        real.parse("1.125\n")


def test_render_needs_every_value() -> None:
    with pytest.raises(SpecError, match="render: no value for a"):
        InputSpec.model_validate(ARRAY).render({"n": 1})


# -- invalid specs ----------------------------------------------------------------------


def one(element: dict[str, Any], *before: dict[str, Any]) -> dict[str, Any]:
    return {"input": [*before, element]}


N = {"name": "n", "min": 1, "max": 10}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (one({"type": "heap", "name": "h"}), "unknown element type 'heap'"),
        (one({"name": "x", "min": 1, "max": "pow(10, 9)"}), "calling pow() is not allowed"),
        (one({"name": "x", "min": 1, "max": "__import__('os').getpid()"}), "is not allowed"),
        (one({"name": "x", "min": 1, "max": "n.bit_length"}, N), "attribute access"),
        (one({"name": "x", "min": 1, "max": "10^9"}), "write **"),
        (one({"name": "x", "min": 1, "max": "n/2"}, N), "write // for integer division"),
        (one({"name": "x", "min": 1, "max": "10**10**10"}), "value too large"),
        (one({"name": "x", "min": 1, "max": "n if n else 1"}, N), "IfExp is not allowed"),
        (one({"name": "x", "min": 1, "max": "'a'"}), "is not allowed"),
        (one({"name": "x", "min": 1, "max": "lambda: 1"}), "is not allowed"),
        (one({"name": "x", "min": 1, "max": 2.5}), "2.5 is not an integer"),
        (one({"name": "x", "min": 1, "max": "m"}), "names m, which is not defined before it"),
        (
            {
                "input": [
                    {
                        "type": "line",
                        "items": [
                            {"name": "a", "min": 1, "max": "b"},
                            {"name": "b", "min": 1, "max": 3},
                        ],
                    }
                ]
            },
            "not defined before it",
        ),
        (
            {
                "input": [
                    N,
                    {
                        "type": "repeat",
                        "name": "r",
                        "count": "n",
                        "body": [{"name": "k", "min": 1, "max": 3}],
                    },
                    {"name": "x", "min": 1, "max": "k"},
                ]
            },
            "names k, which is not defined before it",
        ),
        (one({"name": "n", "min": 1, "max": 2}, N), "the name n is used twice"),
        (one({"name": "min", "min": 1, "max": 2}), "reserved"),
        (one({"min": 1, "max": 2}), "int needs a name"),
        (one({"name": "x", "min": 1, "max": 2, "step": 1}), "step"),
        (
            one({"name": "x", "min": 1, "max": "t"}, {"type": "tree", "name": "t", "n": 3}),
            "t is a tree; a bound may name only an integer",
        ),
        (
            one(
                {
                    "type": "array",
                    "name": "a",
                    "length": 2,
                    "distinct": True,
                    "of": {"type": "string", "length": 2},
                }
            ),
            "distinct needs integer elements",
        ),
        (one({"type": "string", "name": "s", "alphabet": "abca", "length": 2}), "listed twice"),
        (one({"type": "string", "name": "s"}), "needs length"),
        (
            one(
                {
                    "type": "grid",
                    "name": "g",
                    "rows": 2,
                    "cols": 2,
                    "alphabet": ".#",
                    "must_contain": "C",
                }
            ),
            "'C' is not in alphabet",
        ),
        (
            one(
                {
                    "type": "line",
                    "items": [
                        {
                            "type": "array",
                            "name": "a",
                            "length": 2,
                            "of": {"min": 1, "max": 2},
                            "layout": "lines",
                        }
                    ],
                }
            ),
            "layout lines inside a line",
        ),
        (
            one(
                {"type": "array", "name": "a", "length": 2, "of": {"name": "x", "min": 1, "max": 2}}
            ),
            "takes no name",
        ),
        (
            one({"type": "choice", "name": "c", "options": [{"tag": 1}, {"tag": "1"}]}),
            "a tag is listed twice",
        ),
        (
            one({"type": "testcases", "count": {"max": 3}, "sum": {"m": 10}, "body": [N]}),
            "m must be an integer",
        ),
        (
            one({"type": "testcases", "count": {"max": 3}, "sum": {"n": "n"}, "body": [N]}),
            "not defined before it",
        ),
        ({"input": []}, "at least 1 item"),
        ({"nodes": []}, "input: Field required"),
    ],
)
def test_invalid_specs_raise_one_line_spec_errors(data: dict[str, Any], message: str) -> None:
    with pytest.raises(SpecError) as info:
        InputSpec.model_validate(data)
    assert message in str(info.value)
    assert "\n" not in str(info.value) and not isinstance(info.value, SpecMismatch)


def test_construction_also_raises_spec_errors() -> None:
    with pytest.raises(SpecError, match="unknown element type"):
        InputSpec(input=[{"type": "nope"}])  # type: ignore[list-item]


def test_unsatisfiable_spec_is_reported_not_looped() -> None:
    spec = InputSpec.model_validate(
        one({"type": "graph", "name": "g", "n": 3, "m": 5}, {"name": "k", "min": 0, "max": 1})
    )
    with pytest.raises(SpecError, match="cannot generate"):
        spec.generate("random", 0)
    with pytest.raises(SpecError, match="unknown mode"):
        spec.generate("huge", 0)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("source", "env", "value"),
    [
        ("2e5", {}, 200000),
        ("2*10**5", {}, 200000),
        ("min(n, 10**9) - 1", {"n": 5}, 4),
        ("max(n, m, 3) // 2 % 7", {"n": 9, "m": 2}, 4),
        ("-n", {"n": 5}, -5),
        ("n*(n-1)//2", {"n": 5}, 10),
        ("s", {"s": "abcd"}, 4),  # a string or array stands for its length
        (7, {}, 7),
    ],
)
def test_bound_expressions(source: Any, env: dict[str, Any], value: int) -> None:
    assert Expr(source).integer(env) == value


# -- serialisation and files ------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SPECS))
def test_spec_survives_json(name: str) -> None:
    spec = spec_of(name)
    again = InputSpec.model_validate_json(spec.model_dump_json())
    assert again == spec and again.model_dump(mode="json") == spec.model_dump(mode="json")
    assert again.generate("random", 4) == spec.generate("random", 4)
    problem = Problem(id="x", input_spec=spec.model_dump(mode="json"))
    assert InputSpec.model_validate(problem.input_spec) == spec
    assert "Grid" in json.dumps(InputSpec.model_json_schema())


def test_load_spec_reads_yaml_json_and_a_bare_list(tmp_path: Path) -> None:
    spec = spec_of("trees")
    (tmp_path / "a.yaml").write_text(SPECS["trees"])
    (tmp_path / "b.json").write_text(spec.model_dump_json())
    (tmp_path / "c.yml").write_text(yaml.safe_dump(spec.model_dump(mode="json")["input"]))
    for file in ("a.yaml", "b.json", "c.yml"):
        assert load_spec(tmp_path / file) == spec


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("input: [\n", "malformed YAML at line"),
        ("", "empty file"),
        ("input: [{type: heap}]\n", "unknown element type 'heap'"),
    ],
)
def test_load_spec_errors_are_one_line(tmp_path: Path, content: str, message: str) -> None:
    file = tmp_path / "spec.yaml"
    file.write_text(content)
    with pytest.raises(SpecError) as info:
        load_spec(file)
    assert str(info.value).startswith(str(file)) and message in str(info.value)
    assert "\n" not in str(info.value)
    with pytest.raises(SpecError, match="cannot read"):
        load_spec(tmp_path / "missing.yaml")
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(SpecError, match="malformed JSON"):
        load_spec(tmp_path / "bad.json")


# -- the library ------------------------------------------------------------------------

PROBLEMS = sorted(p.name for p in LIBRARY.iterdir() if (p / "problem.yaml").exists())
LIBRARY_TESTS = [
    pytest.param(name, path, id=f"{name}/{path.relative_to(LIBRARY / name / 'data')}")
    for name in PROBLEMS
    for path in sorted((LIBRARY / name / "data").rglob("*.in"))
]
MAX_SIZES = {
    "temperature-swing": lambda v: v["n"] == 2 * 10**5,
    "birdwatch-windows": lambda v: v["t"] == 1 and v["cases"][0]["n"] == 2 * 10**5,
    "erase-one-digit": lambda v: len(v["s"]) == 10**5,
    "fair-shipment": lambda v: v["n"] == 10**5,
    "farthest-from-coffee": lambda v: v["n"] * v["m"] == 2 * 10**5,
    "ferry-crossings": lambda v: v["n"] == 2 * 10**5,
    "flood-level": lambda v: v["n"] == 2 * 10**5,
    "splitting-the-grid": lambda v: v["n"] == 2 * 10**5,
    "workshop-orders": lambda v: v["n"] == 2 * 10**5 == len(v["orders"]),
    "long-number-remainder": lambda v: len(v["N"]) == 10**5,
    "shelf-pairs": lambda v: v["n"] == 2 * 10**5,
    # n is a value bound there, not a size: the operations are what is maximal.
    "lamp-toggles": lambda v: v["q"] == 2 * 10**5 == len(v["ops"]),
    "vowel-run": lambda v: len(v["s"]) == 2 * 10**5,
    # Four scalars and no size: max mode draws them over their whole range (seed 7: large).
    "ticket-bundles": lambda v: max(v[k] for k in "nmab") >= 10**8,
    "balanced-teams": lambda v: v["t"] == 1 and v["cases"][0]["n"] == 2 * 10**5,
    "mirror-words": lambda v: v["n"] == 10**5 == len(v["w"]),
    "stair-climb": lambda v: v["n"] == 2 * 10**5,
    # Interactive: the specs draw the interactor's secret.
    # Two scalars and no size: max mode draws them over their whole range (seed 7: large).
    "hidden-floor": lambda v: v["n"] >= 10**8,
    "tallest-mast": lambda v: v["n"] == 1000 == len(v["h"]),
}


def test_every_library_problem_has_a_spec() -> None:
    assert PROBLEMS and set(PROBLEMS) == set(MAX_SIZES)
    for name in PROBLEMS:
        assert isinstance(load_spec(LIBRARY / name / "input_spec.yaml"), InputSpec)


@pytest.mark.parametrize(("name", "path"), LIBRARY_TESTS)
def test_library_tests_fit_their_spec(name: str, path: Path) -> None:
    spec = load_spec(LIBRARY / name / "input_spec.yaml")
    text = path.read_bytes().decode()
    values = spec.parse(text)
    if text.endswith("\n") and "\r" not in text:
        assert spec.render(values) == text


@pytest.mark.parametrize("name", PROBLEMS)
def test_library_max_inputs_are_maximal(name: str) -> None:
    spec = load_spec(LIBRARY / name / "input_spec.yaml")
    assert MAX_SIZES[name](spec.parse(spec.generate("max", 7)))


@pytest.mark.parametrize("name", PROBLEMS)
def test_library_tiny_inputs_run_through_the_brute_force(name: str) -> None:
    spec = load_spec(LIBRARY / name / "input_spec.yaml")
    brute = LIBRARY / name / "submissions" / "brute_force" / "brute.py"
    problem = load_problem(LIBRARY / name)
    if problem.interactive:  # the brute force talks to the interactor about tiny secrets
        secrets = [TestCase(name=str(i), input=spec.generate("tiny", seed=i))
                   for i in range(20)]
        with LocalSandbox(quiet=True) as box:
            pairs = run_interactive(box, Program(source=brute.read_text()),
                                    interactor_of(problem), secrets, problem.limits)
        verdicts = [verdict_of(*pair) for pair in pairs]
        assert all(v is Verdict.AC for v, _ in verdicts), list(zip(secrets, verdicts, strict=True))
        return

    @settings(max_examples=20, deadline=None)
    @given(spec.strategy("tiny"))
    def run(text: str) -> None:
        assert len(text) < 200
        done = subprocess.run(
            [sys.executable, str(brute)], input=text, capture_output=True, text=True, timeout=5
        )
        assert done.returncode == 0, (text, done.stderr[-300:])
        assert done.stdout.strip(), text

    run()


@given(st.sampled_from(PROBLEMS), st.integers(0, 2**16))
@settings(max_examples=40, deadline=None)
def test_library_random_inputs_parse_back(name: str, seed: int) -> None:
    spec = load_spec(LIBRARY / name / "input_spec.yaml")
    roundtrip(spec, spec.generate("random", seed))


CASES_SPEC = InputSpec.model_validate({"input": [{
    "type": "testcases", "count": {"name": "t", "min": 1, "max": 100},
    "body": [{"name": "n", "min": 1, "max": 10},
             {"type": "array", "name": "a", "length": "n", "of": {"min": 1, "max": 99}}]}]})


def test_a_sample_splits_into_its_cases_each_an_input_of_its_own():
    from cpagent.problems.model import TestCase
    from cpagent.problems.spec.cases import split_cases

    sample = TestCase(name="s1", input="3\n2\n5 7\n1\n4\n3\n1 2 3\n", answer="12\n4\n6\n",
                      kind="sample")
    cases = split_cases(CASES_SPEC, sample)
    assert [(c.name, c.input, c.answer) for c in cases] == [
        ("s1 case 1", "1\n2\n5 7\n", "12\n"), ("s1 case 2", "1\n1\n4\n", "4\n"),
        ("s1 case 3", "1\n3\n1 2 3\n", "6\n")]
    assert all(c.kind == "sample" for c in cases)
    # Where the answer is not one line per case, or there is one case, there is no split.
    assert split_cases(CASES_SPEC, sample.model_copy(update={"answer": "12 4 6\n"})) == []
    assert split_cases(CASES_SPEC, TestCase(name="s", input="1\n1\n4\n", answer="4\n")) == []
    assert split_cases(CASES_SPEC, sample.model_copy(update={"input": "3\n2\n5\n"})) == []
    flat = InputSpec.model_validate({"input": [{"name": "n", "min": 1, "max": 9}]})
    assert split_cases(flat, TestCase(name="s", input="3\n", answer="1\n2\n3\n")) == []
