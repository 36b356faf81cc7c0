"""Fine-tuning examples from trajectories: SFT records from accepted attempts, preference
pairs of an accepted and a rejected attempt at one problem.

Every example answers one prompt: the problem as the flow first asks for a solution (the
system prompt, then the `solution` prompt without a plan). The response is the model's own
reply when the accepted program came from exactly that prompt (always so in the oneshot
flow); otherwise -- the program came out of a debug round, or a plan was in the prompt --
it is the program alone, fenced, since the reply answered another prompt. Chosen and
rejected thus always answer the same prompt.
"""

from __future__ import annotations

from typing import NamedTuple

from cpagent.agent.datagen.records import (
    PreferenceRecord,
    ResponseKind,
    SftRecord,
    SftSource,
    TrajectoryRecord,
)
from cpagent.agent.flow.code import extract_code
from cpagent.agent.flow.prompts import call_prompts, messages
from cpagent.agent.llm import ChatMessage
from cpagent.problems.model import Problem

__all__ = ["Response", "preference_pairs", "respond", "sft_records", "solution_prompt"]

# Steps whose reply is a whole program for the problem.
WRITING_STEPS = ("solution", "debug")
# A checker that failed is the judge's fault, not the program's: no "rejected" label.
NOT_A_VERDICT = ("IE", "no code", "error")


def solution_prompt(problem: Problem) -> list[ChatMessage]:
    """The flow's first request for a solution, without a plan (see flow.Context.values)."""
    solution, system, called = call_prompts(problem)
    return messages(solution, system, statement=problem.statement or problem.title,
                    time_limit=f"{problem.limits.time_s:g}",
                    memory_limit=problem.limits.memory_mb, plan="", **called)


class Response(NamedTuple):
    """An attempt's answer to the solution prompt, and whether it is the model's own reply."""

    message: ChatMessage
    kind: ResponseKind
    call: int | None


def respond(record: TrajectoryRecord, prompt: list[ChatMessage]) -> Response | None:
    if not record.code:
        return None
    source = next((c for c in reversed(record.calls) if c.step in WRITING_STEPS
                   and extract_code(c.messages[-1].content) == record.code), None)
    if source is not None and source.messages[:-1] == prompt:
        return Response(source.messages[-1], "reply", source.call)
    fenced = ChatMessage(role="assistant", content=f"```python\n{record.code}```")
    return Response(fenced, "code", source.call if source else None)


def usable(record: TrajectoryRecord) -> bool:
    return record.state == "done" and record.duplicate_of is None and bool(record.code)


def sft_records(records: list[TrajectoryRecord], problems: dict[str, Problem]
                ) -> list[tuple[SftRecord, SftSource]]:
    out: list[tuple[SftRecord, SftSource]] = []
    for record in records:
        if not (usable(record) and record.accepted):
            continue
        prompt = solution_prompt(problems[record.problem])
        answer = respond(record, prompt)
        assert answer is not None  # usable() saw the code
        source = SftSource(line=len(out) + 1, id=record.id, problem=record.problem,
                           attempt=record.attempt, response=answer.kind, call=answer.call)
        out.append((SftRecord(messages=[*prompt, answer.message]), source))
    return out


def preference_pairs(records: list[TrajectoryRecord], problems: dict[str, Problem]
                     ) -> list[PreferenceRecord]:
    """Per problem, each rejected attempt once, paired with the accepted ones in turn."""
    pairs: list[PreferenceRecord] = []
    for problem_id, problem in problems.items():
        mine = [r for r in records if r.problem == problem_id and usable(r)]
        chosen = [r for r in mine if r.accepted]
        rejected = [r for r in mine if not r.accepted and r.verdict not in NOT_A_VERDICT]
        if not chosen:
            continue
        prompt = solution_prompt(problem)
        for i, bad in enumerate(rejected):
            pairs.append(_pair(prompt, chosen[i % len(chosen)], bad))
    return pairs


def _pair(prompt: list[ChatMessage], good: TrajectoryRecord,
          bad: TrajectoryRecord) -> PreferenceRecord:
    yes, no = respond(good, prompt), respond(bad, prompt)
    assert yes is not None and no is not None  # usable() saw the code
    return PreferenceRecord(prompt=prompt, chosen=[yes.message], rejected=[no.message],
                            problem=good.problem, chosen_id=good.id, rejected_id=bad.id,
                            rejected_verdict=bad.verdict, chosen_response=yes.kind,
                            rejected_response=no.kind)
