"""Every step of a solving run, as data: what went in, what came out, what it cost."""

from __future__ import annotations

import time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

TRAJECTORY_VERSION = 1


class Step(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str  # reflect, approaches, brute, solution, samples, stress, timing, debug, select
    candidate: int | None = None
    seconds: float = 0.0
    summary: str = ""  # one line for the live view
    data: dict[str, Any] = Field(default_factory=dict)
    calls: list[int] = Field(default_factory=list, description="CallLog ids of model calls")
    tokens: int = 0


class FailedCall(BaseModel):
    """A model call that gave nothing to use, and why: `cut_off` (by the token budget),
    `filtered` (by the provider's content filter) or `not_chat` (a reply that is not a chat
    completion: the endpoint's fault)."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["cut_off", "filtered", "not_chat"]
    cause: str
    step: str


class Trajectory(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = TRAJECTORY_VERSION
    problem: str
    model: str
    options: dict[str, Any]
    steps: list[Step] = Field(default_factory=list)
    final_code: str | None = None
    final_lang: str = "python"
    verdict: str | None = None  # on the known tests
    calls: int = 0
    tokens: int = 0
    # Model calls that gave nothing to use (cut off by the budget, stopped by a filter, not
    # a chat completion), each with its one-line cause: a model failure, not a wrong program.
    failed_calls: list[FailedCall] = Field(default_factory=list)
    seconds: float = 0.0
    started: float = Field(default_factory=time.time)
