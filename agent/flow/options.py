"""The knobs of test-time compute, in one model."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Flow = Literal["oneshot", "full"]


class FlowOptions(BaseModel):
    """The knobs of test-time compute for one solve. Its defaults are the `small` profile's;
    `profile_options` and `FlowChoice.resolve` give a model family's.

        FlowOptions(flow="oneshot")
        FlowOptions(candidates=4, rounds=2, debug_samples=True, max_tokens=32768)
    """

    model_config = ConfigDict(extra="forbid")

    flow: Flow = "full"
    profile: Literal["small", "reasoning"] = Field("small", description="whose measured "
                                                   "defaults these are (profiles.py)")
    reflect: bool = Field(True, description="a separate reflection call before any code; a "
                          "reasoning model does this in its own thinking")
    candidates: int = Field(12, ge=1, le=16, description="independent solutions to write (the "
                            "call budget usually ends them first)")
    rounds: int = Field(1, ge=0, le=8, description="debug rounds per candidate")
    debug_samples: bool = Field(False, description="debug a program that fails a sample too, "
                                "rather than writing a new one")
    max_tokens: int = Field(1536, ge=64, description="per model call")
    max_calls: int = Field(15, ge=1, description="model calls per problem, all steps together")
    stress_budget_s: float = Field(20.0, gt=0, description="seconds of stress per candidate")
    selection_inputs: int = Field(30, ge=0, description="generated inputs to compare candidates")
    # Off by default: it did not help the embedded model (benchmarks/results/README.md).
    reader: bool = Field(False, description="give each solution prompt code that reads the "
                         "input, written from the input spec and checked on the samples")
    lang: Literal["python", "pypy"] = "python"
    temperature: float = Field(0.3, description="reflection, spec, first brute force, fixes")
    sample_temperature: float = Field(0.7, description="candidates after the first (which is "
                                      "greedy) and a second brute force: diversity is the point")
    siblings: int = Field(1, ge=1, description="independent attempts at this problem in the "
                          "same run: a oneshot flow asks for all their answers in one request "
                          "where the model takes `n`, and the others replay them")
    attempt: int = Field(0, ge=0, description="which independent attempt at the problem: part "
                         "of every model call's sample, so attempts differ and each replays")
