"""`benchmarks/solve_rate.py` as an evaluator runs it, against a scripted server on loopback:
a row per problem judged on its full tests, and a rerun into a fresh results file that is
answered entirely from the call log, which the row and the summary say."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import LIBRARY, ROOT
from tests.scripted_server import ScriptedServer

PROBLEM = LIBRARY / "temperature-swing"
ACCEPTED = (PROBLEM / "submissions" / "accepted" / "min_max.py").read_text()


def solve_rate(server: ScriptedServer, results, home) -> subprocess.CompletedProcess:
    env = {**os.environ, "CPAGENT_HOME": str(home), "CPAGENT_API_KEY": "x"}
    return subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "solve_rate.py"), str(PROBLEM),
         "--model", "scripted", "--base-url", server.base_url, "--flow", "oneshot",
         "--results", str(results)],
        capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.docker
def test_a_rerun_is_judged_again_and_replays_every_call(docker_sandbox, tmp_path):
    with ScriptedServer([f"```python\n{ACCEPTED}```\n"]) as server:
        first = solve_rate(server, tmp_path / "first.jsonl", tmp_path)
        assert first.returncode == 0, first.stderr
        again = solve_rate(server, tmp_path / "again.jsonl", tmp_path)
        assert again.returncode == 0, again.stderr
        assert len(server.requests) == 1  # the rerun asked the model nothing
    row = json.loads((tmp_path / "first.jsonl").read_text())
    assert (row["id"], row["verdict"], row["passed"], row["tests"]) == (
        "temperature-swing", "AC", 10, 10)
    assert (row["calls"], row["replayed"]) == (1, 0)
    rerun = json.loads((tmp_path / "again.jsonl").read_text())
    assert (rerun["verdict"], rerun["calls"], rerun["replayed"]) == ("AC", 1, 1)
    assert "solved 1/1" in again.stdout
    assert "replayed from the call log: 1 of 1 calls" in again.stdout
    assert "replayed from the call log: 0 of 1 calls" in first.stdout


def test_a_finished_problem_is_skipped_on_resume(tmp_path):
    """Resuming: a problem already in the results file is not solved again, so no model, no
    sandbox and no server are needed to print the table."""
    results = tmp_path / "done.jsonl"
    results.write_text(json.dumps({"id": "temperature-swing", "solved": True, "verdict": "AC",
                                   "passed": 10, "tests": 10, "calls": 1, "replayed": 0,
                                   "tokens": 600, "seconds": 3.0}) + "\n")
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "solve_rate.py"), str(PROBLEM),
         "--model", "scripted", "--base-url", "http://127.0.0.1:9/v1", "--flow", "oneshot",
         "--results", str(results)],
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "CPAGENT_HOME": str(tmp_path), "CPAGENT_API_KEY": "x"})
    assert done.returncode == 0, done.stderr
    assert "1 problems, 1 done, 0 to go" in done.stdout
    assert "temperature-swing            AC" in done.stdout


def test_compare_runs_counts_only_problems_in_both_and_names_the_differences(tmp_path):
    def row(pid: str, verdict: str, passed: int, tests: int = 4) -> str:
        return json.dumps({"id": pid, "solved": verdict == "AC", "verdict": verdict,
                           "passed": passed, "tests": tests, "tokens": 10})
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text("\n".join([row("p", "AC", 4), row("q", "WA", 1), row("only-a", "AC", 4)]))
    b.write_text("\n".join([row("p", "WA", 2), row("q", "AC", 4)]) + "\n")
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "compare_runs.py"),
                           str(a), str(b), "--names", "old", "new"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "2 problems in both runs" in out and "only-a" not in out
    assert "old: solved 1/2, mean share of tests passed 0.625" in out
    assert "new: solved 1/2, mean share of tests passed 0.750" in out
    assert "solved only by old: p" in out and "solved only by new: q" in out
    a.write_text("not json\n")
    bad = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "compare_runs.py"),
                          str(a), str(b)], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
