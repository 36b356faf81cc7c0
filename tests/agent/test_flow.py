"""The solving flow against a scripted OpenAI-compatible server on loopback, through the
real `openai` client and the real Docker sandbox: a solution that passes the samples but
fails stress gets a shrunk counterexample in its next prompt and the fix is accepted;
broken replies are repaired or retried; a dead endpoint is one line and exit code 2."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from types import SimpleNamespace

import pytest

import cpagent.agent.flow.understand as understand
from cpagent.agent.flow import FlowOptions, solve
from cpagent.agent.flow.candidates import (
    Candidate,
    Failed,
    Passed,
    check_samples,
    check_timing,
)
from cpagent.agent.flow.context import Context
from cpagent.agent.flow.solve import select
from cpagent.agent.flow.trajectory import Trajectory
from cpagent.agent.flow.understand import find_spec
from cpagent.agent.llm import CallLog, ModelClient, ModelSettings
from cpagent.problems.formats.kattis import read_submissions
from cpagent.problems.load import load_problem
from cpagent.problems.model import Problem, TestCase
from cpagent.problems.spec import InputSpec
from cpagent.sandbox.model import Program
from tests.conftest import FIXTURES, LIBRARY, assert_one_line_error, cpagent
from tests.scripted_server import ScriptedServer, free_port

PACKAGE = LIBRARY / "ferry-crossings"
FOLDERS = read_submissions(PACKAGE)
ACCEPTED = FOLDERS["accepted"][0].read_text()
BRUTE = FOLDERS["brute_force"][0].read_text()
# Passes both samples, fails on a car heavier than the ferry (stress finds "1 1\n2\n").
WRONG = next(p for p in FOLDERS["wrong_answer"] if p.name == "window_never_empty.py").read_text()
REFLECTION = {
    "restatement": "Count the ways to split the cars into ferry trips.",
    "constraints": ["n <= 2*10^5"],
    "complexity": "O(n)",
    "edge_cases": ["a car heavier than the ferry"],
    "approaches": [{"idea": "DP over prefixes with a sliding window", "complexity": "O(n)"}],
    "chosen": 0,
}


def fenced(code: str) -> str:
    return f"Here is the program.\n```python\n{code}```\n"


def client_for(server: ScriptedServer, tmp_path) -> ModelClient:
    settings = ModelSettings(model="scripted", base_url=server.base_url, api_key="x",
                             max_retries=3)
    return ModelClient(settings, log=CallLog(tmp_path / "calls.db"))


@pytest.mark.docker
def test_stress_counterexample_drives_the_fix(docker_sandbox, tmp_path):
    script = [REFLECTION, fenced(BRUTE), fenced(WRONG), fenced(ACCEPTED)]
    problem = load_problem(PACKAGE)
    options = FlowOptions(flow="full", candidates=1, rounds=2, stress_budget_s=40,
                          selection_inputs=0)
    with ScriptedServer(script) as server:
        result = solve(problem, client_for(server, tmp_path), docker_sandbox, options)
        prompts = [r["messages"][-1]["content"] for r in server.requests]
    assert result.accepted, result.trajectory.steps[-1]
    assert result.code == ACCEPTED
    assert len(prompts) == 4
    debug = prompts[3]
    stress_step = next(s for s in result.trajectory.steps if s.name == "stress")
    counterexample = stress_step.data["counterexample"]["input"]
    assert len(counterexample) <= 20  # shrunk, not a random page of numbers
    assert counterexample.strip() in debug and "Expected output" in debug
    assert WRONG.strip().splitlines()[0] in debug  # the program being fixed is shown
    names = [s.name for s in result.trajectory.steps]
    for name in ("reflect", "spec", "brute", "solution", "samples", "stress", "debug",
                 "timing", "verdict"):
        assert name in names, names


@pytest.mark.docker
def test_the_same_solve_again_replays_every_call(docker_sandbox, tmp_path):
    """Same settings, same call log: no call reaches the server the second time. A solution
    right at once keeps the prompts free of what a time-budgeted search happened to find (a
    counterexample shrunk under a deadline may differ, and so would the prompt quoting it)."""
    script = [REFLECTION, fenced(BRUTE), fenced(ACCEPTED)]
    problem = load_problem(PACKAGE)
    options = FlowOptions(flow="full", candidates=2, rounds=1, stress_budget_s=5,
                          selection_inputs=0)
    with ScriptedServer(script) as server:
        first = solve(problem, client_for(server, tmp_path), docker_sandbox, options)
        assert len(server.requests) == 3
        again = solve(problem, client_for(server, tmp_path), docker_sandbox, options)
        assert len(server.requests) == 3
    assert first.accepted and again.code == first.code == ACCEPTED
    assert again.trajectory.calls == first.trajectory.calls == 3


@pytest.mark.docker
def test_without_a_spec_the_samples_give_one_and_stress_still_runs(docker_sandbox, tmp_path):
    """With no spec in the problem, the samples' own structure drives the stress test (no
    model call is spent on a spec), and the counterexample it finds still reaches the fix."""
    script = [REFLECTION, fenced(BRUTE), fenced(WRONG), fenced(ACCEPTED)]
    problem = load_problem(PACKAGE).model_copy(update={"input_spec": None})
    # Two candidates allowed, one written: a fix that passes the samples and stress is all
    # the checking an inferred spec allows, so the search ends there.
    options = FlowOptions(flow="full", candidates=2, rounds=1, stress_budget_s=40,
                          selection_inputs=0)
    with ScriptedServer(script) as server:
        result = solve(problem, client_for(server, tmp_path), docker_sandbox, options)
        assert len(server.requests) == 4
    asking = [s.name for s in result.trajectory.steps if s.calls]
    assert asking == ["reflect", "brute", "solution", "debug"], asking
    spec_step = next(s for s in result.trajectory.steps if s.name == "spec")
    assert spec_step.summary.startswith("spec inferred from the samples")
    assert not spec_step.calls
    stress_step = next(s for s in result.trajectory.steps if s.name == "stress")
    assert stress_step.data["status"] == "counterexample"
    assert result.accepted and result.code == ACCEPTED
    # Stress drew from the statement's domain, timing from its bounds (n up to 2*10^5), as
    # from the problem's own spec: the same largest input, then its worst-case shapes.
    assert "bounded by the statement" in spec_step.summary
    assert "sized by the statement's bounds" in spec_step.summary
    timing = next(s for s in result.trajectory.steps if s.name == "timing")
    own = load_problem(PACKAGE)
    largest = InputSpec.model_validate(own.input_spec).generate("max", seed=0, scale=1.0)
    random_full = [p for p in timing.data["points"] if p["shape"] == "random"][-1]
    assert random_full["size"] == len(largest)
    assert timing.data["outlook"] == "fits"


@pytest.mark.docker
def test_a_crash_on_an_input_sized_by_the_statement_is_not_held_against_a_program(
        docker_sandbox, tmp_path):
    """Drawn from the statement's bounds, a largest input may break a rule the samples do
    not show; a crash there is recorded, not sent back as the program's failure. On the
    problem's own spec the same crash is the program's."""
    problem = load_problem(PACKAGE)
    crashes_when_large = ("import sys\nn = int(sys.stdin.read().split()[0])\n"
                          "assert n < 1000\nprint(0)\n")
    outcomes, summaries = {}, {}
    for source in ("samples", "problem"):
        ctx = Context(problem=problem, client=None, sandbox=docker_sandbox,
                      options=FlowOptions(), trajectory=Trajectory(
                          problem=problem.id, model="none", options={}))
        ctx.spec_source = source
        ctx.timing_spec = InputSpec.model_validate(problem.input_spec)
        outcomes[source] = check_timing(ctx, Candidate(index=0, code=crashes_when_large))
        summaries[source] = ctx.trajectory.steps[-1].summary
    assert isinstance(outcomes["samples"], Passed)
    assert "not held against it" in summaries["samples"], summaries
    assert isinstance(outcomes["problem"], Failed), outcomes["problem"]
    assert "It fails on a large valid input" in outcomes["problem"].text
    assert summaries["problem"].startswith("re on a large input ("), summaries


@pytest.mark.docker
def test_an_inferred_spec_the_statement_does_not_size_is_not_timed(docker_sandbox, tmp_path):
    """Without bounds in the statement, the inferred spec's largest inputs are the samples'
    size: no timing claims a fit it never measured."""
    script = [REFLECTION, fenced(BRUTE), fenced(ACCEPTED)]
    problem = load_problem(PACKAGE)
    unbounded = re.sub(r"\([^()]*\\le[^()]*\)", "", problem.statement)
    problem = problem.model_copy(update={"input_spec": None, "statement": unbounded})
    options = FlowOptions(flow="full", candidates=1, rounds=1, stress_budget_s=5,
                          selection_inputs=0)
    with ScriptedServer(script) as server:
        result = solve(problem, client_for(server, tmp_path), docker_sandbox, options)
    spec_step = next(s for s in result.trajectory.steps if s.name == "spec")
    assert spec_step.summary == "spec inferred from the samples"
    assert result.accepted
    assert "timing" not in [s.name for s in result.trajectory.steps]


def test_when_the_samples_have_no_structure_the_model_is_asked_for_a_spec(tmp_path):
    """A blank line inside a sample defeats inference; the model's spec is then checked
    against the samples and sent back once with the mismatch."""
    misfit = {"input": [{"name": "n", "min": 1, "max": 10}]}
    problem = Problem(id="blank", statement="Add the numbers.",
                      tests=[TestCase(name="1", input="1\n\n2\n", answer="3", kind="sample")])
    with ScriptedServer([misfit, misfit]) as server:
        trajectory = Trajectory(problem="blank", model="scripted", options={})
        ctx = Context(problem=problem, client=client_for(server, tmp_path), sandbox=None,
                      options=FlowOptions(), trajectory=trajectory)
        find_spec(ctx)
        retry = server.requests[1]["messages"][-1]["content"]
    step = ctx.trajectory.steps[-1]
    assert ctx.spec is None and step.summary == "no spec that fits the samples"
    assert len(step.calls) == 2 and step.data["attempt_1"]["error"]
    assert "previous description was wrong" in retry


@pytest.mark.docker
def test_reply_that_is_not_json_is_repaired(docker_sandbox, tmp_path):
    script = ["I would use dynamic programming. {not json", REFLECTION, fenced(BRUTE),
              fenced(ACCEPTED)]
    problem = load_problem(PACKAGE)
    options = FlowOptions(flow="full", candidates=1, rounds=0, stress_budget_s=5,
                          selection_inputs=0, max_calls=3)
    with ScriptedServer(script) as server:
        result = solve(problem, client_for(server, tmp_path), docker_sandbox, options)
        repair = server.requests[1]["messages"][-1]["content"]
    reflect = next(s for s in result.trajectory.steps if s.name == "reflect")
    assert reflect.data["reflection"]["complexity"] == "O(n)"
    assert "JSON" in repair
    assert result.accepted


@pytest.mark.docker
def test_rate_limits_and_server_errors_are_retried(docker_sandbox, tmp_path):
    script = [429, 500, fenced(ACCEPTED)]
    problem = load_problem(PACKAGE)
    with ScriptedServer(script) as server:
        client = client_for(server, tmp_path)
        result = solve(problem, client, docker_sandbox, FlowOptions(flow="oneshot"))
        assert len(server.requests) == 3
    assert result.accepted
    assert result.trajectory.calls == 1 and client.spend.calls == 1


@pytest.mark.docker
def test_a_program_that_forgets_its_imports_gets_them_from_the_harness(docker_sandbox,
                                                                       tmp_path):
    forgetful = ACCEPTED.replace("import sys\n", "", 1).lstrip("\n")
    assert "import" not in forgetful
    with ScriptedServer([fenced(forgetful)]) as server:
        result = solve(load_problem(PACKAGE), client_for(server, tmp_path), docker_sandbox,
                       FlowOptions(flow="oneshot"))
    written = next(s for s in result.trajectory.steps if s.name == "solution")
    assert written.data["imports_added"] == ["import sys"]
    assert result.accepted and result.code == "import sys\n" + forgetful


@pytest.mark.docker
def test_when_no_solution_passes_the_samples_the_brute_force_is_the_answer(docker_sandbox,
                                                                           tmp_path):
    """A program known to fail a sample is never better than one known to pass them."""
    options = FlowOptions(flow="full", candidates=1, rounds=0, selection_inputs=0,
                          max_calls=3)
    with ScriptedServer([REFLECTION, fenced(BRUTE), fenced("print(1 // 0)\n")]) as server:
        result = solve(load_problem(PACKAGE), client_for(server, tmp_path), docker_sandbox,
                       options)
    names = [s.name for s in result.trajectory.steps]
    crashed = next(s for s in result.trajectory.steps if s.name == "samples")
    assert crashed.data["error"].startswith("ZeroDivisionError"), crashed.data
    assert names.index("fallback") > names.index("samples"), names
    assert result.code == BRUTE and result.trajectory.final_code == BRUTE
    assert result.report is not None and result.report.passed >= 2  # the samples at least


@pytest.mark.docker
def test_halfway_with_no_solution_passing_the_samples_the_brute_force_is_sped_up(
        docker_sandbox, tmp_path):
    """Correct but slow is a start: timing says how slow, the 'faster' prompt gets the
    brute force, and its rewrite is stressed against it like any candidate."""
    options = FlowOptions(flow="full", candidates=2, rounds=1, selection_inputs=0,
                          stress_budget_s=20)
    script = [REFLECTION, fenced(BRUTE), fenced("print(0)\n"), fenced(ACCEPTED)]
    with ScriptedServer(script) as server:
        result = solve(load_problem(PACKAGE), client_for(server, tmp_path), docker_sandbox,
                       options)
        faster = server.requests[3]["messages"][-1]["content"]
    names = [s.name for s in result.trajectory.steps]
    assert "from-brute" in names and "fallback" not in names, names
    assert "too slow" in faster and BRUTE.strip().splitlines()[-1] in faster
    stress = [s for s in result.trajectory.steps if s.name == "stress"]
    assert stress and stress[-1].data["status"] == "passed", stress
    assert result.accepted and result.code == ACCEPTED


# A difference array that counts toggles instead of their parity: fast, and wrong on the
# first sample already.
SUMS_TOGGLES = """n, q = map(int, input().split())
diff = [0] * (n + 2)
for _ in range(q):
    l, r = map(int, input().split())
    diff[l] += 1
    diff[r + 1] -= 1
