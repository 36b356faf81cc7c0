"""Interactive problems as the readers see them: a Kattis package's output validator is its
interactor, a plain statement takes the interactor.py beside it, and a problem without an
interactor (Competitive Companion sends none) is refused with a message saying so."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cpagent.problems.formats.kattis import read_submissions
from cpagent.problems.load import load_problem
from cpagent.problems.model import ProgramChecker
from cpagent.sandbox import SandboxError
from cpagent.sandbox.interactive import interactor_of
from tests.conftest import FIXTURES, LIBRARY, assert_one_line_error, cpagent

INTERACTIVE = ["hidden-floor", "tallest-mast"]
INTERACTOR = "import sys\nprint(open(sys.argv[1]).read(), flush=True)\nsys.exit(42)\n"


@pytest.mark.parametrize("name", INTERACTIVE)
def test_library_interactive_package_reads_its_output_validator_as_the_interactor(name):
    problem = load_problem(LIBRARY / name)
    assert problem.interactive
    assert interactor_of(problem).source.startswith('"""')
    assert all(t.answer is None for t in problem.tests)  # the interactor holds the truth
    folders = read_submissions(LIBRARY / name)
    names = {path.name for path in folders["time_limit_exceeded"]}
    assert "forgets_flush.py" in names
    assert any("too_many" in p.name or "sorts" in p.name for p in folders["wrong_answer"])


def test_statement_with_an_interactor_beside_it_is_interactive_with_the_files_as_tests(
        tmp_path):
    (tmp_path / "guess.md").write_text(
        "# Guess\n\nGuess the number.\n\n## Interaction\n\nAsk.\n\n"
        "## Example\n\n### Input 1\n\n```\n5\n```\n\n### Output 1\n\n```\n! 5\n```\n")
    (tmp_path / "interactor.py").write_text(INTERACTOR)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "1.in").write_text("7\n")
    (tmp_path / "tests" / "2.in").write_text("9\n")
    (tmp_path / "tests" / "2.ans").write_text("9\n")
    problem = load_problem(tmp_path / "guess.md")
    assert problem.interactive
    assert problem.checker == ProgramChecker(kind="kattis", source=INTERACTOR)
    assert [(t.name, t.input, t.answer, t.kind) for t in problem.tests] == [
        ("tests/1", "7\n", None, "secret"), ("tests/2", "9\n", "9\n", "secret")]


def test_statement_without_an_interactor_beside_it_keeps_its_samples(tmp_path):
    (tmp_path / "sum.md").write_text(
        "# Sum\n\n## Example\n\n### Input 1\n\n```\n1 2\n```\n\n### Output 1\n\n```\n3\n```\n")
    problem = load_problem(tmp_path / "sum.md")
    assert not problem.interactive and [t.input for t in problem.samples()] == ["1 2\n"]


def companion_task(folder: Path) -> Path:
    """What the extension POSTs for an interactive Codeforces problem: samples, no
    interactor."""
    task = json.loads((FIXTURES / "companion" / "two_sums.json").read_text())
    task.update(name="D. Guess", url="https://codeforces.com/contest/100001/problem/D",
                interactive=True, tests=[{"input": "5\n", "output": "! 5\n"}])
    path = folder / "guess.json"
    path.write_text(json.dumps(task))
    return path


def test_companion_interactive_task_needs_an_interactor(tmp_path):
    problem = load_problem(companion_task(tmp_path))
    assert problem.interactive
    with pytest.raises(SandboxError, match="is interactive and needs an interactor"):
        interactor_of(problem)


@pytest.mark.docker
def test_judging_a_companion_interactive_task_says_it_needs_an_interactor(tmp_path):
    solution = tmp_path / "sol.py"
    solution.write_text("print(1)\n")
    done = cpagent("judge", solution, companion_task(tmp_path))
    assert_one_line_error(done, "needs an interactor")


def legacy_copy(folder: Path) -> Path:
    """Hidden Floor in the legacy Kattis layout: `validation: custom interactive` and the
    interactor in a folder of output_validators/."""
    source = LIBRARY / "hidden-floor"
    root = folder / "floor"
    (root / "output_validators" / "concierge").mkdir(parents=True)
    (root / "problem.yaml").write_text("name: Hidden Floor\nvalidation: custom interactive\n"
                                       "limits:\n  time_limit: 1\n")
    shutil.copy(source / "output_validator" / "interactor.py",
                root / "output_validators" / "concierge" / "interactor.py")
    shutil.copytree(source / "data", root / "data")
    return root


def test_legacy_package_with_custom_interactive_validation_reads_its_interactor(tmp_path):
    problem = load_problem(legacy_copy(tmp_path))
    assert problem.interactive
    assert interactor_of(problem) == interactor_of(load_problem(LIBRARY / "hidden-floor"))


@pytest.mark.docker
def test_judge_command_runs_a_legacy_interactive_package_and_a_statement_with_interactor(
        tmp_path):
    accepted = LIBRARY / "hidden-floor" / "submissions" / "accepted" / "binary_search.py"
    done = cpagent("judge", accepted, legacy_copy(tmp_path), "--json")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert json.loads(done.stdout)["passed"] == 7
    statement = tmp_path / "plain" / "floor.md"
    statement.parent.mkdir()
    statement.write_text((LIBRARY / "hidden-floor" / "statement" / "problem.en.md").read_text())
    shutil.copy(LIBRARY / "hidden-floor" / "output_validator" / "interactor.py",
                statement.parent / "interactor.py")
    (statement.parent / "tests").mkdir()
    for name in ("01-one-floor.in", "03-tallest-ground.in"):
        shutil.copy(LIBRARY / "hidden-floor" / "data" / "secret" / name,
                    statement.parent / "tests" / name)
    flush = LIBRARY / "hidden-floor" / "submissions" / "time_limit_exceeded" / "forgets_flush.py"
    done = cpagent("judge", flush, statement, "--json")
    report = json.loads(done.stdout)
    assert done.returncode == 1 and report["verdict"] == "TLE", done.stderr[-2000:]
    assert [t["verdict"] for t in report["tests"]] == ["AC", "TLE"]  # one floor: no question
    assert "idleness" in report["tests"][1]["message"]
