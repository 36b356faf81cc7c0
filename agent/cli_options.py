"""Options that several commands share, declared once. A flow knob's default is None: the
profile (agent/flow/profiles.py), chosen by the model's family, fills it in."""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

import typer

from cpagent.agent.errors import user_errors
from cpagent.agent.flow.profiles import PROFILES, FlowChoice
from cpagent.agent.llm.families import GENERIC, Effort

__all__ = ["BASE_URL", "MAX_SAMPLES", "MODEL", "FlowName", "check_effort", "flow_options",
           "in_range"]


class FlowName(StrEnum):
    oneshot = "oneshot"
    full = "full"


MODEL = typer.Option(None, "--model", "-m", envvar="CPAGENT_MODEL",
                     help="model name or alias; default: the embedded local model when no API "
                          "key is configured")
BASE_URL = typer.Option(None, "--base-url", envvar="CPAGENT_BASE_URL",
                        help="an OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp, ...)")
FLOW = typer.Option(FlowName.full, "--flow", help="oneshot: one sample, samples only; full: "
                    "reflect, brute force, stress, debug, select")
CANDIDATES = typer.Option(None, "--candidates", help="independent solutions (default: the "
                          "profile's, 12 small, 4 reasoning)")
ROUNDS = typer.Option(None, "--rounds", help="debug rounds per candidate (default: the "
                      "profile's, 1 small, 2 reasoning)")
MAX_TOKENS = typer.Option(None, "--max-tokens", help="per model call, reasoning included "
                          "(default: the profile's, 1536 small, the model family's budget "
                          "reasoning, e.g. 32768)")
MAX_CALLS = typer.Option(None, "--max-calls", help="model calls per problem (default: the "
                         "profile's, 15 small, 12 reasoning)")
PROFILE = typer.Option(None, "--profile", help=f"flow defaults: {', '.join(PROFILES)} "
                       "(default: the model family's; see `cpagent models`)")
EFFORT = typer.Option(None, "--effort", help="reasoning effort (minimal, low, medium, high) "
                      "for models that take one; dropped for others")

EFFORTS = ("minimal", "low", "medium", "high")


def check_effort(effort: str | None, profile: str | None = None) -> Effort | None:
    """--effort and --profile, checked: an unknown value is bad input, said in one line."""
    if profile is not None and profile not in PROFILES:
        raise ValueError(f"unknown --profile {profile!r} (choose {', '.join(PROFILES)})")
    if effort is None:
        return None
    if effort not in EFFORTS:
        raise ValueError(f"unknown --effort {effort!r} (choose {', '.join(EFFORTS)})")
    return effort  # type: ignore[return-value]


# The flow's options, in the order --help lists them: (type, option).
_FLOW_PARAMS: dict[str, tuple[Any, Any]] = {
    "flow": (FlowName, FLOW), "profile": (str | None, PROFILE), "effort": (str | None, EFFORT),
    "candidates": (int | None, CANDIDATES), "rounds": (int | None, ROUNDS),
    "max_tokens": (int | None, MAX_TOKENS), "max_calls": (int | None, MAX_CALLS),
}

F = TypeVar("F", bound=Callable[..., Any])


def flow_options(command: F) -> F:
    """Give a typer command the flow's options, declared once here. The command takes one
    parameter `choice: FlowChoice` in their place: checked, with None where the command
    line said nothing (the profile decides those once the model is known)."""
    signature = inspect.signature(command)
    own = [p for p in signature.parameters.values() if p.name != "choice"]
    added = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=option,
                               annotation=kind) for name, (kind, option) in _FLOW_PARAMS.items()]

    @functools.wraps(command)
    def with_choice(**values: Any) -> Any:
        given = {name: values.pop(name) for name in _FLOW_PARAMS}
        with user_errors():
            effort = check_effort(given.pop("effort"), given["profile"])
            flow = given.pop("flow")
            values["choice"] = FlowChoice(flow=flow.value, effort=effort, **given)
            values["choice"].resolve(GENERIC)  # ranges checked now, before any model call
        return command(**values)

    with_choice.__signature__ = signature.replace(parameters=[*own, *added])  # type: ignore[attr-defined]
    with_choice.__annotations__ = {**{k: v for k, v in command.__annotations__.items()
                                      if k != "choice"},
                                   **{name: kind for name, (kind, _) in _FLOW_PARAMS.items()}}
    return with_choice  # type: ignore[return-value]


# Attempts per problem in a batch run: each is a stored row with its whole trajectory.
MAX_SAMPLES = 1000


def in_range(flag: str, value: float, low: float, high: float) -> float:
    """`value` if it is a finite number in [low, high], else ValueError naming the flag and
    the range: NaN, infinities and counts beyond memory or disk are refused up front."""
    if not math.isfinite(value) or not low <= value <= high:
        raise ValueError(f"{flag} must be between {low:g} and {high:g}, got {value:g}")
    return value
