"""LiveCodeBench records: samples and packed private tests, contest dates, functional
(LeetCode-style) records judged by calling their method, and a pickle that names a class
refused without running anything. Records are built here, in the released packing
(base64 of zlib of a pickled JSON string); the shared record is read when ../shared is there."""

from __future__ import annotations

import base64
import json
import pickle
import zlib
from datetime import date

import pytest

from cpagent.agent.datagen.sources import describe
from cpagent.problems.errors import ProblemFormatError
from cpagent.problems.formats.codecontests import codeforces_ref
from cpagent.problems.formats.statement import guess_checker
from cpagent.problems.load import detect_format, load_problem
from cpagent.problems.model import TokenChecker
from cpagent.problems.sets import load_problem_set
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
    tests = [{"input": "[1, 5, 2]\n7", "output": "true", "testtype": "functional"},
             {"input": "[4]\n3", "output": "false", "testtype": "functional"},
             {"input": "[2,3]\n5", "output": "[0,1]", "testtype": "functional"}]
    return record(question_id, platform="leetcode", question_title="Reach the Sum",
                  public_test_cases=json.dumps(tests[:1]), private_test_cases=packed(tests),
                  metadata=json.dumps({"func_name": "canReach"}),
                  starter_code="class Solution:\n    def canReach(self, nums: List[int], "
                               "k: int) -> bool:\n        ")


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


def test_a_jsonl_file_is_a_set_of_its_records(tmp_path):
    path = write_jsonl(tmp_path / "lcb.jsonl", record("2001_A"), functional("3100"),
                       record("2001_B", question_title="B. Other"))
    assert detect_format(path) == "livecodebench"
    problems = load_problem_set([path])
    assert [p.id for p in problems] == ["2001_A", "3100", "2001_B"]
    assert problems[2].source == f"{path}#2001_B"
    assert [p.id for p in load_problem_set([path], {"B"})] == ["2001_B"]
    assert load_problem(f"{path}#2001_B").title == "B. Other"
    with pytest.raises(ProblemFormatError, match="3 records; choose one"):
        load_problem(path)
    with pytest.raises(ProblemFormatError, match="no record with question_id '9'"):
        load_problem(f"{path}#9")


def test_a_functional_record_calls_its_method_with_json_arguments(tmp_path):
    path = write_jsonl(tmp_path / "lcb.jsonl", functional("3100"))
    problem = load_problem(path)
    assert problem.call is not None and problem.call.method == "canReach"
    assert problem.call.starter.startswith("class Solution:")
    # Inputs stay JSON lines; answers are spelled as json.dumps spells them.
    assert [(t.kind, t.input, t.answer) for t in problem.tests] == [
        ("sample", "[1, 5, 2]\n7\n", "true\n"),
        ("secret", "[4]\n3\n", "false\n"),
        ("secret", "[2,3]\n5\n", "[0, 1]\n")]
    broken = functional("3101")
    broken["metadata"] = "{}"
    with pytest.raises(ProblemFormatError, match="no method name in metadata.func_name"):
        load_problem(write_jsonl(tmp_path / "broken.jsonl", broken))
    from cpagent.problems.formats import write_kattis
    with pytest.raises(ProblemFormatError, match="a Kattis package cannot say"):
        write_kattis(problem, tmp_path / "package")


def test_training_suites_leave_out_problems_whose_tests_call_a_method(tmp_path):
    from cpagent.agent.datagen.suites import plan_suite
    problem = load_problem(write_jsonl(tmp_path / "lcb.jsonl", functional("3100")))
    assert plan_suite(problem, [], 10) == "tests call a method"


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


def squeezed(raw: bytes) -> str:
    return base64.b64encode(zlib.compress(raw)).decode()


# Not base64; not zlib; not a pickle; a pickle cut short; one whose length prefix claims
# exabytes (the unpickler raises MemoryError for it).
@pytest.mark.parametrize("bad", ["not base64 at all!", base64.b64encode(b"not zlib").decode(),
                                 squeezed(b"not a pickle"), squeezed(b"\x80\x05K"),
                                 squeezed(b"\x80\x05\x8e" + b"\x00" * 7 + b"\x10")])