covered = on = 0
for i in range(1, n + 1):
    covered += diff[i]
    on += covered
print(on)
"""


@pytest.mark.docker
def test_a_broken_speed_rewrite_is_judged_by_its_slower_version_and_repaired(
        docker_sandbox, tmp_path):
    """No brute force passes the samples, but a slow solution does: its rewrite for speed is
    checked against it, a rewrite that fails a sample gets the smallest input where it parts
    from the slow version instead, and one repair, with both programs shown, even with no
    rounds left."""
    package = LIBRARY / "lamp-toggles"
    folders = read_submissions(package)
    slow = folders["time_limit_exceeded"][0].read_text()
    fast = folders["accepted"][0].read_text()
    reflection = {**REFLECTION, "complexity": "O(n + q)", "approaches": []}
    script = [reflection, fenced("print(0)\n"), fenced("print(0)\n"), fenced(slow),
              fenced(SUMS_TOGGLES), fenced(fast)]
    options = FlowOptions(flow="full", candidates=1, rounds=1, stress_budget_s=20,
                          selection_inputs=0)
    with ScriptedServer(script) as server:
        result = solve(load_problem(package), client_for(server, tmp_path), docker_sandbox,
                       options)
        prompts = [r["messages"][-1]["content"] for r in server.requests]
    assert len(prompts) == 6
    assert "too slow" in prompts[4]
    repair = prompts[5]
    assert "You rewrote a correct but slow program" in repair
    assert slow.strip().splitlines()[-1] in repair and "on += covered" in repair
    assert "10^7 simple steps" in repair  # what the limits allow, so it stays fast
    samples = [s for s in result.trajectory.steps if s.name == "samples"]
    assert samples[1].data["verdict"] == "WA"  # the rewrite fails a sample
    stress = [s for s in result.trajectory.steps if s.name == "stress"]
    assert [s.data["reference"] for s in stress] == ["slower version"] * 2, stress
    assert stress[0].data["status"] == "counterexample"
    shrunk = stress[0].data["counterexample"]["input"]
    assert shrunk.strip() in repair and len(shrunk) < 20  # smaller than the sample
    assert stress[1].data["status"] == "passed"
    assert result.accepted and result.code == fast
    # A refuted rewrite never outranks the slow program it came from.
    assert select(SimpleNamespace(spec=None, options=options), [
        Candidate(index=0, code="slow", passes_samples=True, fits_time=False),
        Candidate(index=0, code="wrong", passes_samples=True, refuted=True, version=1),
    ]).code == "slow"


def test_among_programs_too_slow_the_faster_is_chosen_and_among_those_that_fit_none_is():
    options = FlowOptions(flow="full", selection_inputs=0)
    ctx = SimpleNamespace(spec=None, options=options)

    def timed(code: str, fits: bool, seconds: float) -> Candidate:
        return Candidate(index=0, code=code, passes_samples=True, fits_time=fits,
                         predicted_s=seconds)

    # Cut off early (the quadratic one), or fairly close: the close one loses fewer tests.
    assert select(ctx, [timed("quadratic", False, 363.0), timed("bitmask", False, 2.1)]
                  ).code == "bitmask"
    crashed = timed("crashes on large inputs", False, float("inf"))
    assert select(ctx, [crashed, timed("slow", False, 40.0)]).code == "slow"
    # Both fit: speed is no merit, the first stays (agreement would decide with inputs).
    assert select(ctx, [timed("first", True, 0.9), timed("second", True, 0.1)]).code == "first"
    assert select(ctx, [timed("slow", False, 1.5), timed("fits", True, 0.9)]).code == "fits"


def test_code_is_extracted_from_any_fence():
    from cpagent.agent.flow.code import extract_code

    assert extract_code("```py\nprint(1)\n```") == "print(1)\n"
    assert extract_code("text\n```\nx = input()\nprint(x)\n```\nmore") == "x = input()\nprint(x)\n"
    assert extract_code("```python\nprint(1\n```\n```python\nprint(2)\n```") == "print(2)\n"
    assert extract_code("import sys\nprint(sys.stdin.read())") is not None
    assert extract_code("Sorry, I cannot help.") is None
    assert extract_code("```python\nprint(1)\n") == "print(1)\n"  # an unclosed fence


def test_a_plan_is_the_chosen_approach_and_the_edge_cases_even_from_a_partial_reflection():
    from cpagent.agent.flow.understand import Approach, Reflection, plan_from

    full = Reflection(complexity="O(n^2)", edge_cases=["n = 1", "all equal", "a", "b", "c"],
                      approaches=[Approach(idea="try all pairs", complexity="O(n^2)"),
                                  Approach(idea="count with a dictionary", complexity="O(n)")],
                      chosen=1)
    assert plan_from(full) == ("O(n)", "Plan: count with a dictionary (O(n))\n"
                               "Watch out for: n = 1; all equal; a; b")
    # A chosen index out of range falls back to the first idea, a missing complexity to the
    # reflection's own; no approach and no edge case is no plan at all.
    assert plan_from(Reflection(complexity="O(n)", chosen=5, approaches=[
        Approach(idea="sort")])) == ("O(n)", "Plan: sort (O(n))")
    assert plan_from(Reflection()) == ("", "")


def test_dead_endpoint_is_one_line_and_exit_2(tmp_path):
    port = free_port()
    done = cpagent("solve", PACKAGE, "--model", "scripted", "--base-url",
                   f"http://127.0.0.1:{port}/v1", "--flow", "oneshot", "--no-log",
                   cwd=tmp_path, env={"CPAGENT_API_KEY": "x"})
    assert_one_line_error(done, str(port))


@pytest.mark.docker
def test_a_companion_task_is_solved_with_the_statement_given_beside_it(docker_sandbox,
                                                                      tmp_path):
    """Competitive Companion sends samples only; --statement puts the text in the prompt."""
    text = "Each test case gives two integers; print their sum on a line of its own.\n"
    (tmp_path / "sums.md").write_text(text)
    program = "t = int(input())\nfor _ in range(t):\n    print(sum(map(int, input().split())))\n"
    with ScriptedServer([fenced(program)]) as server:
        done = cpagent("solve", FIXTURES / "companion" / "two_sums.json", "--statement",
                       tmp_path / "sums.md", "--model", "scripted", "--base-url",
                       server.base_url, "--flow", "oneshot", "--no-log", "-o",
                       tmp_path / "sums.py", cwd=tmp_path, env={"CPAGENT_API_KEY": "x"})
        prompt = server.requests[0]["messages"][-1]["content"]
    assert done.returncode == 0, done.stdout + done.stderr
    assert text.strip() in prompt and "Two Sums" not in prompt
    assert (tmp_path / "sums.py").read_text() == program
    # Piped output: the steps' table ends its line before the program is printed.
    assert "┘\nt = int(input())" in done.stdout


def test_without_a_statement_a_companion_task_gets_a_note_and_a_missing_one_is_an_error(
        tmp_path):
    task = FIXTURES / "companion" / "two_sums.json"
    dead = f"http://127.0.0.1:{free_port()}/v1"
    common = ("--model", "scripted", "--base-url", dead, "--flow", "oneshot", "--no-log")
    done = cpagent("solve", task, *common, cwd=tmp_path, env={"CPAGENT_API_KEY": "x"})
    assert_one_line_error(done, "127.0.0.1")  # the endpoint is dead: the note came first
    assert "--statement FILE gives it the text" in done.stdout
    done = cpagent("solve", task, "--statement", tmp_path / "absent.md", *common, cwd=tmp_path,
                   env={"CPAGENT_API_KEY": "x"})
    assert_one_line_error(done, "absent.md")
    assert "--statement FILE" not in done.stdout


def _post(port: int, body: bytes) -> int:
    """POST as the extension does, waiting for the listener to come up."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}/", data=body, method="POST")
    for _ in range(200):
        try:
            with urllib.request.urlopen(request, timeout=5) as reply:
                return reply.status
        except urllib.error.HTTPError as error:
            return error.code
        except urllib.error.URLError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on port {port}")


