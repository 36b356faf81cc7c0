# The tallest of each half, then the taller of the two: n - 1 comparisons, recursively.
import sys

sys.setrecursionlimit(10000)
n = int(input())


def tallest(lo, hi):
    if lo == hi:
        return lo
    mid = (lo + hi) // 2
    a, b = tallest(lo, mid), tallest(mid + 1, hi)
    print("?", a, b, flush=True)
    return b if input() == "<" else a


print("!", tallest(1, n), flush=True)
