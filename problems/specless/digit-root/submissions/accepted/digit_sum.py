import sys


def main():
    s = sys.stdin.buffer.readline().strip()
    # the digit sum of s is at most 9 * 10^5, so one pass over s then a short loop suffices
    total = sum(s) - 48 * len(s)
    while total >= 10:
        total = sum(map(int, str(total)))
    sys.stdout.write("%d\n" % total)


main()