@pytest.mark.docker
def test_listen_solves_what_competitive_companion_posts_and_refuses_the_malformed(
        docker_sandbox, tmp_path):
    program = "t = int(input())\nfor _ in range(t):\n    print(sum(map(int, input().split())))\n"
    port = free_port()
    with ScriptedServer([fenced(program)]) as server:
        listener = subprocess.Popen(
            [sys.executable, "-m", "cpagent", "listen", "--port", str(port), "--once",
             "--model", "scripted", "--base-url", server.base_url, "--flow", "oneshot",
             "--out-dir", str(tmp_path)],
            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "CPAGENT_API_KEY": "x",
                 "CPAGENT_HOME": str(tmp_path / "home")})
        try:
            assert _post(port, b'{"name": "no tests", "tests": []}') == 400
            task = (FIXTURES / "companion" / "two_sums.json").read_bytes()
            assert _post(port, task) == 200
            out, err = listener.communicate(timeout=240)
        finally:
            listener.kill()
        assert len(server.requests) == 1  # the refused task never reached the model
    assert listener.returncode == 0, out + err
    assert "ignored a request" in out and "no tests" in out
    assert "100001B: AC on the samples" in out
    assert (tmp_path / "100001B.py").read_text() == program


@pytest.mark.docker
def test_a_crash_on_a_large_input_is_repaired_by_the_harness(docker_sandbox, tmp_path):
    """int() of a 4301-digit string raises in CPython 3.11: the samples and small stress
    inputs pass, timing on maximum inputs crashes, and the harness adds the one-line fix
    itself, without another model call."""
    package = LIBRARY / "long-number-remainder"
    folders = read_submissions(package)
    crashes = folders["run_time_error"][0].read_text()
    brute = folders["brute_force"][0].read_text()
    reflection = {**REFLECTION, "complexity": "O(n)", "approaches": []}
    options = FlowOptions(flow="full", candidates=1, rounds=0, stress_budget_s=5,
                          selection_inputs=0)
    with ScriptedServer([reflection, fenced(brute), fenced(crashes)]) as server:
        result = solve(load_problem(package), client_for(server, tmp_path), docker_sandbox,
                       options)
        assert len(server.requests) == 3
    timing = next(s for s in result.trajectory.steps if s.name == "timing")
    assert timing.summary.startswith("re on a large input"), timing.summary
    patch = next(s for s in result.trajectory.steps if s.name == "patch")
    assert patch.data["patch"] == "int-digits"
    assert result.accepted, result.trajectory.steps[-1]
    assert "sys.set_int_max_str_digits(0)" in result.code
    assert result.code.endswith(crashes)


