"""Drawing the edges of a large undirected graph: the generator's probing against the one it
replaced (session 15), side by side on the same sizes.

    python benchmarks/graph_generation.py

Both draw one ordered pair per edge and step to the next free pair. The former stepped from
(u, v) with u > v through the rest of row u, below the diagonal, before reaching a free
pair: about n/2 steps for half of all draws, so quadratic. The generator now reads such a
pair the other way round. Prints seconds for each and their ratio."""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cpagent.problems.spec.generate import Generator  # noqa: E402
from cpagent.problems.spec.inputspec import InputSpec  # noqa: E402
from cpagent.problems.spec.source import RandomSource  # noqa: E402


def former(n: int, k: int, rnd: random.Random) -> list[tuple[int, int]]:
    used: set[tuple[int, int]] = set()
    out = []
    for _ in range(k):
        x = rnd.randint(0, n * n - 1)
        while not (x // n + 1 < x % n + 1 and (x // n + 1, x % n + 1) not in used):
            x = (x + 1) % (n * n)
        used.add((x // n + 1, x % n + 1))
        out.append((x // n + 1, x % n + 1))
    return out


def current(n: int, k: int, rnd: random.Random) -> list[tuple[int, int]]:
    spec = InputSpec.model_validate({"input": [{"name": "n", "min": 1, "max": 1}]})
    generator = Generator(spec._plan, "max", RandomSource(rnd))
    return generator._extra_edges(n, k, set(), False, n * (n - 1) // 2)


def main() -> None:
    print(f"{'edges':>8} {'former s':>9} {'current s':>10} {'ratio':>7}")
    for n in (5_000, 10_000, 20_000):
        times = []
        for draw in (former, current):
            started = time.perf_counter()
            edges = draw(n, n, random.Random(0))
            times.append(time.perf_counter() - started)
            assert len(set(edges)) == n and all(u < v for u, v in edges)
        print(f"{n:>8} {times[0]:>9.3f} {times[1]:>10.3f} {times[0] / times[1]:>7.0f}")


if __name__ == "__main__":
    main()
