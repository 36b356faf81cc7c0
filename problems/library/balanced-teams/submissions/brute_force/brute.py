import sys
from itertools import combinations


def main():
    data = sys.stdin.read().split()
    t = int(data[0])
    pos = 1
    for _ in range(t):
        n = int(data[pos])
        s = [int(x) for x in data[pos + 1:pos + 1 + n]]
        pos += 1 + n
        best = None
        # every set of players for the Reds whose size keeps the teams within one
        for size in range(1, n):
            if abs(size - (n - size)) > 1:
                continue
            for reds in combinations(range(n), size):
                chosen = set(reds)
                r = max(s[i] for i in chosen)
                b = min(s[i] for i in range(n) if i not in chosen)
                if best is None or abs(r - b) < best:
                    best = abs(r - b)
        print(best)


main()
