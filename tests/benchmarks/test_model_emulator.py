"""The parametric model emulator (benchmarks/model_emulator.py) driven through the real flow,
the real `openai` client on loopback and the real Docker sandbox: its answers are what it
says they are, and they depend on the seed alone."""

from __future__ import annotations

import pytest

from benchmarks.model_emulator import (
    EmulatedProblem,
    ModelEmulator,
    Named,
    Skill,
    emulated_problem,
    request_kind,
)
from cpagent.agent.flow import FlowOptions, solve
from cpagent.agent.flow.prompts import messages
from cpagent.agent.llm import ModelClient, ModelRequestError, ModelSettings
from cpagent.problems.model import Problem, TestCase
from cpagent.sandbox import judge
from cpagent.sandbox.model import Program
from tests.conftest import LIBRARY

# A stdin problem whose reference times quickly on maximum inputs (about 6 s), with wrong,
# slow and crashing submissions and a brute force.
PROBLEM = LIBRARY / "vowel-run"
ONLY_RIGHT = Skill(p_right=1, p_wrong=0, p_crash=0, p_fix=1, p_brute=1, p_fast=1)
ONLY_WRONG = Skill(p_right=0, p_wrong=1, p_crash=0, p_fix=0, p_brute=1, p_fast=0)
# Every repair lands; a rewrite for speed never does, so a slow first answer is fixed by a
# repair (fix_faster) too, not by a rewrite.
REPAIRS = Skill(p_right=0, p_wrong=1, p_crash=0, p_fix=1, p_brute=1, p_fast=0)
MIXED = Skill(p_right=0.4, p_wrong=0.4, p_crash=0.2, p_fix=0.5, p_brute=0.8, p_fast=0.5)
# The full flow, small, as the reasoning profile runs it (no reflection call, repairs of
# failed samples too), with no vote: selection's inputs would be the slowest step left.
SMALL_FULL = dict(flow="full", reflect=False, candidates=2, rounds=1, debug_samples=True,
                  max_calls=4, stress_budget_s=1, selection_inputs=0)


@pytest.fixture(scope="module")
def known(docker_sandbox, tmp_path_factory) -> EmulatedProblem:
    cache = tmp_path_factory.mktemp("emulator") / "verdicts.json"
    found = emulated_problem(PROBLEM, docker_sandbox, mutants=2, cache=cache)
    assert found is not None
    return found


def run(known: EmulatedProblem, box, skill: Skill, seed: int, **options):
    with ModelEmulator([known], skill, seed) as emulator:
        settings = ModelSettings(model="emulated", base_url=emulator.base_url, api_key="x")
        with ModelClient(settings) as client:
            result = solve(known.problem, client, box, FlowOptions(**options))
    return result, emulator.answers


def test_each_prompt_of_the_flow_is_told_apart_by_its_opening_words():
    values = {"statement": "Print a + b.", "code": "print(1)", "method": "f", "starter": ""}
    expected = {"reflect": "reflect", "spec": "spec", "brute": "brute", "brute_call": "brute",
                "solution": "solution", "solution_call": "solution", "debug": "repair",
                "fix_faster": "repair", "faster": "faster"}
    for prompt, kind in expected.items():
        sent = [m.model_dump() for m in messages(prompt, **values)]
        assert request_kind(sent) == kind, prompt
    assert request_kind([{"role": "user", "content": "Tell me a joke."}]) is None


