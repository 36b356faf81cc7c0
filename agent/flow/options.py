"""The knobs of test-time compute, in one model."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Flow = Literal["oneshot", "full"]


class FlowOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    flow: Flow = "full"
    candidates: int = Field(4, ge=1, le=8, description="independent solutions to write")
    rounds: int = Field(1, ge=0, le=8, description="debug rounds per candidate")
    max_tokens: int = Field(1536, ge=64, description="per model call")
    max_calls: int = Field(15, ge=1, description="model calls per problem, all steps together")
    stress_budget_s: float = Field(20.0, gt=0, description="seconds of stress per candidate")
    selection_inputs: int = Field(30, ge=0, description="generated inputs to compare candidates")
    lang: Literal["python", "pypy"] = "python"
    temperature: float = 0.3
    attempt: int = Field(0, ge=0, description="which independent attempt at the problem: part "
                         "of every model call's sample, so attempts differ and each replays")
