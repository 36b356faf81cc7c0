"""End to end with the real embedded model (Qwen2.5-Coder-1.5B, GGUF, served by llama.cpp on
loopback) and the real Docker sandbox, on the library's easiest problem. Skipped where the
model or llama-cpp-python is absent, except under CI (CPAGENT_REQUIRE_MODEL=1)."""

from __future__ import annotations

import os

import pytest

from cpagent.agent.flow import FlowOptions, solve
from cpagent.agent.local import is_present, llama_cpp_available
from cpagent.agent.runtime import model_client
from cpagent.problems.load import load_problem
from tests.conftest import LIBRARY

pytestmark = [pytest.mark.docker, pytest.mark.model]
MAX_CALLS = 8


@pytest.fixture(scope="module")
def local_model():
    if not (llama_cpp_available() and is_present()):
        why = "the embedded model or llama-cpp-python is absent (cpagent model pull)"
        if os.environ.get("CPAGENT_REQUIRE_MODEL"):
            pytest.fail(why)
        pytest.skip(why)
    with model_client("local", log=False) as client:
        yield client


def test_embedded_model_solves_an_easy_problem(docker_sandbox, local_model):
    problem = load_problem(LIBRARY / "temperature-swing")
    options = FlowOptions(flow="full", candidates=2, rounds=2, max_calls=MAX_CALLS,
                          max_tokens=768, stress_budget_s=10, selection_inputs=10)
    result = solve(problem, local_model, docker_sandbox, options)
    steps = [s.name for s in result.trajectory.steps]
    print(result.trajectory.model_dump_json(indent=1)[:3000])
    assert result.trajectory.calls <= MAX_CALLS
    for name in ("reflect", "spec", "solution", "samples", "verdict"):
        assert name in steps, steps
    assert result.code is not None and result.report is not None
    assert result.report.total == len(problem.tests)
    assert result.accepted, [(s.name, s.summary) for s in result.trajectory.steps]