def test_a_fix_that_breaks_more_loses_to_the_version_it_fixed():
    """Every version a candidate went through is kept, and the checks, not the order of
    writing, pick one."""
    from cpagent.agent.flow.patches import patch_for

    first = Candidate(index=0, code="a", passes_samples=True, stressed=False)
    fix = Candidate(index=0, code="b", passes_samples=False, version=1)
    ctx = SimpleNamespace(spec=None, options=FlowOptions())
    assert select(ctx, [first, fix]) is first
    fixed_again = Candidate(index=0, code="c", passes_samples=True, stressed=True, version=2)
    assert select(ctx, [first, fix, fixed_again]) is fixed_again
    assert patch_for("ValueError: Exceeds the limit (4300 digits) for integer string "
                     "conversion", "print(int(input()))").name == "int-digits"
    assert patch_for("RecursionError: maximum recursion depth exceeded", "x").name == (
        "recursion-limit")
    assert patch_for("WA: expected 3, got 4", "x") is None
    patched = patch_for("for integer string conversion", "from __future__ import annotations\n"
                        "print(1)\n").apply("from __future__ import annotations\nprint(1)\n")
    assert patched.startswith("from __future__ import annotations\nimport sys\n")


@pytest.mark.docker
def test_a_program_that_fails_a_sample_is_replaced_not_repaired(docker_sandbox, tmp_path):
    """A small model repairs its own program worse than it writes a new one: a candidate
    that fails a sample makes way for a fresh, sampled candidate, unless asked otherwise."""
    wrong_on_sample = "print(0)\n"
    script = [REFLECTION, fenced(BRUTE), fenced(wrong_on_sample), fenced(ACCEPTED)]
    problem = load_problem(PACKAGE)
    # Four allowed: at two, the halfway turn would go to the brute force instead.
    options = FlowOptions(flow="full", candidates=4, rounds=2, stress_budget_s=5,
                          selection_inputs=0)
    with ScriptedServer(script) as server:
        result = solve(problem, client_for(server, tmp_path), docker_sandbox, options)
        requests = list(server.requests)
    assert result.accepted and result.code == ACCEPTED
    assert len(requests) == 4
    fourth = requests[3]["messages"][-1]["content"]
    assert fourth.startswith("Solve this problem"), fourth[:80]
    assert requests[2]["temperature"] == 0  # the first candidate is the greedy one
    assert requests[3]["temperature"] == options.sample_temperature
    debug = options.model_copy(update={"debug_samples": True, "candidates": 1})
    with ScriptedServer([REFLECTION, fenced(BRUTE), fenced(wrong_on_sample),
                         fenced(ACCEPTED)]) as server:
        again = solve(problem, client_for(server, tmp_path / "other"), docker_sandbox, debug)
        asked = server.requests[3]["messages"][-1]["content"]
    assert again.accepted and "It fails on this sample" in asked


