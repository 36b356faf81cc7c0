"""LiveCodeBench records: samples and packed private tests, contest dates, functional
(LeetCode) records refused alone and left out of a set, and a pickle that names a class
refused without running anything. Records are built here, in the released packing
(base64 of zlib of a pickled JSON string); the shared record is read when ../shared is there."""

from __future__ import annotations

import base64
import json
import pickle
import zlib
from datetime import date

import pytest

from agent.datagen.sources import describe
from problems.errors import ProblemFormatError
from problems.formats.codecontests import codeforces_ref
from problems.formats.statement import guess_checker
from problems.load import detect_format, load_problem
from problems.model import TokenChecker
from problems.sets import load_problem_set
from tests.conftest import SHARED, assert_one_line_error, cpagent, needs_shared

STATEMENT = (
    "A librarian stacks $n$ books. Print the total height.\n\nInput\n\nThe first line "
    "contains $n$ ($1 \\le n \\le 100$). The second line contains $n$ heights.\n\nOutput\n\n"
    "Print one integer.\n\nSample Input 1:\n2\n3 4\n\nSample Output 1:\n\n7\n")


def packed(tests: list[dict]) -> str:
    return base64.b64encode(zlib.compress(pickle.dumps(json.dumps(tests)))).decode()


def record(question_id: str = "2001_A", **fields) -> dict:
    base = {
        "question_title": "A. Book Stack", "question_content": STATEMENT,
        "platform": "codeforces", "question_id": question_id, "contest_id": "2001",
        "contest_date": "2024-08-14T00:00:00", "starter_code": "", "difficulty": "easy",
        "public_test_cases": json.dumps([{"input": "2\n3 4\n", "output": "7\n",
                                          "testtype": "stdin"}]),
        "private_test_cases": packed([
            {"input": "2\n3 4\n", "output": "7\n", "testtype": "stdin"},  # the sample again
            {"input": "1\n5\n", "output": "5\n", "testtype": "stdin"},
            {"input": "3\n1 1 1\n", "output": "3\n", "testtype": "stdin"}]),
        "metadata": "{}",
    }
    return {**base, **fields}


def functional(question_id: str = "3100") -> dict:
    test = {"input": "[1, 2]\n3", "output": "true", "testtype": "functional"}
    return record(question_id, platform="leetcode", public_test_cases=json.dumps([test]),
                  private_test_cases=packed([test]),
                  metadata=json.dumps({"func_name": "canReach"}),
                  starter_code="class Solution:\n    def canReach(self, a, k):\n")


def write_jsonl(path, *records: dict):
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def test_a_record_reads_samples_packed_private_tests_and_its_date(tmp_path):
    path = tmp_path / "one.json"
    path.write_text(json.dumps(record(), indent=1))
    assert detect_format(path) == "livecodebench"
    problem = load_problem(path)
    assert (problem.id, problem.title) == ("2001_A", "A. Book Stack")
    assert problem.contest_date == date(2024, 8, 14)
    assert [(t.name, t.kind, t.input, t.answer) for t in problem.tests] == [
        ("sample/1", "sample", "2\n3 4\n", "7\n"),
        ("secret/1", "secret", "1\n5\n", "5\n"),  # the private copy of the sample is dropped
        ("secret/2", "secret", "3\n1 1 1\n", "3\n")]
    assert problem.tags == ["livecodebench", "codeforces", "easy"]
    assert codeforces_ref(problem.id) == (2001, "A")
    source = describe(problem)
    assert source.origin == "LiveCodeBench codeforces 2001_A" and source.license == "unknown"


def test_private_tests_given_as_plain_json_are_read_too(tmp_path):
    plain = json.dumps([{"input": "1\n9\n", "output": "9\n", "testtype": "stdin"}])
    path = tmp_path / "plain.json"
    path.write_text(json.dumps(record(private_test_cases=plain)))
    assert [t.input for t in load_problem(path).tests_of("secret")] == ["1\n9\n"]


def test_a_jsonl_file_is_a_set_without_its_functional_records(tmp_path):
    path = write_jsonl(tmp_path / "lcb.jsonl", record("2001_A"), functional("3100"),
                       record("2001_B", question_title="B. Other"))
    assert detect_format(path) == "livecodebench"
    skipped: list[str] = []
    problems = load_problem_set([path], skipped=skipped)
    assert [p.id for p in problems] == ["2001_A", "2001_B"] and skipped == ["3100"]
    assert problems[1].source == f"{path}#2001_B"
    assert [p.id for p in load_problem_set([path], {"B"})] == ["2001_B"]
    assert load_problem(f"{path}#2001_B").title == "B. Other"
    with pytest.raises(ProblemFormatError, match="3 records; choose one"):
        load_problem(path)
    with pytest.raises(ProblemFormatError, match=r"functional tests \(they call "
                       r"Solution\(\)\.canReach\); only stdin problems"):
        load_problem(f"{path}#3100")
    with pytest.raises(ProblemFormatError, match="no record with question_id '9'"):
        load_problem(f"{path}#9")