def test_damaged_private_tests_are_one_line_errors(tmp_path, bad):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(record(private_test_cases=bad)))
    with pytest.raises(ProblemFormatError) as error:
        load_problem(path)
    assert "\n" not in str(error.value) and "private_test_cases" in str(error.value)


def test_a_bad_line_of_a_jsonl_file_is_named_in_one_line(tmp_path):
    path = write_jsonl(tmp_path / "lcb.jsonl", record("2001_A"))
    path.write_bytes(path.read_bytes() + b'{"question_id": "\xff"}\n')
    with pytest.raises(ProblemFormatError, match=r"lcb.jsonl:2: not UTF-8"):
        load_problem_set([path])
    path.write_bytes(path.read_bytes().splitlines(keepends=True)[0] + b"{not json\n")
    with pytest.raises(ProblemFormatError, match=r"lcb.jsonl:2: malformed JSON"):
        load_problem_set([path])


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

    from cpagent.agent.cli_batch import load_set

    path = write_jsonl(tmp_path / "lcb.jsonl", record("2001_A"), functional("3100"),
                       record("1999_C", contest_date="2023-01-05T00:00:00"))
    out = StringIO()
    kept = load_set([str(path)], None, Console(file=out, width=200), datetime(2024, 1, 1))
    assert [p.id for p in kept] == ["2001_A", "3100"]
    assert "kept 2 of 3 problems dated 2024-01-01 or later (0 without a date)" in out.getvalue()


def test_since_with_nothing_that_new_is_one_line_and_exit_2(tmp_path):
    path = write_jsonl(tmp_path / "lcb.jsonl", record("2001_A"))
    done = cpagent("contest", "run", path, "--run", "r", "--since", "2030-01-01",
                   "--db", tmp_path / "runs.db", env={"CPAGENT_HOME": str(tmp_path)})
    assert_one_line_error(done, "no problem of the set is dated 2030-01-01 or later")
    assert not (tmp_path / "runs.db").exists()


CAN_REACH = """class Solution:
    def canReach(self, nums: List[int], k: int) -> bool:
        return any(a + b == k for a, b in combinations(nums, 2))
"""


