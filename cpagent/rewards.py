"""Rewards for RL trainers: a program taken from each completion, judged on a problem's tests.

Two shapes, one judge:

- TRL's GRPOTrainer takes reward functions `f(completions, **columns) -> list[float]`, where
  `completions` are strings or chat messages and every dataset column arrives as a list
  with one entry per completion. `CodeReward` is one:

      from cpagent.rewards import CodeReward
      trainer = GRPOTrainer(model=..., reward_funcs=[CodeReward()], train_dataset=ds, ...)

  Each row names its problem in a column (`problem` by default): a reference cpagent can
  load (a path, `file.jsonl#id`), inline tests as `{"inputs": [...], "outputs": [...]}`
  (or its JSON text), or a list of `{"input": ..., "output": ...}`.

- verl's custom reward hook calls `compute_score(data_source, solution_str, ground_truth,
  extra_info)` per response; `ground_truth` names the problem the same way.

Both judge in this process (a warm Docker pool, opened on first use) or, given a URL (or
CPAGENT_SERVE_URL), through a running `cpagent serve`. A completion without a program scores
0 without being run. A sandbox or service that cannot judge raises: a silent zero would
train the model on the outage.
"""

from __future__ import annotations

import functools
import json
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal

from cpagent.problems.model import Checker, Limits, Problem, TestCase, TokenChecker

__all__ = ["CodeReward", "as_problem_ref", "completion_text", "compute_score",
           "extract_program"]

RewardKind = Literal["binary", "fraction"]


