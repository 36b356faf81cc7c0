"""The flow's way to the model: every call a step makes goes through here, against the run's
budget of calls, with the prompt filled from the problem, the sample number that makes a
call replayable, and its tokens and call id written to the step and the trajectory."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel

from cpagent.agent.flow.code import extract_code
from cpagent.agent.flow.imports import add_missing_imports
from cpagent.agent.flow.options import FlowOptions
from cpagent.agent.flow.prompts import call_prompts, messages
from cpagent.agent.flow.trajectory import FailedCall, Step, Trajectory
from cpagent.agent.llm import Completion, ModelClient, ModelReplyError, ModelTruncated
from cpagent.problems.model import Problem

__all__ = ["SAMPLES_PER_ATTEMPT", "Gateway"]

T = TypeVar("T", bound=BaseModel)
# Attempt k's calls use samples from k * this on: attempts never share a sample (a call
# budget is far smaller), and attempt 0 keeps the numbers, hence the replays, it always had.
SAMPLES_PER_ATTEMPT = 1000


class Gateway:
    def __init__(self, client: ModelClient, problem: Problem, options: FlowOptions,
                 trajectory: Trajectory) -> None:
        self.client, self.problem, self.options = client, problem, options
        self.trajectory = trajectory
        self.calls_left = options.max_calls
        self.samples_asked = 0

    @property
    def system(self) -> str:
        """The system prompt's file: code to complete for LeetCode-style problems."""
        return call_prompts(self.problem)[1]

    def values(self, **more: object) -> dict[str, object]:
        called = call_prompts(self.problem)[2]
        return {"statement": self.problem.statement or self.problem.title,
                "time_limit": f"{self.problem.limits.time_s:g}",
                "memory_limit": self.problem.limits.memory_mb, **called, **more}

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
