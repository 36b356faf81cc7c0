"""Every number a command takes is checked before any work: NaN, infinities, negatives and
counts beyond memory or disk get one line naming the option and its range, and exit 2."""

from __future__ import annotations

import pytest

from tests.conftest import LIBRARY, assert_one_line_error, cpagent

PROBLEM = LIBRARY / "temperature-swing"
ACCEPTED = PROBLEM / "submissions" / "accepted" / "min_max.py"


@pytest.mark.parametrize("budget", ["nan", "-1", "0", "inf"])
def test_stress_refuses_a_budget_that_is_not_a_positive_number(budget):
    done = cpagent("stress", ACCEPTED, PROBLEM, "-r", ACCEPTED, "--budget", budget)
    assert_one_line_error(done, "--budget must be between")


@pytest.mark.parametrize("count", ["-3", "0", "1000000000000"])
def test_gen_refuses_a_count_out_of_range(tmp_path, count):
    done = cpagent("gen", PROBLEM, "-n", count, "--out", tmp_path / "out")
    assert_one_line_error(done, "-n must be between 1 and 100000")
    assert not (tmp_path / "out").exists()


def test_logs_refuses_a_count_beyond_any_log(tmp_path):
    (tmp_path / "home").mkdir()
    done = cpagent("logs", "-n", "99999999999999999999999",
                   env={"CPAGENT_HOME": str(tmp_path / "home")})
    assert_one_line_error(done, "--count must be between 1 and 100000")


@pytest.mark.parametrize("command", ["contest", "datagen"])
def test_a_batch_refuses_more_samples_than_a_disk_holds(tmp_path, command):
    done = cpagent(command, "run", PROBLEM, "--run", "r", "-k", "100000000", "--model",
                   "scripted", "--base-url", "http://127.0.0.1:9/v1",
                   env={"CPAGENT_HOME": str(tmp_path), "CPAGENT_API_KEY": "x"})
    assert_one_line_error(done, "--samples must be between 1 and 1000")
    assert not (tmp_path / "runs.db").exists()


def test_a_flow_option_out_of_range_is_named_with_its_range(tmp_path):
    done = cpagent("solve", PROBLEM, "--candidates", "100", "--model", "scripted",
                   "--base-url", "http://127.0.0.1:9/v1", "--no-log",
                   env={"CPAGENT_API_KEY": "x"}, cwd=tmp_path)
    assert_one_line_error(done, "--candidates must be at most 16 (got 100)")


def test_a_solution_that_is_not_utf8_is_named(tmp_path):
    (tmp_path / "latin.py").write_bytes(b"print('caf\xe9')\n")
    done = cpagent("judge", tmp_path / "latin.py", PROBLEM)
    assert_one_line_error(done, "latin.py: the program is not UTF-8 text")


def test_judging_a_problem_without_tests_says_so_plainly(tmp_path):
    (tmp_path / "plainfile.md").write_text("# Nothing\n\nA statement without examples.\n")
    done = cpagent("judge", ACCEPTED, tmp_path / "plainfile.md")
    assert_one_line_error(done, "plainfile has no tests to judge on")


@pytest.mark.parametrize(("args", "flag"), [
    (("contest", "run", PROBLEM, "--run", "r", "--parallel", "0"), "--parallel"),
    (("datagen", "run", PROBLEM, "--run", "r", "--parallel", "65"), "--parallel"),
    (("datagen", "export", "r", "--out", "out", "--suite-size", "-1"), "--suite-size"),
    (("listen", "--port", "99999999", "--once"), "--port"),
])
def test_other_numbers_out_of_range_name_their_option(tmp_path, args, flag):
    done = cpagent(*args, cwd=tmp_path, env={"CPAGENT_HOME": str(tmp_path),
                                             "CPAGENT_API_KEY": "x"})
    assert_one_line_error(done, f"{flag} must be between")
