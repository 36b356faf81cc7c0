import sys
from operator import sub


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    b = sorted(map(int, data[1:n + 1]))
    # gaps between neighbours after sorting; none when n = 1
    best = max(map(sub, b[1:], b), default=0)
    sys.stdout.write("%d\n" % best)


main()
