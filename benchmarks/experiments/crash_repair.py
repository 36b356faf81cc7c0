"""One-off experiment (session 8): on CodeContests A/B more than half of the embedded model's
programs crash on a sample. Does one debug call showing the error output give a program
that passes the samples more often than a fresh candidate does?

    python benchmarks/experiments/crash_repair.py RUN [--limit N] [--db runs.db]

Takes the first version of every candidate of the contest run RUN (runs.db) whose first
samples check was a runtime error, at most two per problem, and gives each one debug call at
the flow's fix temperature (0.3) with the flow's own debug prompt (the failed sample, the
program's output and its error output). Each fix is judged on the samples and, if it passes
them, on all tests."""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.experiments.common import in_parallel, say, verdicts  # noqa: E402
from cpagent.agent.flow.candidates import Candidate, _debug, check_samples  # noqa: E402
from cpagent.agent.flow.context import Context  # noqa: E402
from cpagent.agent.flow.options import FlowOptions  # noqa: E402
from cpagent.agent.flow.trajectory import Trajectory  # noqa: E402
from cpagent.agent.runtime import model_clients  # noqa: E402
from cpagent.problems.model import Problem  # noqa: E402
from cpagent.sandbox import open_sandbox  # noqa: E402


def crashed(db: Path, run: str, per_problem: int) -> list[tuple[Problem, int, str]]:
    """(problem, candidate, code) for first versions that crashed on a sample."""
    conn = sqlite3.connect(db)
    found = []
    rows = conn.execute("SELECT p.problem, a.result FROM attempts a JOIN problems p ON "
                        "p.run = a.run AND p.id = a.problem WHERE a.run = ? AND "
                        "a.state = 'done' ORDER BY p.position", (run,)).fetchall()
    for problem_json, result in rows:
        problem = Problem.model_validate_json(problem_json)
        steps = json.loads(result)["trajectory"]["steps"]
        written = {s["candidate"]: s["data"]["code"] for s in steps
                   if s["name"] == "solution" and "code" in s["data"]}
        first: dict[int, str] = {}
        for step in steps:
            if step["name"] == "samples" and step["candidate"] in written:
                first.setdefault(step["candidate"], step["data"].get("verdict", ""))
        chosen = [c for c, verdict in sorted(first.items()) if verdict == "RE"][:per_problem]
        found += [(problem, c, written[c]) for c in chosen]
    return found


def repair(client, box, problem: Problem, index: int, code: str) -> None:
    options = FlowOptions(attempt=70 + index, temperature=0.3)
    ctx = Context(problem=problem, client=client, sandbox=box, options=options,
                  trajectory=Trajectory(problem=problem.id, model="local", options={}))
    cand = Candidate(index=index, code=code)
    failure = check_samples(ctx, cand)
    line = f"{problem.id[:28]:28} cand {index:2} "
    if failure is None:
        line += "passes the samples now (a flaky crash?)"
    else:
        error = ctx.trajectory.steps[-1].data.get("error", "")
        fixed = _debug(ctx, cand, "debug", {"failure": failure, "anchors": ""})
        line += f"{error[:40]!r:44} -> {verdicts(box, fixed, problem)}"
    say(line)

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run")
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--per-problem", type=int, default=2)
    parser.add_argument("--db", type=Path, default=ROOT / "benchmarks" / "results" / "runs.db")
    args = parser.parse_args()
    todo = crashed(args.db, args.run, args.per_problem)[:args.limit]
    print(f"# {args.run}: {len(todo)} crashed first versions", flush=True)
    with model_clients("local", count=2) as clients, open_sandbox("docker", size=2) as box:
        in_parallel(*[lambda i=i: [repair(clients[i], box, *item) for item in todo[i::2]]
                      for i in range(2)])


if __name__ == "__main__":
    main()
