"""The statement's bounds on a spec read off the samples: what is read from the text, what
is applied, and what is refused rather than timed on."""

from __future__ import annotations

import re

import pytest

from cpagent.problems.formats.codecontests import read_codecontests, record_ids
from cpagent.problems.load import load_problem
from cpagent.problems.spec import InputSpec, SpecError
from cpagent.problems.spec.bounds import (
    SMALLEST_SCALE,
    Bound,
    statement_bounds,
    sum_bounds,
    with_statement_bounds,
)
from cpagent.problems.spec.naming import infer_named
from cpagent.sandbox.timing import SCALES
from tests.conftest import LIBRARY, SHARED, needs_shared


@pytest.mark.parametrize(("text", "expected"), [
    ("two integers n and k (1 ≤ k ≤ n ≤ 2·10^5)",
     {"k": Bound("k", lo=1, hi=200000, hi_refs=("n",)),
      "n": Bound("n", lo=1, hi=200000, lo_refs=("k",))}),
    ("1 ≤ l_i ≤ r_i ≤ n. n ≤ 10^5", {"l": Bound("l", lo=1, hi_refs=("r", "n")),
                                   "r": Bound("r", lo=1, lo_refs=("l",), hi_refs=("n",)),
                                   "n": Bound("n", lo=1, hi=10**5, lo_refs=("r", "l"))}),
    (r"$1 \le a_i \le 10^{9}$", {"a": Bound("a", lo=1, hi=10**9)}),
    ("1 ≤ n, m ≤ 100 000", {"n": Bound("n", lo=1, hi=100000), "m": Bound("m", lo=1, hi=100000)}),
    ("(-10^9 ≤ xi, yi ≤ 10^9)", {"x": Bound("x", lo=-10**9, hi=10**9),
                                 "y": Bound("y", lo=-10**9, hi=10**9)}),
    ("the string s (1 ≤ |s| ≤ 100,000)", {"s": Bound("s", length=True, lo=1, hi=100000)}),
    ("0 < x < 100", {"x": Bound("x", lo=1, hi=99)}),
    ("q \\geq 1", {"q": Bound("q", lo=1)}),
    ("0 ≤ k ≤ n - 1 and n ≤ 50", {"k": Bound("k", lo=0, hi_refs=("n-1",)), "n": Bound("n", hi=50)}),
    # CodeContests' flat text: a spaced minus, n2 for n squared, a bound through names.
    ("( - 100 ≤ xi ≤ 100)", {"x": Bound("x", lo=-100, hi=100)}),
    ("(1 ≤ k ≤ n2)", {"k": Bound("k", lo=1)}),
    ("(1 ≤ xi < yi ≤ n)", {"x": Bound("x", lo=1), "y": Bound("y", lo=1, hi_refs=("n",)),
                          "n": Bound("n", lo=1, lo_refs=("y",))}),
    # Expressions bound no single name.
    ("(5 ≤ t ≤ n + m)", {"t": Bound("t", lo=5)}),
    ("(1 ≤ a_1 + a_2 + ... + a_n ≤ 300 000)", {}),
    ("n ≤ 10^5 + 5", {}),
    # Numbers no input holds are no bound (and must not be computed).
    ("n ≤ 10^99999999", {}),
    ("n ≤ " + "9" * 5000, {}),
    # A loop index bounds nothing; a later chain (a subtask's) does not overwrite the first.
    ("for every 1 ≤ i ≤ n. 1 ≤ n ≤ 10. In subtask 1, n ≤ 3.", {"n": Bound("n", lo=1, hi=10)}),
])
def test_chains_of_inequalities_give_each_name_its_bounds(text, expected):
    assert statement_bounds(text) == expected


def test_sum_bounds_are_read_in_the_usual_phrasings():
    assert sum_bounds("It is guaranteed that the sum of n over all test cases does not "
                      r"exceed $2 \cdot 10^5$.") == {"n": 200000}
    assert sum_bounds("The sum of all n_i doesn't exceed 3·10^5.") == {"n": 300000}
    assert sum_bounds("the sum of values of $m$ over all test cases is at most 10^6") == {
        "m": 10**6}
    assert sum_bounds("Print the sum of n and m.") == {}


