"""What isolation costs per test: one small solution on many small tests, three ways.

    (a) bare   -- a host `python3` subprocess per test, stdin from a file, no isolation;
    (b) run    -- a new container per test (`docker run --rm` through the docker SDK), same
                  image as the sandbox, network none;
    (c) pool   -- cpagent's Docker backend: one warm container, one `run()` for the batch.
                  Each program runs in a fork of an interpreter the runner started once, so
                  (c) pays no interpreter start-up per test while (a) does: that saving is
                  the design, and a judge's time limit then covers the program alone.
    (c') the same pool with every program exec'd (`python3 -X frozen_modules=on sol.py`,
                  an argv the runner will not run in-process): what the fork saves.

Goals: c/a <= 1.25 (the pool costs about what a bare interpreter does) and b/c >= 15 (the pool
is far cheaper than a container per test).

    .venv/bin/python benchmarks/sandbox_overhead.py [--tests 200] [--container-tests 30]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cpagent.problems.model import Limits  # noqa: E402
from cpagent.sandbox import Program, open_sandbox  # noqa: E402

SOLUTION = """import os
a, b = map(int, os.read(0, os.fstat(0).st_size).split())
print(a + b)
"""

GOAL_POOL_VS_BARE = 1.25  # c/a at most
GOAL_RUN_VS_POOL = 15.0  # b/c at least


def make_tests(n: int, seed: int = 1) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    tests = []
    for _ in range(n):
        a, b = rng.randint(-10**9, 10**9), rng.randint(-10**9, 10**9)
        tests.append((f"{a} {b}\n", str(a + b)))
    return tests


def host_python() -> str:
    """The real interpreter binary: a pyenv shim on PATH would add its own startup cost."""
    for candidate in ("/usr/bin/python3", os.path.realpath(sys.executable)):
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return os.path.realpath(candidate)
    return sys.executable


def check(outputs: list[str], tests: list[tuple[str, str]], what: str) -> None:
    pairs = enumerate(zip(outputs, tests, strict=True))
    wrong = [i for i, (out, (_, want)) in pairs if out.strip() != want]
    if wrong:
        raise SystemExit(f"{what}: wrong output on {len(wrong)} tests, first #{wrong[0]}: "
                         f"{outputs[wrong[0]]!r} != {tests[wrong[0]][1]!r}")


def bench_bare(python: str, tests: list[tuple[str, str]], work: Path) -> list[float]:
    sol = work / "sol.py"
    sol.write_text(SOLUTION)
    times, outputs = [], []
    for i, (given, _) in enumerate(tests):
        path = work / f"{i}.in"
        path.write_text(given)
        with path.open("rb") as stdin:
            start = time.perf_counter()
            done = subprocess.run([python, str(sol)], stdin=stdin, capture_output=True,
                                  check=True)
            times.append(time.perf_counter() - start)
        outputs.append(done.stdout.decode())
    check(outputs, tests, "bare")
    return times


def bench_container_per_test(tests: list[tuple[str, str]], work: Path) -> tuple[str, list[float]]:
    from cpagent.sandbox.docker_backend import connect
    from cpagent.sandbox.image import find_image

    client = connect()
    image, _ = find_image(client)
    data = work / "per-container"
    data.mkdir()
    (data / "sol.py").write_text(SOLUTION)
    os.chmod(data, 0o755)
    times, outputs = [], []
    for i, (given, _) in enumerate(tests):
        (data / f"{i}.in").write_text(given)
        os.chmod(data / f"{i}.in", 0o644)
        start = time.perf_counter()
        # = docker run --rm --network none -v data:/data:ro IMAGE sh -c 'python3 ... < ...'
        # (stdin redirected from a file, so os.fstat(0).st_size works as in the pool)
        out = client.containers.run(
            image,
            ["sh", "-c", f"exec python3 /data/sol.py < /data/{i}.in"],
            remove=True,
            network_mode="none",
            volumes={str(data): {"bind": "/data", "mode": "ro"}},
        )
        times.append(time.perf_counter() - start)
        outputs.append(out.decode())
    check(outputs, tests, "container per test")
    return image, times


# Same behaviour as `python3 sol.py` (frozen modules are on by default), but an option before
# the script makes the runner exec a fresh interpreter instead of forking its template.
EXEC_ARGV = ["python3", "-X", "frozen_modules=on", "{prog}/sol.py"]


def bench_pool_rounds(tests: list[tuple[str, str]], rounds: int, between) -> dict:
    """Warm the pool, then `rounds` batches of all tests; `between()` runs before each batch
    (the bare round), so both see the same background load."""
    program = Program(source=SOLUTION)
    inputs = [given for given, _ in tests]
    limits = Limits()
    out: dict = {"batches": []}
    with open_sandbox("docker", size=1) as box:
        start = time.perf_counter()
        box.run(program, inputs[:1], limits)  # starts the container
        out["cold_first_s"] = time.perf_counter() - start
        start = time.perf_counter()
        box.run(program, inputs[:1], limits)  # a warm batch of one test
        out["warm_single_s"] = time.perf_counter() - start
        out["image"] = box.image
        for _ in range(rounds):
            between()
            start = time.perf_counter()
            runs = box.run(program, inputs, limits)
            batch = time.perf_counter() - start
            bad = [r for r in runs if r.status != "ok"]
            if bad:
                raise SystemExit(f"pool: {len(bad)} runs failed, first: {bad[0].status} "
                                 f"{bad[0].reason}")
            check([r.stdout for r in runs], tests, "pool")
            start = time.perf_counter()
            exec_runs = box.run(program, inputs, limits, argv=EXEC_ARGV)
            exec_batch = time.perf_counter() - start
            check([r.stdout for r in exec_runs], tests, "pool, exec'd")
            out["batches"].append({
                "exec_per_test_s": exec_batch / len(inputs),
                "batch_s": batch,
                "per_test_s": batch / len(inputs),
                "runner_wall": statistics.median(r.wall_s for r in runs),
                "runner_cpu": statistics.median(r.cpu_s for r in runs),
            })
    return out


def storage_driver() -> str:
    from cpagent.sandbox.docker_backend import connect

    try:
        return str(connect().info().get("Driver", "?"))
    except Exception:  # noqa: BLE001 - informational only
        return "?"


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tests", type=int, default=200, help="tests for (a) and (c)")
    parser.add_argument("--container-tests", type=int, default=30,
                        help="tests for (b), a container each (slow)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternating rounds of (a) and (c); the best round counts")
    args = parser.parse_args(argv)
    tests = make_tests(args.tests)
    python = host_python()
    version = subprocess.run([python, "--version"], capture_output=True, text=True)
    print("solution: read two ints with os.read(0, os.fstat(0).st_size), print the sum")
    print(f"machine: {os.cpu_count()} CPUs; load average at start {load_average()}")
    print(f"(a) bare: {python} ({version.stdout.strip()}), {len(tests)} tests, one subprocess "
          f"each, stdin from a file, serial")
    print(f"(c) pool: open_sandbox('docker', size=1), one run() of {len(tests)} tests, after a "
          f"warm-up")
    print(f"{args.rounds} rounds, (a) then (c) in each, so both see the same background load")
    print(f"docker storage driver: {storage_driver()} (fuse-overlayfs makes every path lookup "
          f"by a non-owner uid a round trip to user space)")
    with tempfile.TemporaryDirectory(prefix="cpagent-overhead-") as tmp:
        work = Path(tmp)
        os.chmod(work, 0o755)
        bare_rounds: list[list[float]] = []
        pool = bench_pool_rounds(tests, args.rounds,
                                 lambda: bare_rounds.append(bench_bare(python, tests, work)))
        print(f"    pool warm-up: first run() (starts the container) {pool['cold_first_s']:.2f} s;"
              f" a warm run() of 1 test {ms(pool['warm_single_s'])}; image {pool['image']}")
        for i, (bare, batch) in enumerate(zip(bare_rounds, pool["batches"], strict=True), 1):
            print(f"    round {i}: (a) median {ms(statistics.median(bare))} mean "
                  f"{ms(statistics.fmean(bare))} | (c) batch {batch['batch_s']:5.2f} s = "
                  f"{ms(batch['per_test_s'])}/test, runner wall median "
                  f"{ms(batch['runner_wall'])}, CPU median {ms(batch['runner_cpu'])} | c/a "
                  f"{batch['per_test_s'] / statistics.median(bare):.2f} | (c') exec'd "
                  f"{ms(batch['exec_per_test_s'])}/test")

        n_run = min(args.container_tests, len(tests))
        image, per_container = bench_container_per_test(tests[:n_run], work)
        print(f"(b) container per test: docker run --rm --network none, image {image}, "
              f"{n_run} tests (fewer than {len(tests)}: slow), serial")
        print(f"    median {ms(statistics.median(per_container))}  mean "
              f"{ms(statistics.fmean(per_container))}  min {ms(min(per_container))}")
    print(f"load average at the end {load_average()}")

    a = min(statistics.median(bare) for bare in bare_rounds)
    c = min(batch["per_test_s"] for batch in pool["batches"])
    c_runner = min(batch["runner_wall"] for batch in pool["batches"])
    b = statistics.median(per_container)
    c_a, b_c = c / a, b / c
    verdict = {True: "PASS", False: "MISS"}
    print()
    print(f"best round: a = {ms(a)} (median per test), c = {ms(c)} (batch / {len(tests)}), "
          f"b = {ms(b)} (median)")
    print(f"c/a = {c_a:5.2f}   goal <= {GOAL_POOL_VS_BARE:g}   {verdict[c_a <= GOAL_POOL_VS_BARE]}")
    print(f"b/c = {b_c:5.1f}   goal >= {GOAL_RUN_VS_POOL:g}     {verdict[b_c >= GOAL_RUN_VS_POOL]}")
    c_exec = min(batch["exec_per_test_s"] for batch in pool["batches"])
    print(f"(runner-reported wall median / a = {c_runner / a:.2f}: the fork and the program "
          f"inside the container, without the cleanup, the docker exec and the result stream)")
    print(f"(c'/a = {c_exec / a:.2f}: the same pool exec'ing a fresh interpreter per test, "
          f"{ms(c_exec)}/test)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
