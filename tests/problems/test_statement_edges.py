"""Edge and worst cases from the statement: bounds written in words, the statement's domain
for stress (n = 1, negative values, numbers of 10^5 digits), edge inputs, worst-case shapes
for timing, and the problems without an input spec whose bugs only those show."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings

from cpagent.problems.formats.kattis import read_submissions
from cpagent.problems.load import load_problem
from cpagent.problems.spec import InputSpec, SpecError, SpecMismatch
from cpagent.problems.spec.bounds import bounded_spec, with_statement_bounds
from cpagent.problems.spec.drawn import drawn_values
from cpagent.problems.spec.naming import infer_named, plain_text
from cpagent.problems.spec.words import WordBound, worded_bounds
from cpagent.sandbox import Program
from cpagent.sandbox.stress import stress
from cpagent.sandbox.timing import time_on_max
from tests.conftest import ROOT, cpagent

SPECLESS = ROOT / "problems" / "specless"
SPECLESS_NAMES = sorted(p.name for p in SPECLESS.iterdir() if (p / "problem.yaml").is_file())


@pytest.mark.parametrize(("text", "expected"), [
    ("a non-negative integer of up to 100000 digits", [WordBound("digits", None, None, 100000)]),
    ("a string s of at most 2·10^5 lowercase English letters",
     [WordBound("length", "s", None, 200000)]),
    ("each word is a non-empty string no longer than 10 characters",
     [WordBound("length", None, 1, 10)]),
    ("The length of s is between 1 and 5000.", [WordBound("length", "s", 1, 5000)]),
    ("the number of words n, which does not exceed 10^5 (and is at least 1)",
     [WordBound("value", "n", 1, 100000)]),
    ("the value k is not greater than 50", [WordBound("value", "k", None, 50)]),
    # A sum bound is the test cases' total, not a bound on n.
    ("the sum of n over all test cases does not exceed 2·10^5", []),
    # Two names, one phrase: which one it bounds is not said, so neither gets it.
    ("x and y have at most 20 digits", []),
])
def test_bounds_written_in_words_are_read(text, expected):
    # (Codeforces, AtCoder and ICPC statements use each of these phrasings.)
    assert worded_bounds(plain_text(text).replace("·", "*")) == expected


def _problem_spec(name: str) -> tuple[InputSpec, InputSpec, list[str], str]:
    problem = load_problem(SPECLESS / name)
    samples = [t.input for t in problem.samples()]
    named = infer_named(samples, problem.statement)
    assert named is not None
    domain = bounded_spec(named, problem.statement, samples)
    assert domain is not None, f"{name}: the statement bounds nothing"
    return named, domain, samples, problem.statement


def _element(spec: InputSpec, name: str) -> dict:
    def walk(elements):
        for e in elements:
            if e.get("name") == name:
                return e
            if e.get("type") == "array" and e["name"] == name:
                return e
            found = walk(e.get("items", []) + e.get("body", []))
            if found:
                return found
        return None
    return walk(spec.model_dump(mode="json", exclude_none=True)["input"])


def test_the_domain_starts_at_the_statements_minimum_and_takes_its_sign_range():
    named, domain, _, _ = _problem_spec("second-best")
    # The samples show n >= 3 and positive values; the statement allows n = 1 and negatives.
    assert _element(named, "n")["min"] >= 2 and _element(named, "a")["of"]["min"] >= 0
    assert _element(domain, "n")["min"] == 1
    assert _element(domain, "a")["of"] == {"type": "int", "min": -10**9, "max": 10**9}


def test_a_number_of_up_to_n_digits_becomes_its_digits():
    named, domain, samples, _ = _problem_spec("digit-root")
    x = domain.input[0]
    assert (x.type, x.number, x.max_length.raw) == ("string", True, 100000)
    for text in samples:
        domain.validate(text)
    domain.validate("0\n")
    with pytest.raises(SpecMismatch, match="leading zero"):
        domain.validate("0123\n")


def test_lengths_in_words_bound_the_words_and_the_count():
    _, domain, _, _ = _problem_spec("word-ladder-count")
    assert _element(domain, "n")["min"] == 1 and _element(domain, "n")["max"] == 10**5
    words = next(e for e in domain.model_dump(mode="json")["input"] if e["type"] == "array")
    assert (words["of"]["min_length"], words["of"]["max_length"]) == (1, 10)


def test_ranges_bounded_by_an_earlier_size_span_it():
    _, domain, _, _ = _problem_spec("range-sums")
    assert _element(domain, "l")["max"] == "n" and _element(domain, "r")["min"] == "l"
    assert _element(domain, "a")["of"]["min"] == -10**9  # from |a_i| <= 10^9


def test_a_size_the_samples_show_only_at_one_keeps_the_samples_bound():
    # With m = 1 the samples read alike as one line `u v` and as m lines of `u v`: a larger
    # m might draw inputs of the other layout.
    statement = ("## Input\n\nThe first line contains n and m ($1 \\le n \\le 10^5$, "
                 "$0 \\le m \\le 10^5$).\n\n## Output\n")
    samples = ["4 1\n1 4\n", "3 0\n"]
    spec = infer_named(samples, statement)
    domain = bounded_spec(spec, statement, samples)
    assert domain is not None and _element(domain, "n")["max"] == 10**5
    assert _element(domain, "m")["max"] in (1, "min(1, n)")


@pytest.mark.parametrize("name", SPECLESS_NAMES)
def test_every_edge_input_is_valid_under_the_statement(name):
    _, domain, _, _ = _problem_spec(name)

    @settings(max_examples=60, database=None, deadline=None)
    @given(domain.strategy("edge"))
    def valid(text):
        domain.validate(text)

    valid()
    for seed in range(30):
        domain.validate(domain.generate("edge", seed=seed))


def test_edge_inputs_draw_the_corners_a_contestant_checks_first():
    _, domain, _, _ = _problem_spec("second-best")
    drawn = [domain.parse(domain.generate("edge", seed=s)) for s in range(200)]
    assert any(d["n"] == 1 for d in drawn)
    assert any(max(d["a"]) < 0 for d in drawn)  # all negative
    assert any(len(d["a"]) > 1 and len(set(d["a"])) == 1 for d in drawn)  # all equal
    assert any(-10**9 in d["a"] or 10**9 in d["a"] for d in drawn)  # a bound itself
    _, digits, _, _ = _problem_spec("digit-root")
    numbers = [digits.generate("edge", seed=s).strip() for s in range(200)]
    assert "0" in numbers and max(map(len, numbers)) == 100000


def test_worst_case_shapes_draw_what_slow_programs_meet():
    _, _, samples, statement = _problem_spec("range-sums")
    sized = with_statement_bounds(infer_named(samples, statement), statement, samples)
    assert sized is not None
    wide = sized.parse(sized.generate("max", seed=0, scale=0.01, shape="wide"))
    assert all((q["l"], q["r"]) == (1, wide["n"]) for q in wide[_repeat_name(sized)])
    equal = sized.parse(sized.generate("max", seed=0, scale=0.01, shape="equal"))
    assert len(set(equal["a"])) == 1
    ups = sized.parse(sized.generate("max", seed=0, scale=0.01, shape="sorted"))["a"]
    assert ups == sorted(ups)
    # The values that bound others at their highest, the rest at their lowest: a step of 1.
    bundles = InputSpec.model_validate([{"type": "line", "items": [
        {"name": "n", "min": 1, "max": 10**9}, {"name": "m", "min": 1, "max": "n"},
        {"name": "a", "min": 1, "max": 10**9}]}])
    assert bundles.generate("max", seed=0, shape="low") == "1000000000 1 1\n"
    with pytest.raises(SpecError, match="in max mode"):
        sized.generate("tiny", seed=0, shape="wide")
    tree = InputSpec.model_validate([{"name": "n", "min": 1, "max": 1000},
                                     {"type": "tree", "name": "t", "n": "n", "format": "parents"}])
    parents = tree.parse(tree.generate("max", seed=3, shape="line"))["t"]
    assert parents == list(range(1, 1000))  # a path: each node's parent is the one before


def _repeat_name(spec: InputSpec) -> str:
    return next(e.name for e in spec.input if e.type == "repeat")


def test_the_drawn_values_are_reported_beside_their_bounds():
    _, _, samples, statement = _problem_spec("range-sums")
    sized = with_statement_bounds(infer_named(samples, statement), statement, samples)
    drawn = {(v.name, v.what): v for v in drawn_values(sized, sized.generate("max", seed=0))}
    assert drawn[("n", "value")].describe() == "n (value): 200000 of [1, 200000]"
    assert drawn[("a", "value")].lo < -9 * 10**8 and drawn[("a", "value")].hi > 9 * 10**8
    assert drawn[("r", "value")].hi == 200000 and drawn[("r", "value")].bound == "[l, n]"


# -- the problems without an input spec, end to end --------------------------------------

def _wrong_submissions() -> list[tuple[str, Path]]:
    found = []
    for name in SPECLESS_NAMES:
        subs = read_submissions(SPECLESS / name)
        for kind in ("wrong_answer", "run_time_error"):
            found += [(name, path) for path in subs.get(kind, [])]
    return found


@pytest.mark.docker
@pytest.mark.parametrize(("name", "wrong"), _wrong_submissions(),
                         ids=lambda x: x.name if isinstance(x, Path) else x)
def test_stress_finds_every_edge_bug_of_the_specless_problems(docker_sandbox, name, wrong):
    """The statement-edges issue's table on our own problems: each bug only a corner the
    statement allows shows (n = 1, negatives, the last run, a number of 4301 digits). A
    crash that needs the largest input (recursion along a path of 2*10^5 villages) is no
    corner: timing finds it, on the path its worst-case shapes draw."""
    problem = load_problem(SPECLESS / name)
    named, domain, samples, statement = _problem_spec(name)
    accepted = read_submissions(SPECLESS / name)["accepted"][0].read_text()
    program = Program(source=wrong.read_text())
    report = stress(docker_sandbox, program, Program(source=accepted), problem, domain,
                    budget_s=30)
    if report.status != "counterexample" and wrong.parent.name == "run_time_error":
        sized = with_statement_bounds(named, statement, samples)
        assert sized is not None
        timing = time_on_max(docker_sandbox, program, problem, sized, try_pypy=False)
        assert timing.crash is not None, (report, timing)
        return
    assert report.status == "counterexample", report


@pytest.mark.docker
def test_timing_calls_a_range_sum_per_query_slice_too_slow(docker_sandbox):
    problem = load_problem(SPECLESS / "range-sums")
    _, _, samples, statement = _problem_spec("range-sums")
    sized = with_statement_bounds(infer_named(samples, statement), statement, samples)
    slow = read_submissions(SPECLESS / "range-sums")["time_limit_exceeded"][0].read_text()
    report = time_on_max(docker_sandbox, Program(source=slow), problem, sized, try_pypy=False)
    assert report.outlook == "tle", report
    assert any(v.name == "r" and v.hi == 200000 for v in report.drawn)


@pytest.mark.docker
def test_gen_writes_edge_inputs_and_the_cli_stress_uses_the_statements_domain(tmp_path):
    folder = SPECLESS / "second-best"
    out = tmp_path / "edge"
    done = cpagent("gen", str(folder), "--mode", "edge", "-n", "12", "--out", str(out))
    assert done.returncode == 0, done.stderr
    texts = [p.read_text() for p in sorted(out.glob("*.in"))]
    assert len(texts) == 12 and any(t.startswith("1\n") for t in texts)
    subs = read_submissions(folder)
    done = cpagent("stress", str(subs["wrong_answer"][0]), str(folder), "-r",
                   str(subs["accepted"][0]), "--budget", "30", "--json")
    assert done.returncode == 1, done.stderr
    assert "as the statement bounds them" in done.stderr
    assert json.loads(done.stdout)["status"] == "counterexample"


@pytest.mark.docker
def test_a_statement_that_bounds_a_number_in_words_gets_the_crash_repaired(docker_sandbox,
                                                                            tmp_path):
    """The issue's "digit root": no input spec, "a non-negative integer x of up to 100000
    digits" in words only. The program converts the line with int(); the samples and small
    stress inputs pass, timing draws a 100000-digit number from the statement's words, the
    program crashes on it, and the harness adds the one-line fix without a model call."""
    from cpagent.agent.flow import FlowOptions, solve
    from tests.agent.test_flow import REFLECTION, client_for, fenced
    from tests.scripted_server import ScriptedServer

    package = SPECLESS / "digit-root"
    brute = read_submissions(package)["brute_force"][0].read_text()
    # Right in everything but the conversion: the digit root is 1 + (x - 1) mod 9.
    crashes = "x = int(input())\nprint(0 if x == 0 else 1 + (x - 1) % 9)\n"
    reflection = {**REFLECTION, "complexity": "O(n)", "approaches": []}
    options = FlowOptions(flow="full", candidates=1, rounds=0, stress_budget_s=5,
                          selection_inputs=0)
    with ScriptedServer([reflection, fenced(brute), fenced(crashes)]) as server:
        result = solve(load_problem(package), client_for(server, tmp_path), docker_sandbox,
                       options)
        assert len(server.requests) == 3
    spec = next(s for s in result.trajectory.steps if s.name == "spec")
    assert "bounded by the statement" in spec.summary, spec.summary
    patch = next(s for s in result.trajectory.steps if s.name == "patch")
    assert patch.data["patch"] == "int-digits"
    assert result.accepted, result.trajectory.steps[-1]
    assert "sys.set_int_max_str_digits(0)" in result.code


def test_a_bound_on_an_arrays_sum_keeps_edge_inputs_valid():
    """"1 ≤ a_1 + a_2 + ... + a_n ≤ 300 000" (a CodeContests statement's words): all-zero
    arrays, an edge shape, break it, and its accepted solution crashes on them."""
    statement = ("## Input\n\nThe first line contains one integer n (2≤ n≤ 100 000).\n\n"
                 "The second line contains n non-negative integers a_1,a_2,...,a_n "
                 "(1≤ a_1+a_2+...+a_n≤ 300 000).\n\n## Output\n")
    samples = ["2\n1 1\n", "5\n0 0 0 0 35\n", "5\n8 4 2 0 1\n"]
    domain = bounded_spec(infer_named(samples, statement), statement, samples)
    assert domain is not None
    total = domain.input[1].total
    assert (total.min.raw, total.max.raw) == (1, 300000)
    with pytest.raises(SpecMismatch, match="sum to 0, below 1"):
        domain.validate("3\n0 0 0\n")
    assert all(sum(domain.parse(domain.generate("edge", seed=s))["a"]) >= 1 for s in range(100))


def test_a_rule_the_samples_kept_stays_only_on_a_value_the_layout_does_not_count_with():
    """q counts its own query lines: the layout shows what it is, and q > n is drawn. m is a
    value the layout never counts with (it read n lines where every sample had m = n): m
    stays at most n, or a reference reading m lines would meet fewer."""
    _, domain, _, _ = _problem_spec("range-sums")
    assert _element(domain, "q")["max"] == 200000
    statement = ("## Input\n\nThe first line contains n and m ($1 \\le n \\le 10^6$, "
                 "$1 \\le m \\le 250$). Then m lines follow, the i-th contains xi and yi "
                 "($1 \\le x_i, y_i \\le 10^9$).\n\n## Output\n")
    samples = ["3 3\n2 1\n4 1\n3 2\n"]
    domain = bounded_spec(infer_named(samples, statement), statement, samples)
    assert domain is not None and _element(domain, "m")["max"] == "min(250, n)"


def test_values_set_as_math_and_lengths_named_in_the_statement_are_bounded():
    library = ROOT / "problems" / "library"
    bundles = load_problem(library / "ticket-bundles")
    samples = [t.input for t in bundles.samples()]
    named = infer_named(samples, bundles.statement)  # "$n$, $m$, $a$ and $b$": a is a name
    assert [i["name"] for i in named.model_dump(mode="json")["input"][0]["items"]] == \
        ["n", "m", "a", "b"]
    digits = load_problem(library / "erase-one-digit")  # "digits of length n (2 <= n <= 10^5)"
    samples = [t.input for t in digits.samples()]
    domain = bounded_spec(infer_named(samples, digits.statement), digits.statement, samples)
    token = domain.input[0]
    assert (token.number, token.min_length.raw, token.max_length.raw) == (True, 2, 100000)