def completion_text(completion: Any) -> str:
    """The text of a completion as TRL passes it: a string, or chat messages (the last
    message's content)."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, dict):
        return str(completion.get("content") or "")
    if isinstance(completion, Sequence) and completion:
        return completion_text(completion[-1])
    return ""


def extract_program(completion: Any) -> str | None:
    """The Python program in a completion: the last fenced python block that parses, else
    the longest fenced block that parses, else the whole text if it is a program."""
    from cpagent.agent.flow.code import extract_code

    return extract_code(completion_text(completion))


def as_problem_ref(value: Any) -> dict:
    """A problem as a trainer's dataset gives it, as the body fields of `/judge`:
    `{"problem": ref}` or `{"tests": [{"input", "output"}, ...]}`. Accepts a reference
    string, `{"inputs": [...], "outputs": [...]}` (or its JSON text, as verl's code datasets
    store `ground_truth`), a list of `{"input", "output"}`, or a dict already in that shape
    (which may add `checker` and `limits`)."""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith(("{", "[")):
            try:
                return as_problem_ref(json.loads(text))
            except json.JSONDecodeError as exc:
                raise ValueError(f"the problem column is not valid JSON: {exc}") from None
        return {"problem": value}
    if isinstance(value, dict):
        if "problem" in value or "tests" in value:
            return dict(value)
        if "inputs" in value and "outputs" in value:
            inputs, outputs = list(value["inputs"]), list(value["outputs"])
            if len(inputs) != len(outputs):
                raise ValueError(f"{len(inputs)} inputs but {len(outputs)} outputs")
            return {"tests": [{"input": _text(i), "output": _text(o)}
                              for i, o in zip(inputs, outputs, strict=True)]}
    if isinstance(value, list) and all(isinstance(t, dict) for t in value):
        return {"tests": [{"input": _text(t["input"]), "output": _text(t["output"])}
                          for t in value]}
    raise ValueError(f"cannot read a problem from a {type(value).__name__}")


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


class _InProcess:
    """Judging in this process, on one warm pool shared by every reward function."""

    def __init__(self, backend: str) -> None:
        from cpagent.sandbox import open_sandbox

        self.box = open_sandbox(backend)
        self.workers = ThreadPoolExecutor(max_workers=getattr(self.box, "size", 1))

    def rewards(self, ref: dict, codes: list[str], language: str, kind: RewardKind
                ) -> list[float]:
        from cpagent.sandbox import Program, judge

        problem = _problem(ref)

        def one(code: str) -> float:
            report = judge(self.box, Program(source=code, lang=language), problem)
            if kind == "fraction":
                return report.passed / report.total if report.total else 0.0
            return 1.0 if report.accepted else 0.0

        return list(self.workers.map(one, codes))


@functools.lru_cache(maxsize=256)
def _load(reference: str) -> Problem:
    from cpagent.problems.load import load_problem

    return load_problem(reference)


def _problem(ref: dict) -> Problem:
    limits = Limits.model_validate(ref["limits"]) if ref.get("limits") else None
    if "problem" in ref:
        problem = _load(ref["problem"])
        if limits is not None:
            problem = problem.model_copy(update={"limits": limits})
        if ref.get("samples_only"):
            problem = problem.model_copy(update={"tests": problem.samples()})
        return problem
    checker: Checker = TokenChecker()
    if ref.get("checker"):
        from pydantic import TypeAdapter

        checker = TypeAdapter(Checker).validate_python(ref["checker"])
    tests = [TestCase(name=str(i + 1), input=t["input"], answer=t["output"])
             for i, t in enumerate(ref["tests"])]
    return Problem(id="inline", tests=tests, checker=checker, limits=limits or Limits())


class _Remote:
    def __init__(self, url: str, token: str | None) -> None:
        from cpagent.agent.serve.client import JudgeClient

        self.client = JudgeClient(url, token=token)

    def rewards(self, ref: dict, codes: list[str], language: str, kind: RewardKind
                ) -> list[float]:
        # A batch holds one container: a group split in a few batches sent at once uses
        # several.
        chunks = [codes[i:i + REMOTE_BATCH] for i in range(0, len(codes), REMOTE_BATCH)]
        answers = _fan_out(lambda chunk: self.client.judge_batch(
            ref, chunk, language=language, reward=kind), chunks)
        return [float(r["reward"]) for results in answers for r in results]


REMOTE_BATCH = 4  # programs per /judge/batch request
FAN_OUT = 32  # requests or groups in flight at once


def _fan_out(fn: Any, items: list) -> list:
    """`[fn(x) for x in items]`, concurrently: each waits on a sandbox or the service."""
    if len(items) <= 1:
        return [fn(x) for x in items]
    with ThreadPoolExecutor(max_workers=min(FAN_OUT, len(items))) as pool:
        return list(pool.map(fn, items))


_judges: dict[tuple, Any] = {}
_judges_lock = threading.Lock()


def _judge_for(url: str | None, token: str | None, backend: str) -> Any:
    """One judge per place it judges, shared: a trainer calls the reward thousands of
    times, and a pool or a connection pool is opened once."""
    url = url or os.environ.get("CPAGENT_SERVE_URL") or None
    token = token or os.environ.get("CPAGENT_SERVE_TOKEN") or None
    key = (url, token) if url else ("local", backend)
    with _judges_lock:
        if key not in _judges:
            _judges[key] = _Remote(url, token) if url else _InProcess(backend)
        return _judges[key]


def _score(judge: Any, ref: dict, completions: list[Any], language: str,
           kind: RewardKind) -> list[float]:
    programs = [extract_program(c) for c in completions]
    codes = [p for p in programs if p is not None]
    scored = iter(judge.rewards(ref, codes, language, kind) if codes else [])
    return [0.0 if p is None else next(scored) for p in programs]


class CodeReward:
    """A TRL GRPOTrainer reward function: 1.0 for a completion whose program passes every
    test (or, with `reward="fraction"`, the share it passes), 0.0 otherwise.

    `column` names the dataset column holding each row's problem. With `url` (or
    CPAGENT_SERVE_URL) it judges through `cpagent serve`; else in this process."""

    def __init__(self, *, column: str = "problem", url: str | None = None,
                 token: str | None = None, reward: RewardKind = "binary",
                 language: str = "python", sandbox: str = "docker") -> None:
        self.column = column
        self.url = url
        self.token = token
        self.reward = reward
        self.language = language
        self.sandbox = sandbox
        self.__name__ = f"cpagent_{reward}"  # TRL logs each reward under its function's name

    def __call__(self, completions: list[Any], **columns: Any) -> list[float]:
        if self.column not in columns:
            raise ValueError(f"the dataset has no {self.column!r} column (it has: "
                             f"{', '.join(sorted(columns)) or 'none'})")
        problems = columns[self.column]
        if len(problems) != len(completions):
            raise ValueError(f"{len(completions)} completions but {len(problems)} problems")
        judge = _judge_for(self.url, self.token, self.sandbox)
        # GRPO samples several completions per prompt: judge each problem's group at once.
        groups: dict[str, list[int]] = {}
        refs: dict[str, dict] = {}
        for i, value in enumerate(problems):
            ref = as_problem_ref(value)
            key = json.dumps(ref, sort_keys=True)
            refs[key] = ref
            groups.setdefault(key, []).append(i)
        rewards = [0.0] * len(completions)
        scored = _fan_out(lambda key: _score(judge, refs[key], [completions[i] for i in
                                                                groups[key]],
                                             self.language, self.reward), list(groups))
        for key, scores in zip(groups, scored, strict=True):
            for i, score in zip(groups[key], scores, strict=True):
                rewards[i] = score
        return rewards


def compute_score(data_source: Any, solution_str: str, ground_truth: Any,
                  extra_info: dict | None = None, *, url: str | None = None,
                  token: str | None = None, reward: RewardKind = "binary",
                  language: str = "python", sandbox: str = "docker", **_: Any) -> float:
    """verl's custom reward hook: the score of one response. `ground_truth` names the
    problem (see `as_problem_ref`); `url`, `token`, `reward` and `language` may come from
    verl's `custom_reward_function.reward_kwargs`, or from CPAGENT_SERVE_URL and
    CPAGENT_SERVE_TOKEN."""
    judge = _judge_for(url, token, sandbox)
    [score] = _score(judge, as_problem_ref(ground_truth), [solution_str], language, reward)
    return score
