"""Load on `cpagent serve`, bounded, on loopback: many small `/run_code` requests, a fixed
number in flight, each answer checked.

Goals: zero errors (every answer 200, Success, the right stdout), no container left behind
once the server stops; reported: latency p50 and p99, requests per second.

    .venv/bin/python benchmarks/serve_load.py [--requests 2000] [--concurrency 32] [--pool 0]
                                              [--distinct]

By default every request runs the same program on its own stdin, as verl's sandbox_fusion
sends a program's test cases (requests that wait together then share a batch); with
--distinct each request is a program of its own (a comment makes it so), which nothing
coalesces.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cpagent.agent.serve.process import ServerProcess, owned_containers  # noqa: E402

PROGRAM = "a, b = map(int, input().split())\nprint(a + b)\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--pool", type=int, default=0, help="0: one container per CPU")
    parser.add_argument("--distinct", action="store_true", help="a different program each")
    args = parser.parse_args()

    rng = random.Random(7)
    pairs = [(rng.randint(-10**9, 10**9), rng.randint(-10**9, 10**9))
             for _ in range(args.requests)]
    local = threading.local()
    errors: list[str] = []
    latencies: list[float] = []
    lock = threading.Lock()

    load_start = os.getloadavg()
    with ServerProcess("--pool", args.pool, "--queue", max(64, 2 * args.concurrency)) as server:
        pool = server.health()["pool_size"]
        url = f"{server.url}/run_code"

        def one(index: int) -> None:
            pair = pairs[index]
            session = getattr(local, "session", None) or requests.Session()
            local.session = session
            code = f"# {index}\n{PROGRAM}" if args.distinct else PROGRAM
            body = {"code": code, "language": "python", "stdin": f"{pair[0]} {pair[1]}\n",
                    "run_timeout": 2, "memory_limit_MB": 256}
            start = time.perf_counter()
            try:
                reply = session.post(url, json=body, timeout=120)
                answer = reply.json() if reply.status_code == 200 else {}
                ok = (answer.get("status") == "Success"
                      and answer["run_result"]["stdout"] == f"{sum(pair)}\n")
                problem = "" if ok else f"{reply.status_code} {reply.text[:200]}"
            except requests.RequestException as exc:
                problem = f"{type(exc).__name__}: {exc}"
            took = time.perf_counter() - start
            with lock:
                latencies.append(took)
                if problem:
                    errors.append(problem)

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.concurrency) as workers:
            list(workers.map(one, range(args.requests)))
        wall = time.perf_counter() - started
        health = server.health()
        pid = server.pid
    leaked = len(owned_containers(pid))

    cuts = statistics.quantiles(latencies, n=100)
    print(f"requests: {args.requests}, {args.concurrency} in flight, pool {pool} "
          f"containers, {os.cpu_count()} CPUs; load average "
          f"{' '.join(f'{x:.2f}' for x in load_start)} at the start, "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end")
    print(f"errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    print(f"latency: p50 {cuts[49] * 1000:.1f} ms, p99 {cuts[98] * 1000:.1f} ms, "
          f"max {max(latencies) * 1000:.1f} ms")
    print(f"throughput: {args.requests / wall:.1f} requests/s ({wall:.1f} s in all)")
    print(f"programs: {'each request its own' if args.distinct else 'one, on every stdin'}; "
          f"requests answered from a shared batch: {health['run_code_coalesced']}")
    print(f"busy slots after the run: {health['busy']}; containers left once the server "
          f"stopped: {leaked}")
    goal = not errors and leaked == 0
    print(f"goal (zero errors, no leaked container): {'met' if goal else 'MISSED'}")


if __name__ == "__main__":
    main()
