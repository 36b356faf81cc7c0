"""cpagent: a competitive-programming agent and toolkit.

The public API: what a notebook, a script or a trainer imports. Everything here is typed and
documented with an example; docs/python-api.md walks through it, and the tests run that page.

    import cpagent

    problem = cpagent.load_problem("problems/library/mirror-words")
    with cpagent.open_sandbox() as box:
        report = cpagent.judge(box, cpagent.Program(source=open("sol.py").read()), problem)
    print(report.verdict, report.passed, report.total)

The repository's folders install under this one name: `agent/` as `cpagent.agent` (models,
the flow, batch runs, ratings, the command line), `sandbox/` as `cpagent.sandbox` (where code
meets tests) and `problems/` as `cpagent.problems` (what a problem is). Names are imported on
first use, so `import cpagent` stays cheap and `cpagent.problems` never loads the agent.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# name -> the module that defines it
_API: dict[str, str] = {
    # problems
    "Problem": "cpagent.problems.model",
    "TestCase": "cpagent.problems.model",
    "Limits": "cpagent.problems.model",
    "load_problem": "cpagent.problems.load",
    "load_problem_set": "cpagent.problems.sets",
    "InputSpec": "cpagent.problems.spec",
    "load_spec": "cpagent.problems.spec",
    "infer_spec": "cpagent.problems.spec.infer",
    # the sandbox and what runs in it
    "Sandbox": "cpagent.sandbox.base",
    "open_sandbox": "cpagent.sandbox",
    "Program": "cpagent.sandbox.model",
    "Verdict": "cpagent.sandbox.model",
    "judge": "cpagent.sandbox.judge",
    "JudgeReport": "cpagent.sandbox.judge",
    "stress": "cpagent.sandbox.stress",
    "StressReport": "cpagent.sandbox.stress",
    "time_on_max": "cpagent.sandbox.timing",
    "TimingReport": "cpagent.sandbox.timing",
    # models
    "model_client": "cpagent.agent.runtime",
    "ModelClient": "cpagent.agent.llm",
    "ModelSettings": "cpagent.agent.llm",
    "resolve_settings": "cpagent.agent.llm",
    "family_for": "cpagent.agent.llm",
    # the solving flow
    "solve": "cpagent.agent.flow",
    "FlowOptions": "cpagent.agent.flow",
    "FlowChoice": "cpagent.agent.flow",
    "SolveResult": "cpagent.agent.flow",
    # ratings and contests
    "estimate_rating": "cpagent.agent.rating",
    "ProblemOutcome": "cpagent.agent.rating",
    "RatingEstimate": "cpagent.agent.rating",
    "rating_changes": "cpagent.agent.rating",
    "RunStore": "cpagent.agent.batch",
    "RunSpec": "cpagent.agent.batch",
    "execute": "cpagent.agent.batch",
    "export_run": "cpagent.agent.datagen",
}

__all__ = [
    "FlowChoice",
    "FlowOptions",
    "InputSpec",
    "JudgeReport",
    "Limits",
    "ModelClient",
    "ModelSettings",
    "Problem",
    "ProblemOutcome",
    "Program",
    "RatingEstimate",
    "RunSpec",
    "RunStore",
    "Sandbox",
    "SolveResult",
    "StressReport",
    "TestCase",
    "TimingReport",
    "Verdict",
    "estimate_rating",
    "execute",
    "export_run",
    "family_for",
    "infer_spec",
    "judge",
    "load_problem",
    "load_problem_set",
    "load_spec",
    "model_client",
    "open_sandbox",
    "rating_changes",
    "resolve_settings",
    "solve",
    "stress",
    "time_on_max",
]


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'cpagent' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # once imported, a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:  # what type checkers and editors see; at run time, __getattr__
    from cpagent.agent.batch import RunSpec, RunStore, execute
    from cpagent.agent.datagen import export_run
    from cpagent.agent.flow import FlowChoice, FlowOptions, SolveResult, solve
    from cpagent.agent.llm import ModelClient, ModelSettings, family_for, resolve_settings
    from cpagent.agent.rating import (
        ProblemOutcome,
        RatingEstimate,
        estimate_rating,
        rating_changes,
    )
    from cpagent.agent.runtime import model_client
    from cpagent.problems.load import load_problem
    from cpagent.problems.model import Limits, Problem, TestCase
    from cpagent.problems.sets import load_problem_set
    from cpagent.problems.spec import InputSpec, load_spec
    from cpagent.problems.spec.infer import infer_spec
    from cpagent.sandbox import open_sandbox
    from cpagent.sandbox.base import Sandbox
    from cpagent.sandbox.judge import JudgeReport, judge
    from cpagent.sandbox.model import Program, Verdict
    from cpagent.sandbox.stress import StressReport, stress
    from cpagent.sandbox.timing import TimingReport, time_on_max