TEAMS = LIBRARY / "balanced-teams"
# Right on sample 2 and on cases 1 and 3 of sample 1; wrong on case 2 (n = 5): it only
# tries the split with the larger team of Reds.
TEAMS_NEAR_MISS = """t = int(input())
for _ in range(t):
    n = int(input())
    s = sorted(map(int, input().split()))
    k = (n + 1) // 2
    print(s[k] - s[k - 1])
"""


@pytest.mark.docker
def test_a_failed_multi_case_sample_is_shown_as_the_one_case_it_gets_wrong(docker_sandbox,
                                                                          tmp_path):
    """Debugging a sample failure (where asked to), the failure shown is the one test case
    the program gets wrong, cut out of its sample as an input of its own; and among programs
    that fail a sample, the one with more samples and cases right is chosen."""
    accepted = read_submissions(TEAMS)["accepted"][0].read_text()
    brute = read_submissions(TEAMS)["brute_force"][0].read_text()
    problem = load_problem(TEAMS)
    options = FlowOptions(flow="full", candidates=1, rounds=1, stress_budget_s=5,
                          selection_inputs=0, debug_samples=True)
    script = [REFLECTION, fenced(brute), fenced(TEAMS_NEAR_MISS), fenced(accepted)]
    with ScriptedServer(script) as server:
        result = solve(problem, client_for(server, tmp_path), docker_sandbox, options)
        prompts = [r["messages"][-1]["content"] for r in server.requests]
    assert result.accepted and result.code == accepted
    assert len(prompts) == 4 and prompts[3].startswith("Your program for this problem is wrong")
    samples = next(s for s in result.trajectory.steps if s.name == "samples")
    assert samples.data["cases_right"] == "3/4" and samples.data["case"] == "sample/1 case 2"
    failure = prompts[3].split("Your program:")[1]
    assert "one of a sample's cases, alone" in failure
    assert "```\n1\n5\n8 2 6 5 12\n```" in failure and "7 1 9 3" not in failure

    ctx = Context(problem=problem, client=None, sandbox=docker_sandbox,  # type: ignore[arg-type]
                  options=options.model_copy(update={"selection_inputs": 30}),
                  trajectory=Trajectory(problem=problem.id, model="none", options={}))
    find_spec(ctx)  # the problem's own: no call
    nothing_right = Candidate(index=0, code="print(-1)\n")
    near = Candidate(index=1, code=TEAMS_NEAR_MISS)
    for cand in (nothing_right, near):
        check_samples(ctx, cand)
    assert nothing_right.cases_right == 0.0 and near.cases_right == 0.75
    assert select(ctx, [nothing_right, near]) is near


