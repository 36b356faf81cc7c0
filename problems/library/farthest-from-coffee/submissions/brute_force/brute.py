import sys
from collections import deque


def main():
    data = sys.stdin.read().split()
    n, m = int(data[0]), int(data[1])
    g = data[2:2 + n]
    best = 0
    for si in range(n):
        for sj in range(m):
            if g[si][sj] == '#':
                continue
            # walk from this cell until the first cafe is met
            seen = {(si, sj): 0}
            dq = deque([(si, sj)])
            found = None
            while dq:
                i, j = dq.popleft()
                if g[i][j] == 'C':
                    found = seen[(i, j)]
                    break
                for a, b in ((i + 1, j), (i - 1, j), (i, j + 1), (i, j - 1)):
                    if 0 <= a < n and 0 <= b < m and g[a][b] != '#' and (a, b) not in seen:
                        seen[(a, b)] = seen[(i, j)] + 1
                        dq.append((a, b))
            if found is not None:
                best = max(best, found)
    print(best)


main()
