"""Every library problem, judged for real: accepted submissions pass (on CPython and PyPy),
every other submission gets the verdict its folder names, and the brute force agrees with
the samples."""

from __future__ import annotations

import pytest

from cpagent.problems.formats.kattis import read_submissions
from cpagent.problems.load import load_problem
from cpagent.sandbox import Program, Verdict, judge
from tests.conftest import LIBRARY

pytestmark = pytest.mark.docker

EXPECTED = {
    "accepted": Verdict.AC,
    "wrong_answer": Verdict.WA,
    "time_limit_exceeded": Verdict.TLE,
    "run_time_error": Verdict.RE,
}
PROBLEMS = sorted(p.name for p in LIBRARY.iterdir() if (p / "problem.yaml").exists())
SUBMISSIONS = [
    pytest.param(name, folder, path, id=f"{name}/{folder}/{path.name}")
    for name in PROBLEMS
    for folder, paths in read_submissions(LIBRARY / name).items()
    if folder in EXPECTED
    for path in paths
]


def test_library_is_complete():
    assert len(PROBLEMS) >= 8
    for name in PROBLEMS:
        problem = load_problem(LIBRARY / name)
        folders = read_submissions(LIBRARY / name)
        assert set(EXPECTED) | {"brute_force"} <= set(folders), name
        assert problem.samples() and problem.tests_of("secret"), name
        assert problem.statement.strip(), name
    kinds = {load_problem(LIBRARY / name).checker.kind for name in PROBLEMS}
    assert {"tokens", "float", "kattis"} <= kinds


@pytest.mark.parametrize(("name", "folder", "path"), SUBMISSIONS)
def test_submission_gets_its_folders_verdict(docker_sandbox, name, folder, path):
    problem = load_problem(LIBRARY / name)
    report = judge(docker_sandbox, Program(source=path.read_text()), problem)
    assert report.verdict is EXPECTED[folder], [
        (t.name, t.verdict.value, t.message[:80]) for t in report.tests if not t.verdict.accepted
    ]


@pytest.mark.parametrize("name", PROBLEMS)
def test_accepted_on_pypy_and_brute_force_on_samples(docker_sandbox, name):
    problem = load_problem(LIBRARY / name)
    folders = read_submissions(LIBRARY / name)
    for path in folders["accepted"]:
        report = judge(docker_sandbox, Program(source=path.read_text(), lang="pypy"), problem)
        assert report.accepted, (path.name, report.first_failure())
    for path in folders["brute_force"]:
        report = judge(docker_sandbox, Program(source=path.read_text()), problem,
                       tests=problem.samples())
        assert report.accepted, (path.name, report.first_failure())