@pytest.mark.docker
def test_solution_prompts_get_code_that_reads_the_input_and_lose_it_if_it_misreads(
        docker_sandbox, tmp_path, monkeypatch):
    """With `reader` on, the reader written from the spec is run on the samples and then
    handed to every solution prompt in place of the advice on reading; a reader that leaves
    tokens unread is dropped, and the prompts fall back to the advice."""
    problem = load_problem(PACKAGE)
    options = FlowOptions(flow="full", candidates=1, rounds=0, stress_budget_s=5,
                          selection_inputs=0)
    assert not options.reader  # off by default: see FlowOptions
    options = options.model_copy(update={"reader": True})
    with ScriptedServer([REFLECTION, fenced(BRUTE), fenced(ACCEPTED)]) as server:
        result = solve(problem, client_for(server, tmp_path), docker_sandbox, options)
        solution_prompt = server.requests[2]["messages"][-1]["content"]
    reader = next(s for s in result.trajectory.steps if s.name == "reader")
    assert reader.summary == "reads every sample to its last token"
    assert reader.data["code"] in solution_prompt
    assert "n = int(next(tokens))" in solution_prompt  # ferry-crossings' own names
    assert "are ours" not in solution_prompt  # the problem's own spec: the statement's names
    assert "Read the input line by line" not in solution_prompt
    assert result.accepted
    # A reader from an inferred spec says which names are ours (those with a digit) only
    # when it has some.
    ours = Context.reading(SimpleNamespace(spec_source="samples", reader="v1 = int(x)\n"))
    assert "(names with a digit are ours, not the statement's)" in ours
    named = Context.reading(SimpleNamespace(spec_source="samples", reader="n = int(x)\n"))
    assert "are ours" not in named and "n = int(x)" in named

    monkeypatch.setattr(understand, "reader_code",
                        lambda elements: "import sys\ntokens = iter(sys.stdin.read().split())\n"
                                         "n = int(next(tokens))\n")
    again = tmp_path / "again"  # a call log of its own: the first one would replay
    again.mkdir()
    with ScriptedServer([REFLECTION, fenced(BRUTE), fenced(ACCEPTED)]) as server:
        result = solve(problem, client_for(server, again), docker_sandbox, options)
        solution_prompt = server.requests[2]["messages"][-1]["content"]
    reader = next(s for s in result.trajectory.steps if s.name == "reader")
    assert reader.summary.startswith("the reader misreads a sample")
    assert reader.data["error"] == "tokens left unread"
    assert "Read the input line by line" in solution_prompt and "tokens" not in solution_prompt
    assert result.accepted


