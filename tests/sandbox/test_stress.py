"""Stress testing for real: every library wrong answer that passes the samples is caught
against the brute force within 60 seconds, with a small counterexample; a crashing
reference is reported as such; timing on maximum inputs tells a quadratic from a linear
solution; and the CLI's bad inputs are one line and exit code 2."""

from __future__ import annotations

import json

import pytest

from cpagent.problems.formats.kattis import read_submissions
from cpagent.problems.load import load_problem
from cpagent.problems.spec import InputSpec
from cpagent.sandbox import Program, judge
from cpagent.sandbox.stress import stress
from cpagent.sandbox.timing import TimingPoint, fit_growth, time_on_max
from tests.conftest import LIBRARY, assert_one_line_error, cpagent

PROBLEMS = sorted(p.name for p in LIBRARY.iterdir() if (p / "problem.yaml").exists())
WRONG = [
    pytest.param(name, path, id=f"{name}/{path.name}")
    for name in PROBLEMS
    for path in read_submissions(LIBRARY / name).get("wrong_answer", [])
]
# Counterexamples are minimal inputs: a handful of tokens, not pages.
SMALL = 60


def _setup(name: str):
    problem = load_problem(LIBRARY / name)
    spec = InputSpec.model_validate(problem.input_spec)
    brute = read_submissions(LIBRARY / name)["brute_force"][0]
    return problem, spec, Program(source=brute.read_text())


@pytest.mark.docker
@pytest.mark.parametrize(("name", "path"), WRONG)
def test_wrong_answers_that_pass_the_samples_are_caught(docker_sandbox, name, path):
    problem, spec, brute = _setup(name)
    candidate = Program(source=path.read_text())
    samples = judge(docker_sandbox, candidate, problem, tests=problem.samples())
    if not samples.accepted:
        pytest.skip("fails the samples already: nothing for stress to add")
    report = stress(docker_sandbox, candidate, brute, problem, spec, budget_s=60)
    assert report.status == "counterexample", report
    case = report.counterexample
    assert case is not None and len(case.input) <= SMALL, case.input
    assert case.candidate_output != case.reference_output or case.verdict.value != "WA"
    # The counterexample is real: judging the candidate on it with the brute force's
    # answer fails, and the input fits the spec.
    spec.validate(case.input)
    print(f"{name}/{path.name}: {len(case.input)} chars after {report.tried} inputs, "
          f"{report.seconds}s (first found: {len(report.first_found or '')} chars)")


@pytest.mark.docker
def test_accepted_solution_survives_stress(docker_sandbox):
    problem, spec, brute = _setup("fair-shipment")
    accepted = read_submissions(LIBRARY / "fair-shipment")["accepted"][0]
    report = stress(docker_sandbox, Program(source=accepted.read_text()), brute, problem, spec,
                    budget_s=8)
    assert report.status == "passed" and report.tried >= 40, report


@pytest.mark.docker
def test_a_crashing_reference_is_reported(docker_sandbox):
    problem, spec, brute = _setup("flood-level")
    crashing = Program(source="import sys\nprint(1 / (len(sys.stdin.read()) % 1))\n")
    report = stress(docker_sandbox, brute, crashing, problem, spec, budget_s=20)
    assert report.status == "reference_failed"
    spec.validate(report.reference_failure or "")


@pytest.mark.docker
def test_timing_tells_quadratic_from_linear(docker_sandbox):
    problem, spec, _ = _setup("ferry-crossings")
    folders = read_submissions(LIBRARY / "ferry-crossings")
    fast = time_on_max(docker_sandbox, Program(source=folders["accepted"][0].read_text()),
                       problem, spec, try_pypy=False)
    slow = time_on_max(docker_sandbox,
                       Program(source=folders["time_limit_exceeded"][0].read_text()),
                       problem, spec, try_pypy=False)
    assert fast.outlook in ("fits", "tight") and fast.predicted_s < problem.limits.time_s
    assert slow.outlook == "tle" and "faster algorithm" in slow.suggestion
    assert slow.exponent is not None and slow.exponent > 1.5


# Quadratic on CPython; on PyPy fast, but holding more memory than any limit here allows.
SLOW_HERE_FAT_ON_PYPY = """import platform, sys
data = sys.stdin.read().split()
if platform.python_implementation() == "PyPy":
    hog = b"x" * (2048 * 1024 * 1024)
n = len(data)
print(sum(1 for i in range(n) for j in range(n)))
"""


@pytest.mark.docker
def test_a_pypy_run_that_fails_is_no_fit(docker_sandbox):
    """A PyPy run past the memory limit once counted as a fit by its time alone: the flow
    then switched to PyPy and the verdict was MLE."""
    problem, spec, _ = _setup("ferry-crossings")
    report = time_on_max(docker_sandbox, Program(source=SLOW_HERE_FAT_ON_PYPY), problem, spec)
    assert report.outlook == "tle"
    assert report.pypy is not None and report.pypy.crash is not None
    assert report.pypy.crash.status == "mle", report.pypy.crash
    assert "PyPy" not in report.suggestion and "faster algorithm" in report.suggestion


def test_growth_fit_recovers_the_exponent():
    points = [TimingPoint(scale=s, size=int(1000 * s), cpu_s=0.2 * s * s, status="ok")
              for s in (1, 2, 4, 8)]
    assert fit_growth(points) == pytest.approx(2.0)
    assert fit_growth(points[:1]) is None


