"""Polygon packages: our own fixture (tests/fixtures/polygon/largest-step) read whole and
broken one piece at a time, the shared descriptor from a real package, and `cpagent judge`
on the fixture in the sandbox."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cpagent.problems import ProblemFormatError
from cpagent.problems.errors import MissingAnswer
from cpagent.problems.formats.polygon import read_descriptor
from cpagent.problems.formats.statement import parse_statement
from cpagent.problems.load import detect_format, load_problem
from cpagent.problems.model import FloatChecker, Limits, TokenChecker
from cpagent.problems.sets import load_problem_set
from tests.conftest import SHARED, assert_one_line_error, cpagent, needs_shared

PACKAGE = Path(__file__).parents[1] / "fixtures" / "polygon" / "largest-step"


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A writable copy of the fixture, to break in one place."""
    return Path(shutil.copytree(PACKAGE, tmp_path / PACKAGE.name))


def edit_xml(root: Path, old: str, new: str) -> None:
    xml = root / "problem.xml"
    text = xml.read_text()
    assert old in text
    xml.write_text(text.replace(old, new))


def error_of(path: Path, kind: type[Exception] = ProblemFormatError) -> str:
    with pytest.raises(kind) as error:
        load_problem(path)
    message = str(error.value)
    assert "\n" not in message
    return message


def test_the_package_gives_title_limits_tests_checker_and_tags():
    problem = load_problem(PACKAGE)
    assert (problem.id, problem.title) == ("largest-step", "Largest Step")  # English first
    assert problem.limits == Limits(time_s=1.0, memory_mb=256)
    # Test 4 is generated and not in the package: skipped; samples come first.
    assert [(t.name, t.kind) for t in problem.tests] == [
        ("01", "sample"), ("02", "sample"), ("03", "secret")]
    assert problem.tests[2].input == "4\n1 1000000000 999999999 1000000000\n"
    assert problem.tests[2].answer == "999999999\n"
    assert problem.checker == TokenChecker()
    assert problem.tags == ["implementation"]


def test_the_statement_is_the_sections_with_the_samples_as_examples():
    problem = load_problem(PACKAGE)
    text = problem.statement
    assert text.startswith("# Largest Step\n\nA hiking trail")
    order = [text.index(h) for h in ("## Input", "## Output", "## Examples", "## Note")]
    assert order == sorted(order)
    # Our statement reader finds the same samples in it again.
    again = parse_statement(text, id="again")
    assert [(t.input, t.answer) for t in again.samples()] == [
        (t.input, t.answer) for t in problem.samples()]


def test_without_sample_flags_the_statement_sections_examples_are_the_samples(package):
    edit_xml(package, ' sample="true"', "")
    english = package / "statement-sections" / "english"
    (english / "example.01").write_text("3\n1 4 2\n")
    (english / "example.01.a").write_text("3\n")
    problem = load_problem(package)
    assert [(t.name, t.kind, t.input, t.answer) for t in problem.samples()] == [
        ("example-01", "sample", "3\n1 4 2\n", "3\n")]
    assert [t.kind for t in problem.tests].count("secret") == 3
    assert "### Input 1\n\n```\n3\n1 4 2\n```" in problem.statement


def test_the_descriptor_file_itself_names_the_package():
    assert detect_format(PACKAGE / "problem.xml") == "polygon"
    assert load_problem(PACKAGE / "problem.xml").id == "largest-step"


def test_without_statement_sections_the_whole_problem_tex_is_the_statement(package):
    shutil.rmtree(package / "statement-sections")
    tex = package / "statements" / "english" / "problem.tex"
    tex.parent.mkdir(parents=True)
    tex.write_text("\\begin{problem}{Largest Step}{standard input}{standard output}"
                   "{1 second}{256 megabytes}\nbody\n\\end{problem}\n")
    assert load_problem(package).statement == tex.read_text()


@pytest.mark.parametrize(("name", "expected"), [
    ("std::wcmp.cpp", TokenChecker()),
    ("std::yesno.cpp", TokenChecker(case_sensitive=False)),
    ("std::rcmp6.cpp", FloatChecker(abs_tol=1e-6, rel_tol=1e-6)),
    ("std::rcmp9.cpp", FloatChecker(abs_tol=1e-9, rel_tol=1e-9)),
    ("std::acmp.cpp", FloatChecker(abs_tol=1e-6, rel_tol=0.0)),
    ("std::rcmp.cpp", FloatChecker(abs_tol=1.5e-6, rel_tol=0.0)),
])
def test_testlib_standard_checkers_map_to_ours(package, name, expected):
    edit_xml(package, 'name="std::ncmp.cpp"', f'name="{name}"')
    assert load_problem(package).checker == expected


@pytest.mark.parametrize(("old", "new", "fragment"), [
    ('<checker name="std::ncmp.cpp" type="testlib">', '<checker type="testlib">',
     "own checker is C++"),
    ('name="std::ncmp.cpp"', 'name="std::uncmp.cpp"', "std::uncmp.cpp has no counterpart"),
    ("<solutions>", '<interactor><source path="files/interactor.cpp"/></interactor><solutions>',
     "interactive"),
    ('input-file=""', 'input-file="steps.in"', "steps.in"),
    ("<time-limit>1000</time-limit>", "<time-limit>fast</time-limit>", "<time-limit>"),
    ("</problem>", "</problm>", "not well-formed XML"),
    ("<tests>\n", "<tests>\n<test method=\"manual\"/>\n", "test 4 is missing"),
])
def test_what_the_sandbox_cannot_run_or_read_is_refused_in_one_line(package, old, new,
                                                                      fragment):
    edit_xml(package, old, new)
    assert fragment in error_of(package)


