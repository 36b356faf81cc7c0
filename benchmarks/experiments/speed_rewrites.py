"""One-off experiment (session 9): how often does one `faster` call turn a correct but slow
program into a correct, fast one, and does a hotter sample do better than the flow's 0.3?

    python benchmarks/experiments/speed_rewrites.py RUN.jsonl [PROBLEM ...] [--tries N]
    python benchmarks/experiments/speed_rewrites.py runs.db:RUN [PROBLEM ...] [--tries N]

Takes a recorded run (a solve_rate.py JSONL, or a contest run in runs.db) and, in each problem
named (or every one), every version
that passed the samples (and stress, where it ran) but that timing found too slow: the
programs the flow sends to the `faster` prompt. Each gets N rewrites through that prompt, on
one model server at the flow's temperature (0.3) and on the other at 0.7, each rewrite a
sample of its own. Every rewrite is judged on the samples and, when it passes them, on all
tests. The flow today makes one such call per slow program and then repairs the rewrite
(`fix_faster`); if fresh rewrites succeed more often, the budget belongs to them.

With `--cookbook` (session 14) both arms run at the flow's 0.3: `base` with the flow's
prompt, `cookbook` with the prompt's list of techniques replaced by speed_cookbook.md beside
this file, a standard idiom for each (difference arrays, prefix sums, counting with a
dictionary, ...)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.experiments.common import (  # noqa: E402
    in_parallel,
    program_versions,
    recorded,
    say,
    verdicts,
)
from cpagent.agent.flow.candidates import Candidate, _debug, check_timing  # noqa: E402
from cpagent.agent.flow.context import Context  # noqa: E402
from cpagent.agent.flow.options import FlowOptions  # noqa: E402
from cpagent.agent.flow.trajectory import Trajectory  # noqa: E402
from cpagent.agent.runtime import model_clients  # noqa: E402
from cpagent.problems.model import Problem  # noqa: E402
from cpagent.problems.spec import InputSpec  # noqa: E402
from cpagent.sandbox import open_sandbox  # noqa: E402


def slow_versions(trajectory: dict) -> tuple[dict | None, list[tuple[int, str]]]:
    """The spec the run used, and (candidate, code) of each distinct version that timing
    judged too slow."""
    spec = next((s["data"].get("spec") for s in trajectory["steps"] if s["name"] == "spec"),
                None)
    found: list[tuple[int, str]] = []
    for step, code in program_versions(trajectory):
        if (step["name"] == "timing" and step["summary"].endswith(": tle")
                and all(code != seen for _, seen in found)):
            found.append((step["candidate"], code))
    return spec, found


def _context(client, box, problem: Problem, spec: dict, attempt: int,
             temperature: float) -> Context:
    options = FlowOptions(attempt=attempt, temperature=temperature)
    ctx = Context(problem=problem, client=client, sandbox=box, options=options,
                  trajectory=Trajectory(problem=problem.id, model="local", options={}))
    ctx.spec = InputSpec.model_validate(spec)
    ctx.spec_source = "problem"
    return ctx


COOKBOOK = (Path(__file__).parent / "speed_cookbook.md").read_text().strip()


def with_cookbook(slow: dict) -> dict:
    """The 'faster' prompt's values with its list of techniques swapped for the cookbook,
    keeping the sentence on the largest input's size."""
    size = slow["size_hint"].split("Python does")[0]
    return {**slow, "size_hint": size + COOKBOOK}


def rewrite(label: str, temperature: float, client, box, problem: Problem, spec: dict,
            index: int, code: str, tries: int) -> None:
    slow = check_timing(_context(client, box, problem, spec, 0, temperature),
                        Candidate(index=index, code=code))
    if not isinstance(slow, dict):
        say(f"{label} {problem.id} cand {index}: not slow in this sandbox ({slow!r:.60})")
        return
    if label == "cookbook":
        slow = with_cookbook(slow)
    for attempt in range(tries):
        # A distinct attempt per rewrite: each is a sample of its own, and replays.
        ctx = _context(client, box, problem, spec, 200 + 10 * index + attempt, temperature)
        fixed = _debug(ctx, Candidate(index=index, code=code), "faster", slow)
        say(f"{label} {problem.id} cand {index} try {attempt} -> "
            f"{verdicts(box, fixed, problem)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", help="RUN.jsonl, or runs.db:RUN")
    parser.add_argument("problems", nargs="*", help="problem ids (default: every one)")
    parser.add_argument("--tries", type=int, default=3)
    parser.add_argument("--cookbook", action="store_true",
                        help="arms: the flow's prompt and the cookbook's, both at 0.3")
    args = parser.parse_args()
    todo = []
    for problem, trajectory, _ in recorded(args.source):
        if args.problems and problem.id not in args.problems:
            continue
        spec, slow = slow_versions(trajectory)
        if spec and slow:
            todo += [(problem, spec, index, code) for index, code in slow]
            print(f"# {problem.id}: slow versions of candidates "
                  f"{', '.join(str(i) for i, _ in slow)}", flush=True)
    arms = (("base", 0.3), ("cookbook", 0.3)) if args.cookbook else (("t=0.3", 0.3),
                                                                     ("t=0.7", 0.7))
    print(f"# {len(todo)} slow versions, {args.tries} rewrites each in arms "
          f"{', '.join(label for label, _ in arms)}", flush=True)
    with model_clients("local", count=2) as clients, open_sandbox("docker", size=2) as box:
        in_parallel(*[lambda a=a, c=c: [rewrite(*a, c, box, *item, args.tries) for item in todo]
                      for a, c in zip(arms, clients, strict=True)])


if __name__ == "__main__":
    main()
