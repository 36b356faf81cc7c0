"""Solve rate of a model and flow, judged on each problem's full tests.

    python benchmarks/solve_rate.py problems/library --model local --flow oneshot
    python benchmarks/solve_rate.py ../shared/data/codecontests/dev.jsonl --index A,B \\
        --flow full --results runs/cc-full.jsonl

Results go to a JSONL file, one line per problem as it finishes; a rerun with the same file
skips what is done, so a killed run resumes. With the model's calls logged and replayed,
re-solving a finished problem costs nothing either.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cpagent.agent.flow import FlowOptions, solve  # noqa: E402
from cpagent.agent.runtime import model_clients  # noqa: E402
from cpagent.problems.model import Problem  # noqa: E402
from cpagent.problems.sets import load_problem_set  # noqa: E402
from cpagent.sandbox import open_sandbox  # noqa: E402


def lines(results: Path) -> list[str]:
    return [line for line in results.read_text().splitlines() if line.strip()] \
        if results.exists() else []


def done_ids(results: Path) -> set[str]:
    return {json.loads(line)["id"] for line in lines(results)}


def run_one(problem: Problem, client, box, options: FlowOptions) -> dict:
    started = time.monotonic()
    replayed_before = client.spend.cached_calls
    result = solve(problem, client, box, options)
    report = result.report
    return {
        "id": problem.id,
        "solved": bool(report and report.accepted),
        "verdict": report.verdict.value if report else "no code",
        "passed": report.passed if report else 0,
        "tests": report.total if report else len(problem.tests),
        "calls": result.trajectory.calls,
        # calls answered from the call log rather than the model: a rerun should be all replay
        "replayed": client.spend.cached_calls - replayed_before,
        "tokens": result.trajectory.tokens,
        "seconds": round(time.monotonic() - started, 1),
        "lang": result.lang,
        "trajectory": result.trajectory.model_dump(mode="json"),  # what each step did
    }


def summarise(rows: list[dict], title: str) -> str:
    lines = [title, f"{'problem':28} {'verdict':8} {'tests':>9} {'calls':>5} {'tokens':>7} "
             f"{'seconds':>8}"]
    for r in rows:
        lines.append(f"{r['id'][:28]:28} {r['verdict']:8} {r['passed']:>4}/{r['tests']:<4} "
                     f"{r['calls']:>5} {r['tokens']:>7} {r['seconds']:>8.1f}")
    if rows:
        solved = sum(r["solved"] for r in rows)
        lines.append(f"solved {solved}/{len(rows)} = {solved / len(rows):.1%}; "
                     f"median calls {statistics.median(r['calls'] for r in rows):g}, "
                     f"max calls {max(r['calls'] for r in rows)}, "
                     f"median tokens {statistics.median(r['tokens'] for r in rows):g}, "
                     f"median seconds {statistics.median(r['seconds'] for r in rows):g}")
        if all("replayed" in r for r in rows):
            lines.append(f"replayed from the call log: {sum(r['replayed'] for r in rows)} of "
                         f"{sum(r['calls'] for r in rows)} calls")
    return "\n".join(lines)


def solve_all(todo: list[Problem], args: argparse.Namespace, options: FlowOptions,
              results: Path) -> str:
    """Solves `todo`, `args.parallel` at once, appending each row to `results` as it ends;
    returns the model's name as the endpoint knows it."""
    lock = threading.Lock()
    finished = 0
    with model_clients(args.model, base_url=args.base_url, count=args.parallel) as clients, \
            open_sandbox("docker", size=args.parallel) as box:
        free = list(clients)

        def one(problem: Problem) -> None:
            nonlocal finished
            with lock:
                client = free.pop()
            try:
                row = run_one(problem, client, box, options)
            finally:
                with lock:
                    free.append(client)
            with lock:
                finished += 1
                with results.open("a") as f:
                    f.write(json.dumps(row) + "\n")
                print(f"[{finished}/{len(todo)}] {row['id']}: {row['verdict']} "
                      f"({row['calls']} calls, {row['replayed']} replayed, {row['tokens']} "
                      f"tokens, {row['seconds']}s)", flush=True)

        with ThreadPoolExecutor(max_workers=args.parallel) as pool:
            for future in [pool.submit(one, p) for p in todo]:
                future.result()
        return clients[0].settings.model


