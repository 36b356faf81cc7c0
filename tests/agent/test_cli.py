"""The `cpagent` command as a user runs it: exit codes 0/1/2, the report, --json, and one
line (never a traceback) for every kind of bad input."""

from __future__ import annotations

import json

import pytest

from tests.conftest import LIBRARY, ROOT, assert_one_line_error, cpagent

FIXTURES = ROOT / "tests" / "fixtures"
PROBLEM = LIBRARY / "ferry-crossings"
ACCEPTED = next((PROBLEM / "submissions" / "accepted").glob("*.py"))
WRONG = next((PROBLEM / "submissions" / "wrong_answer").glob("*.py"))
ADD_TWO = "a, b = map(int, input().split())\nprint(a + b)\n"
ADD_MANY = "for _ in range(int(input())):\n    print(sum(map(int, input().split())))\n"


@pytest.mark.docker
def test_judge_accepted_exits_0_with_a_table(docker_sandbox):
    done = cpagent("judge", ACCEPTED, PROBLEM)
    assert done.returncode == 0, done.stderr
    assert "AC" in done.stdout and "passed" in done.stdout
    assert "WA" not in done.stdout


@pytest.mark.docker
def test_judge_wrong_exits_1_and_shows_the_first_failure(docker_sandbox):
    done = cpagent("judge", WRONG, PROBLEM)
    assert done.returncode == 1
    for part in ("first failure", "input:", "expected:", "got:", "WA"):
        assert part in done.stdout


@pytest.mark.docker
def test_judge_json(docker_sandbox):
    done = cpagent("judge", WRONG, PROBLEM, "--json", "--lang", "pypy")
    report = json.loads(done.stdout)
    assert done.returncode == 1
    assert report["verdict"] == "WA" and report["lang"] == "pypy"
    assert report["total"] == len(report["tests"]) > report["passed"]


@pytest.mark.docker
@pytest.mark.parametrize(
    ("problem", "source"),
    [("oj/addtwo", ADD_TWO), ("oj/addtwo/test", ADD_TWO), ("statements/addtwo.md", ADD_TWO),
     ("companion/two_sums.json", ADD_MANY)],
)
def test_judge_recognises_formats_from_the_path(docker_sandbox, tmp_path, problem, source):
    solution = tmp_path / "sol.py"
    solution.write_text(source)
    done = cpagent("judge", solution, FIXTURES / problem, "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["passed"] >= 1


def test_missing_solution(tmp_path):
    assert_one_line_error(cpagent("judge", tmp_path / "nope.py", PROBLEM), "nope.py")


def test_missing_problem(tmp_path):
    assert_one_line_error(cpagent("judge", ACCEPTED, tmp_path / "nowhere"), "nowhere")


def test_malformed_problem_yaml(tmp_path):
    (tmp_path / "problem.yaml").write_text("name: [unclosed\n")
    (tmp_path / "data" / "sample").mkdir(parents=True)
    assert_one_line_error(cpagent("judge", ACCEPTED, tmp_path), "problem.yaml")


def test_test_without_answer(tmp_path):
    (tmp_path / "problem.yaml").write_text("name: Broken\n")
    sample = tmp_path / "data" / "sample"
    sample.mkdir(parents=True)
    (sample / "1.in").write_text("1 2\n")
    assert_one_line_error(cpagent("judge", ACCEPTED, tmp_path), "1.in")


def test_docker_not_running():
    done = cpagent("judge", ACCEPTED, PROBLEM, env={"DOCKER_HOST": "unix:///nonexistent.sock"})
    assert_one_line_error(done, "Docker is not reachable")


@pytest.mark.docker
def test_image_absent(docker_sandbox):
    done = cpagent("judge", ACCEPTED, PROBLEM, env={"CPAGENT_SANDBOX_IMAGE": "cpagent-nope:0"})
    assert_one_line_error(done, "cpagent-nope:0 is missing")


def test_unknown_language_is_a_usage_error():
    done = cpagent("judge", ACCEPTED, PROBLEM, "--lang", "cobol")
    assert done.returncode == 2 and "Traceback" not in done.stderr


@pytest.mark.docker
def test_doctor(docker_sandbox):
    done = cpagent("sandbox", "doctor")
    assert done.returncode == 0, done.stdout
    for name in ("python", "pypy", "no network", "unprivileged user", "read-only system"):
        assert f"ok  {name}" in done.stdout


def test_local_backend_warns(tmp_path):
    solution = tmp_path / "sol.py"
    solution.write_text(ADD_TWO)
    done = cpagent("judge", solution, FIXTURES / "oj" / "addtwo", "--sandbox", "local")
    assert done.returncode == 0, done.stderr
    assert "does not isolate" in done.stderr


def test_help_teaches():
    done = cpagent("judge", "--help")
    assert done.returncode == 0
    assert "Exit code 0" in done.stdout and "--lang" in done.stdout


def test_help_reflows_docstrings_and_keeps_placeholders():
    # Wide enough for a paragraph on one line: it breaks only where the terminal ends, not
    # where the docstring's source wraps.
    done = cpagent("stress", "--help", env={"COLUMNS": "240"})
    assert "1 with a counterexample, 2 on bad input (including" in done.stdout
    done = cpagent("solve", "--help", env={"COLUMNS": "240"})
    assert "<problem id>.py" in done.stdout