def test_the_slowness_told_to_the_model_does_not_depend_on_the_machine():
    # The same quadratic program timed on two machines: different seconds and exponents,
    # one prompt, so a rerun replays the speed-up call instead of asking again.
    from cpagent.agent.flow.candidates import _slowness
    from cpagent.sandbox.timing import TimingPoint, TimingReport

    def report(exponent: float, last_s: float, status: str) -> TimingReport:
        points = [TimingPoint(scale=0.5, size=1000, cpu_s=0.4, status="ok"),
                  TimingPoint(scale=1.0, size=2000, cpu_s=last_s, status=status)]
        return TimingReport(lang="python", limit_s=1.0, points=points, exponent=exponent,
                            predicted_s=last_s, outlook="tle")

    assert _slowness(report(1.5, 1.0, "tle")) == _slowness(report(2.1, 1.0, "tle"))
    assert _slowness(report(1.6, 1.7, "ok")) == _slowness(report(2.2, 3.4, "ok"))
    assert "worse than linear" in _slowness(report(2.0, 1.0, "tle"))
    assert "worse than linear" not in _slowness(report(1.0, 1.8, "ok"))


def test_a_limit_hit_is_told_without_the_measured_seconds():
    from cpagent.agent.flow.candidates import _failure_text
    from cpagent.sandbox.model import Verdict

    def text(verdict: Verdict, message: str) -> str:
        return _failure_text("input", "3\n", "6\n", "", "", verdict, message)

    slow = text(Verdict.TLE, "1.03s of CPU time, limit 1s")
    assert slow == text(Verdict.TLE, "1.21s of CPU time, limit 1s")
    assert "Judge: time limit exceeded" in slow and "1.03" not in slow
    assert "Judge: token 1: expected 6, got 5" in text(Verdict.WA, "token 1: expected 6, got 5")


