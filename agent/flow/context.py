"""What every step of a solving run shares: the problem, the sandbox, the options, the
trajectory being written, what the steps found (spec, brute force, plan), and the model
behind its gateway (`gateway.Gateway`: the calls, their budget and their accounting)."""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from pydantic import BaseModel

from cpagent.agent.flow.gateway import Gateway
from cpagent.agent.flow.options import FlowOptions
from cpagent.agent.flow.prompts import fragment
from cpagent.agent.flow.trajectory import Step, Trajectory
from cpagent.agent.llm import ModelClient
from cpagent.problems.model import Problem
from cpagent.problems.spec import Spec
from cpagent.sandbox.base import Sandbox
from cpagent.sandbox.model import Program

T = TypeVar("T", bound=BaseModel)


@dataclass
class Context:
    problem: Problem
    client: ModelClient
    sandbox: Sandbox
    options: FlowOptions
    trajectory: Trajectory
    on_step: Callable[[Step], None] | None = None
    spec: Spec | None = None
    # "problem", "model" or "samples".
    spec_source: str = ""
    # What timing draws the largest inputs from: the spec itself, except that an inferred
    # spec's values keep to the samples', so it needs the statement's bounds (or no timing:
    # it would claim a fit it never measured).
    timing_spec: Spec | None = None
    brute: Program | None = None
    plan: str = ""
    complexity: str = ""
    reader: str = ""  # code that reads the input, written from the spec, checked on the samples

    def __post_init__(self) -> None:
        self.model = Gateway(self.client, self.problem, self.options, self.trajectory)

    # The flow's steps ask through these; the gateway keeps the budget and the accounting.
    def can_ask(self) -> bool:
        return self.model.can_ask()

    def ask_code(self, step: Step, prompt: str, temperature: float | None = None,
                 **values: object) -> str | None:
        return self.model.ask_code(step, prompt, temperature, **values)

    def ask_structured(self, step: Step, prompt: str, schema: type[T],
                       **values: object) -> T | None:
        return self.model.ask_structured(step, prompt, schema, **values)

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
        step.seconds = round(time.monotonic() - started, 2)
        self.trajectory.steps.append(step)
        if self.on_step:
            self.on_step(step)
