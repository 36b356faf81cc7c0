"""Write data/secret for Widest Gap: run from the problem folder, `python3 generators/generate.py`.

Deterministic (fixed seeds); the answers come from the accepted solution's logic."""

import random
from pathlib import Path

MAX_N = 2 * 10**5
MAX_A = 10**9
SECRET = Path(__file__).resolve().parent.parent / "data" / "secret"


def solve(a):
    b = sorted(a)
    return max((b[i] - b[i - 1] for i in range(1, len(b))), default=0)


def write(name, a):
    (SECRET / f"{name}.in").write_text(f"{len(a)}\n{' '.join(map(str, a))}\n")
    (SECRET / f"{name}.ans").write_text(f"{solve(a)}\n")


def main():
    SECRET.mkdir(parents=True, exist_ok=True)
    for old in SECRET.iterdir():
        old.unlink()
    rng = random.Random(20240611)

    write("01-single-station", [123456789])
    write("02-two-stations", [17, 4])
    write("03-two-same-position", [8, 8])
    write("04-all-equal", [500] * 10)
    write("05-sorted-gap-at-end", [2, 5, 9, 14, 20, 27, 35, 60])
    write("06-reversed", [1000, 400, 390, 370, 340, 300, 250, 190, 120])
    write("07-extreme-positions", [0, MAX_A, 0])
    write("08-zero-and-max-only", [MAX_A, 0, 0, MAX_A, 0, MAX_A])
    write("09-gap-at-start", [900, 50, 930, 905, 960, 915, 990, 945])

    a = [rng.randint(0, 20) for _ in range(30)]
    write("10-small-random-duplicates", a)

    a = [rng.randint(0, MAX_A) for _ in range(1000)]
    write("11-random-medium", a)

    write("12-all-zero-medium", [0] * 1000)

    a = [rng.randint(0, MAX_A) for _ in range(MAX_N)]
    write("13-max-random", a)

    # every station but one is packed near the start; the single far one makes the last gap widest
    a = [rng.randint(0, 999) for _ in range(MAX_N - 1)] + [MAX_A]
    rng.shuffle(a)
    write("14-max-widest-at-top", a)


main()
