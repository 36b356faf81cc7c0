"""Write data/secret for Second Best: run from the problem folder,
`python3 generators/generate.py`.

Deterministic (fixed seeds); the answers come from the accepted solution's logic."""

import random
from pathlib import Path

MAX_N = 10**5
LIM = 10**9
SECRET = Path(__file__).resolve().parent.parent / "data" / "secret"


def solve(a):
    best = second = None
    for x in a:
        if best is None or x > best:
            second, best = best, x
        elif x < best and (second is None or x > second):
            second = x
    return "NONE" if second is None else str(second)


def write(name, a):
    (SECRET / f"{name}.in").write_text(f"{len(a)}\n{' '.join(map(str, a))}\n")
    (SECRET / f"{name}.ans").write_text(solve(a) + "\n")


def main():
    SECRET.mkdir(parents=True, exist_ok=True)
    for old in SECRET.iterdir():
        old.unlink()
    rng = random.Random(31337)

    write("01-single-value", [5])
    write("02-single-negative", [-7])
    write("03-two-equal", [4, 4])
    write("04-all-equal-negative", [-3] * 6)
    write("05-two-distinct", [-1, 1])
    write("06-all-negative", [-15, -4, -23, -4, -8, -42, -9])
    write("07-max-repeated", [9, 2, 9, 5, 9, 1, 9, 3])
    write("08-answer-zero", [0, 3, 0, -2, 3])
    write("09-extremes", [LIM, -LIM, LIM, -LIM])
    write("10-sorted", list(range(-20, 31)))
    write("11-reversed", list(range(100, 40, -3)))
    write("12-random-medium", [rng.randint(-LIM, LIM) for _ in range(1000)])

    a = [rng.randint(-LIM, -1) for _ in range(997)]
    top = max(a)
    a += [top] * 3
    rng.shuffle(a)
    write("13-negative-top-repeated", a)

    write("14-max-random", [rng.randint(-LIM, LIM) for _ in range(MAX_N)])
    write("15-max-all-equal", [-LIM] * MAX_N)


main()
