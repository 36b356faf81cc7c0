"""cpagent.rewards: the trainer-facing reward functions, judged for real.

The call shapes are the trainers' own:
- TRL's GRPOTrainer calls each reward function as `f(prompts=..., completions=...,
  completion_ids=..., **columns)`, every dataset column but the prompt passed as a list with
  one entry per completion, and takes back `list[float]`; conversational completions are
  lists of messages `[{"role": "assistant", "content": ...}]` (TRL docs, "Reward Functions"
  and the GRPOTrainer guide, huggingface.co/docs/trl).
- verl's custom reward hook (`custom_reward_function.path` / `.name`, called by its reward
  managers) is `compute_score(data_source, solution_str, ground_truth, extra_info)` and
  returns a float; its code datasets keep `ground_truth` as the JSON text of
  `{"inputs": [...], "outputs": [...]}` (verl, `verl/utils/reward_score/sandbox_fusion`).
"""

from __future__ import annotations

import json

import pytest

from cpagent.rewards import (
    CodeReward,
    as_problem_ref,
    completion_text,
    compute_score,
    extract_program,
)
from tests.agent.test_serve import ACCEPTED as MIRROR_SOLUTIONS
from tests.agent.test_serve import running_server

ADD_TESTS = {"inputs": ["2 3\n", "10 -4\n"], "outputs": ["5\n", "6\n"]}
ACCEPTED = "Read two numbers and add them:\n```python\na, b = map(int, input().split())\n" \
           "print(a + b)\n```\n"
WRONG = "```python\nprint(5)\n```"
CRASHING = "```python\nraise RuntimeError('no')\n```"
PROSE = "I would add the two numbers, but I will not write the program."


def chat(text: str) -> list[dict]:
    return [{"role": "assistant", "content": text}]


def test_a_completion_is_read_as_text_or_as_chat_messages():
    assert completion_text("plain") == "plain"
    assert completion_text(chat("from a chat")) == "from a chat"
    assert extract_program(chat(ACCEPTED)) == "a, b = map(int, input().split())\nprint(a + b)\n"
    assert extract_program(PROSE) is None


def test_a_problem_column_may_be_a_reference_inline_tests_or_their_json():
    inline = {"tests": [{"input": "2 3\n", "output": "5\n"}, {"input": "10 -4\n",
                                                             "output": "6\n"}]}
    assert as_problem_ref(ADD_TESTS) == inline
    assert as_problem_ref(json.dumps(ADD_TESTS)) == inline
    assert as_problem_ref(inline["tests"]) == inline
    assert as_problem_ref("mirror-words") == {"problem": "mirror-words"}
    with pytest.raises(ValueError, match="2 inputs but 1 outputs"):
        as_problem_ref({"inputs": ["1", "2"], "outputs": ["1"]})


@pytest.mark.docker
def test_the_trl_reward_scores_accepted_wrong_crashing_and_codeless_completions(
        docker_sandbox):
    reward = CodeReward()
    completions = [chat(ACCEPTED), chat(WRONG), chat(CRASHING), chat(PROSE)]
    scores = reward(prompts=["add"] * 4, completions=completions,
                    completion_ids=[[1]] * 4, problem=[json.dumps(ADD_TESTS)] * 4)
    assert scores == [1.0, 0.0, 0.0, 0.0]
    assert reward.__name__ == "cpagent_binary"


@pytest.mark.docker
def test_the_verl_hook_scores_a_response_against_its_ground_truth(docker_sandbox):
    truth = json.dumps(ADD_TESTS)
    assert compute_score("codecontests", ACCEPTED, truth, {"index": 0}) == 1.0
    assert compute_score("codecontests", WRONG, truth, {"index": 1}) == 0.0
    half = "```python\nprint(5)\n```"
    assert compute_score("codecontests", half, truth, None, reward="fraction") == 0.5


@pytest.mark.docker
def test_both_rewards_judge_through_a_running_service(docker_sandbox):
    with running_server("--pool", 1) as server:
        reward = CodeReward(url=server.url, reward="fraction")
        mirror = f"```python\n{MIRROR_SOLUTIONS[0].read_text()}```"
        # Five programs for one problem: more than one batch request holds.
        scores = reward(completions=[ACCEPTED, WRONG, CRASHING, PROSE, mirror, ACCEPTED,
                                     ACCEPTED, chat(ACCEPTED)],
                        problem=[ADD_TESTS] * 4 + ["mirror-words"] * 2 + [ADD_TESTS] * 2)
        assert scores == [1.0, 0.5, 0.0, 0.0, 1.0, 0.0, 1.0, 1.0]
        assert compute_score("x", ACCEPTED, json.dumps(ADD_TESTS), url=server.url) == 1.0
