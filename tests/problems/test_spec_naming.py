"""Names for specs inferred from samples, taken from the statement's Input section: the
statement's own names where they can be matched, never a name the statement does not give
that value, and the spec unchanged where the match is unsure."""

from __future__ import annotations

import json
import re

import pytest

from cpagent.problems.load import load_problem
from cpagent.problems.sets import load_problem_set
from cpagent.problems.spec import InputSpec
from cpagent.problems.spec.infer import infer_spec
from cpagent.problems.spec.naming import infer_named, name_from_statement, statement_names
from cpagent.problems.spec.reader import reader_code
from tests.conftest import LIBRARY, assert_one_line_error, cpagent

PAIRS = """Count the pairs.

Input

The first line contains two integers n and m (2 ≤ n ≤ 300 000, 1 ≤ m ≤ 300 000) — the
largest value and the number of pairs.

The next m lines contain two integers each, the i-th of them contains a_i and b_i
(1 ≤ a_i, b_i ≤ n) — the i-th pair.

Output

Print YES or NO.
"""
PAIRS_SAMPLES = ["4 3\n1 9\n7 3\n3 4\n", "5 2\n1 5\n8 4\n"]  # no graph: 9 > 4

ARRAY_CC = """Input

The first line of input contains a positive integer number n (3 ≤ n ≤ 105) — the number of
elements. The second line contains n positive integer numbers a1, a2, ..., an (1 ≤ ai ≤ 109).

Output

Print the answer.
"""

LATEX = r"""## Input

The first line contains a single integer $t$ ($1 \le t \le 10^4$) — the number of test cases.

The first line of each test case contains an integer $n$ ($1 \le n \le 2 \cdot 10^5$). The
second line contains $n$ integers $h_1, h_2, \ldots, h_n$ ($1 \le h_i \le 10^9$).

## Output

For each test case print a single integer.
"""


def names(spec) -> list[str]:
    return re.findall(r'"name": "(\w+)"', json.dumps(spec.model_dump(mode="json")))


def values_only(value):
    if isinstance(value, dict):
        return [values_only(v) for v in value.values()]
    if isinstance(value, list):
        return [values_only(v) for v in value]
    return value


def test_the_input_section_gives_single_and_indexed_names_in_order():
    assert statement_names(PAIRS) == (["n", "m"], ["a", "b"])  # not the i of "i-th"
    assert statement_names(ARRAY_CC) == (["n"], ["a"])  # a1, ..., an and ai
    assert statement_names(LATEX) == (["t", "n"], ["h"])
    # Fields of repeated lines are rows even without an index; "a" alone is an article.
    rows = ("Input\n\nThe first line contains a single integer n. Each of the following n "
            "lines contains a pair of integers x and y.\n\nOutput\n\nOne number.\n")
    assert statement_names(rows) == (["n"], ["x", "y"])
    assert statement_names("Print the sum of a and b.") == ([], [])  # no Input section


def test_an_inferred_spec_takes_the_statements_names():
    spec = infer_named(PAIRS_SAMPLES, PAIRS)
    assert spec is not None and {"n", "m", "a", "b"} <= set(names(spec))
    code = reader_code(spec.input)
    assert "n = int(next(tokens))" in code and "for _ in range(m):" in code
    assert "a = int(next(tokens))" in code and "b = int(next(tokens))" in code
    # Same values as before the renaming, sample by sample.
    unnamed = infer_spec(PAIRS_SAMPLES)
    for text in PAIRS_SAMPLES:
        assert values_only(spec.parse(text)) == values_only(unnamed.parse(text))
    assert values_only(spec.parse(PAIRS_SAMPLES[1])) == [5, 2, [[1, 5], [8, 4]]]


def test_a_graphs_first_line_is_named_though_its_edges_are_named_too():
    """The statement names the edges' ends as single values ("each containing x and y");
    the graph holds those, so the first line's values take the first names declared."""
    statement = ("Input\n\nThe first line contains two integers n and m. Then m lines "
                 "follow, each containing two integers x and y: an edge.\n\nOutput\n\nA number.\n")
    samples = ["4 3\n1 2\n2 3\n3 4\n", "3 2\n1 3\n2 3\n"]
    assert statement_names(statement) == (["n", "m", "x", "y"], [])
    spec = infer_named(samples, statement)
    assert spec is not None and [e.type for e in spec.input] == ["line", "graph"]
    assert [item.name for item in spec.input[0].items] == ["n", "m"]
    # Without a graph to hold the extra names, a count that does not match renames nothing.
    flat = InputSpec.model_validate({"input": [{"type": "line", "items": [
        {"name": "v1", "min": 1, "max": 9}, {"name": "v2", "min": 1, "max": 9}]}]})
    assert name_from_statement(flat, statement, ["4 3\n"]) is flat


def test_an_unsure_match_leaves_the_spec_as_it_was():
    unnamed = infer_spec(PAIRS_SAMPLES)
    # Three single names for two values: no single value is renamed.
    extra = PAIRS.replace("two integers n and m", "integers n, m and k")
    assert {"v1", "v2"} <= set(names(name_from_statement(unnamed, extra, PAIRS_SAMPLES)))
    # Row names already taken by single values: the singles are renamed, the rows are not.
    partial = name_from_statement(unnamed, PAIRS.replace("a_i and b_i", "n_i and m_i"),
                                  PAIRS_SAMPLES)
    assert {"n", "m"} <= set(names(partial)) and {"v4", "v5"} <= set(names(partial))
    # A statement name that another value of the spec already has: unchanged.
    spec = InputSpec.model_validate({"input": [
        {"name": "v1", "min": 1, "max": 5},
        {"type": "array", "name": "x", "length": "v1", "of": {"min": 1, "max": 9}}]})
    clash = "Input\n\nThe first line contains an integer x.\n\nOutput\n\nA number.\n"
    assert statement_names(clash) == (["x"], [])
    assert name_from_statement(spec, clash, ["2\n3 4\n"]) is spec


@pytest.mark.parametrize("problem", load_problem_set([LIBRARY]), ids=lambda p: p.id)
def test_every_name_taken_is_one_the_library_spec_gives_that_problem(problem):
    """The library's own specs name values as their statements do: a name the renaming
    gives must be among them."""
    samples = [t.input for t in problem.samples()]
    unnamed = infer_spec(samples)
    if unnamed is None:
        pytest.skip("no spec fits the samples")
    named = name_from_statement(unnamed, problem.statement, samples)
    taken = set(names(named)) - set(names(unnamed))
    own = set(re.findall(r"'name': '(\w+)'", str(problem.input_spec)))
    assert taken <= own, (taken, own)


def test_template_uses_the_statements_names(tmp_path):
    statement = tmp_path / "pairs.md"
    statement.write_text(PAIRS.replace("Output\n", "Output\n\nPrint YES or NO.\n\n"
                                       "Examples\n\nInput\n\n```\n4 3\n1 9\n7 3\n3 4\n```\n\n"
                                       "Output\n\n```\nYES\n```\n", 1))
    assert load_problem(statement).samples(), "the statement's sample was not found"
    done = cpagent("template", statement)
    assert done.returncode == 0, done.stderr
    assert "for _ in range(m):" in done.stdout and "a = int(next(tokens))" in done.stdout
    assert "the names are the statement's where they could be matched" in done.stderr
    assert_one_line_error(cpagent("template", tmp_path / "none.md"), "none.md")
