"""Before any code: reflect on the problem, and get an input spec that fits the samples."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from cpagent.agent.flow.context import Context
from cpagent.agent.flow.prompts import PROMPTS
from cpagent.agent.flow.trajectory import Step
from cpagent.problems.spec import InputSpec, SpecError
from cpagent.problems.spec.bounds import bounded_spec, with_statement_bounds
from cpagent.problems.spec.call_args import infer_call_spec
from cpagent.problems.spec.call_bounds import argument_names, sized_call_spec
from cpagent.problems.spec.naming import infer_named
from cpagent.problems.spec.reader import TOKENS, reader_code
from cpagent.sandbox.errors import SandboxError
from cpagent.sandbox.model import Program


class Approach(BaseModel):
    idea: str = ""
    complexity: str = ""


class Reflection(BaseModel):
    """What the model makes of the problem. Every field has a default: a small model's
    partial answer is still worth keeping."""

    restatement: str = ""
    constraints: list[str] | str = Field(default_factory=list)
    complexity: str = ""
    edge_cases: list[str] = Field(default_factory=list)
    approaches: list[Approach] = Field(default_factory=list)
    chosen: int = 0


class SpecReply(BaseModel):
    input: list[dict[str, Any]] = Field(default_factory=list)


def reflect(ctx: Context) -> None:
    with ctx.step("reflect") as step:
        reflection = ctx.ask_structured(step, "reflect", Reflection)
        if reflection is not None:
            step.data["reflection"] = reflection.model_dump()
            ctx.complexity, ctx.plan = plan_from(reflection)
            step.summary = ctx.plan.splitlines()[0][:100] if ctx.plan else "no plan"
        else:
            step.summary = "no usable reflection"


def plan_from(reflection: Reflection) -> tuple[str, str]:
    """The complexity aimed at, and the plan a candidate is given: the chosen approach and
    the edge cases to watch."""
    approaches = reflection.approaches
    chosen = approaches[reflection.chosen] if 0 <= reflection.chosen < len(approaches) else (
        approaches[0] if approaches else None)
    complexity = (chosen.complexity if chosen else "") or reflection.complexity
    lines = [f"Plan: {chosen.idea} ({complexity})" if chosen and chosen.idea else "",
             f"Watch out for: {'; '.join(reflection.edge_cases[:4])}"
             if reflection.edge_cases else ""]
    return complexity, "\n".join(line for line in lines if line)


def _fits_samples(spec: InputSpec, ctx: Context) -> str | None:
    """None if every sample input parses under the spec, else why not."""
    for test in ctx.problem.examples():
        try:
            spec.validate(test.input)
        except SpecError as exc:
            return f"sample {test.name}: {exc}"
    return None


def find_spec(ctx: Context) -> None:
    """The problem's own spec when it has one; otherwise one read off the samples'
    structure; otherwise the model's, checked against the samples and repaired once from
    the mismatch. The samples go before the model: inference fits every sample of the
    CodeContests dev set, a small model's spec rarely does, and inference costs no call."""
    with ctx.step("spec") as step:
        if ctx.problem.input_spec is not None:
            ctx.spec = ctx.timing_spec = InputSpec.model_validate(ctx.problem.input_spec)
            step.data["spec"] = ctx.problem.input_spec
            ctx.spec_source = "problem"
            step.summary = "the problem's input spec"
        elif ctx.problem.call is not None:
            _infer_arguments(ctx, step, ctx.problem.call.method)
        elif not ctx.problem.examples():
            step.summary = "no sample to check a spec against"
        elif not _infer(ctx, step):
            _ask_model(ctx, step)


def _ask_model(ctx: Context, step: Step) -> None:
    samples = ctx.problem.examples()
    guide = (PROMPTS / "spec_guide.md").read_text()
    error = ""
    for attempt in range(2):
        reply = ctx.ask_structured(step, "spec", SpecReply, spec_guide=guide,
                                   sample=samples[0].input.rstrip("\n"), error=error)
        if reply is None or not reply.input:
            break
        try:
            spec = InputSpec.model_validate({"input": reply.input})
            why = _fits_samples(spec, ctx)
        except (SpecError, ValueError) as exc:
            why = str(exc).splitlines()[0]
        step.data[f"attempt_{attempt}"] = {"spec": reply.input, "error": why}
        if why is None:
            ctx.spec = ctx.timing_spec = spec
            ctx.spec_source = "model"
            step.data["spec"] = {"input": reply.input}
            step.summary = "the model's spec fits the samples"
            return
        error = f"\nYour previous description was wrong: {why}\n"
    step.summary = "no spec that fits the samples"


