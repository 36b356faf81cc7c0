"""Interactive judging: the solution and the interactor in separate sandboxed processes,
joined only through the runner's relay, with verdicts from evidence.

The hostile cases (a solution that floods the interactor, closes its stdout early, never
reads, leaves a process behind, or goes after the interactor's files) run against the
library's Hidden Floor interactor, in a pool of their own, which must leave no container."""

from __future__ import annotations

import json
import textwrap

import pytest

from cpagent.problems.load import load_problem
from cpagent.problems.model import Limits, TestCase
from cpagent.problems.spec import InputSpec
from cpagent.sandbox import Program, Verdict, judge, open_sandbox
from cpagent.sandbox.docker_backend import connect
from cpagent.sandbox.image import LABEL
from cpagent.sandbox.interactive import (
    Exchange,
    Interaction,
    InteractorRun,
    interactor_of,
    run_interactive,
    verdict_of,
)
from cpagent.sandbox.model import Execution
from cpagent.sandbox.stress import stress
from tests.conftest import LIBRARY

FLOOR = load_problem(LIBRARY / "hidden-floor")
INTERACTOR = interactor_of(FLOOR)
# RLIMIT_CPU 1 s, wall limit 3.5 s: for programs meant to run out of time.
QUICK = Limits(time_s=0.5, memory_mb=256, output_mb=1)
SEARCH = """
import sys
n = int(sys.stdin.readline())
lo, hi = 1, n
while lo < hi:
    mid = (lo + hi) // 2
    print("?", mid, flush=True)
    if sys.stdin.readline().strip() == ">":
        lo = mid + 1
    else:
        hi = mid
print("!", lo, flush=True)
"""


def floor_test(n: int, x: int) -> TestCase:
    return TestCase(name=f"{n}-{x}", input=f"{n} {x}\n")


def run(box, source: str, tests=None, limits=QUICK):
    tests = tests or [floor_test(100, 37)]
    pairs = run_interactive(box, Program(source=textwrap.dedent(source)), INTERACTOR, tests,
                            limits)
    return [(verdict_of(execution, interaction), execution, interaction)
            for execution, interaction in pairs]


@pytest.fixture(scope="module")
def fresh_box():
    box = open_sandbox("docker", size=1)
    created, create = [], box._create

    def recorded(memory_mb: int):
        slot = create(memory_mb)
        created.append(slot.container.id)
        return slot

    box._create = recorded
    yield box
    box.close()
    client = connect()
    ours = {c.id for c in client.containers.list(all=True, filters={"label": LABEL})}
    client.close()
    assert created and not ours & set(created)  # the hostile cases left no container


# -- verdicts from evidence, without a sandbox --------------------------------------------


def interaction(**fields) -> Interaction:
    inter = fields.pop("interactor", {})
    return Interaction(interactor=InteractorRun(**inter), **fields)


def test_a_rejection_before_the_solution_ended_is_wrong_answer_even_if_it_then_crashed():
    crashed = Execution(status="re", exit_code=1, reason="exit code 1: EOFError")
    told = interaction(first="interactor", interactor={"exit_code": 43, "message": "no"})
    assert verdict_of(crashed, told) == (Verdict.WA, "no")


def test_a_crash_before_the_interactor_rejected_is_a_runtime_error():
    crashed = Execution(status="re", exit_code=1, reason="exit code 1: ValueError")
    told = interaction(first="solution", interactor={"exit_code": 43, "message": "EOF"})
    assert verdict_of(crashed, told) == (Verdict.RE, "exit code 1: ValueError")


def test_a_solution_dead_before_the_rejection_keeps_its_verdict_though_reaped_after_it():
    # Out of CPU; the interactor read EOF and rejected, and its exit may be heard before the
    # solution's: the solution, dead already, was not killed for the rejection.
    spent = Execution(status="tle", signal=24, reason="1.02s of CPU time, limit 0.5s")
    told = interaction(first="solution", interactor={"exit_code": 43, "message": "stopped"})
    assert verdict_of(spent, told) == (Verdict.TLE, "1.02s of CPU time, limit 0.5s")


