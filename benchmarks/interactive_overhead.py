"""What an interactor costs per test: the same small task judged plainly and interactively,
in one run, on one warm Docker pool.

    (p) plain       -- the solution reads `x` from stdin and prints it; one run() of N tests;
    (i) interactive -- the interactor (a second sandboxed process, as its own uid, its files
                       written per test) sends `x`, the solution answers `! x`, the
                       interactor accepts; one run() of N tests;
    (q) exchanges   -- one interactive test of Q round trips (the interactor sends a number,
                       the solution echoes it, flushing each time): the cost of a query,
                       relayed through the runner.

Rounds alternate (p) and (i) so both see the same background load; the best round counts.

    .venv/bin/python benchmarks/interactive_overhead.py [--tests 100] [--queries 2000]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cpagent.problems.model import Limits, ProgramChecker, TestCase  # noqa: E402
from cpagent.sandbox import Program, Verdict, open_sandbox  # noqa: E402
from cpagent.sandbox.interactive import run_interactive, verdict_of  # noqa: E402

PLAIN = "print(input())\n"
SOLUTION = """import sys
x = sys.stdin.readline().strip()
print("!", x, flush=True)
"""
INTERACTOR = """import sys
with open(sys.argv[1]) as f:
    x = f.read().strip()
print(x, flush=True)
sys.exit(42 if sys.stdin.readline().split() == ["!", x] else 43)
"""
ECHO = """import sys
for line in sys.stdin:
    sys.stdout.write(line)
    sys.stdout.flush()
"""
ECHO_INTERACTOR = """import sys
with open(sys.argv[1]) as f:
    q = int(f.read())
for i in range(q):
    print(i, flush=True)
    if sys.stdin.readline().strip() != str(i):
        sys.exit(43)
sys.exit(42)
"""
RESULTS = Path(__file__).resolve().parent / "results" / "interactive_overhead.txt"


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tests", type=int, default=100)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS, help="also write the report here")
    args = parser.parse_args(argv)
    rng = random.Random(28)
    values = [str(rng.randint(1, 10**9)) for _ in range(args.tests)]
    tests = [TestCase(name=str(i), input=v + "\n") for i, v in enumerate(values)]
    limits = Limits(time_s=2.0)
    interactor = ProgramChecker(kind="kattis", source=INTERACTOR)
    lines: list[str] = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    say(f"machine: {os.cpu_count()} CPUs; load average at start {load_average()}")
    say(f"{args.tests} tests per batch, {args.rounds} rounds of (p) then (i); best round counts")
    plain_best = inter_best = float("inf")
    with open_sandbox("docker", size=1) as box:
        say(f"image: {box.image}")
        box.run(Program(source=PLAIN), ["1\n"], limits)  # start the container
        for round_ in range(1, args.rounds + 1):
            start = time.perf_counter()
            runs = box.run(Program(source=PLAIN), [t.input for t in tests], limits)
            plain = (time.perf_counter() - start) / len(tests)
            if [r.stdout.strip() for r in runs] != values:
                raise SystemExit("plain: a wrong output")
            start = time.perf_counter()
            pairs = run_interactive(box, Program(source=SOLUTION), interactor, tests, limits)
            inter = (time.perf_counter() - start) / len(tests)
            wrong = [verdict_of(*p) for p in pairs if verdict_of(*p)[0] is not Verdict.AC]
            if wrong:
                raise SystemExit(f"interactive: {len(wrong)} tests not accepted: {wrong[0]}")
            say(f"round {round_}: (p) {plain * 1000:7.1f} ms/test   (i) {inter * 1000:7.1f} "
                f"ms/test   (i)/(p) {inter / plain:5.2f}")
            plain_best, inter_best = min(plain_best, plain), min(inter_best, inter)
        echo = ProgramChecker(kind="kattis", source=ECHO_INTERACTOR)
        many = [TestCase(name="q", input=f"{args.queries}\n")]
        one = [TestCase(name="1", input="1\n")]
        start = time.perf_counter()
        run_interactive(box, Program(source=ECHO), echo, one, limits)
        single = time.perf_counter() - start
        start = time.perf_counter()
        (run, interaction), = run_interactive(box, Program(source=ECHO), echo, many, limits)
        total = time.perf_counter() - start
        verdict, message = verdict_of(run, interaction)
        if verdict is not Verdict.AC:
            raise SystemExit(f"exchanges: {verdict} {message}")
    say()
    say(f"best round: (p) {plain_best * 1000:.1f} ms/test, (i) {inter_best * 1000:.1f} ms/test, "
        f"(i)/(p) {inter_best / plain_best:.2f}, an interactor adds "
        f"{(inter_best - plain_best) * 1000:.1f} ms per test")
    per_query = (total - single) / (args.queries - 1)
    say(f"(q) {args.queries} round trips in one test: {total:.2f} s against {single:.2f} s for "
        f"one; {per_query * 1e6:.0f} us per round trip (solution CPU {run.cpu_s:.2f} s)")
    say(f"load average at end {load_average()}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