def _infer(ctx: Context, step: Step) -> bool:
    """Whether the samples' own structure gave a spec (then it is the context's)."""
    samples = [t.input for t in ctx.problem.examples()]
    inferred = infer_named(samples, ctx.problem.statement)
    if inferred is None:
        return False
    # Stress draws from the statement's domain where it states one (n = 1, negative
    # values, a number of 10^5 digits), and from what the samples show where it is silent.
    bounded = bounded_spec(inferred, ctx.problem.statement, samples)
    ctx.spec, ctx.spec_source = bounded or inferred, "samples"
    step.data["spec"] = ctx.spec.model_dump(mode="json", exclude_defaults=True)
    step.summary = "spec inferred from the samples"
    if bounded is not None:
        step.summary += ", bounded by the statement"
    ctx.timing_spec = with_statement_bounds(inferred, ctx.problem.statement, samples)
    if ctx.timing_spec is not None:
        step.data["timing_spec"] = ctx.timing_spec.model_dump(mode="json", exclude_defaults=True)
        step.summary += ", sized by the statement's bounds"
    return True


def _infer_arguments(ctx: Context, step: Step, method: str) -> None:
    """For tests that call a method: the arguments' shapes and values read off the samples'
    JSON, so stress and selection can draw more; timing where the constraints size every
    list and string among them."""
    samples = [t.input for t in ctx.problem.examples()]
    spec = infer_call_spec(samples)
    if spec is None:
        step.summary = f"tests call Solution().{method}: no argument spec fits the samples"
        return
    ctx.spec, ctx.spec_source = spec, "samples"
    step.data["spec"] = spec.model_dump(mode="json", exclude_defaults=True)
    step.summary = f"arguments of Solution().{method} inferred from the samples: " + \
        spec.describe()
    names = argument_names(ctx.problem.call.starter, method) if ctx.problem.call else None
    ctx.timing_spec = sized_call_spec(spec, ctx.problem.statement, names or [], samples)
    if ctx.timing_spec is not None:
        step.data["timing_spec"] = ctx.timing_spec.model_dump(mode="json",
                                                               exclude_defaults=True)
        step.summary += ", sized by the statement's constraints"


def write_reader(ctx: Context) -> None:
    """Code that reads the input, from the spec, for the solution prompts, for a model that
    loses programs to reading (unpacking, `int()` of the wrong token, reading past the end);
    the reader is run on every sample first and must read each one to its last token.
    Opt-in (`FlowOptions.reader`)."""
    if not isinstance(ctx.spec, InputSpec) or not ctx.options.reader:
        return  # (a method's arguments need no reading)
    code = reader_code(ctx.spec.input)
    probe = Program(source=code + f"print(next({TOKENS}, None) is None)\n")
    samples = ctx.problem.examples()
    with ctx.step("reader") as step:
        try:
            runs = ctx.sandbox.run(probe, [t.input for t in samples], ctx.problem.limits)
        except SandboxError as exc:
            runs, step.data["error"] = [], str(exc).splitlines()[0]
        if runs and all(r.status == "ok" and r.stdout.strip() == "True" for r in runs):
            ctx.reader = code
            step.data["code"] = code
            step.summary = "reads every sample to its last token"
        else:
            step.data.setdefault("error", _misread(runs))
            step.summary = "the reader misreads a sample: candidates read the input themselves"


def _misread(runs: list) -> str:
    bad = next((r for r in runs if r.stdout.strip() != "True"), None)
    if bad is None:
        return "no run"
    if bad.status == "ok":
        return "tokens left unread"
    return (bad.stderr.strip().splitlines() or [bad.status])[-1]