class _Counting:
    """A sandbox that counts how often each input is run."""

    def __init__(self, box) -> None:
        self.box, self.runs = box, {}

    def run(self, program, inputs, limits, **kwargs):
        for text in inputs:
            self.runs[text] = self.runs.get(text, 0) + 1
        return self.box.run(program, inputs, limits, **kwargs)


@pytest.mark.docker
def test_oneshot_judges_each_sample_once(docker_sandbox, tmp_path):
    """The samples' results of the one program are its final report's too: at --parallel 16
    the sandbox is the bottleneck, and running the samples twice was a third of its work."""
    problem = load_problem(PACKAGE)
    box = _Counting(docker_sandbox)
    with ScriptedServer([fenced(ACCEPTED)]) as server:
        result = solve(problem, client_for(server, tmp_path), box,
                       FlowOptions(flow="oneshot"))
    assert result.accepted and result.report.total == len(problem.tests)
    assert [result.report.tests[i].name for i in range(len(problem.tests))] == \
        [t.name for t in problem.tests]
    assert all(box.runs[t.input] == 1 for t in problem.tests), box.runs.values()


@pytest.mark.docker
def test_equal_candidates_are_told_apart_by_a_vote_that_is_a_step_of_its_own(docker_sandbox):
    """Two candidates the checks cannot tell apart run on drawn inputs beside the brute
    force; the one agreeing with the majority wins, and the vote is in the trajectory."""
    package = LIBRARY / "temperature-swing"
    folders = read_submissions(package)
    right = folders["accepted"][0].read_text()
    wrong = folders["wrong_answer"][0].read_text()
    problem = load_problem(package)
    client = ModelClient(ModelSettings(model="unused", base_url="http://127.0.0.1:9/v1",
                                       api_key="x"))
    ctx = Context(problem=problem, client=client, sandbox=docker_sandbox,
                  options=FlowOptions(selection_inputs=12),
                  trajectory=Trajectory(problem=problem.id, model="unused", options={}))
    ctx.spec = InputSpec.model_validate(problem.input_spec)
    ctx.brute = Program(source=folders["brute_force"][0].read_text())
    both = [Candidate(index=0, code=wrong, passes_samples=True, stressed=True),
            Candidate(index=1, code=right, passes_samples=True, stressed=True)]
    assert select(ctx, both).code == right
    vote = ctx.trajectory.steps[-1]
    assert vote.name == "select" and vote.candidate == 1, vote
    assert vote.data["agreement"]["1.0"] == 12 > vote.data["agreement"]["0.0"], vote.data
    assert vote.summary == "candidate 1 (version 0) agrees on 12/12 inputs"


def test_an_interactive_problem_is_refused_in_one_line_not_solved_blind(tmp_path):
    done = cpagent("solve", LIBRARY / "hidden-floor", "--model", "scripted", "--base-url",
                   "http://127.0.0.1:9/v1", env={"CPAGENT_HOME": str(tmp_path),
                                                 "CPAGENT_API_KEY": "x"})
    assert_one_line_error(done, "hidden-floor is interactive: solving interactive problems")
