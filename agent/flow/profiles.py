"""Flow profiles: the defaults of test-time compute for one kind of model.

`small` is what was measured on the embedded 1.5B model (benchmarks/results/README.md):
a separate reflection call, no repair of a program that fails a sample (a fresh sample did
as well at the same cost), many short calls. `reasoning` is for models that think before
they answer (o-series, gpt-5, DeepSeek-R1, Qwen3 in thinking mode), following what
AlphaCodium and OpenAI's o1-ioi did with strong models: no reflection call (the model's own
reasoning plans), repair from every concrete failure, failed samples included, with the
earlier failures kept as anchors, and fewer, longer calls. The model's family picks the
profile (agent/llm/families.py); `--profile` overrides it; flags override both.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from cpagent.agent.flow.options import Flow, FlowOptions
from cpagent.agent.llm import ModelFamily
from cpagent.agent.llm.families import Effort

__all__ = ["PROFILES", "FlowChoice", "Profile", "budget_warning", "profile_options"]

Profile = Literal["small", "reasoning"]

# OpenAI's reasoning guide: reserve at least 25,000 tokens for reasoning and output.
REASONING_BUDGET = 32768

PROFILES: dict[str, dict[str, Any]] = {
    "small": {},  # FlowOptions' own defaults
    # A call of a reasoning model is long (tens of seconds, up to the family's budget of
    # tokens), so the budget counts calls, not candidates: four candidates, two repairs each.
    # Sent only where the family takes a temperature: OpenAI's and DeepSeek's reasoning
    # models take none; Qwen3's model card advises 0.6 in thinking mode.
    "reasoning": {"reflect": False, "debug_samples": True, "candidates": 4, "rounds": 2,
                  "max_calls": 12, "temperature": 0.6, "sample_temperature": 0.6},
}


def profile_options(profile: Profile | None, family: ModelFamily,
                    **given: Any) -> FlowOptions:
    """FlowOptions for `profile` (None: the family's), its token budget the family's where
    the profile is `reasoning`; `given` values that are not None win."""
    name = profile or family.profile
    values: dict[str, Any] = {"profile": name, **PROFILES[name]}
    if name == "reasoning":
        values["max_tokens"] = family.budget if family.reasoning else REASONING_BUDGET
    values.update({k: v for k, v in given.items() if v is not None})
    try:
        return FlowOptions(**values)
    except ValidationError as exc:
        raise ValueError(_option_error(exc)) from None


_BOUNDS = {"less_than_equal": "at most {le}", "greater_than_equal": "at least {ge}",
           "greater_than": "more than {gt}", "less_than": "less than {lt}"}


def _option_error(exc: ValidationError) -> str:
    """The first error as a user wrote the option: `--candidates must be at most 16 (got
    100)`, not pydantic's "1 validation error for FlowOptions"."""
    first = exc.errors()[0]
    flag = "--" + str(first["loc"][0]).replace("_", "-") if first["loc"] else "an option"
    bound = _BOUNDS.get(first["type"])
    if bound is None:
        return f"{flag}: {first['msg']}"
    return f"{flag} must be {bound.format(**first.get('ctx', {}))} (got {first.get('input')})"


class FlowChoice(BaseModel):
    """What a command line said about the flow. None means "not said": the profile, chosen
    by the model's family unless named, fills it in once the model is known."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    flow: Flow = "full"
    profile: Profile | None = None
    effort: Effort | None = None  # a model setting, carried here because it is chosen here
    candidates: int | None = None
    rounds: int | None = None
    max_tokens: int | None = None
    max_calls: int | None = None
    lang: Literal["python", "pypy"] | None = None

    def resolve(self, family: ModelFamily) -> FlowOptions:
        return profile_options(self.profile, family,
                               **self.model_dump(exclude={"profile", "effort"}))


def budget_warning(options: FlowOptions, family: ModelFamily) -> str | None:
    """A line to print when the token budget leaves a reasoning model too little to think."""
    if family.reasoning and options.max_tokens < family.min_budget:
        return (f"warning: --max-tokens {options.max_tokens} is below what a {family.name} "
                f"model needs to think (at least {family.min_budget}); its replies may be "
                "cut off with no answer")
    return None
