# Sorts all berths by height: right, but with about n log n comparisons, past n - 1.
from functools import cmp_to_key

n = int(input())


def compare(i, j):
    print("?", i, j, flush=True)
    return -1 if input() == "<" else 1


order = sorted(range(1, n + 1), key=cmp_to_key(compare))
print("!", order[-1], flush=True)
