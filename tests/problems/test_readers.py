"""The problem readers, the format detector and the Kattis writer.

Our own fixtures live in tests/fixtures/; the shared sample data (../shared/data) is read in
place and its tests skip when it is absent.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpagent.problems import (
    FloatChecker,
    Limits,
    MissingAnswer,
    Problem,
    ProblemFormatError,
    ProgramChecker,
    TestCase,
    TokenChecker,
    UnknownFormat,
    load_problem,
    write_kattis,
)
from cpagent.problems.formats import (
    iter_codecontests,
    read_codecontests,
    read_companion,
    read_kattis,
    read_oj,
    read_statement,
    read_submissions,
    reference_solution,
)
from cpagent.problems.formats.codecontests import restore_powers
from cpagent.problems.formats.companion import problem_id
from cpagent.problems.formats.kattis import checker_from_flags
from cpagent.problems.formats.statement import extract_samples, guess_checker, is_interactive

FIXTURES = Path(__file__).parents[1] / "fixtures"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
KATTIS_EXAMPLES = SHARED / "formats" / "kattis" / "examples"
COMPANION = SHARED / "formats" / "competitive_companion"
DEV = SHARED / "codecontests" / "dev.jsonl"

CIRCLE = FIXTURES / "kattis" / "circlearea"
PAIRSUM = FIXTURES / "kattis" / "pairsum"
TWO_JSONL = FIXTURES / "codecontests" / "two.jsonl"


def names(problem: Problem) -> list[str]:
    return [test.name for test in problem.tests]


def case_named(problem: Problem, name: str) -> TestCase:
    return next(test for test in problem.tests if test.name == name)


def assert_one_line(error: pytest.ExceptionInfo[BaseException], *fragments: str) -> None:
    message = str(error.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message


@pytest.fixture
def copy_of(tmp_path: Path):
    """A writable copy of a fixture package, to break in one place."""

    def copy(source: Path) -> Path:
        return Path(shutil.copytree(source, tmp_path / source.name))

    return copy


# --- Kattis: legacy layout with float flags -----------------------------------------------


def test_legacy_package_reads_metadata_limits_and_float_checker():
    problem = read_kattis(CIRCLE)
    assert problem.id == "circlearea"
    assert problem.title == "Circle Area"
    assert problem.statement.startswith("# Circle Area\n")  # English over problem.sv.md
    assert problem.limits == Limits(time_s=2.0, memory_mb=128)  # no time_limit: 2 s default
    assert problem.checker == FloatChecker(abs_tol=1e-6, rel_tol=1e-6)
    assert problem.tags == ["geometry", "math"]
    assert problem.interactive is False
    assert problem.source == str(CIRCLE)


def test_legacy_package_reads_tests_recursively_in_path_order():
    problem = read_kattis(CIRCLE)
    assert names(problem) == ["sample/1", "sample/2", "secret/01_small", "secret/big/01"]
    assert [t.kind for t in problem.tests] == ["sample", "sample", "secret", "secret"]
    assert case_named(problem, "sample/2").input == "2\n"
    assert case_named(problem, "sample/2").answer == "12.566370614359172\n"
    assert case_named(problem, "secret/big/01").answer == "3141592.653589793\n"


def test_submissions_are_listed_by_category_python_only():
    found = read_submissions(CIRCLE)
    assert {k: [p.name for p in v] for k, v in found.items()} == {
        "accepted": ["area.py"],
        "wrong_answer": ["three.py"],
    }


# --- Kattis: 2023-07 layout with a Python output validator --------------------------------


def test_draft_package_reads_name_map_limits_and_python_validator():
    problem = read_kattis(PAIRSUM)
    assert problem.title == "Pair Sum"
    assert problem.statement.startswith("# Pair Sum\n")
    assert problem.limits == Limits(time_s=1.5, memory_mb=512)
    assert problem.tags == ["arrays", "hashing"]
    validator = (PAIRSUM / "output_validator" / "validate.py").read_text()
    assert problem.checker == ProgramChecker(kind="kattis", source=validator, flags=["--strict"])
    assert names(problem) == ["sample/1", "secret/01", "secret/02"]
    assert case_named(problem, "sample/1").input == "4 9\n2 7 11 15\n"
    assert case_named(problem, "sample/1").answer == "1 2\n"


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ([], TokenChecker(case_sensitive=False)),
        (["case_sensitive"], TokenChecker(case_sensitive=True)),
        (["space_change_sensitive"], TokenChecker(case_sensitive=False)),
        (["float_tolerance", "1e-9"], FloatChecker(abs_tol=1e-9, rel_tol=1e-9)),
        (["float_absolute_tolerance", "1e-4"], FloatChecker(abs_tol=1e-4, rel_tol=0.0)),
        (["float_relative_tolerance", "1e-5"], FloatChecker(abs_tol=0.0, rel_tol=1e-5)),
        (
            ["float_relative_tolerance", "1e-5", "float_absolute_tolerance", "1e-3"],
            FloatChecker(abs_tol=1e-3, rel_tol=1e-5),
        ),
    ],
)
def test_default_validator_flags_map_to_checkers(flags, expected):
    assert checker_from_flags(flags) == expected


def test_float_flag_without_value_is_an_error():
    with pytest.raises(ProblemFormatError) as error:
        checker_from_flags(["float_tolerance"], "p/problem.yaml")
    assert_one_line(error, "p/problem.yaml", "float_tolerance needs a number")


def test_testdata_yaml_flags_as_a_string_configure_the_default_validator(copy_of):
    root = copy_of(PAIRSUM)
    shutil.rmtree(root / "output_validator")
    (root / "data" / "testdata.yaml").write_text("output_validator_args: float_tolerance 0.01\n")
    assert read_kattis(root).checker == FloatChecker(abs_tol=0.01, rel_tol=0.01)


# --- Kattis: bad packages -----------------------------------------------------------------


def test_malformed_problem_yaml_is_one_line_naming_the_file(copy_of):
    root = copy_of(CIRCLE)
    (root / "problem.yaml").write_text("name: [unclosed\nlimits: {memory: 1\n")
    with pytest.raises(ProblemFormatError) as error:
        load_problem(root)
    assert_one_line(error, str(root / "problem.yaml"), "malformed YAML")


def test_ill_typed_problem_yaml_names_the_key(copy_of):
    root = copy_of(CIRCLE)
    (root / "problem.yaml").write_text("name: X\nlimits:\n  memory: lots\n")
    with pytest.raises(ProblemFormatError) as error:
        read_kattis(root)
    assert_one_line(error, "problem.yaml", "limits.memory")


def test_input_without_answer_is_missing_answer(copy_of):
    root = copy_of(CIRCLE)
    (root / "data" / "secret" / "02.in").write_text("3\n")
    with pytest.raises(MissingAnswer) as error:
        load_problem(root)
    assert_one_line(error, str(root / "data" / "secret" / "02.in"), "02.ans")


def test_interactive_package_allows_inputs_without_answers(copy_of):
    root = copy_of(PAIRSUM)
    (root / "problem.yaml").write_text(
        "problem_format_version: 2023-07-draft\nname: Pairs\ntype: [interactive]\n"
    )
    (root / "data" / "secret" / "03.in").write_text("1 1\n1\n")
    problem = read_kattis(root)
    assert problem.interactive is True
    assert case_named(problem, "secret/03").answer is None
    assert isinstance(problem.checker, ProgramChecker)


def test_validator_in_another_language_is_refused(copy_of):
    root = copy_of(PAIRSUM)
    (root / "output_validator" / "validate.py").rename(root / "output_validator" / "check.cpp")
    with pytest.raises(ProblemFormatError) as error:
        read_kattis(root)
    assert_one_line(error, "check.cpp", "not Python")


def test_custom_validation_without_validator_is_an_error(copy_of):
    root = copy_of(CIRCLE)
    (root / "problem.yaml").write_text("name: Circle Area\nvalidation: custom\n")
    with pytest.raises(ProblemFormatError) as error:
        read_kattis(root)
    assert_one_line(error, "custom validation but no validator")


def test_validator_with_several_python_files_is_refused(copy_of):
    root = copy_of(PAIRSUM)
    (root / "output_validator" / "helper.py").write_text("X = 1\n")
    with pytest.raises(ProblemFormatError) as error:
        read_kattis(root)
    assert_one_line(error, "several Python files")


# --- Kattis writer -------------------------------------------------------------------------


@pytest.mark.parametrize("source", [CIRCLE, PAIRSUM], ids=["legacy", "draft"])
@pytest.mark.parametrize("layout", ["2023-07", "legacy"])
def test_fixture_packages_survive_a_write_in_either_layout(tmp_path, source, layout):
    problem = read_kattis(source)
    root = write_kattis(problem, tmp_path / problem.id, layout=layout)
    assert read_kattis(root) == problem.model_copy(update={"source": str(root)})


def test_writer_layouts_put_files_where_each_spec_wants_them(tmp_path):
    problem = read_kattis(PAIRSUM)
    draft = write_kattis(problem, tmp_path / "draft" / "pairsum")
    legacy = write_kattis(problem, tmp_path / "legacy" / "pairsum", layout="legacy")
    assert (draft / "statement" / "problem.en.md").is_file()
    assert (draft / "output_validator" / "validator.py").is_file()
    assert "problem_format_version: 2023-07-draft" in (draft / "problem.yaml").read_text()
    assert (legacy / "problem_statement" / "problem.en.md").is_file()
    assert (legacy / "output_validators" / "validator" / "validator.py").is_file()
    assert "validation: custom" in (legacy / "problem.yaml").read_text()


def test_generated_tests_are_written_as_secret(tmp_path):
    problem = Problem(
        id="gen",
        tests=[TestCase(name="stress/1", input="5\n", answer="25\n", kind="generated")],
    )
    read = read_kattis(write_kattis(problem, tmp_path / "gen"))
    assert [(t.name, t.kind, t.answer) for t in read.tests] == [
        ("secret/stress/1", "secret", "25\n")
    ]


@pytest.mark.parametrize(
    ("problem", "reason"),
    [
        (
            Problem(id="t", checker=ProgramChecker(kind="testlib", source="pass")),
            "testlib checker",
        ),
        (Problem(id="n", tests=[TestCase(name="secret/1", input="1\n")]), "has no answer"),
    ],
)
def test_writer_refuses_what_kattis_cannot_hold(tmp_path, problem, reason):
    with pytest.raises(ProblemFormatError) as error:
        write_kattis(problem, tmp_path / problem.id)
    assert_one_line(error, reason)


def test_writer_refuses_a_non_empty_directory(tmp_path):
    (tmp_path / "old.txt").write_text("x")
    with pytest.raises(FileExistsError):
        write_kattis(Problem(id="x"), tmp_path)


_SEGMENT = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_-", min_size=1, max_size=5)
_TEXT = st.text(max_size=30)
_TOLERANCE = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
_FLAG = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_.=", min_size=1, max_size=8)


@st.composite
def kattis_problems(draw: st.DrawFn) -> Problem:
    """Problems restricted to what a Kattis package can hold."""
    interactive = draw(st.booleans())
    paths = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["sample", "secret"]), st.lists(_SEGMENT, min_size=1, max_size=2)
            ),
            max_size=5,
            unique_by=lambda path: (path[0], *path[1]),
        )
    )
    answers = st.none() | _TEXT if interactive else _TEXT
    tests = [
        TestCase(
            name="/".join([group, *parts]), input=draw(_TEXT), answer=draw(answers), kind=group
        )
        for group, parts in paths
    ]
    checker = draw(
        st.builds(TokenChecker, case_sensitive=st.booleans())
        | st.builds(FloatChecker, abs_tol=_TOLERANCE, rel_tol=_TOLERANCE)
        | st.builds(
            ProgramChecker, kind=st.just("kattis"), source=_TEXT, flags=st.lists(_FLAG, max_size=3)
        )
    )
    return Problem(
        id=draw(st.from_regex(r"[a-z0-9]{1,10}", fullmatch=True)),
        title=draw(st.text(max_size=20)),
        statement=draw(_TEXT),
        limits=Limits(
            time_s=draw(st.floats(min_value=0.001, max_value=100.0)),
            memory_mb=draw(st.integers(1, 1 << 16)),
            output_mb=draw(st.integers(1, 1024)),
        ),
        tests=sorted(tests, key=lambda test: tuple(test.name.split("/"))),
        checker=checker,
        interactive=interactive,
        tags=draw(st.lists(_SEGMENT, max_size=3)),
    )


@settings(max_examples=80, deadline=None)
@given(problem=kattis_problems(), layout=st.sampled_from(["2023-07", "legacy"]))
def test_kattis_round_trip(problem, layout):
    with tempfile.TemporaryDirectory() as tmp:
        root = write_kattis(problem, Path(tmp) / problem.id, layout=layout)
        assert read_kattis(root) == problem.model_copy(update={"source": str(root)})


# --- Competitive Companion ----------------------------------------------------------------


def test_companion_task_reads_limits_samples_and_file_output():
    problem = read_companion(FIXTURES / "companion" / "two_sums.json")
    assert problem.id == "100001B"
    assert problem.title == "B. Two Sums"
    assert problem.limits == Limits(time_s=1.5, memory_mb=64)
    assert names(problem) == ["sample/1", "sample/2"]
    assert all(t.kind == "sample" for t in problem.tests)
    assert case_named(problem, "sample/1").input == "2\n1 2\n3 4\n"
    assert case_named(problem, "sample/1").answer == "3\n7\n"
    assert "output `sums.out`" in problem.statement
    assert "input `" not in problem.statement  # input is stdin
    assert problem.source == "https://codeforces.com/gym/100001/problem/B"


@pytest.mark.parametrize(
    ("url", "name", "expected"),
    [
        ("https://codeforces.com/problemset/problem/118/A?locale=en", "A. x", "118A"),
        ("https://codeforces.com/contest/1520/problem/F2", "F2. y", "1520F2"),
        ("https://atcoder.jp/contests/abc300/tasks/abc300_d", "D - z", "abc300_d"),
        ("https://example.org/p/7", "C. Lost & Found!", "c_lost_found"),
    ],
)
def test_companion_ids(url, name, expected):
    assert problem_id(url, name) == expected


def test_companion_malformed_json_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"name": "x",\n "tests": [}\n')
    with pytest.raises(ProblemFormatError) as error:
        load_problem(bad)
    assert_one_line(error, str(bad), "malformed JSON at line 2")


def test_companion_without_name_is_an_error(tmp_path):
    bad = tmp_path / "noname.json"
    bad.write_text(json.dumps({"tests": []}))
    with pytest.raises(ProblemFormatError) as error:
        read_companion(bad)
    assert_one_line(error, str(bad), "name")


def test_companion_without_tests_is_an_error(tmp_path):
    """The extension sends no statement: a task without samples leaves nothing to solve."""
    bad = tmp_path / "empty.json"
    bad.write_text(json.dumps({"name": "A. Nothing", "tests": []}))
    with pytest.raises(ProblemFormatError) as error:
        load_problem(bad)
    assert_one_line(error, str(bad), "no tests")


# --- oj folders ---------------------------------------------------------------------------


def test_oj_folder_puts_samples_first_in_natural_order():
    problem = read_oj(FIXTURES / "oj" / "addtwo")
    assert problem.id == "addtwo"
    assert names(problem) == ["sample-1", "sample-2", "sample-10", "random-1"]
    assert [t.kind for t in problem.tests] == ["sample", "sample", "sample", "secret"]
    assert case_named(problem, "sample-10").input == "10 -3\n"
    assert case_named(problem, "random-1").answer == "2000000000\n"


def test_oj_missing_out_is_missing_answer(tmp_path):
    folder = tmp_path / "p" / "test"
    folder.mkdir(parents=True)
    (folder / "sample-1.in").write_text("1\n")
    with pytest.raises(MissingAnswer) as error:
        load_problem(tmp_path / "p")
    assert_one_line(error, "sample-1.in", "sample-1.out")


def test_oj_bare_test_folder_is_named_after_its_parent(tmp_path):
    folder = tmp_path / "myproblem" / "test"
    folder.mkdir(parents=True)
    (folder / "a.in").write_text("1\n")
    (folder / "a.out").write_text("2\n")
    problem = load_problem(folder)
    assert problem.id == "myproblem"
    assert [(t.name, t.kind) for t in problem.tests] == [("a", "secret")]


# --- statements ---------------------------------------------------------------------------


def test_markdown_statement_title_limits_and_fenced_samples():
    problem = read_statement(FIXTURES / "statements" / "addtwo.md")
    assert problem.id == "addtwo"
    assert problem.title == "Add Two Numbers"
    assert problem.limits == Limits(time_s=1.0, memory_mb=64)
    assert [(t.name, t.input, t.answer) for t in problem.tests] == [
        ("sample/1", "1 2\n", "3\n"),
        ("sample/2", "-5 5\n", "0\n"),
    ]


def test_codeforces_page_text_with_input_copy_labels_and_grid_rows():
    problem = read_statement(FIXTURES / "statements" / "walls.txt")
    assert problem.title == "B. Count the Walls"
    assert problem.limits == Limits(time_s=0.5, memory_mb=128)
    assert [(t.input, t.answer) for t in problem.tests] == [
        ("2 3\n#.#\n# #\n", "4\n"),
        ("1 1\n.\n", "0\n"),
    ]


def test_sample_input_output_labels_count_without_an_examples_heading():
    text = (
        "Read n.\n\nInput\nOne integer n.\n\nOutput\nTwice n.\n\n"
        "Sample Input 1\n4\n\nSample Output 1\n8\n\nSample Input 2:\n0\nSample Output 2:\n0\n"
    )
    assert [(t.input, t.answer) for t in extract_samples(text)] == [("4\n", "8\n"), ("0\n", "0\n")]


def test_lower_case_example_labels():
    text = "Title\n\nExample\ninput\n3\n1 2 3\noutput\n6\n"
    assert [(t.input, t.answer) for t in extract_samples(text)] == [("3\n1 2 3\n", "6\n")]


def test_format_sections_are_not_samples():
    text = "# T\n\n## Input\nTwo integers.\n\n## Output\nTheir sum.\n"
    assert extract_samples(text) == []


def test_statement_hints_interaction_and_tolerance():
    assert is_interactive("Do it.\n\nInteraction\n\nAsk queries.\n")
    assert not is_interactive("An interaction-free problem.\n")
    expected = FloatChecker(abs_tol=1e-9, rel_tol=1e-9)
    assert guess_checker("absolute or relative error does not exceed 10 - 9.") == expected
    assert guess_checker("Print the sum.") == TokenChecker()


# --- CodeContests -------------------------------------------------------------------------


def test_codecontests_record_samples_from_statement_and_secret_tests_deduplicated():
    problem = read_codecontests(TWO_JSONL, "9001_a_add_two_1")
    assert problem.title == "Add Two"
    assert problem.tags == ["implementation", "math"]
    assert problem.limits == Limits()
    assert [(t.name, t.kind, t.input, t.answer) for t in problem.tests] == [
        ("sample/1", "sample", "1 2\n", "3\n"),
        ("sample/2", "sample", "10 20\n", "30\n"),
        ("secret/2", "secret", "1000000000 1000000000\n", "2000000000\n"),
        ("secret/4", "secret", "7 8\n", "15\n"),
    ]
    assert problem.source == f"{TWO_JSONL}#9001_a_add_two_1"


@pytest.mark.parametrize(("flat", "restored"), [
    ("(1 ≤ n ≤ 105) — the", "(1 ≤ n ≤ 10^5) — the"),
    ("1 ≤ n ≤ 2·105, 1 ≤ k ≤ 3 ⋅ 109.", "1 ≤ n ≤ 2·10^5, 1 ≤ k ≤ 3 ⋅ 10^9."),
    ("( - 109 ≤ ai ≤ 109)", "( - 10^9 ≤ ai ≤ 10^9)"),
    ("1 ≤ Li ≤ Ri ≤ 1018.", "1 ≤ Li ≤ Ri ≤ 10^18."),
    ("The sum does not exceed 106. It", "The sum does not exceed 10^6. It"),
    # What a superscript never made: small bounds, decimals, numbers away from a bound.
    ("1 ≤ n ≤ 100, 1 ≤ m ≤ 1000, 1 ≤ k ≤ 10", "1 ≤ n ≤ 100, 1 ≤ m ≤ 1000, 1 ≤ k ≤ 10"),
    ("0 < x ≤ 105.5", "0 < x ≤ 105.5"),
    ("In 1050 there were 105 ships.", "In 1050 there were 105 ships."),
])
def test_codecontests_flattened_powers_of_ten_in_bounds_are_restored(flat, restored):
    assert restore_powers(flat) == restored


def test_codecontests_statement_gets_its_powers_back_and_samples_stay(tmp_path):
    record = json.loads(TWO_JSONL.read_text().splitlines()[0])
    record["description"] = record["description"].replace("10^9", "109")
    path = tmp_path / "flat.jsonl"
    path.write_text(json.dumps(record) + "\n")
    problem = read_codecontests(path, record["id"])
    assert "(1 ≤ a, b ≤ 10^9)" in problem.statement
    assert problem.tests == read_codecontests(TWO_JSONL, record["id"]).tests


def test_codecontests_stated_memory_limit_and_float_tolerance():
    problem = read_codecontests(TWO_JSONL, "9002_b_halves_2")
    assert problem.limits == Limits(time_s=2.0, memory_mb=64)
    assert problem.checker == FloatChecker(abs_tol=1e-6, rel_tol=1e-6)
    assert [(t.name, t.answer) for t in problem.tests] == [
        ("sample/1", "1.5000000\n"),
        ("secret/2", "50.0\n"),
    ]


def test_codecontests_iteration_and_reference_solution():
    assert [p.id for p in iter_codecontests(TWO_JSONL)] == ["9001_a_add_two_1", "9002_b_halves_2"]
    solution = reference_solution(TWO_JSONL, "9001_a_add_two_1")
    assert solution == "a, b = map(int, input().split())\nprint(a + b)\n"
    assert reference_solution(TWO_JSONL, "9002_b_halves_2") is None


def test_codecontests_record_choice_in_load_problem(tmp_path):
    assert load_problem(f"{TWO_JSONL}#9002_b_halves_2").id == "9002_b_halves_2"
    assert load_problem(TWO_JSONL, record="9001_a_add_two_1").id == "9001_a_add_two_1"
    with pytest.raises(ProblemFormatError) as error:
        load_problem(TWO_JSONL)
    assert_one_line(error, "2 records")
    with pytest.raises(ProblemFormatError) as error:
        load_problem(TWO_JSONL, record="nope")
    assert_one_line(error, "no record with id 'nope'")
    single = tmp_path / "one.jsonl"
    single.write_text(TWO_JSONL.read_text().splitlines()[1] + "\n")
    assert load_problem(single).id == "9002_b_halves_2"


def test_codecontests_malformed_line_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(TWO_JSONL.read_text().splitlines()[0] + "\n{oops\n")
    with pytest.raises(ProblemFormatError) as error:
        list(iter_codecontests(bad))
    assert_one_line(error, f"{bad}:2", "malformed JSON")


# --- format detection ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected_id"),
    [
        (CIRCLE, "circlearea"),
        (PAIRSUM / "problem.yaml", "pairsum"),
        (FIXTURES / "oj" / "addtwo", "addtwo"),
        (FIXTURES / "companion" / "two_sums.json", "100001B"),
        (FIXTURES / "statements" / "addtwo.md", "addtwo"),
        (FIXTURES / "statements" / "walls.txt", "walls"),
        (f"{TWO_JSONL}#9001_a_add_two_1", "9001_a_add_two_1"),
    ],
)
def test_load_problem_recognises_each_format(path, expected_id):
    assert load_problem(path).id == expected_id


def test_missing_path_is_a_one_line_error(tmp_path):
    with pytest.raises(ProblemFormatError) as error:
        load_problem(tmp_path / "nowhere")
    assert_one_line(error, "nowhere", "no such file or directory")


@pytest.mark.parametrize("make", ["file", "dir"])
def test_unknown_formats(tmp_path, make):
    path = tmp_path / ("statement.pdf" if make == "file" else "empty")
    path.write_bytes(b"%PDF") if make == "file" else path.mkdir()
    with pytest.raises(UnknownFormat) as error:
        load_problem(path)
    assert_one_line(error, str(path))


def test_record_id_on_a_non_jsonl_source_is_an_error():
    with pytest.raises(ProblemFormatError) as error:
        load_problem(CIRCLE, record="x")
    assert_one_line(error, "only to .jsonl")


# --- the shared sample data ---------------------------------------------------------------


@pytest.mark.shared
@pytest.mark.skipif(not SHARED.exists(), reason="../shared/data is absent")
class TestSharedData:
    def test_hello_legacy_package(self):
        problem = load_problem(KATTIS_EXAMPLES / "hello")
        assert problem.title == "Hello World!"
        assert problem.limits == Limits(time_s=2.0, memory_mb=512)
        assert [(t.name, t.kind, t.input, t.answer) for t in problem.tests] == [
            ("secret/hello", "secret", "", "Hello World!\n")
        ]
        assert problem.checker == TokenChecker(case_sensitive=False)
        assert problem.statement.startswith("\\problemname{Hello World!}")

    def test_guess_interactive_draft_package_loads_despite_its_cpp_interactor(self):
        problem = load_problem(KATTIS_EXAMPLES / "guess")
        assert problem.interactive is True
        assert problem.title == "Guess the Number"
        assert problem.samples() == []  # its samples are .interaction transcripts
        assert names(problem) == [f"secret/{i:02d}" for i in range(1, 11)]
        assert case_named(problem, "secret/01").input == "fixed 500\n"
        assert problem.statement.startswith("\\problemname{Guess the Number}")  # en over sv

    def test_different_has_a_cpp_validator_and_is_refused(self):
        with pytest.raises(ProblemFormatError) as error:
            load_problem(KATTIS_EXAMPLES / "different")
        assert_one_line(error, "validate.cc", "not Python")

    def test_different_submissions(self):
        found = read_submissions(KATTIS_EXAMPLES / "different")
        assert {k: [p.name for p in v] for k, v in found.items()} == {
            "accepted": ["different_py2.py", "different_py3.py"],
            "slow_accepted": ["different_slow.py"],
            "time_limit_exceeded": [],
            "wrong_answer": [],
        }

    def test_companion_plain(self):
        problem = load_problem(COMPANION / "cf_118A_normal.json")
        assert (problem.id, problem.title) == ("118A", "A. String Task")
        assert problem.limits == Limits(time_s=2.0, memory_mb=256)
        assert [(t.input, t.answer) for t in problem.tests] == [
            ("tour\n", ".t.r\n"),
            ("Codeforces\n", ".c.d.f.r.c.s\n"),
            ("aBAcAba\n", ".b.c.b\n"),
        ]

    def test_companion_file_io(self):
        problem = load_problem(COMPANION / "cf_234A_file_io.json")
        assert problem.id == "234A"
        assert problem.limits.time_s == 1.0
        assert "input `input.txt` and output `output.txt`" in problem.statement
        assert len(problem.samples()) == 2

    def test_companion_interactive(self):
        problem = load_problem(COMPANION / "cf_810D_interactive.json")
        assert (problem.id, problem.interactive) == ("810D", True)
        assert len(problem.samples()) == 1

    def test_codecontests_dev_every_record_loads_with_statement_samples(self):
        problems = list(iter_codecontests(DEV))
        assert len(problems) == 150
        assert all(p.samples() for p in problems)
        assert sum(isinstance(p.checker, FloatChecker) for p in problems) == 17
        # Superscripts lost in the descriptions ("n ≤ 105") are written back in 48 of them.
        flat = [json.loads(line)["description"] for line in DEV.read_text().splitlines()]
        assert sum(p.statement != text for p, text in zip(problems, flat, strict=True)) == 48
        lucky = next(p for p in problems if p.id == "110_e_lucky_tree_11049")
        assert "(1 ≤ n ≤ 10^5)" in lucky.statement and "1 ≤ wi ≤ 10^9" in lucky.statement

    def test_codecontests_dev_samples_agree_with_the_record_tests(self):
        matched = found = total = 0
        for line in DEV.read_text().splitlines():
            record = json.loads(line)
            outputs = {tuple(t["input"].split()): t["output"].split() for t in record["tests"]}
            samples = extract_samples(record["description"])
            total += len(samples)
            hits = [s for s in samples if tuple(s.input.split()) in outputs]
            found += len(hits)
            matched += any(outputs[tuple(s.input.split())] == s.answer.split() for s in hits)
        # Every sample input is one of the record's tests; the 21 records whose outputs differ
        # take floats, any valid answer or YES/Yes in either case.
        assert found == total == 357
        assert matched >= 129

    def test_codecontests_dev_needs_a_record_id(self):
        with pytest.raises(ProblemFormatError) as error:
            load_problem(DEV)
        assert_one_line(error, "150 records")