def test_it_answers_with_usage_over_http_and_refuses_a_problem_it_does_not_know():
    """No sandbox: a bank made by hand (emulated_problem would judge its programs)."""
    problem = Problem(id="sum", title="Sum", statement="Print a + b.", tests=[
        TestCase(name="1", input="1 2\n", answer="3\n", kind="sample")])
    reference = Named("accepted/sum.py", "a, b = map(int, input().split())\nprint(a + b)\n")
    known = EmulatedProblem(problem, reference, None, (Named("wrong", "print(0)\n"),),
                            (Named("unparsable", "print((\n"),))
    with ModelEmulator([known], ONLY_RIGHT, 0) as emulator:
        settings = ModelSettings(model="emulated", base_url=emulator.base_url, api_key="x")
        with ModelClient(settings) as client:
            done = client.complete(messages("solution", statement="Print a + b."), sample=1)
            assert "print(a + b)" in done.text
            assert not done.usage.estimated and done.usage.completion_tokens > 0
            with pytest.raises(ModelRequestError, match="no problem it knows"):
                client.complete(messages("solution", statement="Print a * b."), sample=1)
    assert [(a.problem, a.kind, a.label) for a in emulator.answers] == [
        ("sum", "solution", "right")]


@pytest.mark.docker
def test_every_program_it_calls_right_is_accepted_and_every_one_it_calls_wrong_is_not(
        known, docker_sandbox):
    assert any(w.name.startswith("mutant") for w in known.wrong) and known.blunders
    assert judge(docker_sandbox, Program(source=known.reference.source), known.problem).accepted
    for program in (*known.wrong, *known.crash):
        report = judge(docker_sandbox, Program(source=program.source), known.problem)
        assert not report.accepted, program.name
    for program in known.blunders:
        report = judge(docker_sandbox, Program(source=program.source), known.problem,
                       tests=known.problem.samples())
        assert not report.accepted, program.name


@pytest.mark.docker
def test_oneshot_is_accepted_when_every_first_answer_is_right_and_not_when_none_is(
        known, docker_sandbox):
    right, answers = run(known, docker_sandbox, ONLY_RIGHT, 0, flow="oneshot")
    assert right.accepted and [a.label for a in answers] == ["right"]
    wrong, answers = run(known, docker_sandbox, ONLY_WRONG, 0, flow="oneshot")
    assert [a.label for a in answers] == ["wrong"]
    assert wrong.report is not None and not wrong.accepted, answers
    blunders = ONLY_WRONG.model_copy(update={"p_blunder": 1.0})
    blunder, answers = run(known, docker_sandbox, blunders, 0, flow="oneshot")
    assert answers[0].program in {b.name for b in known.blunders}
    samples = [s for s in blunder.trajectory.steps if s.name == "samples"]
    assert samples[0].data["verdict"] != "AC"


@pytest.mark.docker
def test_the_same_seed_gives_the_same_answers_and_another_seed_can_differ(
        known, docker_sandbox):
    # Seed 17 draws a right brute force, a first answer that fails a sample and a right
    # repair: a path that no check's luck decides (stress within its seconds may or may not
    # catch a program that passes the samples), so only the emulator could make it differ.
    options = {**SMALL_FULL, "max_calls": 3}
    first, once = run(known, docker_sandbox, MIXED, 17, **options)
    again, twice = run(known, docker_sandbox, MIXED, 17, **options)
    assert [a.kind for a in once] == ["brute", "solution", "repair"], once
    assert once == twice
    assert first.code == again.code
    # The first solution's draw, over seeds: not always the same program.
    drawn = set()
    for seed in range(12):
        emulator = ModelEmulator([known], MIXED, seed)
        request = {"messages": [m.model_dump() for m in messages(
            "solution", statement=known.problem.statement)], "seed": 1}
        drawn.add(emulator.reply(request)[1].program)
    assert len(drawn) >= 3


@pytest.mark.docker
def test_the_full_flow_repairs_a_wrong_first_answer_when_every_repair_lands(
        known, docker_sandbox):
    # Seed 3's first answer fails a sample, so the repair is asked for whatever stress finds.
    result, answers = run(known, docker_sandbox, REPAIRS, 3, **SMALL_FULL)
    kinds = [(a.kind, a.label) for a in answers]
    assert kinds[:2] == [("brute", "right"), ("solution", "wrong")], kinds
    assert ("repair", "right") in kinds, kinds
    assert result.accepted, [(s.name, s.summary) for s in result.trajectory.steps]
