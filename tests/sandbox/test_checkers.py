"""Every checker kind: tokens and floats on the host (with properties), testlib-style checkers
and Kattis output validators as programs in the real sandbox."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cpagent.problems.model import FloatChecker, ProgramChecker, TokenChecker
from cpagent.sandbox.checkers import check_floats, check_tokens, run_checker
from cpagent.sandbox.model import Verdict

AC, WA, PE, IE = Verdict.AC, Verdict.WA, Verdict.PE, Verdict.IE

tokens = st.lists(st.text("abc123-.", min_size=1, max_size=5), max_size=8)
spaces = st.sampled_from([" ", "\n", "\t", "  \n", "\r\n"])


@given(tokens, st.data())
def test_tokens_ignore_whitespace(words, data):
    joined = "".join(w + data.draw(spaces) for w in words)
    assert check_tokens(joined, " ".join(words)).verdict is AC


@given(tokens, tokens)
def test_tokens_differ_iff_sequences_differ(a, b):
    assert (check_tokens(" ".join(a), " ".join(b)).verdict is AC) == (a == b)


def test_tokens_messages_and_case():
    assert check_tokens("1 2", "1 2 3").message == "token 3: expected '3', got nothing"
    assert check_tokens("YES", "yes").verdict is WA
    assert check_tokens("YES", "yes", case_sensitive=False).verdict is AC


@given(st.floats(-1e9, 1e9), st.floats(-0.9e-6, 0.9e-6))
def test_floats_accept_within_absolute_tolerance(x, err):
    assert check_floats(repr(x + err), repr(x), abs_tol=1e-6, rel_tol=0).verdict is AC


def test_floats_relative_absolute_and_words():
    assert check_floats("1000001", "1000000", abs_tol=1e-9, rel_tol=1e-6).verdict is AC
    assert check_floats("1000002", "1000000", abs_tol=1e-9, rel_tol=1e-6).verdict is WA
    assert check_floats("0.5000001 YES", "0.5 YES").verdict is AC
    assert check_floats("0.5 NO", "0.5 YES").verdict is WA
    assert check_floats("nan", "0.5").verdict is WA
    assert check_floats("0.5", "0.5 1").verdict is WA


TESTLIB = """import sys
inp, out, ans = (open(p).read().split() for p in sys.argv[1:4])
if not out:
    print("empty output", file=sys.stderr); sys.exit(2)
if len(out) != 1 or not out[0].lstrip('-').isdigit():
    print("not a number", file=sys.stderr); sys.exit(2)
total = sum(map(int, inp))
if int(out[0]) != total:
    print(f"expected {total}, got {out[0]}", file=sys.stderr); sys.exit(1)
sys.exit(0)
"""

KATTIS = """import sys
inp = open(sys.argv[1]).read().split()
ans = open(sys.argv[2]).read().split()
out = sys.stdin.read().split()
feedback = sys.argv[3]
if sys.argv[4:] != ["strict"]:
    sys.exit(1)
def reject(why):
    open(feedback + "/judgemessage.txt", "w").write(why)
    sys.exit(43)
# any pair (a, b) with a + b equal to the input number is accepted
if len(out) != 2 or not all(t.isdigit() for t in out):
    reject("want two numbers")
if int(out[0]) + int(out[1]) != int(inp[0]):
    reject("wrong sum")
sys.exit(42)
"""


@pytest.mark.docker
def test_testlib_checker_codes(docker_sandbox):
    checker = ProgramChecker(kind="testlib", source=TESTLIB)
    cases = [("2 3", "5", "5"), ("2 3", "6", "5"), ("2 3", "five", "5"), ("2 3", "", "5")]
    results = run_checker(docker_sandbox, checker, cases)
    assert [r.verdict for r in results] == [AC, WA, PE, PE]
    assert results[1].message == "expected 5, got 6"


@pytest.mark.docker
def test_testlib_checker_failure_is_internal_error(docker_sandbox):
    checker = ProgramChecker(kind="testlib", source="import sys\nsys.exit(3)\n")
    assert run_checker(docker_sandbox, checker, [("1", "1", "1")])[0].verdict is IE


@pytest.mark.docker
def test_kattis_validator_many_answers(docker_sandbox):
    checker = ProgramChecker(kind="kattis", source=KATTIS, flags=["strict"])
    cases = [("7", "3 4", "0 7"), ("7", "7 0", "0 7"), ("7", "3 3", "0 7"), ("7", "x", "0 7")]
    results = run_checker(docker_sandbox, checker, cases)
    assert [r.verdict for r in results] == [AC, AC, WA, WA]
    assert [r.message for r in results[2:]] == ["wrong sum", "want two numbers"]


@pytest.mark.docker
def test_kattis_validator_crash_is_internal_error(docker_sandbox):
    checker = ProgramChecker(kind="kattis", source="raise SystemExit(0)\n")
    assert run_checker(docker_sandbox, checker, [("1", "1", "1")])[0].verdict is IE


def test_pure_checkers_through_run_checker():
    cases = [("", "1.0000001", "1"), ("", "2", "1")]
    float_results = run_checker(None, FloatChecker(), cases)  # type: ignore[arg-type]
    assert [r.verdict for r in float_results] == [AC, WA]
    token_results = run_checker(None, TokenChecker(), cases)  # type: ignore[arg-type]
    assert [r.verdict for r in token_results] == [WA, WA]
