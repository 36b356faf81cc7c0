"""One-off experiment (session 7): does a solution prompt that asks the model to work
through the examples by hand before writing code give more programs that pass the samples?

    python benchmarks/experiments/think_first_prompt.py think|base PROBLEM[,PROBLEM...] N

Writes N samples per library problem at temperature 0.7 with the prompt variant (`think`:
solution_think_first.md beside this file; `base`: the flow's own solution prompt), two
problems at a time, and judges each program on the samples (and, if it passes them, on all
tests)."""

from __future__ import annotations

import sys
from pathlib import Path
from string import Template

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.experiments.common import in_parallel, say, verdicts  # noqa: E402
from cpagent.agent.flow.code import extract_code  # noqa: E402
from cpagent.agent.flow.prompts import messages  # noqa: E402
from cpagent.agent.llm import ChatMessage  # noqa: E402
from cpagent.agent.runtime import model_clients  # noqa: E402
from cpagent.problems.load import load_problem  # noqa: E402
from cpagent.sandbox import open_sandbox  # noqa: E402

THINK = Template((Path(__file__).parent / "solution_think_first.md").read_text())


def prompt(variant: str, problem) -> list[ChatMessage]:
    values = {"statement": problem.statement, "time_limit": f"{problem.limits.time_s:g}",
              "memory_limit": problem.limits.memory_mb, "plan": ""}
    chat = messages("solution", **values)
    if variant == "think":
        text = THINK.safe_substitute({k: str(v) for k, v in values.items()}).strip()
        chat[-1] = ChatMessage(role="user", content=text)
    return chat


def run(variant: str, client, box, name: str, n: int) -> None:
    problem = load_problem(ROOT / "problems" / "library" / name)
    for k in range(n):
        reply = client.complete(prompt(variant, problem), step=f"exp-{variant}",
                                max_tokens=1536, temperature=0.7, sample=9000 + k)
        outcome = verdicts(box, extract_code(reply.text), problem)
        say(f"{variant} {name} {k} {outcome} ({reply.usage.completion_tokens} tok)")


def main() -> None:
    variant, names, n = sys.argv[1], sys.argv[2].split(","), int(sys.argv[3])
    with model_clients("local", count=2) as clients, open_sandbox("docker", size=2) as box:
        halves = [names[0::2], names[1::2]]
        in_parallel(*[lambda i=i: [run(variant, clients[i], box, name, n) for name in halves[i]]
                      for i in range(2)])


if __name__ == "__main__":
    main()
