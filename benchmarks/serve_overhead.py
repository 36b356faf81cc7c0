"""What the HTTP service costs over judging in-process, measured side by side in one run.

    (a) in-process -- `judge()` on a warm Docker pool of one container, the programs one
                      after another;
    (b) /judge/batch -- the same programs and tests in one request to `cpagent serve`
                      (a pool of one container, on loopback);
    (c) /run_code and in-process `run()`, one small program on one stdin per call: what a
                      SandboxFusion-style client pays per request.

Each round runs (a) and (b) back to back, in turn first (ABBA); the median of the rounds'
ratios b/a is the figure. Goal: b/a <= 1.3.

    .venv/bin/python benchmarks/serve_overhead.py [--tests 200] [--programs 10] [--rounds 8]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cpagent.agent.serve.process import ServerProcess  # noqa: E402
from cpagent.problems.model import Limits, Problem, TestCase  # noqa: E402
from cpagent.sandbox import Program, judge, open_sandbox  # noqa: E402

GOAL = 1.3
# Equivalent small programs, each written differently: a batch as a trainer sends it.
PROGRAMS = [
    "a, b = map(int, input().split())\nprint(a + b)\n",
    "import sys\nprint(sum(map(int, sys.stdin.read().split())))\n",
    "x = input().split()\nprint(int(x[0]) + int(x[1]))\n",
    "import sys\na, b = sys.stdin.readline().split()\nsys.stdout.write(f'{int(a) + int(b)}\\n')\n",
    "def main():\n    a, b = map(int, input().split())\n    print(a + b)\n\nmain()\n",
]


def make_tests(n: int) -> list[TestCase]:
    rng = random.Random(11)
    tests = []
    for i in range(n):
        a, b = rng.randint(-10**9, 10**9), rng.randint(-10**9, 10**9)
        tests.append(TestCase(name=str(i + 1), input=f"{a} {b}\n", answer=f"{a + b}\n"))
    return tests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", type=int, default=200, help="test runs per round, "
                        "spread over the programs")
    parser.add_argument("--programs", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--requests", type=int, default=200, help="for (c)")
    args = parser.parse_args()

    per_program = args.tests // args.programs
    tests = make_tests(per_program)
    limits = Limits(time_s=2.0, memory_mb=256)
    problem = Problem(id="a-plus-b", tests=tests, limits=limits)
    codes = [PROGRAMS[i % len(PROGRAMS)] for i in range(args.programs)]
    body = {"tests": [{"input": t.input, "output": t.answer} for t in tests],
            "limits": limits.model_dump(),
            "programs": [{"code": code} for code in codes]}

    load_start = os.getloadavg()
    in_process: list[float] = []
    served: list[float] = []
    run_local: list[float] = []
    run_served: list[float] = []
    with open_sandbox("docker", size=1) as box, ServerProcess("--pool", 1) as server:
        session = requests.Session()

        def judge_here() -> None:
            for code in codes:
                report = judge(box, Program(source=code), problem)
                assert report.accepted, report.first_failure()

        def judge_there() -> None:
            reply = session.post(f"{server.url}/judge/batch", json=body, timeout=600)
            reply.raise_for_status()
            assert all(r["verdict"] == "AC" for r in reply.json()["results"]), reply.text

        judge_here()  # warm both: the containers, and the server's first request
        judge_there()
        for round_ in range(args.rounds):
            pair = [(judge_here, in_process), (judge_there, served)]
            for run, times in pair if round_ % 2 == 0 else pair[::-1]:  # ABBA: drift cancels
                start = time.perf_counter()
                run()
                times.append(time.perf_counter() - start)

        program = Program(source=PROGRAMS[0])
        for i in range(args.requests):
            stdin = f"{i} {i + 1}\n"
            start = time.perf_counter()
            [done] = box.run(program, [stdin], limits)
            run_local.append(time.perf_counter() - start)
            assert done.stdout == f"{2 * i + 1}\n", done
            start = time.perf_counter()
            reply = session.post(f"{server.url}/run_code", timeout=60, json={
                "code": PROGRAMS[0], "language": "python", "stdin": stdin, "run_timeout": 2,
                "memory_limit_MB": 256})
            run_served.append(time.perf_counter() - start)
            assert reply.json()["run_result"]["stdout"] == f"{2 * i + 1}\n", reply.text

    a, b = statistics.median(in_process), statistics.median(served)
    runs = per_program * args.programs
    print(f"{args.programs} programs x {per_program} tests = {runs} test runs per round, "
          f"{args.rounds} rounds, pools of one container; {os.cpu_count()} CPUs, load average "
          f"{' '.join(f'{x:.2f}' for x in load_start)} at the start, "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end")
    print(f"(a) in-process judge:  median {a:.3f} s  ({a / runs * 1000:.2f} ms per test)  "
          f"rounds {', '.join(f'{t:.3f}' for t in in_process)}")
    print(f"(b) /judge/batch:      median {b:.3f} s  ({b / runs * 1000:.2f} ms per test)  "
          f"rounds {', '.join(f'{t:.3f}' for t in served)}")
    # Each round's two sides ran back to back, under the same background load: the median
    # of the rounds' ratios is the figure least moved by load that comes and goes.
    ratio = statistics.median(y / x for x, y in zip(in_process, served, strict=True))
    print(f"b/a = {ratio:.3f}, the median of the rounds' ratios (goal <= {GOAL}): "
          f"{'met' if ratio <= GOAL else 'MISSED'}; of the medians {b / a:.3f}, of the best "
          f"rounds {min(served) / min(in_process):.3f}")
    la, lb = statistics.median(run_local), statistics.median(run_served)
    print(f"(c) one program, one stdin, {args.requests} calls each: in-process run() median "
          f"{la * 1000:.1f} ms, /run_code median {lb * 1000:.1f} ms "
          f"(p99 {statistics.quantiles(run_served, n=100)[98] * 1000:.1f} ms); "
          f"per-request cost of HTTP {(lb - la) * 1000:.1f} ms, ratio {lb / la:.2f}")


if __name__ == "__main__":
    main()
