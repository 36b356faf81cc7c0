import sys


def main():
    lines = sys.stdin.read().split("\n")
    n = int(lines[0])
    edges = []
    for i in range(1, n):
        u, v, w = map(int, lines[i].split())
        edges.append((u, v, w))
    INF = float("inf")
    dist = [INF] * (n + 1)
    dist[1] = 0
    # Bellman-Ford: n - 1 full rounds over every road in both directions
    for _ in range(n - 1):
        for u, v, w in edges:
            if dist[u] + w < dist[v]:
                dist[v] = dist[u] + w
            if dist[v] + w < dist[u]:
                dist[u] = dist[v] + w
    print(max(dist[1:n + 1]))


main()