@pytest.mark.docker
def test_judge_calls_the_method_and_compares_what_it_returns(docker_sandbox, tmp_path):
    path = write_jsonl(tmp_path / "lcb.jsonl", functional("3100"))
    problem = load_problem(f"{path}#3100")
    right = tmp_path / "right.py"
    right.write_text(CAN_REACH.replace("return any", "if len(nums) == 2:\n            "
                                       "return [0, 1]\n        return any"))
    done = cpagent("judge", right, f"{path}#3100", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["passed"] == len(problem.tests)
    # A stdin program is no answer to a method call; nor is a wrong return value.
    wrong = tmp_path / "wrong.py"
    wrong.write_text(CAN_REACH.replace("return any(", "return False and any("))
    report = json.loads(cpagent("judge", wrong, f"{path}#3100", "--json").stdout)
    assert [t["verdict"] for t in report["tests"]] == ["WA", "AC", "WA"]
    stdin = tmp_path / "stdin.py"
    stdin.write_text("print('true')\n")
    done = cpagent("judge", stdin, f"{path}#3100")
    assert done.returncode == 1 and "RE" in done.stdout  # no class Solution to call


@pytest.mark.docker
def test_stress_and_gen_draw_a_methods_arguments_from_the_samples(docker_sandbox, tmp_path):
    path = write_jsonl(tmp_path / "lcb.jsonl", pair_count())
    files = {}
    for name, code in [("brute", PAIRS_BRUTE), ("by_set", PAIRS_BY_SET),
                       ("by_count", PAIRS_BY_COUNT), ("stdin", "print(2)\n")]:
        files[name] = tmp_path / f"{name}.py"
        files[name].write_text(code)
    done = cpagent("stress", files["by_set"], path, "-r", files["brute"], "--budget", "20",
                   "--json")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "note: the arguments (list of int, int) are inferred from the samples" in done.stderr
    case = json.loads(done.stdout)["counterexample"]
    nums, k = (json.loads(line) for line in case["input"].splitlines())
    assert len(nums) != len(set(nums)) and isinstance(k, int)
    done = cpagent("stress", files["by_count"], path, "-r", files["brute"], "--budget", "8")
    assert done.returncode == 0 and "no counterexample" in done.stdout, done.stdout + done.stderr
    # A stdin program calls no method: as a reference it fails, in one line.
    done = cpagent("stress", files["by_count"], path, "-r", files["stdin"], "--budget", "8")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("error: the reference failed")

    out = tmp_path / "gen"
    done = cpagent("gen", path, "--mode", "tiny", "-n", "6", "-r", files["brute"], "--out", out)
    assert done.returncode == 0, done.stderr
    for i in range(1, 7):
        nums, k = map(json.loads, (out / f"gen-tiny-{i}.in").read_text().splitlines())
        want = sum(a + b == k for j, a in enumerate(nums) for b in nums[j + 1:])
        assert int((out / f"gen-tiny-{i}.out").read_text()) == want
    assert_one_line_error(cpagent("gen", path, "--spec", files["brute"], "--out", out),
                          "whose arguments are inferred from the samples")
    assert_one_line_error(cpagent("gen", path, "--mode", "max", "--out", out),
                          "constraints do not state the length of every list")
    assert_one_line_error(cpagent("timing", files["by_count"], path),
                          "constraints do not state the length of every list")
    # Where the constraints size them, timing calls the method on the largest arguments.
    sized = write_jsonl(tmp_path / "sized.jsonl", pair_count(constraints=PAIRS_CONSTRAINTS))
    done = cpagent("timing", files["brute"], sized)
    assert done.returncode == 1 and "tle" in done.stdout, done.stdout + done.stderr
    assert "sizes and values as the constraints bound them" in done.stderr
    done = cpagent("timing", files["by_count"], sized)
    assert done.returncode == 0 and "fits" in done.stdout, done.stdout + done.stderr


PAIRS_CONSTRAINTS = ("\n\nConstraints:\n\n1 <= nums.length <= 10^5\n1 <= nums[i] <= 10^9\n"
                     "1 <= k <= 2 * 10^9")


def pair_count(question_id: str = "3200", constraints: str = "") -> dict:
    """A LeetCode-style record: count the pairs i < j with nums[i] + nums[j] == k. Its
    samples hold no repeated value, so a set-based count passes them."""
    tests = [{"input": "[1, 5, 2, 6]\n7", "output": "2", "testtype": "functional"},
             {"input": "[3, 4]\n7", "output": "1", "testtype": "functional"},
             {"input": "[1, 1, 6]\n7", "output": "2", "testtype": "functional"},
             {"input": "[2, 2, 2]\n4", "output": "3", "testtype": "functional"},
             {"input": "[5]\n3", "output": "0", "testtype": "functional"}]
    return record(question_id, platform="leetcode", question_title="Pairs That Sum",
                  question_content="Given an integer array nums and an integer k, return the "
                  "number of pairs of indices i < j with nums[i] + nums[j] == k." + constraints,
                  public_test_cases=json.dumps(tests[:2]), private_test_cases=packed(tests),
                  metadata=json.dumps({"func_name": "countPairs"}), starter_code=PAIRS_STARTER)


PAIRS_STARTER = ("class Solution:\n    def countPairs(self, nums: List[int], k: int) -> int:"
                 "\n        ")
PAIRS_BRUTE = PAIRS_STARTER + "return sum(a + b == k for a, b in combinations(nums, 2))\n"
PAIRS_BY_SET = PAIRS_STARTER + (
    "seen = set(nums)\n"
    "        return sum(1 for x in seen if k - x in seen and x < k - x)\n")
PAIRS_BY_COUNT = PAIRS_STARTER + (
    "seen, pairs = Counter(), 0\n        for x in nums:\n"
    "            pairs += seen[k - x]\n            seen[x] += 1\n        return pairs\n")


@pytest.mark.docker
def test_the_flow_stresses_a_method_against_its_brute_force_and_fixes_from_the_counterexample(
        docker_sandbox, tmp_path):
    """Through a scripted server and the real openai client: the arguments' spec is read off
    the samples' JSON; the brute force and the solution complete the starter code; a
    solution that passes the samples but not stress is shown the shrunk arguments it gets
    wrong, and the fix is the answer."""
    from cpagent.agent.flow import FlowOptions, solve
    from cpagent.agent.llm import CallLog, ModelClient, ModelSettings
    from tests.scripted_server import ScriptedServer

    problem = load_problem(write_jsonl(tmp_path / "lcb.jsonl", pair_count()))
    reflection = {"restatement": "Count pairs summing to k.", "approaches": [
        {"idea": "a set of the values", "complexity": "O(n)"}], "chosen": 0}
    script = [reflection, f"```python\n{PAIRS_BRUTE}```", f"```python\n{PAIRS_BY_SET}```",
              f"```python\n{PAIRS_BY_COUNT}```"]
    with ScriptedServer(script) as server:
        client = ModelClient(ModelSettings(model="scripted", base_url=server.base_url,
                                           api_key="x"), log=CallLog(tmp_path / "calls.db"))
        result = solve(problem, client, docker_sandbox, FlowOptions(flow="full", candidates=4))
        requests = server.requests
    assert len(requests) == 4
    steps = [(s.name, s.candidate, s.summary) for s in result.trajectory.steps]
    assert ("spec", None, "arguments of Solution().countPairs inferred from the samples: "
            "list of int, int") in steps
    brute_prompt = requests[1]["messages"][-1]["content"]
    assert "brute-force" in brute_prompt and problem.call.starter.strip() in brute_prompt
    system, prompt = (m["content"] for m in requests[2]["messages"])
    assert "class Solution" in system
    assert "calls `Solution().countPairs(...)`" in prompt and "input()" not in prompt
    stress = next(s for s in result.trajectory.steps if s.name == "stress")
    case = stress.data["counterexample"]
    nums, k = (json.loads(line) for line in case["input"].splitlines())
    # The set-based count is wrong only where a value repeats; shrunk, a pair of them.
    assert len(nums) != len(set(nums)) and len(nums) <= 3
    assert int(case["reference_output"]) != int(case["candidate_output"])
    debug_prompt = requests[3]["messages"][-1]["content"]
    assert case["input"].strip() in debug_prompt
    # Training exports ask the same question the flow asked.
    from cpagent.agent.datagen.training import solution_prompt
    assert [m.content for m in solution_prompt(problem)] == [system, prompt]
    # The harness imports what the code uses (LeetCode's judge would have, the sandbox does).
    assert result.accepted and result.code.endswith(PAIRS_BY_COUNT)
    assert "from collections import Counter" in result.code
    assert not any(s.name == "timing" for s in result.trajectory.steps)  # nothing sized it


@pytest.mark.docker
def test_the_flow_times_a_method_where_the_constraints_size_its_arguments(
        docker_sandbox, tmp_path):
    """The brute force itself is the first answer: right, and stress has nothing to say
    against it, but on 10^5 numbers it runs out of time; the 'faster' prompt says so, and
    the rewrite, stressed against it, is the answer."""
    from cpagent.agent.flow import FlowOptions, solve
    from cpagent.agent.llm import CallLog, ModelClient, ModelSettings
    from tests.scripted_server import ScriptedServer

    problem = load_problem(write_jsonl(tmp_path / "lcb.jsonl",
                                       pair_count(constraints=PAIRS_CONSTRAINTS)))
    reflection = {"restatement": "Count pairs summing to k.", "approaches": [
        {"idea": "every pair", "complexity": "O(n^2)"}], "chosen": 0}
    slow = PAIRS_BRUTE.replace("combinations(nums, 2)", "itertools.combinations(nums, 2)")
    script = [reflection, f"```python\n{PAIRS_BRUTE}```", f"```python\n{slow}```",
              f"```python\n{PAIRS_BY_COUNT}```"]
    with ScriptedServer(script) as server:
        client = ModelClient(ModelSettings(model="scripted", base_url=server.base_url,
                                           api_key="x"), log=CallLog(tmp_path / "calls.db"))
        result = solve(problem, client, docker_sandbox,
                       FlowOptions(flow="full", candidates=2, selection_inputs=0))
        requests = server.requests
    steps = [(s.name, s.candidate, s.summary) for s in result.trajectory.steps]
    spec_step = next(s for s in result.trajectory.steps if s.name == "spec")
    assert spec_step.summary.endswith("list of int, int, sized by the statement's constraints")
    timings = [summary for name, cand, summary in steps if name == "timing"]
    assert timings and timings[0].endswith("tle"), steps
    faster = requests[3]["messages"][-1]["content"]
    assert "too slow" in faster and "itertools.combinations" in faster
    # Both versions stressed against the brute force, and the rewrite times as fitting.
    stressed = [summary for name, _, summary in steps if name == "stress"]
    assert len(stressed) == 2 and all(x.startswith("no counterexample") for x in stressed)
    assert len(timings) == 2 and timings[1].endswith("fits"), steps
    assert result.accepted and result.code.endswith(PAIRS_BY_COUNT)


def test_a_report_on_unrated_records_gives_pass_at_1_by_difficulty_platform_and_month(
        tmp_path):
    """LiveCodeBench problems carry no Codeforces rating, so no Elo; the report still gives
    the benchmark's own measure: pass@1 by difficulty, platform and contest month."""
    from cpagent.agent.batch import RunSpec, RunStore
    from cpagent.agent.report import Report

    path = write_jsonl(tmp_path / "lcb.jsonl", record("2001_A"), functional("3100"),
                       record("1999_C", difficulty="hard",
                              contest_date="2023-01-05T00:00:00"))
    problems = load_problem_set([path])
    outcomes = {"2001_A": [True, True], "3100": [True, False], "1999_C": [False, False]}
    with RunStore(tmp_path / "runs.db") as store:
        store.create_or_resume("r", RunSpec(model="m", flow={"flow": "full"}, samples=2),
                               problems)
        for problem_id, results in outcomes.items():
            for k, ok in enumerate(results):
                store.start("r", problem_id, k)
                store.finish("r", problem_id, k, {"solved": ok, "verdict": "AC" if ok else
                                                  "WA", "passed": 1, "tests": 3, "calls": 1,
                                                  "tokens": 100, "seconds": 5.0})
    done = cpagent("contest", "report", "r", "--skip-unrated", "--out", tmp_path / "rep",
                   env={"CPAGENT_HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    report = Report.model_validate_json((tmp_path / "rep" / "report.json").read_text())
    rates = {(r.group, r.value): (r.problems, r.accepted, r.attempts, r.solved)
             for r in report.rates}
    assert rates == {("all", "all"): (3, 3, 6, 2),
                     ("difficulty", "easy"): (2, 3, 4, 2),
                     ("difficulty", "hard"): (1, 0, 2, 0),
                     ("platform", "codeforces"): (2, 2, 4, 1),
                     ("platform", "leetcode"): (1, 1, 2, 1),
                     ("month", "2023-01"): (1, 0, 2, 0),
                     ("month", "2024-08"): (2, 3, 4, 2)}
    assert [r.group for r in report.rates] == ["all", "difficulty", "difficulty", "platform",
                                               "platform", "month", "month"]
    markdown = (tmp_path / "rep" / "report.md").read_text()
    assert "| all problems | 3 | 6 | 50.0% | 2 |" in markdown
    assert "| difficulty easy | 2 | 4 | 75.0% | 2 |" in markdown
    assert "<h2>Solve rate</h2>" in (tmp_path / "rep" / "report.html").read_text()
