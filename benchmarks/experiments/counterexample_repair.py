"""One-off experiment (session 8): when a brute force passes the samples, is a program that
fails a sample repaired more often from the minimal counterexample that stress against the
brute force finds than from the failed sample itself?

    python benchmarks/experiments/counterexample_repair.py RUN.jsonl PROBLEM [--limit N]

Takes the problem's recorded run (a solve_rate.py JSONL with trajectories), its brute force
and every first version of a candidate that failed a sample. Each gets one debug call at the
flow's fix temperature (0.3) in two variants: `shrunk`, the failure shown is stress's
minimal counterexample; `sample`, the failed sample (what session 7's near-miss experiment
showed). Each fix is judged on the samples and on all tests."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.experiments.common import in_parallel, say, verdicts  # noqa: E402
from cpagent.agent.flow.candidates import Candidate, _debug, check_samples, check_stress  # noqa: E402
from cpagent.agent.flow.context import Context  # noqa: E402
from cpagent.agent.flow.options import FlowOptions  # noqa: E402
from cpagent.agent.flow.trajectory import Trajectory  # noqa: E402
from cpagent.agent.runtime import model_clients  # noqa: E402
from cpagent.problems.load import load_problem  # noqa: E402
from cpagent.problems.spec import InputSpec  # noqa: E402
from cpagent.sandbox import open_sandbox  # noqa: E402
from cpagent.sandbox.model import Program  # noqa: E402


def recorded(run: Path, problem_id: str) -> tuple[str, list[tuple[int, str]]]:
    """The brute force that passed the samples, and the sample-failing first versions."""
    row = next(r for r in map(json.loads, run.read_text().splitlines()) if r["id"] == problem_id)
    steps = row["trajectory"]["steps"]
    brute = next(s for s in steps if s["name"] == "brute")
    written = {s["candidate"]: s["data"]["code"] for s in steps
               if s["name"] == "solution" and "code" in s["data"]}
    first = {}
    for step in steps:  # a candidate's first samples step judges its first version
        if step["name"] == "samples" and step["candidate"] in written:
            first.setdefault(step["candidate"], "AC" in step["summary"])
    failing = [(c, written[c]) for c, passed in sorted(first.items()) if not passed]
    return brute["data"]["code"], failing


def repair(variant: str, client, box, problem, brute: str, index: int, code: str) -> None:
    options = FlowOptions(attempt=60 + index, temperature=0.3)
    ctx = Context(problem=problem, client=client, sandbox=box, options=options,
                  trajectory=Trajectory(problem=problem.id, model="local", options={}))
    ctx.spec = InputSpec.model_validate(problem.input_spec)
    ctx.brute = Program(source=brute)
    cand = Candidate(index=index, code=code)
    failure = check_samples(ctx, cand)
    if variant == "shrunk":
        failure = check_stress(ctx, cand) or failure
    fixed = _debug(ctx, cand, "debug", {"failure": failure, "anchors": ""})
    shown = failure.split("Input:")[1].split("Expected")[0].strip().strip("`").strip()
    say(f"{variant} {problem.id} cand {index} shown {shown!r:.40} -> "
        f"{verdicts(box, fixed, problem, every=True)}")

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", type=Path)
    parser.add_argument("problem")
    parser.add_argument("--limit", type=int, default=10)
    args = parser.parse_args()
    problem = load_problem(ROOT / "problems" / "library" / args.problem)
    brute, failing = recorded(args.run, args.problem)
    failing = failing[:args.limit]
    print(f"# {args.problem}: {len(failing)} sample-failing first versions", flush=True)
    with model_clients("local", count=2) as clients, open_sandbox("docker", size=2) as box:
        in_parallel(*[lambda v=v, c=c: [repair(v, c, box, problem, brute, i, code)
                                        for i, code in failing]
                      for v, c in (("shrunk", clients[0]), ("sample", clients[1]))])


if __name__ == "__main__":
    main()