def solve_on_ray(todo: list[Problem], args: argparse.Namespace, options: FlowOptions,
                 results: Path) -> str:
    """`solve_all` with the problems as attempts of a batch run on a Ray cluster; the run's
    store sits beside the results file, so a killed run resumes there too."""
    from cpagent.agent.batch import RunSpec, RunStore
    from cpagent.agent.cluster import connect, execute_on_ray

    with model_clients(args.model, base_url=args.base_url, count=args.parallel) as clients, \
            connect(args.ray) as ray, RunStore(results.with_suffix(".runs.db")) as store:
        distinct = list({id(c): c for c in clients}.values())
        spec = RunSpec(model=clients[0].settings.model, flow=options.model_dump(), samples=1)
        store.create_or_resume("solve-rate", spec, todo)
        log = clients[0].log
        log_path = None if log.path == ":memory:" else log.path
        execute_on_ray(ray, store, "solve-rate", todo, [c.settings for c in distinct], options,
                       log_path=log_path, parallel=args.parallel,
                       on_progress=lambda p: print(f"[{p.done}/{p.total}] accepted {p.solved}",
                                                   flush=True))
        with results.open("a") as f:
            for attempt in store.attempts("solve-rate"):
                r = attempt.result or {"solved": False, "verdict": "error", "passed": 0,
                                       "tests": 0, "calls": 0, "tokens": 0, "seconds": 0,
                                       "lang": "python", "trajectory": {"steps": []}}
                calls = [i for step in r["trajectory"]["steps"] for i in step.get("calls", [])]
                replayed = sum(bool((c := log.get(i)) and c.cached) for i in calls)
                f.write(json.dumps({"id": attempt.problem, **{k: r[k] for k in (
                    "solved", "verdict", "passed", "tests", "calls", "tokens", "seconds",
                    "lang", "trajectory")}, "replayed": replayed}) + "\n")
        return clients[0].settings.model


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("problems", type=Path, nargs="+", help="Kattis packages, folders of "
                        "them, or CodeContests .jsonl files")
    parser.add_argument("--index", help="CodeContests problem letters to keep, e.g. A,B")
    parser.add_argument("--model", default=None)
    parser.add_argument("--base-url", default=None)
    parser.add_argument("--flow", choices=("oneshot", "full"), default="full")
    defaults = FlowOptions.model_fields
    parser.add_argument("--candidates", type=int, default=defaults["candidates"].default)
    parser.add_argument("--rounds", type=int, default=defaults["rounds"].default)
    parser.add_argument("--max-calls", type=int, default=15)
    parser.add_argument("--max-tokens", type=int, default=1536)
    parser.add_argument("--limit", type=int, default=None, help="only the first N problems")
    parser.add_argument("--parallel", type=int, default=1, help="problems at once (the local "
                        "model starts a server for each, up to the cores)")
    parser.add_argument("--ray", default=None, metavar="ADDRESS", help="solve on a Ray "
                        "cluster: auto, local or host:port (needs cpagent[ray])")
    parser.add_argument("--results", type=Path, default=None, help="JSONL of results "
                        "(default: benchmarks/results/solve-<source>-<flow>.jsonl)")
    args = parser.parse_args(argv)
    index = {x.strip().upper() for x in args.index.split(",")} if args.index else None
    problems = load_problem_set(args.problems, index)[: args.limit]
    results = args.results or (ROOT / "benchmarks" / "results"
                               / f"solve-{args.problems[0].stem}-{args.flow}.jsonl")
    results.parent.mkdir(parents=True, exist_ok=True)
    skip = done_ids(results)
    options = FlowOptions(flow=args.flow, candidates=args.candidates, rounds=args.rounds,
                          max_calls=args.max_calls, max_tokens=args.max_tokens)
    todo = [p for p in problems if p.id not in skip]
    print(f"{len(problems)} problems, {len(skip & {p.id for p in problems})} done, "
          f"{len(todo)} to go; results in {results}", flush=True)
    model = args.model or "default"
    if todo:  # a finished run prints its table without starting a model or a sandbox
        solver = solve_on_ray if args.ray else solve_all
        model = solver(todo, args, options, results)
    wanted = {p.id for p in problems}
    rows = [r for r in map(json.loads, lines(results)) if r["id"] in wanted]
    title = " ".join(p.name for p in args.problems)
    print(summarise(rows, f"{title} · model {model} · flow {args.flow}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
