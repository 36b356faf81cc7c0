"""Prompts live in files (agent/prompts/*.md), one per step, with $placeholders."""

from __future__ import annotations

import functools
from pathlib import Path
from string import Template

from cpagent.agent.llm import ChatMessage
from cpagent.problems.model import Problem

PROMPTS = Path(__file__).resolve().parent.parent / "prompts"


@functools.cache
def template(name: str) -> Template:
    return Template((PROMPTS / f"{name}.md").read_text())


def fragment(name: str, **values: object) -> str:
    """A piece of a prompt (agent/prompts/NAME.md), filled in, without its last newline."""
    return template(name).safe_substitute({k: str(v) for k, v in values.items()}).rstrip("\n")


def call_prompts(problem: Problem) -> tuple[str, str, dict[str, str]]:
    """For a problem whose tests call a method (LeetCode style), the solution and system
    prompts that ask for code to complete, and the method and starter code they show; for
    any other, the stdin ones and nothing more."""
    if problem.call is None:
        return "solution", "system", {}
    return "solution_call", "system_call", {"method": problem.call.method,
                                            "starter": problem.call.starter.rstrip()}


def messages(name: str, system: str = "system", **values: object) -> list[ChatMessage]:
    """The system prompt (`system`, or `system_call` for a LeetCode-style problem) and the
    step's prompt, filled in. Unknown $words stay as they are, since statements are full of
    dollar signs."""
    # The advice on reading input unless a caller gives a reader instead (Context.reading).
    values = {"reading": fragment("reading_advice"), **values}
    text = template(name).safe_substitute({k: str(v) for k, v in values.items()})
    return [
        ChatMessage(role="system", content=template(system).template.strip()),
        ChatMessage(role="user", content=text.strip()),
    ]