def test_a_test_without_its_answer_is_a_missing_answer(package):
    (package / "tests" / "03.a").unlink()
    assert "03.a" in error_of(package, MissingAnswer)


def test_a_package_with_none_of_its_tests_is_refused(package):
    shutil.rmtree(package / "tests")
    (package / "tests").mkdir()
    edit_xml(package, 'method="manual"', 'method="generated"')
    assert "none of its 4 tests" in error_of(package)


def test_bad_input_through_the_cli_is_one_line_and_exit_2(package, tmp_path):
    edit_xml(package, "</problem>", "</problm>")
    solution = tmp_path / "sol.py"
    solution.write_text("print(0)\n")
    assert_one_line_error(cpagent("judge", solution, package), "not well-formed XML")


@pytest.mark.docker
def test_judge_runs_a_solution_on_the_package(docker_sandbox, tmp_path):
    solution = tmp_path / "sol.py"
    solution.write_text("input()\nh = list(map(int, input().split()))\n"
                        "print(max(abs(a - b) for a, b in zip(h, h[1:])))\n")
    done = cpagent("judge", solution, PACKAGE, "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["verdict"] == "AC" and report["passed"] == report["total"] == 3
    solution.write_text("input()\nh = list(map(int, input().split()))\n"
                        "print(abs(h[-1] - h[-2]))\n")  # right on both samples only
    done = cpagent("judge", solution, PACKAGE, "--json")
    assert done.returncode == 1 and json.loads(done.stdout)["verdict"] == "WA"


@needs_shared
def test_the_shared_descriptor_of_a_real_package():
    xml = SHARED / "formats" / "polygon" / "problem.xml"
    descriptor = read_descriptor(xml.read_text(), str(xml))
    assert descriptor.short_name == "palindromes-master"
    assert (descriptor.time_s, descriptor.memory_mb) == (15.0, 1024)
    assert len(descriptor.tests) == 519
    assert sum(t.method == "manual" for t in descriptor.tests) == 90
    assert descriptor.checker == "std::ncmp.cpp" and not descriptor.interactive
    assert descriptor.tags == ["palindrome"]
    # Only the descriptor is shared, not its tests: reading the folder says what is missing.
    assert "test 1 is missing" in error_of(xml.parent)


def test_a_folder_of_packages_is_a_problem_set_for_batch_runs(tmp_path):
    shutil.copytree(PACKAGE, tmp_path / "set" / "a-largest-step")
    shutil.copytree(Path(__file__).parents[1] / "fixtures" / "kattis" / "pairsum",
                    tmp_path / "set" / "b-pairsum")
    (tmp_path / "set" / "notes").mkdir()  # neither kind of package: not a problem
    problems = load_problem_set([tmp_path / "set"])
    # A Kattis package is named by its folder, a Polygon one by its short name.
    assert [p.id for p in problems] == ["largest-step", "b-pairsum"]


@pytest.mark.docker
def test_stress_without_a_spec_infers_the_layout_from_the_samples(docker_sandbox, tmp_path):
    reference, wrong = tmp_path / "ref.py", tmp_path / "last.py"
    reference.write_text("input()\nh = list(map(int, input().split()))\n"
                         "print(max(abs(a - b) for a, b in zip(h, h[1:])))\n")
    wrong.write_text("input()\nh = list(map(int, input().split()))\nprint(abs(h[-1] - h[-2]))\n")
    done = cpagent("stress", wrong, PACKAGE, "--reference", reference, "--budget", "20",
                   "--json")
    assert "inferred from the samples" in done.stderr
    report = json.loads(done.stdout)
    assert report["status"] == "counterexample", report
    lines = report["counterexample"]["input"].split("\n")
    h = list(map(int, lines[1].split()))
    assert int(lines[0]) == len(h)  # the samples' layout: n, then n numbers
    assert max(abs(a - b) for a, b in zip(h, h[1:], strict=False)) != abs(h[-1] - h[-2])


def test_largest_inputs_take_their_sizes_from_the_statements_bounds(tmp_path):
    """No spec in the package: the samples give the layout, the statement (2 <= n <= 2*10^5,
    1 <= h_i <= 10^9) the sizes that `timing` and `gen --mode max` need."""
    solution = tmp_path / "sol.py"
    solution.write_text("input()\nh = list(map(int, input().split()))\n"
                        "print(max(abs(a - b) for a, b in zip(h, h[1:])))\n")
    timed = cpagent("timing", solution, PACKAGE, "--json")
    assert timed.returncode == 0, timed.stderr
    assert "sizes and values as the statement bounds them" in timed.stderr
    assert json.loads(timed.stdout)["outlook"] == "fits"
    made = cpagent("gen", PACKAGE, "--mode", "max", "-n", "1", "--out", tmp_path / "max")
    assert made.returncode == 0, made.stderr
    n, h = (tmp_path / "max" / "gen-max-1.in").read_text().split("\n")[:2]
    assert int(n) == 200000 == len(h.split()) and max(map(int, h.split())) > 10**8


def test_largest_inputs_need_bounds_from_a_spec_or_the_statement(tmp_path):
    """A Competitive Companion problem carries samples but no statement: its samples give
    a layout and nothing says how large an input may be."""
    solution = tmp_path / "sol.py"
    solution.write_text("print(0)\n")
    problem = Path(__file__).parents[1] / "fixtures" / "companion" / "two_sums.json"
    for done in (cpagent("timing", solution, problem),
                 cpagent("gen", problem, "--mode", "max", "--out", tmp_path / "max")):
        assert_one_line_error(done, "say how large an input may be")
    assert not (tmp_path / "max").exists()