ARRAY = ("The first line contains n (1 ≤ n ≤ 2·10^5). The second line contains n integers "
         "a_1, ..., a_n (1 ≤ a_i ≤ 10^9).")


def _sized(statement: str, samples: list[str]) -> InputSpec | None:
    spec = infer_named(samples, "Input\n" + statement + "\nOutput\nOne number.")
    assert spec is not None
    return with_statement_bounds(spec, statement, samples)


def test_an_inferred_spec_takes_the_statements_bounds_and_still_reads_the_samples():
    samples = ["3\n1 2 3\n", "1\n7\n"]
    sized = _sized(ARRAY, samples)
    assert sized is not None
    largest = sized.parse(sized.generate("max", seed=0))
    assert largest["n"] == 200000 and len(largest["a"]) == 200000
    assert max(largest["a"]) > 10**8  # values over the statement's range, not the samples'
    for text in samples:
        sized.validate(text)


def test_bars_bound_a_strings_length_and_a_numbers_absolute_value():
    statement = ("The first line contains a string s (1 ≤ |s| ≤ 10^5). The second line "
                 "contains two integers x and y (|x|, |y| ≤ 1000).")
    spec = InputSpec.model_validate({"input": [
        {"type": "string", "name": "s", "min_length": 1, "max_length": 5},
        {"type": "line", "items": [{"name": "x", "min": -4, "max": 3},
                                   {"name": "y", "min": 0, "max": 2}]}]})
    sample = "abc\n-4 2\n"
    sized = with_statement_bounds(spec, statement, [sample])
    assert sized is not None
    data = sized.model_dump(mode="json")["input"]
    assert (data[0]["min_length"], data[0]["max_length"]) == (1, 10**5)
    assert [(v["min"], v["max"]) for v in data[1]["items"]] == [(-1000, 1000)] * 2


def test_test_cases_take_the_sum_bound_so_the_largest_input_stays_a_judges_size():
    statement = ("The first line contains $t$ ($1 \\le t \\le 10^4$). The first line of each "
                 "test case contains $n$ ($1 \\le n \\le 2 \\cdot 10^5$). The second line "
                 "contains $n$ integers $a_1, a_2, \\ldots, a_n$ ($1 \\le a_i \\le 10^9$). It is "
                 "guaranteed that the sum of $n$ over all test cases does not exceed "
                 "$2 \\cdot 10^5$.")
    sized = _sized(statement, ["2\n3\n1 2 3\n1\n5\n"])
    assert sized is not None
    values = sized.parse(sized.generate("max", seed=0))
    # Read as t, then t blocks: each block's n is named from the statement, as is a.
    cases = next(v for v in values.values() if isinstance(v, list))
    assert sum(c["n"] for c in cases) == 200000 and values["t"] == len(cases)
    assert max(max(c["a"]) for c in cases) > 10**8


def test_without_the_sum_bound_that_input_is_refused_not_drawn():
    statement = ("The first line contains t (1 ≤ t ≤ 10^4). Each test case consists of a line "
                 "with n (1 ≤ n ≤ 2·10^5) and a line with n integers a_1, ..., a_n "
                 "(1 ≤ a_i ≤ 10^9).")
    assert _sized(statement, ["2\n3\n1 2 3\n1\n5\n"]) is None


def test_bounds_the_samples_contradict_are_refused():
    assert _sized("A line with n (1 ≤ n ≤ 2). Then n integers a_1, ..., a_n.",
                  ["3\n1 2 3\n"]) is None


def test_a_statement_with_no_bound_on_the_specs_names_gives_nothing():
    assert _sized("Read the numbers and print their sum.", ["3\n1 2 3\n"]) is None
    # Only a minimum: nothing larger than the samples to time on.
    assert _sized("The first line contains n (n ≥ 1), then n integers a_1, ..., a_n.",
                  ["3\n1 2 3\n"]) is None


