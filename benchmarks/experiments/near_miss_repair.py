"""One-off experiment (session 7): does one debug round on a near miss, a program that gets
half the samples (or of a sample's test cases) right, give a program that passes them all?

    python benchmarks/experiments/near_miss_repair.py PROBLEM_DIR PROGRAM.py [--tries 3] [--cases]

The first try is at the flow's fix temperature (0.3), the others at 0.7; each fix is judged
on the samples and on all tests. With --cases a failed multi-case sample is shown as the one
case the program gets wrong. The programs were candidates from solve-library-easy-full-v7.jsonl."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.experiments.common import verdicts  # noqa: E402
from cpagent.agent.flow.candidates import Candidate, _debug, check_samples  # noqa: E402
from cpagent.agent.flow.context import Context  # noqa: E402
from cpagent.agent.flow.options import FlowOptions  # noqa: E402
from cpagent.agent.flow.trajectory import Trajectory  # noqa: E402
from cpagent.agent.runtime import model_client  # noqa: E402
from cpagent.problems.load import load_problem  # noqa: E402
from cpagent.problems.spec import InputSpec  # noqa: E402
from cpagent.sandbox import open_sandbox  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("problem", type=Path)
    parser.add_argument("program", type=Path)
    parser.add_argument("--tries", type=int, default=3)
    parser.add_argument("--cases", action="store_true")
    args = parser.parse_args()
    problem = load_problem(args.problem)
    code = args.program.read_text()
    with model_client("local") as client, open_sandbox("docker", size=1) as box:
        for k in range(args.tries):
            options = FlowOptions(attempt=50 + k, temperature=0.3 if k == 0 else 0.7)
            ctx = Context(problem=problem, client=client, sandbox=box, options=options,
                          trajectory=Trajectory(problem=problem.id, model="local", options={}))
            if args.cases and problem.input_spec:
                ctx.spec = InputSpec.model_validate(problem.input_spec)
            cand = Candidate(index=0, code=code)
            failure = check_samples(ctx, cand)
            if failure is None:
                print("it passes the samples: nothing to repair")
                return
            fixed = _debug(ctx, cand, "debug", {"failure": failure, "anchors": ""})
            print(problem.id, args.program.name, k, verdicts(box, fixed, problem, every=True),
                  flush=True)


if __name__ == "__main__":
    main()
