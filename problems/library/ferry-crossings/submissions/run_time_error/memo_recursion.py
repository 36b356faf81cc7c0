import sys
from functools import lru_cache

MOD = 10**9 + 7


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    s = int(data[1])
    a = list(map(int, data[2:2 + n]))

    @lru_cache(maxsize=None)
    def ways(i):
        # number of ways to ship cars i..n-1
        if i == n:
            return 1
        total = 0
        load = 0
        j = i
        while j < n:
            load += a[j]
            if load > s:
                break
            total += ways(j + 1)
            j += 1
        return total % MOD

    print(ways(0))


main()
