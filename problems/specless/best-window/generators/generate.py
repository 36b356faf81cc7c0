"""Writes data/secret for Best Window. Run from the problem folder: python3 generators/generate.py

The whole data/ folder must stay under 4 MB: the long case with values up to 10^9 in absolute
value takes most of it, so the other maximum tests use short numbers.
"""
import random
from pathlib import Path

MAX_T = 10**4
MAX_SUM_N = 2 * 10**5
MAX_A = 10**9
OUT = Path(__file__).resolve().parent.parent / "data" / "secret"


def solve(a):
    best = cur = a[0]
    for x in a[1:]:
        cur = x if cur < 0 else cur + x
        best = max(best, cur)
    return best


def write(name, cases):
    assert 1 <= len(cases) <= MAX_T and sum(map(len, cases)) <= MAX_SUM_N
    lines = [str(len(cases))]
    for a in cases:
        assert a and all(-MAX_A <= x <= MAX_A for x in a)
        lines += [str(len(a)), " ".join(map(str, a))]
    (OUT / (name + ".in")).write_text("\n".join(lines) + "\n")
    (OUT / (name + ".ans")).write_text("\n".join(str(solve(a)) for a in cases) + "\n")


def rand(rng, n, lo, hi):
    return [rng.randint(lo, hi) for _ in range(n)]


def main():
    rng = random.Random(424242)
    OUT.mkdir(parents=True, exist_ok=True)

    write("01-single-positive", [[5]])
    write("02-single-negative", [[-7]])
    write("03-single-extremes", [[MAX_A], [-MAX_A], [0]])
    write("04-many-single-elements",
          [[rng.randint(-MAX_A, MAX_A)] for _ in range(MAX_T - 2)] + [[-1], [-MAX_A]])
    write("05-all-negative-small", [rand(rng, n, -20, -1) for n in (2, 3, 5, 8, 13)]
          + [[-3, -1, -2], [-1, -1, -1, -1]])
    write("06-all-negative-extreme", [[-MAX_A] * 1000, rand(rng, 500, -MAX_A, -1)])
    write("07-all-equal", [[4] * 10, [0] * 10, [-6] * 10, [MAX_A] * 1000, [-MAX_A] * 7])
    write("08-alternating", [[5, -5] * 20, [-5, 5] * 20 + [-5], [MAX_A, -MAX_A] * 300,
                             [-1, 2] * 50, [3, -4] * 50 + [3]])
    write("09-sorted-and-reversed", [sorted(rand(rng, 300, -MAX_A, MAX_A)),
                                     sorted(rand(rng, 300, -MAX_A, MAX_A), reverse=True),
                                     sorted(rand(rng, 50, -100, 100)),
                                     sorted(rand(rng, 50, -100, 100), reverse=True)])
    write("10-random-medium", [rand(rng, rng.randint(1, 60), -MAX_A, MAX_A) for _ in range(100)])
    write("11-random-mostly-negative",
          [rand(rng, rng.randint(1, 200), -100, 10) for _ in range(60)])

    write("12-max-one-case-random", [rand(rng, MAX_SUM_N, -MAX_A, MAX_A)])

    small = []
    for i in range(MAX_T):
        n = MAX_SUM_N // MAX_T
        if i % 4 == 0:
            small.append(rand(rng, n, -99, -1))
        else:
            small.append(rand(rng, n, -99, 99))
    write("13-max-many-small-cases", small)

    write("14-max-one-case-all-negative", [rand(rng, MAX_SUM_N, -9, -1)])


main()