def test_a_size_the_samples_only_suggested_is_not_magnified():
    """One sample with l = 1 and two rows fits "2*l rows"; the statement bounds l by 200,
    and 400 rows would be an input the problem never has."""
    statement = "The first line contains n, l and k (1 ≤ n ≤ 200, 0 ≤ l, k ≤ 200)."
    spec = InputSpec.model_validate({"input": [
        {"type": "line", "items": [{"name": "n", "min": 1, "max": 3},
                                   {"name": "l", "min": 0, "max": 1},
                                   {"name": "k", "min": 0, "max": 0}]},
        {"type": "matrix", "name": "m", "rows": "2*l", "cols": "n", "of": {"min": -9, "max": 99}}]})
    sample = "3 1 0\n10 20 30\n-1 -1 2\n"
    spec.validate(sample)
    assert with_statement_bounds(spec, statement, [sample]) is None


def test_every_test_of_the_library_fits_the_spec_its_statement_sizes():
    """The library's problems carry their own specs; without them, the samples and the
    statement must size a spec that accepts every one of the problem's tests wherever the
    statement bounds a value the samples showed (a bound read wrong rejects a test)."""
    sized = 0
    for folder in sorted(LIBRARY.iterdir()):
        problem = load_problem(folder)
        samples = [t.input for t in problem.samples()]
        spec = infer_named(samples, problem.statement)
        result = spec and with_statement_bounds(spec, problem.statement, samples)
        if result is None or problem.input_spec is None:
            continue
        sized += 1
        own = InputSpec.model_validate(problem.input_spec)
        # Sized like the problem's own spec wherever both name the same values.
        assert len(result.generate("max", seed=0).split()) <= 4 * len(
            own.generate("max", seed=0).split()), folder.name
        for test in problem.tests:
            try:
                result.validate(test.input)
            except SpecError as exc:
                # Only values the statement leaves unbounded keep the samples' range, and
                # those have our names (with a digit), not the statement's.
                name = re.search(r" of (\w+)|^line \d+, token \d+: (\w+)", str(exc))
                assert name and re.search(r"\d", name[1] or name[2]), (folder.name, exc)
    assert sized >= 10


@needs_shared
def test_on_codecontests_sizing_never_rejects_a_test_the_samples_spec_accepted():
    """The statement's bounds only widen what the samples showed: a record's test that the
    inferred spec accepts, the sized one accepts too (a bound read wrong would narrow it).
    And the sizing applies to most records."""
    path = SHARED / "codecontests" / "dev.jsonl"
    sized = 0
    for rid in record_ids(path):
        problem = read_codecontests(path, rid)
        samples = [t.input for t in problem.samples()]
        spec = infer_named(samples, problem.statement)
        result = spec and with_statement_bounds(spec, problem.statement, samples)
        if result is None:
            continue
        sized += 1
        for test in problem.tests:
            try:
                spec.validate(test.input)
            except SpecError:
                continue
            result.validate(test.input)
    assert sized >= 80


def test_a_spec_that_cannot_be_drawn_at_timings_smallest_scale_is_refused():
    """At 1/512 of its bounds a connected graph would have n = 1 and m >= 1 edges."""
    statement = "The first line contains n and m (1 ≤ n, m ≤ 1000)."
    spec = InputSpec.model_validate({"input": [
        {"type": "line", "items": [{"name": "n", "min": 2, "max": 4},
                                   {"name": "m", "min": 1, "max": 3}]},
        {"type": "graph", "name": "g", "n": "n", "m": "m", "connected": True}]})
    sample = "3 2\n1 2\n2 3\n"
    spec.validate(sample)
    assert with_statement_bounds(spec, statement, [sample]) is None
    assert min(SCALES) == SMALLEST_SCALE  # the scale checked is the one timing starts at
