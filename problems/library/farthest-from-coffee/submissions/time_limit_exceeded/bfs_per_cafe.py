import sys
from collections import deque


def main():
    data = sys.stdin.buffer.read().split()
    n, m = int(data[0]), int(data[1])
    g = [row.decode() for row in data[2:2 + n]]
    INF = float("inf")
    best = [[INF] * m for _ in range(n)]
    cafes = [(i, j) for i in range(n) for j in range(m) if g[i][j] == 'C']
    # one BFS per cafe: O(cafes * cells)
    for ci, cj in cafes:
        dist = [[-1] * m for _ in range(n)]
        dist[ci][cj] = 0
        dq = deque([(ci, cj)])
        while dq:
            i, j = dq.popleft()
            d = dist[i][j]
            if d < best[i][j]:
                best[i][j] = d
            for a, b in ((i + 1, j), (i - 1, j), (i, j + 1), (i, j - 1)):
                if 0 <= a < n and 0 <= b < m and g[a][b] != '#' and dist[a][b] == -1:
                    dist[a][b] = d + 1
                    dq.append((a, b))
    ans = 0
    for i in range(n):
        for j in range(m):
            if best[i][j] != INF:
                ans = max(ans, best[i][j])
    print(ans)


main()