def test_idleness_is_a_time_limit_whatever_the_interactor_said():
    stuck = Execution(status="tle", reason="still running")
    verdict, message = verdict_of(stuck, interaction(idle=True, interactor={"killed": "idle"}))
    assert verdict is Verdict.TLE and "idleness" in message


def test_an_interactor_that_neither_accepts_nor_rejects_is_an_internal_error():
    ok = Execution(status="ok", exit_code=0)
    told = interaction(first="solution", interactor={"exit_code": 1, "stderr": "Traceback\n"
                                                     "KeyError: 3\n"})
    assert verdict_of(ok, told) == (Verdict.IE, "the interactor exited with code 1: KeyError: 3")


def test_transcript_marks_each_sides_lines():
    told = interaction(transcript=[Exchange(side="interactor", text="10\n"),
                                   Exchange(side="solution", text="? 5\n! 5\n")])
    assert told.transcript_text() == "< 10\n> ? 5\n> ! 5"


# -- the real thing ------------------------------------------------------------------------

@pytest.mark.docker
def test_accepted_search_is_accepted_with_its_transcript(docker_sandbox):
    (verdict, message), _, told = run(docker_sandbox, SEARCH, [floor_test(10, 7)])[0]
    assert verdict is Verdict.AC, message
    assert told.transcript_text().splitlines() == [
        "< 10", "> ? 5", "< >", "> ? 8", "< <", "> ? 7", "< =", "> ? 6", "< >", "> ! 7"]


@pytest.mark.docker
def test_a_solution_that_floods_the_interactor_with_one_endless_line_stops_at_its_output_limit(
        fresh_box):
    (verdict, message), execution, told = run(fresh_box, """
        import sys
        sys.stdin.readline()
        while True:
            sys.stdout.write("?" * 65536)
            sys.stdout.flush()
    """)[0]
    assert verdict is Verdict.OLE, message
    assert told.bytes_sent["solution"] > QUICK.output_mb << 20
    assert told.transcript_cut


@pytest.mark.docker
def test_a_solution_that_closes_its_stdout_early_is_rejected_not_left_waiting(fresh_box):
    (verdict, message), _, told = run(fresh_box, """
        import os, sys
        sys.stdin.readline()
        os.close(1)
        sys.stdin.readline()  # EOF once the interactor has given up
    """)[0]
    assert (verdict, message) == (Verdict.WA, "the program stopped before naming the floor, "
                                  "after 0 questions")
    assert told.first == "solution"


@pytest.mark.docker
def test_a_solution_that_never_reads_and_computes_runs_out_of_cpu_time(fresh_box):
    (verdict, message), execution, _ = run(fresh_box, """
        print("? 1", flush=True)
        while True:
            pass
    """)[0]
    # Out of CPU time, or of wall time on a loaded machine: never taken for idle.
    assert verdict is Verdict.TLE and "idleness" not in message, message


@pytest.mark.docker
def test_a_solution_that_never_reads_and_waits_is_idle(fresh_box):
    (verdict, message), _, told = run(fresh_box, """
        import time
        print("? 1", flush=True)
        time.sleep(60)
    """)[0]
    assert verdict is Verdict.TLE and "idleness" in message, message
    # Both spoke first (the question and n cross), then the interactor answered.
    lines = told.transcript_text().splitlines()
    assert sorted(lines) == ["< 100", "< >", "> ? 1"] and lines[-1] == "< >"


@pytest.mark.docker
def test_a_solution_that_forgets_to_flush_hangs_instead_of_passing(fresh_box):
    unflushed = SEARCH.replace(", flush=True)", ")")
    (verdict, message), _, told = run(fresh_box, unflushed)[0]
    assert verdict is Verdict.TLE and "idleness" in message, message
    assert told.transcript_text() == "< 100"  # the question never left the solution


