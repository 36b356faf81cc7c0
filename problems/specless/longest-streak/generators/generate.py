"""Write data/secret for Longest Streak: run from the problem folder,
`python3 generators/generate.py`.

Deterministic (fixed seeds); the answers come from the accepted solution's logic."""

import random
import string
from pathlib import Path

MAX_LEN = 200000
SECRET = Path(__file__).resolve().parent.parent / "data" / "secret"


def solve(s):
    best_len, best_c = 0, ""
    i = 0
    while i < len(s):
        j = i + 1
        while j < len(s) and s[j] == s[i]:
            j += 1
        if j - i > best_len or (j - i == best_len and s[i] < best_c):
            best_len, best_c = j - i, s[i]
        i = j
    return f"{best_len} {best_c}"


def write(name, s):
    (SECRET / f"{name}.in").write_text(s + "\n")
    (SECRET / f"{name}.ans").write_text(solve(s) + "\n")


def blocks(rng, letters, total, lo, hi):
    """Random blocks of random letters (neighbouring blocks may share a letter)."""
    out = []
    size = 0
    while size < total:
        k = min(rng.randint(lo, hi), total - size)
        out.append(rng.choice(letters) * k)
        size += k
    return "".join(out)


def main():
    SECRET.mkdir(parents=True, exist_ok=True)
    for old in SECRET.iterdir():
        old.unlink()
    rng = random.Random(7211)

    write("01-single-letter", "q")
    write("02-two-different", "ba")
    write("03-two-equal", "zz")
    write("04-all-equal-small", "kkkkkkk")
    write("05-run-at-end", "abccddddd")
    write("06-tie-later-smaller", "xxxmmmcccbq")
    write("07-all-distinct", "qwertyuiopasdfghjklzxcvbnm")
    write("08-tie-run-at-end", "zzzzzaaaaa")
    write("09-alternating", "ab" * 500)
    write("10-random-medium", "".join(rng.choice("abc") for _ in range(5000)))
    write("11-max-all-equal", "a" * MAX_LEN)
    write("12-max-random", "".join(rng.choice(string.ascii_lowercase) for _ in range(MAX_LEN)))

    # short random blocks, then one long block of a single letter closing the string
    body = blocks(rng, "xy", MAX_LEN // 2 - 5000, 1, 40)
    tail = "y" * 5000 if body[-1] == "x" else "x" * 5000
    write("13-half-long-run-at-end", body + tail)

    # blocks of exactly 8 letters each, letters in shuffled order; many ties, smallest letter last
    letters = [c for c in string.ascii_lowercase[1:]]
    parts = []
    prev = ""
    while len(parts) * 8 < MAX_LEN // 2 - 8:
        c = rng.choice(letters)
        if c != prev:
            parts.append(c * 8)
            prev = c
    parts.append("a" * 8)
    write("14-half-many-ties", "".join(parts))


main()
