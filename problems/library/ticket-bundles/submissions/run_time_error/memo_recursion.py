import sys
from functools import lru_cache


def main():
    data = sys.stdin.buffer.read().split()
    n, m, a, b = int(data[0]), int(data[1]), int(data[2]), int(data[3])

    @lru_cache(maxsize=None)
    def cheapest(rides):
        if rides <= 0:
            return 0
        return min(a + cheapest(rides - 1), b + cheapest(rides - m))

    # bug: the recursion is n calls deep (RecursionError once n is in the thousands)
    print(cheapest(n))


main()
