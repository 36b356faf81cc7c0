"""Writes data/secret for Digit Root. Run from the problem folder: python3 generators/generate.py"""
import random
from pathlib import Path

MAX_DIGITS = 100000
OUT = Path(__file__).resolve().parent.parent / "data" / "secret"


def solve(s):
    total = sum(map(int, s))
    while total >= 10:
        total = sum(map(int, str(total)))
    return total


def random_number(rng, digits):
    return str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(digits - 1))


def multiple_of_nine(rng, digits):
    """A random number of `digits` digits whose digit sum is a multiple of 9 (last digit fixed)."""
    while True:
        head = random_number(rng, digits - 1)
        last = (-sum(map(int, head))) % 9
        s = head + str(last)
        if solve(s) == 9:
            return s


def main():
    rng = random.Random(20240611)
    tests = [
        ("01-zero", "0"),
        ("02-one", "1"),
        ("03-single-digit", "7"),
        ("04-nine", "9"),
        ("05-ten", "10"),
        ("06-nines-small", "9" * 7),
        ("07-multiple-of-nine-medium", multiple_of_nine(rng, 60)),
        ("08-random-4300-digits", random_number(rng, 4300)),
        ("09-random-4301-digits", random_number(rng, 4301)),
        ("10-max-random", random_number(rng, MAX_DIGITS)),
        ("11-max-all-nines", "9" * MAX_DIGITS),
        ("12-max-one-then-zeros", "1" + "0" * (MAX_DIGITS - 1)),
        ("13-max-multiple-of-nine", multiple_of_nine(rng, MAX_DIGITS)),
    ]
    OUT.mkdir(parents=True, exist_ok=True)
    for name, x in tests:
        (OUT / (name + ".in")).write_text(x + "\n")
        (OUT / (name + ".ans")).write_text("%d\n" % solve(x))


main()
