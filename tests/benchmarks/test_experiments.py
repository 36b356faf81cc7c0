"""The one-off experiments read recorded trajectories; which program a candidate held at
each step decides what they re-run or judge, so that reading is checked here."""

from __future__ import annotations

import json

from benchmarks.experiments.common import program_versions, recorded
from benchmarks.experiments.sample_passers import sample_passers
from benchmarks.experiments.speed_rewrites import slow_versions
from tests.conftest import needs_shared


def _step(name: str, cand: int, summary: str = "", **data) -> dict:
    return {"name": name, "candidate": cand, "summary": summary, "data": data}


TRAJECTORY = {"steps": [
    _step("spec", -1, spec={"lines": []}),
    _step("brute", -1, code="brute"),
    _step("solution", 0, code="first"),
    _step("samples", 0, verdict="AC"),
    _step("timing", 0, "3.10s predicted on max inputs: tle"),
    _step("debug", 0, code="faster"),
    _step("samples", 0, verdict="WA"),
    _step("solution", 1),  # a reply without code: the candidate holds nothing yet
    _step("samples", 1, verdict="AC"),
    _step("from-brute", 1),
    _step("samples", 1, verdict="AC"),
    _step("timing", 1, "0.20s predicted on max inputs: ok"),
    _step("solution", 2, code="first"),
    _step("samples", 2, verdict="AC"),
    _step("timing", 2, "2.00s predicted on max inputs: tle"),
]}


def test_each_step_sees_the_code_its_candidate_held_then():
    seen = [(s["name"], s["candidate"], code) for s, code in program_versions(TRAJECTORY)]
    assert ("samples", 0, "first") in seen and ("samples", 0, "faster") in seen
    assert ("samples", 1, "brute") in seen
    assert all(cand != 1 or code == "brute" for _, cand, code in seen)
    assert not any(name == "spec" for name, _, _ in seen)


def test_programs_that_passed_the_samples_are_listed_once_each():
    assert sample_passers(TRAJECTORY) == ["first", "brute"]


def test_slow_versions_keep_the_spec_and_each_distinct_too_slow_program():
    spec, slow = slow_versions(TRAJECTORY)
    assert spec == {"lines": []}
    assert slow == [(0, "first")]


def test_a_recorded_run_gives_each_problem_its_trajectory_and_outcome(tmp_path):
    run = tmp_path / "run.jsonl"
    run.write_text(json.dumps({"id": "shelf-pairs", "solved": True, "trajectory": TRAJECTORY})
                   + "\n" + json.dumps({"id": "lamp-toggles", "trajectory": {"steps": []}})
                   + "\n")
    rows = recorded(str(run))
    assert [(r.problem.id, r.solved) for r in rows] == [("shelf-pairs", True),
                                                        ("lamp-toggles", False)]
    assert rows[0].trajectory == TRAJECTORY and rows[0].problem.samples()


@needs_shared
def test_a_recorded_codecontests_run_reads_its_problems_from_the_dev_set(tmp_path):
    record = "9_a_die_roll_1319"
    run = tmp_path / "run.jsonl"
    run.write_text(json.dumps({"id": record, "solved": False, "trajectory": TRAJECTORY}) + "\n")
    (row,) = recorded(str(run))
    assert row.problem.id == record and not row.solved
    assert len(row.problem.tests) > len(row.problem.samples())
