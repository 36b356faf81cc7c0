"""One-off experiment (session 8): do fresh candidates pass the samples more often when they
are sampled hotter, or when each is given a different one of the reflection's approaches?

    python benchmarks/experiments/candidate_diversity.py hot|approaches PROBLEM[,...] N [T]

`hot`: the flow's own candidates (every other one with the reflection's plan) at
temperature T (default 1.0). `approaches`: candidate k is told approach k (cycling) of the
reflection, at the flow's 0.7. The reflection is the one recorded in
solve-library-easy-full-v8.jsonl, so no call is spent on it and both variants see the same
one. Each program is judged on the samples (and, if it passes them, on all tests)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.experiments.common import in_parallel, say, verdicts  # noqa: E402
from cpagent.agent.flow.code import extract_code  # noqa: E402
from cpagent.agent.flow.prompts import messages  # noqa: E402
from cpagent.agent.flow.understand import Approach, Reflection, plan_from  # noqa: E402
from cpagent.agent.runtime import model_clients  # noqa: E402
from cpagent.problems.load import load_problem  # noqa: E402
from cpagent.sandbox import open_sandbox  # noqa: E402

RECORDED = ROOT / "benchmarks" / "results" / "solve-library-easy-full-v8.jsonl"


def reflections() -> dict[str, Reflection]:
    found = {}
    for line in RECORDED.read_text().splitlines():
        row = json.loads(line)
        first = row["trajectory"]["steps"][0]
        if first["name"] == "reflect" and "reflection" in first["data"]:
            found[row["id"]] = Reflection.model_validate(first["data"]["reflection"])
    return found


def plan_for(variant: str, reflection: Reflection, k: int) -> str:
    if variant == "hot":
        return plan_from(reflection)[1] if k % 2 == 1 else ""
    if not reflection.approaches:
        return plan_from(reflection)[1]
    chosen = reflection.approaches[k % len(reflection.approaches)]
    told = reflection.model_copy(update={"approaches": [Approach(**chosen.model_dump())],
                                         "chosen": 0})
    return plan_from(told)[1]


def run(variant: str, temperature: float, client, box, name: str, n: int,
        reflection: Reflection) -> None:
    problem = load_problem(ROOT / "problems" / "library" / name)
    for k in range(1, n + 1):
        plan = plan_for(variant, reflection, k)
        chat = messages("solution", statement=problem.statement,
                        time_limit=f"{problem.limits.time_s:g}",
                        memory_limit=problem.limits.memory_mb,
                        plan=f"\n{plan}\n" if plan else "")
        reply = client.complete(chat, step=f"exp-{variant}", max_tokens=1536,
                                temperature=temperature, sample=9100 + k)
        outcome = verdicts(box, extract_code(reply.text), problem)
        say(f"{variant} t={temperature:g} {name} {k} plan={'yes' if plan else 'no'} "
            f"{outcome} ({reply.usage.completion_tokens} tok)")

def main() -> None:
    variant, names, n = sys.argv[1], sys.argv[2].split(","), int(sys.argv[3])
    temperature = float(sys.argv[4]) if len(sys.argv) > 4 else (
        1.0 if variant == "hot" else 0.7)
    recorded = reflections()
    with model_clients("local", count=2) as clients, open_sandbox("docker", size=2) as box:
        halves = [names[0::2], names[1::2]]
        in_parallel(*[lambda i=i: [
            run(variant, temperature, clients[i], box, name, n, recorded[name])
            for name in halves[i]] for i in range(2)])


if __name__ == "__main__":
    main()
