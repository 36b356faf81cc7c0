"""Writes data/secret for Word Ladder Count. Deterministic: run from the problem folder."""

import os
import random
import string

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "secret")
MAXN = 10**5
MAXLEN = 10


def solve(words):
    return sum(1 for a, b in zip(words, words[1:]) if len(a) < len(b))


def word(rng, length):
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(length))


def words_of(rng, lengths):
    return [word(rng, k) for k in lengths]


def write(name, words):
    assert 1 <= len(words) <= MAXN
    assert all(1 <= len(w) <= MAXLEN and w.isalpha() and w.islower() for w in words)
    with open(os.path.join(OUT, name + ".in"), "w") as f:
        f.write("%d\n%s\n" % (len(words), " ".join(words)))
    with open(os.path.join(OUT, name + ".ans"), "w") as f:
        f.write("%d\n" % solve(words))


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        os.remove(os.path.join(OUT, f))
    rng = random.Random(7311)

    write("01-single-word", ["ladder"])
    write("02-single-letter", ["a"])
    write("03-single-word-ten-letters", ["abcdefghij"])
    write("04-two-words-step-up", ["up", "top"])
    write("05-two-words-same-length", ["cat", "dog"])
    write("06-two-words-step-down", ["zzzzzzzzzz", "z"])
    write("07-strictly-increasing", words_of(rng, range(1, MAXLEN + 1)))
    write("08-strictly-decreasing", words_of(rng, range(MAXLEN, 0, -1)))
    write("09-all-same-length-small", words_of(rng, [4] * 12))
    write("10-random-small", words_of(rng, [rng.randint(1, MAXLEN) for _ in range(40)]))
    write("11-lengths-one-and-ten", words_of(rng, [rng.choice((1, MAXLEN)) for _ in range(1000)]))
    write("12-max-all-ten-letters", words_of(rng, [MAXLEN] * MAXN))
    write("13-max-alternating-one-ten", words_of(rng, [1 if i % 2 == 0 else MAXLEN for i in range(MAXN)]))
    write("14-max-random", words_of(rng, [rng.randint(1, MAXLEN) for _ in range(MAXN)]))
    write("15-max-single-letters", ["abcdefghijklmnopqrstuvwxyz"[i % 26] for i in range(MAXN)])


main()
