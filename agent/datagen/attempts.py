"""One stored attempt as a `TrajectoryRecord`: its outcome from the run store, its messages
from the call log. Nothing here calls a model or runs a program.

Runs stored before the flow recorded programs in its steps (`data["code"]`, `data["spec"]`)
still export: the brute force is then taken from its step's last reply, and a spec the
model wrote from the repair round that fitted the samples.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cpagent.agent.batch import AttemptRecord, RunSpec
from cpagent.agent.datagen.records import (
    Counterexample,
    ModelCall,
    StepSummary,
    TestVerdict,
    TrajectoryRecord,
)
from cpagent.agent.flow import Step, Trajectory
from cpagent.agent.flow.code import extract_code
from cpagent.agent.llm import CallRecord, ChatMessage
from cpagent.problems.model import Problem

__all__ = ["CallLookup", "trajectory_record"]

CallLookup = Callable[[int], CallRecord | None]


def trajectory_record(run: str, spec: RunSpec, problem: Problem, attempt: AttemptRecord,
                      lookup: CallLookup) -> TrajectoryRecord:
    result = attempt.result or {}
    trajectory = _trajectory(result, problem, spec)
    calls, missing = _calls(trajectory.steps, lookup)
    report = result.get("report") or {}
    return TrajectoryRecord(
        id=f"{run}/{problem.id}/{attempt.attempt}", run=run, problem=problem.id,
        attempt=attempt.attempt, state="done" if attempt.state == "done" else "error",
        error=attempt.error, accepted=bool(result.get("solved")),
        verdict=result.get("verdict") or "error", passed=result.get("passed", 0),
        tests=result.get("tests", 0), lang=result.get("lang") or "python",
        code=result.get("code"),
        test_verdicts=[_verdict(t) for t in report.get("tests", [])],
        counterexamples=_counterexamples(trajectory.steps),
        calls=calls, missing_calls=missing,
        reasoning="\n\n".join(c.reasoning for c in calls if c.reasoning),
        reflection=_first(trajectory.steps, "reflect").data.get("reflection"),
        input_spec=_spec(trajectory.steps, problem),
        brute_force=_brute(trajectory.steps, calls),
        steps=[_summary(s) for s in trajectory.steps],
        tokens=result.get("tokens", trajectory.tokens),
        n_calls=result.get("calls", trajectory.calls),
        seconds=result.get("seconds", trajectory.seconds),
        model=trajectory.model, settings={**spec.flow, "attempt": attempt.attempt},
        cpagent_version=spec.version, started=attempt.started, finished=attempt.finished)


def _trajectory(result: dict[str, Any], problem: Problem, spec: RunSpec) -> Trajectory:
    stored = result.get("trajectory")
    if stored:
        return Trajectory.model_validate(stored)
    # An attempt that crashed, or one stored without its trajectory: no steps to show.
    return Trajectory(problem=problem.id, model=spec.model, options=spec.flow, started=0.0)


def _calls(steps: list[Step], lookup: CallLookup) -> tuple[list[ModelCall], list[int]]:
    calls: list[ModelCall] = []
    missing: list[int] = []
    for step in steps:
        for call_id in step.calls:
            record = lookup(call_id)
            if record is None:
                missing.append(call_id)
            else:
                calls.append(_call(step, record))
    return calls, missing


def _call(step: Step, record: CallRecord) -> ModelCall:
    asked = [ChatMessage.model_validate(m) for m in record.request.get("messages", [])]
    reply = ChatMessage(role="assistant", content=record.reply or "")
    return ModelCall(step=step.name, candidate=step.candidate, call=record.id,
                     messages=[*asked, reply], reasoning=record.reasoning,
                     finish_reason=record.finish_reason, prompt_tokens=record.prompt_tokens,
                     completion_tokens=record.completion_tokens, replayed=record.cached)


def _verdict(test: dict[str, Any]) -> TestVerdict:
    return TestVerdict(name=test["name"], kind=test["kind"], verdict=test["verdict"],
                       cpu_s=test.get("cpu_s", 0.0), memory_kb=test.get("memory_kb", 0),
                       message=test.get("message", ""))


def _counterexamples(steps: list[Step]) -> list[Counterexample]:
    found = []
    for step in steps:
        case = step.data.get("counterexample") if step.name == "stress" else None
        if case:
            found.append(Counterexample(
                candidate=step.candidate, input=case["input"], verdict=str(case["verdict"]),
                message=case.get("message", ""), candidate_output=case["candidate_output"],
                reference_output=case["reference_output"]))
    return found


def _first(steps: list[Step], name: str) -> Step:
    return next((s for s in steps if s.name == name), Step(name=name))


def _spec(steps: list[Step], problem: Problem) -> dict[str, Any] | None:
    step = _first(steps, "spec")
    if step.data.get("spec"):
        return step.data["spec"]
    if step.summary == "the problem's input spec":
        return problem.input_spec
    fitted = [v for k, v in sorted(step.data.items()) if k.startswith("attempt_")
              and isinstance(v, dict) and v.get("error") is None and v.get("spec")]
    return {"input": fitted[-1]["spec"]} if fitted else None


def _brute(steps: list[Step], calls: list[ModelCall]) -> str | None:
    step = _first(steps, "brute")
    passed = step.data.get("passes_samples", step.summary == "brute force passes the samples")
    if not passed:
        return None
    if step.data.get("code"):
        return step.data["code"]
    replies = [c.messages[-1].content for c in calls if c.step == "brute"]
    return extract_code(replies[-1]) if replies else None


def _summary(step: Step) -> StepSummary:
    return StepSummary(name=step.name, candidate=step.candidate, summary=step.summary,
                       seconds=step.seconds, tokens=step.tokens, calls=step.calls)
