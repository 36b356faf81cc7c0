"""What every step of a solving run shares: the problem, the model, the sandbox, the options,
the trajectory being written, and the budget of model calls left."""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from pydantic import BaseModel

from cpagent.agent.flow.code import extract_code
from cpagent.agent.flow.imports import add_missing_imports
from cpagent.agent.flow.options import FlowOptions
from cpagent.agent.flow.prompts import call_prompts, fragment, messages
from cpagent.agent.flow.trajectory import FailedCall, Step, Trajectory
from cpagent.agent.llm import Completion, ModelClient, ModelReplyError, ModelTruncated
from cpagent.problems.model import Problem
from cpagent.problems.spec import InputSpec
from cpagent.problems.spec.call_args import CallSpec
from cpagent.sandbox.base import Sandbox
from cpagent.sandbox.model import Program

T = TypeVar("T", bound=BaseModel)
# Attempt k's calls use samples from k * this on: attempts never share a sample (a call
# budget is far smaller), and attempt 0 keeps the numbers, hence the replays, it always had.
SAMPLES_PER_ATTEMPT = 1000


@dataclass
class Context:
    problem: Problem
    client: ModelClient
    sandbox: Sandbox
    options: FlowOptions
    trajectory: Trajectory
    on_step: Callable[[Step], None] | None = None
    calls_left: int = 0
    samples_asked: int = 0
    spec: InputSpec | CallSpec | None = None
    # "problem", "model" or "samples".
    spec_source: str = ""
    # What timing draws the largest inputs from: the spec itself, except that an inferred
    # spec's values keep to the samples', so it needs the statement's bounds (or no timing:
    # it would claim a fit it never measured).
    timing_spec: InputSpec | CallSpec | None = None
    brute: Program | None = None
    plan: str = ""
    complexity: str = ""
    reader: str = ""  # code that reads the input, written from the spec, checked on the samples
    extra: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.calls_left = self.options.max_calls

    @property
    def system(self) -> str:
        """The system prompt's file: code to complete for LeetCode-style problems."""
        return call_prompts(self.problem)[1]

    @property
    def statement(self) -> str:
        return self.problem.statement or self.problem.title

    def values(self, **more: object) -> dict[str, object]:
        called = call_prompts(self.problem)[2]
        return {"statement": self.statement, "time_limit": f"{self.problem.limits.time_s:g}",
                "memory_limit": self.problem.limits.memory_mb, **called, **more}

    def reading(self) -> str:
        """The solution prompt's words on reading input when there is a reader. Its names
        are the statement's when the spec is the problem's own; one inferred from the samples
        takes them where the statement's Input section could be matched, and a name with a
        digit (`v1`, `a2`) is one of ours."""
        ours = self.spec_source != "problem" and re.search(r"\b[a-z]+\d+\b", self.reader)
        names = " (names with a digit are ours, not the statement's)" if ours else ""
        return fragment("reading_given", code=self.reader, names=names)

    @property
    def can_time(self) -> bool:
        return self.timing_spec is not None

    @contextlib.contextmanager
    def step(self, name: str, candidate: int | None = None) -> Iterator[Step]:
        """A step of the trajectory, timed from here and recorded when the block ends
        (a return inside it included; an exception is not a step)."""
        started = time.monotonic()
        step = Step(name=name, candidate=candidate)
        yield step
        self.record(step, started)

    def record(self, step: Step, started: float) -> Step:
        step.seconds = round(time.monotonic() - started, 2)
        self.trajectory.steps.append(step)
        if self.on_step:
            self.on_step(step)
        return step

    def _account(self, step: Step, completion: Completion) -> None:
        tokens = completion.usage.prompt_tokens + completion.usage.completion_tokens
        step.tokens += tokens
        self.trajectory.tokens += tokens
        self.trajectory.calls += 1
        if completion.call_id is not None:
            step.calls.append(completion.call_id)

    def can_ask(self) -> bool:
        return self.calls_left > 0

    def ask_code(self, step: Step, prompt: str, temperature: float | None = None,
                 **values: object) -> str | None:
        """One model call for a program; None if the budget is spent or no code came back."""
        completion = self._complete(step, prompt, temperature, **values)
        if completion is None:
            return None
        code = extract_code(completion.text)
        step.data["reply_chars"] = len(completion.text)
        if code is None:
            step.data["no_code"] = completion.text[-400:]
            return None
        code, added = add_missing_imports(code)
        if added:
            step.data["imports_added"] = added
        return code

    def _complete(self, step: Step, prompt: str, temperature: float | None,
                  **values: object) -> Completion | None:
        if not self.can_ask():
            step.data["skipped"] = "model call budget spent"
            return None
        self.calls_left -= 1
        self.samples_asked += 1
        try:
            completion = self.client.complete(
                messages(prompt, self.system, **self.values(**values)), step=step.name,
                max_tokens=self.options.max_tokens,
                temperature=self.options.temperature if temperature is None else temperature,
                sample=self.options.attempt * SAMPLES_PER_ATTEMPT + self.samples_asked,
                also=self._siblings_samples(),
            )
        except ModelReplyError as exc:  # nothing came back to repair: the step moves on
            self._failed(step, exc)
            return None
        self._account(step, completion)
        return completion

    def _siblings_samples(self) -> list[int]:
        """For the one call of a oneshot flow: the same call of the run's other attempts at
        this problem (each its own sample), asked for together where the model takes `n`."""
        options = self.options
        if options.flow != "oneshot" or options.siblings < 2 or self.samples_asked != 1:
            return []
        return [a * SAMPLES_PER_ATTEMPT + 1 for a in range(options.siblings)
                if a != options.attempt]

    def _failed(self, step: Step, exc: ModelReplyError) -> None:
        step.data["error"] = str(exc)
        step.summary = step.summary or f"model call failed: {exc}"
        kind = ("not_chat" if not isinstance(exc, ModelTruncated) else
                "filtered" if "content filter" in str(exc) else "cut_off")
        self.trajectory.failed_calls.append(FailedCall(kind=kind, cause=str(exc),
                                                       step=step.name))

    def ask_structured(self, step: Step, prompt: str, schema: type[T],
                       **values: object) -> T | None:
        if not self.can_ask():
            step.data["skipped"] = "model call budget spent"
            return None
        self.calls_left -= 1
        try:
            parsed, completion = self.client.structured(
                messages(prompt, self.system, **self.values(**values)), schema,
                step=step.name,
                max_tokens=self.options.max_tokens, temperature=self.options.temperature,
                sample=self.options.attempt * SAMPLES_PER_ATTEMPT,
            )
        except ModelReplyError as exc:  # an unusable reply is the model's miss, not ours
            if isinstance(exc, ModelTruncated) or exc.retryable:
                self._failed(step, exc)
            else:
                step.data["error"] = str(exc)
            return None
        self._account(step, completion)
        return parsed