def test_a_pickle_that_names_a_class_is_refused_and_nothing_runs(tmp_path):
    marker = tmp_path / "ran"

    class Exploit:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    hostile = base64.b64encode(zlib.compress(pickle.dumps(Exploit()))).decode()
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(record(private_test_cases=hostile)))
    with pytest.raises(ProblemFormatError) as error:
        load_problem(path)
    message = str(error.value)
    assert "\n" not in message and "refused" in message and "open" in message
    assert not marker.exists()


@pytest.mark.parametrize("bad", ["not base64 at all!", base64.b64encode(b"not zlib").decode(),
                                 base64.b64encode(zlib.compress(b"not a pickle")).decode()])
def test_damaged_private_tests_are_one_line_errors(tmp_path, bad):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(record(private_test_cases=bad)))
    with pytest.raises(ProblemFormatError) as error:
        load_problem(path)
    assert "\n" not in str(error.value) and "private_test_cases" in str(error.value)


def test_a_codecontests_jsonl_is_still_read_as_codecontests(tmp_path):
    line = {"id": "9001_a_x_1", "name": "9001_A. X", "description": STATEMENT,
            "tests": [{"input": "1\n5\n", "output": "5\n"}]}
    path = write_jsonl(tmp_path / "cc.jsonl", line)
    assert detect_format(path) == "codecontests"
    assert load_problem(path).id == "9001_a_x_1"


def test_any_case_answers_get_a_case_insensitive_checker():
    assert guess_checker('You can output "YES" and "NO" in any case.') == TokenChecker(
        case_sensitive=False)
    assert guess_checker("You may print each letter in any register.").case_sensitive is False
    assert guess_checker('Print "YES" or "NO".') == TokenChecker()


@needs_shared
def test_the_shared_record():
    problem = load_problem(SHARED / "formats" / "livecodebench" / "lcb_1873_A.json")
    assert (problem.id, problem.contest_date) == ("1873_A", date(2023, 8, 21))
    assert len(problem.samples()) == 1 and len(problem.tests_of("secret")) >= 1
    assert problem.samples()[0].input.startswith("6\nabc\n")
    # "the strings yEs, yes, Yes and YES will be recognized as a positive answer"
    assert problem.checker == TokenChecker(case_sensitive=False)


@pytest.mark.docker
def test_judge_takes_a_record(docker_sandbox, tmp_path):
    path = tmp_path / "one.json"
    path.write_text(json.dumps(record()))
    right = tmp_path / "right.py"
    right.write_text("input()\nprint(sum(map(int, input().split())))\n")
    wrong = tmp_path / "wrong.py"
    wrong.write_text("input()\nprint(max(map(int, input().split())))\n")
    done = cpagent("judge", right, path, "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["passed"] == 3
    done = cpagent("judge", wrong, path)
    assert done.returncode == 1 and "WA" in done.stdout


def test_since_keeps_the_problems_dated_on_or_after_it(tmp_path):
    from datetime import datetime
    from io import StringIO

    from rich.console import Console

    from agent.cli_batch import load_set

    path = write_jsonl(tmp_path / "lcb.jsonl", record("2001_A"), functional("3100"),
                       record("1999_C", contest_date="2023-01-05T00:00:00"))
    out = StringIO()
    kept = load_set([str(path)], None, Console(file=out, width=200), datetime(2024, 1, 1))
    assert [p.id for p in kept] == ["2001_A"]
    said = out.getvalue()
    assert "left out 1 LiveCodeBench records with functional tests" in said and "3100" in said
    assert "kept 1 of 2 problems dated 2024-01-01 or later (0 without a date)" in said


def test_since_with_nothing_that_new_is_one_line_and_exit_2(tmp_path):
    path = write_jsonl(tmp_path / "lcb.jsonl", record("2001_A"))
    done = cpagent("contest", "run", path, "--run", "r", "--since", "2030-01-01",
                   "--db", tmp_path / "runs.db", env={"CPAGENT_HOME": str(tmp_path)})
    assert_one_line_error(done, "no problem of the set is dated 2030-01-01 or later")
    assert not (tmp_path / "runs.db").exists()
