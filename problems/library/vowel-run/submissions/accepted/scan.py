import sys

VOWELS = frozenset(b"aeiou")


def main():
    s = sys.stdin.buffer.read().split()[0]
    best = 0
    run = 0  # length of the block of vowels ending at the current letter
    for c in s:
        if c in VOWELS:
            run += 1
            if run > best:
                best = run
        else:
            run = 0
    sys.stdout.write("%d\n" % best)


main()
