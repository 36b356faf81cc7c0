import sys
from collections import deque


def main():
    data = sys.stdin.buffer.read().split()
    n, m = int(data[0]), int(data[1])
    g = [row.decode() for row in data[2:2 + n]]
    dist = [[-1] * m for _ in range(n)]
    dq = deque()
    for i in range(n):
        for j in range(m):
            if g[i][j] == 'C':
                dist[i][j] = 0
                dq.append((i, j))
    # bug: walls are thought to be decoration; distances become Manhattan distances
    while dq:
        i, j = dq.popleft()
        for a, b in ((i + 1, j), (i - 1, j), (i, j + 1), (i, j - 1)):
            if 0 <= a < n and 0 <= b < m and dist[a][b] == -1:
                dist[a][b] = dist[i][j] + 1
                dq.append((a, b))
    best = 0
    for i in range(n):
        for j in range(m):
            if g[i][j] != '#':
                best = max(best, dist[i][j])
    print(best)


main()
