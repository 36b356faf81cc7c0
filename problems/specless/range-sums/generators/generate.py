"""Writes data/secret for Range Sums. Run from the problem folder: python3 generators/generate.py

The whole data/ folder must stay under 4 MB, so the maximum tests use small values: the
test with n = q = 2*10^5 asks every question "1 n" about an array whose total is 3 (one
digit per answer), and the random-range test has n = 2*10^5 but fewer questions.
"""
import random
from itertools import accumulate
from pathlib import Path

MAX_N = 2 * 10**5
MAX_A = 10**9
OUT = Path(__file__).resolve().parent.parent / "data" / "secret"


def solve(a, queries):
    pre = [0] + list(accumulate(a))
    return [pre[r] - pre[l - 1] for l, r in queries]


def random_ranges(rng, n, q):
    out = []
    for _ in range(q):
        l, r = rng.randint(1, n), rng.randint(1, n)
        out.append((min(l, r), max(l, r)))
    return out


def with_total(rng, n, lo, hi, target):
    """n random values in [lo, hi] whose sum is target."""
    a = [rng.randint(lo, hi) for _ in range(n)]
    delta = sum(a) - target
    order = list(range(n))
    rng.shuffle(order)
    for i in order:
        if delta == 0:
            break
        step = max(min(delta, a[i] - lo), a[i] - hi)  # how far a[i] may move towards the target
        a[i] -= step
        delta -= step
    assert sum(a) == target
    return a


def write(name, a, queries):
    lines = ["%d %d" % (len(a), len(queries)), " ".join(map(str, a))]
    lines += ["%d %d" % lr for lr in queries]
    (OUT / (name + ".in")).write_text("\n".join(lines) + "\n")
    (OUT / (name + ".ans")).write_text("\n".join(map(str, solve(a, queries))) + "\n")


def main():
    rng = random.Random(7031)
    OUT.mkdir(parents=True, exist_ok=True)

    write("01-single-element", [5], [(1, 1)])
    write("02-single-negative-extreme", [-MAX_A], [(1, 1)])

    a = [rng.randint(-100, -1) for _ in range(10)]
    write("03-all-negative", a, random_ranges(rng, 10, 10) + [(1, 10), (1, 1)])

    a = [rng.randint(-50, 50) for _ in range(50)]
    write("04-point-queries", a, [(i, i) for i in range(1, 51)] + [(1, 1), (50, 50)])

    a = [rng.randint(-1000, 1000) for _ in range(20)]
    write("05-full-ranges-small", a, [(1, 20)] * 5)

    a = [rng.randint(-MAX_A, MAX_A) for _ in range(100)]
    write("06-prefix-queries", a, [(1, rng.randint(1, 100)) for _ in range(100)])

    a = [MAX_A] * 1000
    write("07-all-equal-max", a, random_ranges(rng, 1000, 1000) + [(1, 1000)])

    a = [-MAX_A] * 2000
    write("08-all-equal-min", a, [(1, 2000)] + random_ranges(rng, 2000, 999))

    a = [rng.randint(-MAX_A, MAX_A) for _ in range(1000)]
    write("09-random-medium", a, random_ranges(rng, 1000, 1000))

    a = sorted(rng.randint(-MAX_A, MAX_A) for _ in range(1000))
    write("10-sorted-medium", a, random_ranges(rng, 1000, 500) + [(1, r) for r in range(1, 501)])

    a = with_total(rng, MAX_N, -9, 9, 3)
    write("11-max-full-ranges", a, [(1, MAX_N)] * MAX_N)

    a = [rng.randint(-9, 9) for _ in range(MAX_N)]
    write("12-max-random-ranges", a, random_ranges(rng, MAX_N, 30000))


main()