def test_a_run_cut_off_too_soon_to_fit_is_taken_to_grow_at_least_linearly():
    """One finished run above the floor, then a time-out at twice the size: there is no
    growth to fit, and the time used before the cut-off is no prediction (a quadratic
    program cut off at 1/256 of the size would otherwise outrank a linear one at 2 s)."""
    from cpagent.sandbox.timing import _predict

    points = [TimingPoint(scale=1 / 512, size=5_000, cpu_s=0.7, status="ok"),
              TimingPoint(scale=1 / 256, size=10_000, cpu_s=1.1, status="tle")]
    assert _predict(points, 2_560_000, None) == pytest.approx(0.7 * 512)
    assert _predict(points, 2_560_000, 2.0) == pytest.approx(0.7 * 512 ** 2)
    # Nothing measurable before the cut-off: only what it used is known.
    quick = [TimingPoint(scale=1 / 512, size=5_000, cpu_s=0.01, status="ok"),
             TimingPoint(scale=1 / 256, size=10_000, cpu_s=1.1, status="tle")]
    assert _predict(quick, 2_560_000, None) == 1.1


@pytest.mark.docker
def test_cli_stress_finds_and_prints_a_counterexample(docker_sandbox):
    pkg = LIBRARY / "fair-shipment"
    wrong = read_submissions(pkg)["wrong_answer"][0]
    brute = read_submissions(pkg)["brute_force"][0]
    done = cpagent("stress", wrong, pkg, "--reference", brute, "--budget", "60", "--json")
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert report["status"] == "counterexample" and report["tried"] >= 1


def test_cli_stress_spec_that_does_not_match_a_sample(tmp_path):
    pkg = LIBRARY / "flood-level"
    spec = tmp_path / "spec.yaml"
    spec.write_text("input:\n  - {type: line, items: [{name: n, min: 1, max: 5}]}\n")
    brute = read_submissions(pkg)["brute_force"][0]
    done = cpagent("stress", brute, pkg, "-r", brute, "--spec", spec)
    assert_one_line_error(done, "does not match")


def test_cli_stress_invalid_spec_file(tmp_path):
    pkg = LIBRARY / "flood-level"
    spec = tmp_path / "spec.yaml"
    spec.write_text("input:\n  - {type: wormhole}\n")
    brute = read_submissions(pkg)["brute_force"][0]
    assert_one_line_error(cpagent("stress", brute, pkg, "-r", brute, "--spec", spec), "spec")


@pytest.mark.docker
def test_cli_stress_crashing_reference(docker_sandbox, tmp_path):
    pkg = LIBRARY / "flood-level"
    crash = tmp_path / "crash.py"
    crash.write_text("raise SystemExit(3)\n")
    brute = read_submissions(pkg)["brute_force"][0]
    done = cpagent("stress", brute, pkg, "-r", crash, "--budget", "20")
    assert_one_line_error(done, "reference failed")


@pytest.mark.docker
def test_cli_gen_writes_oj_files_with_answers(docker_sandbox, tmp_path):
    pkg = LIBRARY / "workshop-orders"
    brute = read_submissions(pkg)["accepted"][0]
    done = cpagent("gen", pkg, "--mode", "tiny", "-n", "5", "-r", brute, "--out", tmp_path)
    assert done.returncode == 0, done.stderr
    ins, outs = sorted(tmp_path.glob("*.in")), sorted(tmp_path.glob("*.out"))
    assert len(ins) == len(outs) == 5
    spec = InputSpec.model_validate(load_problem(pkg).input_spec)
    for path in ins:
        spec.validate(path.read_text())
    # The folder reads back as a problem whose tests the reference passes.
    written = load_problem(tmp_path)
    assert len(written.tests) == 5
    assert judge(docker_sandbox, Program(source=brute.read_text()), written).accepted


@pytest.mark.docker
def test_cli_timing_flags_the_quadratic_solution(docker_sandbox):
    pkg = LIBRARY / "ferry-crossings"
    folders = read_submissions(pkg)
    slow = cpagent("timing", folders["time_limit_exceeded"][0], pkg, "--json")
    fast = cpagent("timing", folders["accepted"][0], pkg)
    assert slow.returncode == 1 and json.loads(slow.stdout)["outlook"] == "tle"
    assert fast.returncode == 0 and "predicted" in fast.stdout


def test_cli_gen_into_a_package_needs_a_reference():
    assert_one_line_error(cpagent("gen", LIBRARY / "flood-level", "-n", "2"), "--reference")


def test_a_run_the_wall_clock_stopped_before_its_cpu_limit_is_tle_not_tight():
    """On a loaded machine the wall-clock limit can stop a program that has used only part
    of its CPU time: that run is a time-out, whatever CPU time it shows."""
    from cpagent.sandbox.base import Sandbox
    from cpagent.sandbox.model import Execution

    class WallKilled(Sandbox):
        def run(self, program, jobs, limits, **_):  # noqa: ANN001, ANN003
            return [Execution(status="tle", cpu_s=0.6, wall_s=5.0, reason="wall time")
                    for _ in jobs]

    problem = load_problem(LIBRARY / "fair-shipment")
    spec = InputSpec.model_validate(problem.input_spec)
    report = time_on_max(WallKilled(), Program(source="pass"), problem, spec, try_pypy=False)
    assert report.points[-1].status == "tle" and report.points[-1].cpu_s == 0.6
    assert report.outlook == "tle" and report.predicted_s > problem.limits.time_s


def test_the_local_sandbox_takes_a_pool_size_as_the_docker_one_does():
    """Batch runs open either backend with `size=`; the local one has no pool to size."""
    from cpagent.sandbox import open_sandbox

    with pytest.warns(UserWarning, match="does not isolate"):
        box = open_sandbox("local", size=2)
    run = box.run(Program(source="print(input())"), ["7\n"], load_problem(
        LIBRARY / "fair-shipment").limits)
    assert run[0].status == "ok" and run[0].stdout.strip() == "7"
