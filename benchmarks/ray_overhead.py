"""What judging through Ray costs over judging in threads here, in one run on this machine:
the same bulk judge of every submission (the library's and the spec-less problems' accepted,
wrong, slow and crashing submissions, in CPython and in PyPy, and the CodeContests dev
records' reference solutions), first on the thread executor with a pool of one container per
core, then on a local Ray cluster whose one node judges with a slot per core.

    python benchmarks/ray_overhead.py ../shared/data/codecontests/dev.jsonl

Also measured: the driver's ceiling, attempts stored per second by the SQLite run store (the
one writer, whatever the cluster's size), and from it and this node's judging rate how many
nodes one driver can feed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.dev_records import references  # noqa: E402
from cpagent.agent.batch import RunSpec, RunStore  # noqa: E402
from cpagent.agent.batch.judging import Judged, Submission, judge_many  # noqa: E402
from cpagent.agent.cluster import connect  # noqa: E402
from cpagent.agent.cluster.judging import judge_on_ray  # noqa: E402
from cpagent.problems.formats.codecontests import read_codecontests  # noqa: E402
from cpagent.problems.load import load_problem  # noqa: E402
from cpagent.problems.model import Problem  # noqa: E402
from cpagent.sandbox import Program, open_sandbox  # noqa: E402


def library_submissions(folder: Path) -> list[tuple[Submission, Program, Problem]]:
    """Every submission of every problem under `folder`, in CPython and in PyPy."""
    out = []
    for package in sorted(p for p in folder.iterdir() if (p / "submissions").is_dir()):
        problem = load_problem(package)
        if problem.interactive:
            continue  # judged through an interactor: not the batch judge measured here
        for path in sorted((package / "submissions").glob("*/*.py")):
            for lang in ("python", "pypy"):
                sub = Submission(id=f"{package.name}/{path.parent.name}/{path.stem}/{lang}",
                                 problem=problem.id, code=path.read_text(), lang=lang)
                out.append((sub, Program(source=sub.code or "", lang=lang), problem))
    return out


def reference_submissions(jsonl: Path) -> list[tuple[Submission, Program, Problem]]:
    out = []
    for rid, source in references(jsonl).items():
        if source:
            problem = read_codecontests(jsonl, rid)
            sub = Submission(id=f"cc/{rid}", problem=problem.id, code=source)
            out.append((sub, Program(source=source), problem))
    return out


def driver_ceiling(count: int = 2000) -> float:
    """Attempts stored per second: each started and then finished with a result of the size
    a oneshot attempt stores (its trajectory and report), as the driver does."""
    result = {"solved": True, "verdict": "AC", "passed": 10, "tests": 10, "calls": 1,
              "code": "print(1)\n" * 40, "trajectory": {"steps": [{"note": "x" * 2000}]},
              "report": {"tests": [{"name": f"t{i}", "verdict": "AC"} for i in range(10)]}}
    problems = [load_problem(ROOT / "problems" / "library" / "mirror-words")]
    with tempfile.TemporaryDirectory() as tmp, RunStore(Path(tmp) / "runs.db") as store:
        store.create_or_resume("r", RunSpec(model="m", flow={}, samples=count), problems)
        started = time.perf_counter()
        for attempt in range(count):
            store.start("r", problems[0].id, attempt)
            store.finish("r", problems[0].id, attempt, result)
        return count / (time.perf_counter() - started)


def tally(rows: list[Judged]) -> str:
    counts = Counter(r.verdict or "error" for r in rows)
    return ", ".join(f"{n} {v}" for v, n in sorted(counts.items()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("jsonl", type=Path, help="CodeContests dev records")
    args = parser.parse_args()
    every = (library_submissions(ROOT / "problems" / "library")
             + library_submissions(ROOT / "problems" / "specless")
             + reference_submissions(args.jsonl))
    subs = [(s, p) for s, p, _ in every]
    problems = {prob.id: prob for _, _, prob in every}
    cores = os.cpu_count() or 1
    print(f"{len(subs)} submissions over {len(problems)} problems; {cores} cores", flush=True)

    started = time.perf_counter()
    with open_sandbox("docker", size=cores) as box:
        warm = time.perf_counter()
        here = list(judge_many(box, subs, problems, workers=cores))
    threads_s, threads_judging_s = time.perf_counter() - started, time.perf_counter() - warm
    print(f"threads:  {threads_s:7.1f} s in all, {threads_judging_s:7.1f} s judging; "
          f"{tally(here)}", flush=True)

    started = time.perf_counter()
    with connect("local") as ray:
        joined = time.perf_counter()
        there = list(judge_on_ray(ray, subs, problems))
        ray_judging_s = time.perf_counter() - joined
    ray_s = time.perf_counter() - started
    print(f"ray:      {ray_s:7.1f} s in all, {ray_judging_s:7.1f} s judging (the cluster "
          f"started in {joined - started:.1f} s); {tally(there)}", flush=True)

    by_id = {r.id: r.verdict for r in there}
    differ = [(r.id, r.verdict, by_id.get(r.id)) for r in here if by_id.get(r.id) != r.verdict]
    same = not differ
    print(f"same verdicts: {same}")
    for sub_id, threads, on_ray in differ:  # a time limit met by a hair flips under load
        print(f"  {sub_id}: {threads} here, {on_ray} on Ray")
    print(f"ratio ray/threads: {ray_s / threads_s:.2f} in all, "
          f"{ray_judging_s / threads_judging_s:.2f} judging (goal <= 1.3)")
    ceiling = driver_ceiling()
    rate = len(subs) / threads_judging_s
    print(f"driver ceiling: {ceiling:.0f} attempts stored per second")
    print(f"this node judges {rate:.2f} submissions per second with {cores} cores: one driver "
          f"can feed about {ceiling / rate:.0f} such nodes on bulk judging, and more on "
          "contest runs, whose attempts wait on the model")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