@pytest.mark.docker
def test_a_solution_cannot_read_the_interactors_files_or_the_secret(fresh_box):
    (verdict, message), execution, _ = run(fresh_box, """
        import json, os, sys
        sys.stdin.readline()
        found = {}
        paths = ["/box/judge/data/input", "/box/judge/data/sol.py", "/box/judge/run/feedback"]
        for pid in os.listdir("/proc"):
            if pid.isdigit() and int(pid) != os.getpid():
                paths += [f"/proc/{pid}/cwd/feedback", f"/proc/{pid}/fd/0", f"/proc/{pid}/environ"]
        for path in paths:
            try:
                found[path] = os.listdir(path) if os.path.isdir(path) else open(path).read(80)
            except OSError as exc:
                continue
        print(json.dumps(found), file=sys.stderr)
        print("! 1", flush=True)
    """, [floor_test(777, 123)])[0]
    found = json.loads(execution.stderr)
    assert not [v for v in found.values() if "777" in str(v) or "123" in str(v)], found
    assert "/box/judge/data/input" not in found
    assert verdict is Verdict.WA  # and so it had to guess


@pytest.mark.docker
def test_a_process_left_behind_is_gone_before_the_next_test(fresh_box):
    leave_one = textwrap.dedent("""
        import os, sys, time
        n = int(sys.stdin.readline())
        if n == 2 and os.fork() == 0:
            os.setsid()
            time.sleep(60)
        me = os.getuid()
        others = [p for p in os.listdir("/proc") if p.isdigit() and int(p) != os.getpid()
                  and os.stat("/proc/" + p).st_uid == me]
        print(f"{n}: {others}", file=sys.stderr)
    """) + SEARCH.replace("n = int(sys.stdin.readline())", "")
    results = run(fresh_box, leave_one, [floor_test(2, 2), floor_test(3, 1)])
    assert [verdict for (verdict, _), _, _ in results] == [Verdict.AC, Verdict.AC]
    assert results[1][1].stderr.strip() == "3: []"


@pytest.mark.docker
def test_judge_reports_a_query_limit_as_wrong_answer_with_the_interactors_message(
        docker_sandbox):
    walk = (LIBRARY / "hidden-floor/submissions/wrong_answer/too_many_questions.py").read_text()
    tests = [floor_test(1000, 999)]
    report = judge(docker_sandbox, Program(source=walk), FLOOR, tests=tests)
    assert (report.verdict, report.tests[0].message) == (Verdict.WA, "more than 30 questions")
    assert report.tests[0].output.splitlines()[-2:] == ["< >", "> ? 31"]  # no answer to it


def test_local_backend_judges_interactively_too(local_sandbox):
    (verdict, message), _, _ = run(local_sandbox, SEARCH, [floor_test(10**9, 10**9)])[0]
    assert verdict is Verdict.AC, message


@pytest.mark.docker
def test_stress_shrinks_a_failing_secret_and_keeps_both_transcripts(docker_sandbox):
    wrong = (LIBRARY / "hidden-floor/submissions/wrong_answer/never_top_floor.py").read_text()
    brute = (LIBRARY / "hidden-floor/submissions/brute_force/brute.py").read_text()
    spec = InputSpec.model_validate(FLOOR.input_spec)
    report = stress(docker_sandbox, Program(source=wrong), Program(source=brute), FLOOR, spec,
                    budget_s=20, shrink_s=10)
    case = report.counterexample
    assert report.status == "counterexample" and case is not None, report
    # The smallest tower whose top floor holds the parcel: the one secret it misses there.
    assert (case.input, case.verdict) == ("2 2\n", Verdict.WA)
    assert case.candidate_output == "< 2\n> ! 1"
    assert case.reference_output.endswith("> ! 2")


@pytest.mark.docker
def test_stress_reports_a_secret_the_interactor_cannot_take(docker_sandbox):
    # A spec that puts the parcel above the top floor: every solution fails there, the
    # reference too, so the failing secret is the spec's fault, not the candidate's.
    spec = InputSpec.model_validate({"input": [{"type": "line", "items": [
        {"name": "n", "min": 1, "max": 3}, {"name": "x", "min": 4, "max": 5}]}]})
    report = stress(docker_sandbox, Program(source=SEARCH), Program(source=SEARCH), FLOOR,
                    spec, budget_s=10, shrink_s=2)
    assert report.status == "reference_failed", report
